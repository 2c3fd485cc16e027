; codemap tags for JavaScript (ES modules, CommonJS, JSX). Vocabulary: codemap/lang/__init__.py.

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (type_identifier) @name) @definition.class
(abstract_class_declaration name: (type_identifier) @name) @definition.class
(interface_declaration name: (type_identifier) @name) @definition.class
(enum_declaration name: (identifier) @name) @definition.class
(internal_module name: [(identifier) (nested_identifier)] @name) @scope
(abstract_class_declaration name: (type_identifier) @name (class_heritage (_ (_) @class.base))) @definition.class
(class name: (type_identifier) @name) @definition.class
(class_declaration name: (type_identifier) @name (class_heritage (_ (_) @class.base))) @definition.class
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(method_definition name: (string (string_fragment) @name)) @definition.method
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name
  value: [(arrow_function) (function_expression)]) @definition.method

; const f = () => {} / function () {}
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.function

; exports.f = function () {}, this.f = () => {}, module.exports.f = ..., module.exports = function () {}
(assignment_expression
  left: (member_expression object: [(identifier) (this)] property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]) @definition.function
(assignment_expression
  left: (member_expression
    object: (member_expression property: (property_identifier) @_prototype)
    property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]
  (#not-eq? @_prototype "prototype")) @definition.function
; Foo.prototype.bar = function () {}: a method of Foo (V8 names the frame Foo.bar)
(assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @receiver property: (property_identifier) @_prototype)
    property: (property_identifier) @name)
  right: [(arrow_function) (function_expression)]
  (#eq? @_prototype "prototype")) @definition.method

; object-literal methods: { f() {}, g: () => {} }
(pair
  key: [(property_identifier) @name (string (string_fragment) @name)]
  value: [(arrow_function) (function_expression)]) @definition.method

; an object literal bound to a name is a naming scope for its methods
(variable_declarator name: (identifier) @name value: (object)) @scope

; calls
(call_expression
  function: (identifier) @call.name
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (member_expression
    object: (_) @call.receiver
    property: [(property_identifier) (private_property_identifier)] @call.name)
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (super) @call.name
  arguments: (arguments) @call.args) @reference.call
(new_expression
  constructor: (identifier) @call.name
  arguments: (arguments)? @call.args) @reference.new
(new_expression
  constructor: (member_expression object: (_) @call.receiver property: (property_identifier) @call.name)
  arguments: (arguments)? @call.args) @reference.new

; ES imports: import d from 'm'; import {a as b} from 'm'; import * as ns from 'm'
; (a namespace import and a whole-module require carry @import.wildcard: name "*")
(import_statement
  (import_clause (identifier) @import.alias)
  source: (string) @import.module) @import
(import_statement
  (import_clause (named_imports (import_specifier name: (_) @import.name alias: (_)? @import.alias)))
  source: (string) @import.module) @import
(import_statement
  (import_clause (namespace_import "*" @import.wildcard (identifier) @import.alias))
  source: (string) @import.module) @import
; re-exports: export * from 'm'; export {a as b} from 'm'
(export_statement "*" @import.wildcard source: (string) @import.module) @import
(export_statement
  (export_clause (export_specifier name: (_) @import.name alias: (_)? @import.alias))
  source: (string) @import.module) @import

; CommonJS: const x = require('m'); const {a, b: c} = require('m')
(variable_declarator
  name: (identifier) @import.alias
  value: (call_expression
    function: (identifier) @_req @import.wildcard
    arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @import
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @import.name)
  value: (call_expression
    function: (identifier) @_req
    arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @import
(variable_declarator
  name: (object_pattern (pair_pattern key: (property_identifier) @import.name value: (identifier) @import.alias))
  value: (call_expression
    function: (identifier) @_req
    arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @import

; type facts: const x = new Foo(); this.x = new Foo()
(variable_declarator
  name: (identifier) @binding.name
  value: (new_expression constructor: (identifier) @binding.type)) @binding
(assignment_expression
  left: (member_expression object: (this) @binding.object property: (property_identifier) @binding.name)
  right: (new_expression constructor: (identifier) @binding.type)) @binding

; TypeScript type facts: parameters and variables with a type annotation
(required_parameter pattern: (identifier) @binding.name type: (type_annotation (type_identifier) @binding.type)) @binding
(optional_parameter pattern: (identifier) @binding.name type: (type_annotation (type_identifier) @binding.type)) @binding
(required_parameter (accessibility_modifier) pattern: (identifier) @binding.name type: (type_annotation (type_identifier) @binding.type) (#set! field)) @binding
(variable_declarator name: (identifier) @binding.name type: (type_annotation (type_identifier) @binding.type)) @binding
(public_field_definition name: (property_identifier) @binding.name type: (type_annotation (type_identifier) @binding.type)) @binding

; ---- call-graph facts (read by codemap.index.resolve) ----
; exports are import rows from this very module (module "", level 0): local @import.name
; is exported as @import.alias ("default", "exports" for module.exports, or a new name)
(export_statement "default" @import.alias
  declaration: [(function_declaration name: (identifier) @import.name)
                (generator_function_declaration name: (identifier) @import.name)
                (class_declaration name: (type_identifier) @import.name)
                (abstract_class_declaration name: (type_identifier) @import.name)]) @import
(export_statement "default" @import.alias value: (identifier) @import.name) @import
(export_statement
  (export_clause (export_specifier name: (identifier) @import.name alias: (_) @import.alias))
  !source) @import
(expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_m property: (property_identifier) @import.alias)
  right: [(identifier) @import.name
          (class name: (type_identifier) @import.name)
          (function_expression name: (identifier) @import.name)])
  (#eq? @_m "module") (#eq? @import.alias "exports")) @import
(expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_m property: (property_identifier) @_e)
  right: (object (pair key: (property_identifier) @import.alias value: (identifier) @import.name)))
  (#eq? @_m "module") (#eq? @_e "exports")) @import
(expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_m property: (property_identifier) @import.alias)
  right: (identifier) @import.name)
  (#eq? @_m "exports")) @import
; import fs = require('fs')
(import_statement
  (import_require_clause (identifier) @import.alias "require" @import.wildcard
    source: (string) @import.module)) @import

; type facts: const x = new ns.Foo(); const x = make(); generic annotations (Map<K, V>)
(variable_declarator
  name: (identifier) @binding.name
  value: (new_expression constructor: (member_expression) @binding.type)) @binding
(variable_declarator
  name: (identifier) @binding.name
  value: (call_expression function: [(identifier) (member_expression)] @binding.type)) @binding
(public_field_definition name: (property_identifier) @binding.name
  type: (type_annotation (generic_type) @binding.type)) @binding
(required_parameter pattern: (identifier) @binding.name
  type: (type_annotation (generic_type) @binding.type)) @binding
; a callable's result type: a binding named after the callable, in its own scope
(function_declaration name: (identifier) @binding.name
  return_type: (type_annotation [(type_identifier) (generic_type)] @binding.type)) @binding
(method_definition name: (property_identifier) @binding.name
  return_type: (type_annotation [(type_identifier) (generic_type)] @binding.type)) @binding
; aliases: const f = g; this.x = y (@binding.value: the name holds what the other name holds)
(variable_declarator name: (identifier) @binding.name value: [(identifier) (member_expression)] @binding.value) @binding
(assignment_expression
  left: (member_expression object: (this) @binding.object property: (property_identifier) @binding.name)
  right: [(identifier) (member_expression)] @binding.value) @binding
; x = new Foo() (an assignment, not a declaration)
(assignment_expression left: (identifier) @binding.name
  right: (new_expression constructor: [(identifier) (member_expression)] @binding.type)) @binding
; getters: reading the property runs them (a class-body binding of type "get")
(class_body (method_definition "get" @binding.type name: (property_identifier) @binding.name)) @binding
; property reads: obj.prop runs a getter when prop is one (calls win over reads)
(member_expression object: [(identifier) (this) (member_expression)] @call.receiver
  property: (property_identifier) @call.name) @reference.attr
