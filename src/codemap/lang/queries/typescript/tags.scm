; codemap tags for TypeScript (and TSX). Vocabulary: codemap/lang/__init__.py.
; inherits: javascript/tags-ecmascript

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
; class fields holding a function (JavaScript: field_definition)
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name
  value: [(arrow_function) (function_expression)]) @definition.method

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
; a class field typed by its initializer: private readonly billing = new BillingService()
(public_field_definition name: (property_identifier) @binding.name
  value: (new_expression constructor: (identifier) @binding.type)) @binding
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
; this[kRun](...): a call of the computed-name method kRun (other subscripts index data)
(call_expression
  function: (subscript_expression object: (this) @call.receiver
    index: [(identifier) (member_expression)] @call.name)
  arguments: (arguments) @call.args) @reference.call
