; codemap tags for Java. Vocabulary: codemap/lang/__init__.py.

(package_declaration [(scoped_identifier) (identifier)] @name) @package

(class_declaration name: (identifier) @name) @definition.class
(class_declaration name: (identifier) @name superclass: (superclass (_) @class.base)) @definition.class
(class_declaration name: (identifier) @name interfaces: (super_interfaces (type_list (_) @class.base))) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(interface_declaration name: (identifier) @name (extends_interfaces (type_list (_) @class.base))) @definition.interface
(enum_declaration name: (identifier) @name) @definition.enum
; a constant with a body is an anonymous subclass (javac's Status$1): its methods are
; Status.SHIPPED.next, not a fourth Status.next
(enum_declaration name: (identifier) @class.base
  body: (enum_body (enum_constant name: (identifier) @name body: (class_body)) @definition.class))
(record_declaration name: (identifier) @name) @definition.class
; a record's components are its accessor methods (order.id()): javac writes them, and their
; frames print the record header's line
(record_declaration
  parameters: (formal_parameters (formal_parameter name: (identifier) @name) @definition.method))
(annotation_type_declaration name: (identifier) @name) @definition.interface
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.constructor
(compact_constructor_declaration name: (identifier) @name) @definition.constructor
(local_variable_declaration
  declarator: (variable_declarator name: (identifier) @name value: (lambda_expression))) @definition.lambda

(method_invocation
  object: (_) @call.receiver
  name: (identifier) @call.name
  arguments: (argument_list) @call.args) @reference.call
(method_invocation
  !object
  name: (identifier) @call.name
  arguments: (argument_list) @call.args) @reference.call
(explicit_constructor_invocation
  constructor: [(super) (this)] @call.name
  arguments: (argument_list) @call.args) @reference.call
(object_creation_expression
  type: [(type_identifier) (scoped_type_identifier) (generic_type)] @call.name
  arguments: (argument_list) @call.args) @reference.new

(import_declaration [(scoped_identifier) (identifier)] @import.module) @import
(import_declaration [(scoped_identifier) (identifier)] @import.module (asterisk) @import.wildcard) @import

(local_variable_declaration
  type: [(type_identifier) (generic_type) (scoped_type_identifier)] @binding.type
  declarator: (variable_declarator name: (identifier) @binding.name)) @binding
(formal_parameter
  type: [(type_identifier) (generic_type) (scoped_type_identifier)] @binding.type
  name: (identifier) @binding.name) @binding
(field_declaration
  type: [(type_identifier) (generic_type) (scoped_type_identifier)] @binding.type
  declarator: (variable_declarator name: (identifier) @binding.name)) @binding

; ---- call-graph facts (read by codemap.index.resolve) ----
; a callable's signature: a binding named after the callable, in its own scope, whose
; type is the result type and whose object is the parameter list (arity for overloads)
(method_declaration type: (_) @binding.type name: (identifier) @binding.name
  parameters: (formal_parameters) @binding.object) @binding
(constructor_declaration name: (identifier) @binding.name @binding.type
  parameters: (formal_parameters) @binding.object) @binding
; var x = new Foo()
(local_variable_declaration
  declarator: (variable_declarator name: (identifier) @binding.name
    value: (object_creation_expression type: (_) @binding.type))) @binding
; method references run the named method from the frame that hands them on: p::price,
; this::check, String::valueOf; Foo::new constructs a Foo
(method_reference . (_) @call.receiver . "::" . (identifier) @call.name .) @reference.call
(method_reference . [(identifier) (type_identifier) (scoped_type_identifier) (generic_type)] @call.name
  . "::" . "new" .) @reference.new
; type parameters of a class or method (<T>, <K extends Comparable<K>>): bindings whose
; object is the parameter list; a type so named is nobody's class (not an outside one)
(type_parameters
  (type_parameter (type_identifier) @binding.name) @binding @binding.type) @binding.object
