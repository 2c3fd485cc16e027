; codemap tags for JavaScript (ES modules, CommonJS, JSX). Vocabulary: codemap/lang/__init__.py.
; inherits: javascript/tags-ecmascript

(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (identifier) @name) @definition.class
(class name: (identifier) @name) @definition.class
(class_declaration name: (identifier) @name (class_heritage (_) @class.base)) @definition.class
; class fields holding a function (TypeScript: public_field_definition)
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name
  value: [(arrow_function) (function_expression)]) @definition.method

; ---- call-graph facts (read by codemap.index.resolve) ----
; exports are import rows from this very module (module "", level 0): local @import.name
; is exported as @import.alias ("default", "exports" for module.exports, or a new name)
(export_statement "default" @import.alias
  declaration: [(function_declaration name: (identifier) @import.name)
                (generator_function_declaration name: (identifier) @import.name)
                (class_declaration name: (identifier) @import.name)]) @import
(export_statement "default" @import.alias value: (identifier) @import.name) @import
(export_statement
  (export_clause (export_specifier name: (identifier) @import.name alias: (_) @import.alias))
  !source) @import
(expression_statement (assignment_expression
  left: (member_expression object: (identifier) @_m property: (property_identifier) @import.alias)
  right: [(identifier) @import.name
          (class name: (identifier) @import.name)
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

; type facts: const x = new ns.Foo(); const x = make() (typed when make's result type is known)
(variable_declarator
  name: (identifier) @binding.name
  value: (new_expression constructor: (member_expression) @binding.type)) @binding
(variable_declarator
  name: (identifier) @binding.name
  value: (call_expression function: [(identifier) (member_expression)] @binding.type)) @binding
; aliases: const f = g; this.x = y (@binding.value: the name holds what the other name holds)
(variable_declarator name: (identifier) @binding.name value: [(identifier) (member_expression)] @binding.value) @binding
(assignment_expression
  left: (member_expression object: (this) @binding.object property: (property_identifier) @binding.name)
  right: [(identifier) (member_expression)] @binding.value) @binding
; a class field typed by its initializer: repo = new Repo() (this.repo.find() is Repo.find)
(field_definition property: (property_identifier) @binding.name
  value: (new_expression constructor: (identifier) @binding.type)) @binding
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
