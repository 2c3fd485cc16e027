; codemap tags for C++. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "cpp"): ns::Klass::method. Namespaces are scopes; an
; out-of-line definition (void Foo::bar() {}) captures its qualified declarator
; as the @receiver, so it is named ns::Foo::bar too. `template <...>` lines
; belong to the definition (registry wrapper). Only definitions with bodies count.

(namespace_definition name: [(namespace_identifier) (nested_namespace_specifier)] @name) @scope

; classes, structs, unions, enums with a body; typedefs of anonymous ones
(class_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.class
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @definition.enum
(class_specifier
  name: (type_identifier) @name
  (base_class_clause [(type_identifier) (qualified_identifier) (template_type)] @class.base)) @definition.class
(struct_specifier
  name: (type_identifier) @name
  (base_class_clause [(type_identifier) (qualified_identifier) (template_type)] @class.base)) @definition.struct
(type_definition
  type: [(struct_specifier !name body: (field_declaration_list))
         (union_specifier !name body: (field_declaration_list))
         (enum_specifier !name body: (enumerator_list))]
  declarator: (type_identifier) @name) @definition.struct

; functions and in-class methods: f(), *f(), &f(), ~Klass(), operator==()
(function_definition
  declarator: [(function_declarator
                 declarator: [(identifier) (field_identifier) (destructor_name) (operator_name)] @name)
               (pointer_declarator
                 declarator: (function_declarator
                   declarator: [(identifier) (field_identifier) (operator_name)] @name))
               (reference_declarator
                 (function_declarator
                   declarator: [(identifier) (field_identifier) (operator_name)] @name))]) @definition.function

; out-of-line definitions: Klass::m(), ns::Klass::m(), Stack<T>::pop(), a::b::C::~C()
(function_definition
  declarator: [(function_declarator
                 declarator: (qualified_identifier
                   name: [(identifier) (destructor_name) (operator_name)] @name) @receiver)
               (pointer_declarator
                 declarator: (function_declarator
                   declarator: (qualified_identifier
                     name: [(identifier) (operator_name)] @name) @receiver))
               (reference_declarator
                 (function_declarator
                   declarator: (qualified_identifier
                     name: [(identifier) (operator_name)] @name) @receiver))]) @definition.method
(function_definition
  declarator: [(function_declarator
                 declarator: (qualified_identifier
                   name: (qualified_identifier
                     name: [(identifier) (destructor_name) (operator_name)] @name)) @receiver)
               (pointer_declarator
                 declarator: (function_declarator
                   declarator: (qualified_identifier
                     name: (qualified_identifier name: [(identifier) (operator_name)] @name)) @receiver))
               (reference_declarator
                 (function_declarator
                   declarator: (qualified_identifier
                     name: (qualified_identifier name: [(identifier) (operator_name)] @name)) @receiver))]) @definition.method
(function_definition
  declarator: (function_declarator
    declarator: (qualified_identifier
      name: (qualified_identifier
        name: (qualified_identifier
          name: [(identifier) (destructor_name) (operator_name)] @name))) @receiver)) @definition.method

; lambdas bound to names: auto f = [](int x) { ... };
(declaration
  declarator: (init_declarator declarator: (identifier) @name value: (lambda_expression))) @definition.lambda

; calls: f(x), obj.m(x), ptr->m(x), Klass::m(x), ns::Klass::m(x), f<T>(x), new Klass(x)
(call_expression
  function: [(identifier) @call.name (template_function name: (identifier) @call.name)]
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (field_expression
    argument: (_) @call.receiver
    field: [(field_identifier) @call.name (template_method name: (field_identifier) @call.name)])
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (qualified_identifier
    scope: (_) @call.receiver
    name: [(identifier) @call.name (template_function name: (identifier) @call.name)])
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (qualified_identifier
    name: (qualified_identifier
      scope: (_) @call.receiver
      name: [(identifier) @call.name (template_function name: (identifier) @call.name)]))
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (qualified_identifier
    name: (qualified_identifier
      name: (qualified_identifier
        scope: (_) @call.receiver
        name: [(identifier) @call.name (template_function name: (identifier) @call.name)])))
  arguments: (argument_list) @call.args) @reference.call
(new_expression
  type: [(type_identifier) @call.name
         (template_type name: (type_identifier) @call.name)
         (qualified_identifier name: [(type_identifier) @call.name
                                      (template_type name: (type_identifier) @call.name)])
         (qualified_identifier name: (qualified_identifier name: [(type_identifier) @call.name
                                      (template_type name: (type_identifier) @call.name)]))]
  arguments: (argument_list)? @call.args) @reference.new

; #include "local.h" (module: local.h) / #include <vector> (module: <vector>)
(preproc_include path: (string_literal (string_content) @import.module)) @import
(preproc_include path: (system_lib_string) @import.module) @import

; type facts: Klass x; Klass x(...); Klass* p = ...; parameters
(declaration
  type: [(type_identifier) (qualified_identifier) (template_type)] @binding.type
  declarator: [(identifier) @binding.name
               (init_declarator declarator: (identifier) @binding.name)
               (init_declarator declarator: (pointer_declarator declarator: (identifier) @binding.name))]) @binding
(parameter_declaration
  type: [(type_identifier) (qualified_identifier) (template_type)] @binding.type
  declarator: [(identifier) @binding.name
               (reference_declarator (identifier) @binding.name)
               (pointer_declarator declarator: (identifier) @binding.name)]) @binding
