; codemap tags for Python. Capture vocabulary: see codemap/lang/__init__.py.

(class_definition
  name: (identifier) @name) @definition.class

(class_definition
  name: (identifier) @name
  superclasses: (argument_list [(identifier) (attribute)] @class.base)) @definition.class

(function_definition
  name: (identifier) @name) @definition.function

; f = lambda ...: a lambda bound to a name
(assignment
  left: (identifier) @name
  right: (lambda) @definition.lambda)

; calls: f(), obj.m(), a.b.c()
(call
  function: (identifier) @call.name
  arguments: (argument_list) @call.args) @reference.call

(call
  function: (attribute
    object: (_) @call.receiver
    attribute: (identifier) @call.name)
  arguments: (argument_list) @call.args) @reference.call

; decorators are calls of the decorator (when not already a call)
(decorator (identifier) @call.name) @reference.call
(decorator (attribute object: (_) @call.receiver attribute: (identifier) @call.name)) @reference.call

; imports
(import_statement
  name: (dotted_name) @import.module) @import

(import_statement
  name: (aliased_import
    name: (dotted_name) @import.module
    alias: (identifier) @import.alias)) @import

(import_from_statement
  module_name: (_) @import.module
  name: (dotted_name) @import.name) @import

(import_from_statement
  module_name: (_) @import.module
  name: (aliased_import
    name: (dotted_name) @import.name
    alias: (identifier) @import.alias)) @import

(import_from_statement
  module_name: (_) @import.module
  (wildcard_import) @import.wildcard) @import

; simple local type facts for call resolution: x = Foo(...), x: Foo, def f(x: Foo)
(assignment
  left: (identifier) @binding.name
  right: (call function: [(identifier) (attribute)] @binding.type)) @binding

(assignment
  left: (attribute object: (identifier) @binding.object attribute: (identifier) @binding.name)
  right: (call function: [(identifier) (attribute)] @binding.type)) @binding

(assignment
  left: (identifier) @binding.name
  type: (type) @binding.type) @binding

(typed_parameter
  (identifier) @binding.name
  type: (type) @binding.type) @binding

(typed_default_parameter
  name: (identifier) @binding.name
  type: (type) @binding.type) @binding

; ---- call-graph facts (read by codemap.index.resolve) ----
; a callable's result type: a binding named after the callable, in its own scope
(function_definition name: (identifier) @binding.name return_type: (type) @binding.type) @binding
; self.x: Foo = ...
(assignment
  left: (attribute object: (identifier) @binding.object attribute: (identifier) @binding.name)
  type: (type) @binding.type) @binding
; with Foo() as x:
(with_statement (with_clause (with_item value: (as_pattern
  (call function: [(identifier) (attribute)] @binding.type)
  alias: (as_pattern_target (identifier) @binding.name))))) @binding
; attribute reads: obj.attr runs a getter when attr is a property (calls win over reads)
(attribute object: [(identifier) (attribute)] @call.receiver attribute: (identifier) @call.name) @reference.attr
; with x: / with x as y: the value's __enter__ and __exit__ run
(with_item value: [(identifier) (attribute) (call)] @call.name) @reference.enter
(with_item value: (as_pattern . [(identifier) (attribute) (call)] @call.name)) @reference.enter
; decorators: a binding of the decorated name whose object is "@" and whose type is the
; decorator expression (properties, and wrappers that calls go through)
(decorated_definition
  (decorator "@" @binding.object [(identifier) (attribute) (call)] @binding.type)
  definition: (function_definition name: (identifier) @binding.name)) @binding
; a function returning a name (a decorator returning its wrapper, a factory its closure)
(function_definition name: (identifier) @binding.name
  body: (block (return_statement (identifier) @binding.value))) @binding
; aliases: x = y, self.x = y (@binding.value: the name holds what the other name holds)
(assignment left: (identifier) @binding.name right: [(identifier) (attribute)] @binding.value) @binding
(assignment
  left: (attribute object: (identifier) @binding.object attribute: (identifier) @binding.name)
  right: [(identifier) (attribute)] @binding.value) @binding
; protocol uses: next(x), len(x), str(x)... run x's dunder method; so do for-loops and x[k]
(call function: (identifier) @call.name
  arguments: (argument_list . [(identifier) (attribute) (call)] @call.receiver)
  (#any-of? @call.name "next" "iter" "len" "str" "repr" "bool" "hash" "reversed")) @reference.protocol
(for_statement "for" @call.name right: [(identifier) (attribute) (call)] @call.receiver) @reference.protocol
(for_in_clause "for" @call.name right: [(identifier) (attribute) (call)] @call.receiver) @reference.protocol
(subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name) @reference.protocol
; operators run the left operand's dunder method: a + b, a | b, a == b, ~a, a += b
(binary_operator left: [(identifier) (attribute) (call)] @call.receiver operator: _ @call.name) @reference.protocol
(comparison_operator . [(identifier) (attribute) (call)] @call.receiver operators: _ @call.name) @reference.protocol
(unary_operator operator: "~" @call.name argument: [(identifier) (attribute) (call)] @call.receiver) @reference.protocol
(augmented_assignment left: [(identifier) (attribute)] @call.receiver operator: _ @call.name) @reference.protocol
; a function ending in return Foo(...): its result is what calling Foo gives
(function_definition name: (identifier) @binding.name
  body: (block (return_statement (call function: [(identifier) (attribute)] @binding.type)))) @binding
