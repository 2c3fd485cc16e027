; codemap tags shared by JavaScript and TypeScript (whose grammar extends JavaScript's):
; the patterns both grammars accept as written. Each language's tags.scm inherits this
; file (; inherits: javascript/tags-ecmascript) and adds its own.

(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method
(method_definition name: (string (string_fragment) @name)) @definition.method
; computed names: [kRun]() {} (V8 names its frame "[run]"), [Symbol.iterator]() {}
(method_definition name: (computed_property_name [(identifier) (member_expression)] @name)) @definition.method

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
; Foo.prototype.a = Foo.prototype.b = function () {}: a method of Foo under both names
(assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @receiver property: (property_identifier) @_prototype)
    property: (property_identifier) @name)
  right: (assignment_expression right: [(arrow_function) (function_expression)])
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
