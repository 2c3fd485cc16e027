; codemap tags for Rust. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "rust"): crate::module::Type::method, the module path coming
; from the file's place in the crate; `impl` blocks are scopes named after their
; type (trait impls too), inline `mod x { }` blocks are module symbols.

; types
(struct_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.class
(union_item name: (type_identifier) @name) @definition.class
(trait_item name: (type_identifier) @name) @definition.class
(trait_item name: (type_identifier) @name bounds: (trait_bounds [(type_identifier) (scoped_type_identifier) (generic_type)] @class.base)) @definition.class
(mod_item name: (identifier) @name body: (declaration_list)) @definition.module

; impl blocks: impl Type, impl<T> Type<T>, impl Trait for path::Type
(impl_item type: (type_identifier) @name) @scope
(impl_item type: (generic_type type: (type_identifier) @name)) @scope
(impl_item type: (scoped_type_identifier name: (type_identifier) @name)) @scope
(impl_item type: (generic_type type: (scoped_type_identifier name: (type_identifier) @name))) @scope

; functions by where they sit: free functions, methods of impls and traits, nested fns
(source_file (function_item name: (identifier) @name) @definition.function)
(mod_item body: (declaration_list (function_item name: (identifier) @name) @definition.function))
(block (function_item name: (identifier) @name) @definition.function)
(impl_item body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(trait_item body: (declaration_list [(function_item name: (identifier) @name)
                                     (function_signature_item name: (identifier) @name)] @definition.method))

; closures bound to names: let f = |x| ...;
(let_declaration pattern: (identifier) @name value: (closure_expression)) @definition.lambda

; calls: f(x), obj.m(x), Type::f(x), path::f::<T>(x), obj.m::<T>(x)
(call_expression
  function: (identifier) @call.name
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (field_expression value: (_) @call.receiver field: (field_identifier) @call.name)
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (scoped_identifier path: (_) @call.receiver name: (identifier) @call.name)
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (generic_function function: (identifier) @call.name)
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (generic_function function: (field_expression value: (_) @call.receiver field: (field_identifier) @call.name))
  arguments: (arguments) @call.args) @reference.call
(call_expression
  function: (generic_function function: (scoped_identifier path: (_) @call.receiver name: (identifier) @call.name))
  arguments: (arguments) @call.args) @reference.call

; use paths: use a::b::C; use a::b::C as D; use a::b::{C, D as E, self}; use a::b::*; use a;
(use_declaration argument: (scoped_identifier path: (_) @import.module name: (identifier) @import.name)) @import
(use_declaration argument: (identifier) @import.module) @import
(use_declaration argument: (use_as_clause path: (scoped_identifier path: (_) @import.module name: (identifier) @import.name) alias: (identifier) @import.alias)) @import
(use_declaration argument: (use_as_clause path: (identifier) @import.module alias: (identifier) @import.alias)) @import
(use_declaration argument: (use_wildcard (_) @import.module) @import.wildcard) @import
(use_declaration argument: (scoped_use_list path: (_) @import.module list: (use_list [(identifier) (self)] @import.name))) @import
(use_declaration argument: (scoped_use_list path: (_) @import.module list: (use_list (use_as_clause path: (identifier) @import.name alias: (identifier) @import.alias)))) @import
(use_declaration argument: (scoped_use_list path: (_) @import.module list: (use_list (scoped_identifier) @import.name))) @import

; type facts: let x: T = ...; let x = T::new(...); let x = T { .. }
(let_declaration pattern: (identifier) @binding.name type: [(type_identifier) (generic_type) (scoped_type_identifier)] @binding.type) @binding
(let_declaration
  pattern: (identifier) @binding.name
  value: (call_expression function: (scoped_identifier path: [(identifier) (scoped_identifier) (generic_type)] @binding.type name: (identifier) @_new))
  (#any-of? @_new "new" "default" "with_capacity" "from")) @binding
(let_declaration pattern: (identifier) @binding.name value: (struct_expression name: (_) @binding.type)) @binding
