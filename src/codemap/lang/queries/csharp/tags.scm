; codemap tags for C#. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "package"): Namespace.Class.Method, as .NET stack traces print
; them (nested types joined with "."). Attributes are part of the declarations.

(file_scoped_namespace_declaration name: (_) @name) @package
(namespace_declaration name: (_) @name) @scope

; types
(class_declaration name: (identifier) @name) @definition.class
(class_declaration name: (identifier) @name (base_list [(identifier) (qualified_name) (generic_name)] @class.base)) @definition.class
(struct_declaration name: (identifier) @name) @definition.class
(struct_declaration name: (identifier) @name (base_list [(identifier) (qualified_name) (generic_name)] @class.base)) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name (base_list [(identifier) (qualified_name) (generic_name)] @class.base)) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(interface_declaration name: (identifier) @name (base_list [(identifier) (qualified_name) (generic_name)] @class.base)) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum

; members: methods, constructors, properties with code (get_X / set_X in traces)
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(property_declaration name: (identifier) @name value: (arrow_expression_clause)) @definition.method
(property_declaration name: (identifier) @name accessors: (accessor_list (accessor_declaration body: (_)))) @definition.method

; local functions and lambdas bound to locals
(local_function_statement name: (identifier) @name) @definition.function
(local_declaration_statement
  (variable_declaration (variable_declarator name: (identifier) @name (lambda_expression)))) @definition.lambda

; calls: F(x), obj.F(x), F<T>(x), obj.F<T>(x), obj?.F(x), : base(x)
(invocation_expression
  function: [(identifier) @call.name (generic_name (identifier) @call.name)]
  arguments: (argument_list) @call.args) @reference.call
(invocation_expression
  function: (member_access_expression
    expression: _ @call.receiver
    name: [(identifier) @call.name (generic_name (identifier) @call.name)])
  arguments: (argument_list) @call.args) @reference.call
(invocation_expression
  function: (conditional_access_expression
    condition: (_) @call.receiver
    (member_binding_expression name: [(identifier) @call.name (generic_name (identifier) @call.name)]))
  arguments: (argument_list) @call.args) @reference.call
(constructor_initializer ["base" "this"] @call.name (argument_list) @call.args) @reference.call
(object_creation_expression
  type: [(identifier) @call.name (qualified_name) @call.name (generic_name (identifier) @call.name)]
  arguments: (argument_list)? @call.args) @reference.new

; using System.Text; using static System.Math; using Json = Newtonsoft.Json;
(using_directive !name [(identifier) (qualified_name)] @import.module) @import
(using_directive name: (identifier) @import.alias . [(identifier) (qualified_name)] @import.module) @import

; type facts: Foo x = ...; var x = new Foo(); parameters
(variable_declaration
  type: [(identifier) (generic_name) (qualified_name)] @binding.type
  (variable_declarator name: (identifier) @binding.name)) @binding
(variable_declaration
  type: (implicit_type)
  (variable_declarator
    name: (identifier) @binding.name
    (object_creation_expression type: [(identifier) (generic_name) (qualified_name)] @binding.type))) @binding
(parameter
  type: [(identifier) (generic_name) (qualified_name)] @binding.type
  name: (identifier) @binding.name) @binding
