; codemap tags for Kotlin. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "package"): pkg.Class.method, pkg.Object.method,
; pkg.Class.Companion.method for a named companion; members of an unnamed
; companion belong to the class (the JVM prints Class$Companion.m or, with
; @JvmStatic, Class.m). Top-level functions (extension functions too) are
; pkg.function: the JVM file class (FileKt) is not part of the qualname.
; Annotations sit in the declarations' modifiers, inside their ranges.

(package_header [(qualified_identifier) (identifier)] @name) @package

; classes, interfaces, enum classes, objects, named companion objects
(class_declaration name: (identifier) @name) @definition.class
(class_declaration
  name: (identifier) @name
  (delegation_specifiers
    (delegation_specifier [(constructor_invocation (user_type) @class.base) (user_type) @class.base]))) @definition.class
(object_declaration name: (identifier) @name) @definition.class
(companion_object name: (identifier) @name) @definition.class

; functions (methods inside classes and objects), secondary constructors (named
; after their class, as in Java), properties with a getter or setter body
(function_declaration name: (identifier) @name) @definition.function
(class_declaration name: (identifier) @name (class_body (secondary_constructor) @definition.constructor))
(property_declaration
  (variable_declaration (identifier) @name)
  [(getter (function_body)) (setter (function_body))]) @definition.method

; lambdas and anonymous functions bound to properties: val f = { x: Int -> x }
(property_declaration
  (variable_declaration (identifier) @name)
  [(lambda_literal) (anonymous_function)]) @definition.lambda

; calls: f(x), f { }, obj.m(x), obj?.m(x), obj.m { }
(call_expression . (identifier) @call.name (value_arguments) @call.args) @reference.call
(call_expression . (identifier) @call.name . (annotated_lambda)) @reference.call
(call_expression
  . (navigation_expression . (_) @call.receiver . (identifier) @call.name .)
  (value_arguments) @call.args) @reference.call
(call_expression
  . (navigation_expression . (_) @call.receiver . (identifier) @call.name .)
  . (annotated_lambda)) @reference.call

; import a.b.C; import a.b.C as D; import a.b.*
(import (qualified_identifier) @import.module .) @import
(import (qualified_identifier) @import.module . (identifier) @import.alias) @import
(import (qualified_identifier) @import.module "*" @import.wildcard) @import

; type facts: val x: Foo = ..., parameters, constructor properties
(property_declaration
  (variable_declaration (identifier) @binding.name (user_type . (identifier) @binding.type))) @binding
(parameter (identifier) @binding.name (user_type . (identifier) @binding.type)) @binding
(class_parameter (identifier) @binding.name (user_type . (identifier) @binding.type)) @binding
