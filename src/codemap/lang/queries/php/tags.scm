; codemap tags for PHP. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "php"): Ns\Klass->method, Ns\Klass::staticMethod, Ns\function,
; as PHP stack traces print frames. The `static` modifier of a method is
; captured as its @receiver. Attributes (#[Route]) are part of the declarations.

(namespace_definition name: (namespace_name) @name) @package

; types
(class_declaration name: (name) @name) @definition.class
(class_declaration name: (name) @name (base_clause [(name) (qualified_name)] @class.base)) @definition.class
(class_declaration name: (name) @name (class_interface_clause [(name) (qualified_name)] @class.base)) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.trait
(enum_declaration name: (name) @name) @definition.enum

; functions, methods (static ones carry a receiver), closures bound to variables
(function_definition name: (name) @name) @definition.function
(method_declaration (static_modifier)? @receiver name: (name) @name) @definition.method
(expression_statement
  (assignment_expression
    left: (variable_name (name) @name)
    right: [(anonymous_function) (arrow_function)])) @definition.lambda

; calls: f(), Ns\f(), $obj->m(), $obj?->m(), Klass::m(), parent::m(), new Klass()
(function_call_expression
  function: [(name) @call.name (qualified_name) @call.name (variable_name (name) @call.name)]
  arguments: (arguments) @call.args) @reference.call
(member_call_expression
  object: (_) @call.receiver
  name: (name) @call.name
  arguments: (arguments) @call.args) @reference.call
(nullsafe_member_call_expression
  object: (_) @call.receiver
  name: (name) @call.name
  arguments: (arguments) @call.args) @reference.call
(scoped_call_expression
  scope: (_) @call.receiver
  name: (name) @call.name
  arguments: (arguments) @call.args) @reference.call
(object_creation_expression
  [(name) (qualified_name)] @call.name
  (arguments)? @call.args) @reference.new

; use App\Models\User; use App\Models\User as U; use App\Models\{Post, Comment as C};
(namespace_use_declaration
  (namespace_use_clause !alias [(qualified_name) (name)] @import.module)) @import
(namespace_use_declaration
  (namespace_use_clause [(qualified_name) (name)] @import.module . alias: (name) @import.alias)) @import
(namespace_use_declaration
  (namespace_name) @import.module
  body: (namespace_use_group
    (namespace_use_clause . (name) @import.name . alias: (name)? @import.alias))) @import
; require_once __DIR__ . '/x.php' is left out; plain strings are imports
(expression_statement
  [(require_expression (string (string_content) @import.module))
   (require_once_expression (string (string_content) @import.module))
   (include_expression (string (string_content) @import.module))
   (include_once_expression (string (string_content) @import.module))]) @import

; type facts: $x = new Klass(); typed parameters
(assignment_expression
  left: (variable_name (name) @binding.name)
  right: (object_creation_expression [(name) (qualified_name)] @binding.type)) @binding
(simple_parameter
  type: (named_type [(name) (qualified_name)] @binding.type)
  name: (variable_name (name) @binding.name)) @binding
(property_promotion_parameter
  type: (named_type [(name) (qualified_name)] @binding.type)
  name: (variable_name (name) @binding.name)) @binding
