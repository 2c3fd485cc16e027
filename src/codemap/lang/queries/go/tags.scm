; codemap tags for Go. Vocabulary: codemap/lang/__init__.py.

(package_clause (package_identifier) @name) @package

; binding.params: the parameter list is also a binding named after the definition, valued
; "(...)": its arity (an interface method call reaches only implementations that fit it)
(function_declaration name: (identifier) @name
  (#set! binding.params "parameters")) @definition.function
(method_declaration
  receiver: (parameter_list (parameter_declaration type: (_) @receiver))
  name: (field_identifier) @name
  (#set! binding.params "parameters")) @definition.method
; types: the spec is the definition, so each type of a `type ( ... )` group gets its
; own range; named non-struct types (type Status int, type HandlerFunc func()) can
; have methods too. Aliases (type A = B) are not definitions.
(type_spec name: (type_identifier) @name type: (struct_type)) @definition.class
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec
  name: (type_identifier) @name
  type: [(type_identifier) (qualified_type) (generic_type) (function_type) (map_type)
         (slice_type) (array_type) (pointer_type) (channel_type)]) @definition.class
; embedded types are the bases of a struct / interface
(type_spec name: (type_identifier) @name
  type: (struct_type (field_declaration_list (field_declaration . type: [(type_identifier) (qualified_type) (pointer_type)] @class.base .)))) @definition.class
; f := func() {...}
(short_var_declaration
  left: (expression_list . (identifier) @name .)
  right: (expression_list . (func_literal) .)) @definition.lambda

(call_expression
  function: (identifier) @call.name
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (selector_expression operand: (_) @call.receiver field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (index_expression operand: (identifier) @call.name)
  arguments: (argument_list) @call.args) @reference.call

(import_spec name: (_) @import.alias path: (_) @import.module) @import
(import_spec !name path: (_) @import.module) @import

; type facts: x := T{...} / &T{...} / NewT() is left to the resolver; params and vars with types
(short_var_declaration
  left: (expression_list . (identifier) @binding.name)
  right: (expression_list . [(composite_literal type: (type_identifier) @binding.type)
                             (unary_expression operand: (composite_literal type: (type_identifier) @binding.type))])) @binding
(parameter_declaration name: (identifier) @binding.name type: [(type_identifier) (pointer_type [(type_identifier) (qualified_type)]) (qualified_type) (slice_type)] @binding.type) @binding
(var_spec name: (identifier) @binding.name type: [(type_identifier) (pointer_type [(type_identifier) (qualified_type)]) (qualified_type) (slice_type)] @binding.type) @binding
; xs ...T: the parameter is a []T (its element type is what the grammar names)
(variadic_parameter_declaration name: (identifier) @binding.name type: [(type_identifier) (pointer_type (type_identifier)) (qualified_type)] @binding.type) @binding
; for _, x := range xs: x holds an element of xs (a []T stands for its elements: "[]" in
; the type wrappers of Go's table)
(range_clause
  left: (expression_list . (_) . (identifier) @binding.name)
  right: [(identifier) (selector_expression)] @binding.value) @binding

; ---- call-graph facts (read by codemap.index.resolve) ----
; struct fields: bindings in the struct's scope
(field_declaration name: (field_identifier) @binding.name
  type: [(type_identifier) (pointer_type) (qualified_type) (slice_type)] @binding.type) @binding
; x := f() / var x = f() / var x = T{}: typed when f's result type is known
(short_var_declaration
  left: (expression_list . (identifier) @binding.name)
  right: (expression_list . (call_expression function: [(identifier) (selector_expression)] @binding.type))) @binding
(var_spec name: (identifier) @binding.name
  value: (expression_list . [(composite_literal type: (type_identifier) @binding.type)
                             (unary_expression operand: (composite_literal type: (type_identifier) @binding.type))
                             (call_expression function: [(identifier) (selector_expression)] @binding.type)])) @binding
; a callable's result type (the first result): a binding named after the callable, in its own scope
(function_declaration name: (identifier) @binding.name
  result: [(type_identifier) (pointer_type) (qualified_type)] @binding.type) @binding
(function_declaration name: (identifier) @binding.name
  result: (parameter_list . (parameter_declaration type: [(type_identifier) (pointer_type) (qualified_type)] @binding.type))) @binding
(method_declaration name: (field_identifier) @binding.name
  result: [(type_identifier) (pointer_type) (qualified_type)] @binding.type) @binding
(method_declaration name: (field_identifier) @binding.name
  result: (parameter_list . (parameter_declaration type: [(type_identifier) (pointer_type) (qualified_type)] @binding.type))) @binding
