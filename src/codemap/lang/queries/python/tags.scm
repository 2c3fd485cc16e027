; codemap tags for Python. Capture vocabulary: see codemap/lang/__init__.py.

(class_definition
  name: (identifier) @name) @definition.class

(class_definition
  name: (identifier) @name
  superclasses: (argument_list [(identifier) (attribute)] @class.base)) @definition.class

; binding.params: the function's parameter list is also a binding named after the function,
; valued "(...)" (read as a binding.value), which tells parameters apart from other unknown
; names; set here rather than as a pattern of its own, which would cost a match per function
(function_definition
  name: (identifier) @name
  (#set! binding.params "parameters")) @definition.function

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
; x[k] = v runs x.__setitem__ and del x[k] x.__delitem__, not the __getitem__ above: a site
; named by its pattern (call.name) replaces the one found at the same name ("[")
(assignment
  left: (subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name)
  (#set! call.name "[]=")) @reference.protocol
(assignment
  left: [(pattern_list (subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name))
         (tuple_pattern (subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name))]
  (#set! call.name "[]=")) @reference.protocol
(delete_statement
  [(subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name)
   (expression_list (subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name))]
  (#set! call.name "del[]")) @reference.protocol
; x[k] += v reads the item and stores it back: __setitem__ besides the __getitem__
(augmented_assignment
  left: (subscript value: [(identifier) (attribute)] @call.receiver "]" @call.name)
  (#set! call.name "[]=")) @reference.protocol
; operators run the left operand's dunder method: a + b, a | b, a == b, ~a, a += b
(binary_operator left: [(identifier) (attribute) (call)] @call.receiver operator: _ @call.name) @reference.protocol
(comparison_operator . [(identifier) (attribute) (call)] @call.receiver operators: _ @call.name) @reference.protocol
(unary_operator operator: "~" @call.name argument: [(identifier) (attribute) (call)] @call.receiver) @reference.protocol
(augmented_assignment left: [(identifier) (attribute)] @call.receiver operator: _ @call.name) @reference.protocol
; a function ending in return Foo(...): its result is what calling Foo gives
(function_definition name: (identifier) @binding.name
  body: (block (return_statement (call function: [(identifier) (attribute)] @binding.type)))) @binding
; ---- added by recall work ----
; a callable handed to a builtin that calls it (map, sorted(key=...), reduce...) runs from
; this frame: it is a call of that callable here
(call function: [(identifier) @_hof (attribute attribute: (identifier) @_hof)]
  arguments: (argument_list . [(identifier) @call.name
                               (attribute object: (_) @call.receiver attribute: (identifier) @call.name)])
  (#any-of? @_hof "map" "filter" "reduce" "starmap" "takewhile" "dropwhile" "filterfalse")) @reference.call
(call function: [(identifier) @_hof (attribute attribute: (identifier) @_hof)]
  arguments: (argument_list (keyword_argument name: (identifier) @_kw
    value: [(identifier) @call.name
            (attribute object: (_) @call.receiver attribute: (identifier) @call.name)]))
  (#any-of? @_hof "sorted" "sort" "min" "max" "groupby" "nsmallest" "nlargest" "merge")
  (#eq? @_kw "key")) @reference.call
; x = partial(f, ...): calling x calls f; x = a if c else b: x holds a or b
(assignment left: (identifier) @binding.name
  right: (call function: [(identifier) @_p (attribute attribute: (identifier) @_p)]
    arguments: (argument_list . [(identifier) (attribute)] @binding.value))
  (#eq? @_p "partial")) @binding
(assignment left: (identifier) @binding.name
  right: (conditional_expression [(identifier) (attribute)] @binding.value)) @binding
; def f(x=default): x holds the default value (a callable, a class) unless told otherwise
(default_parameter name: (identifier) @binding.name value: [(identifier) (attribute)] @binding.value) @binding
(typed_default_parameter name: (identifier) @binding.name value: [(identifier) (attribute)] @binding.value) @binding
; (a function's parameter list is a binding too: see binding.params at the top)
; names passed as arguments: a binding named by the argument list ("(...)"), object the called
; expression, value the argument; a parameter holds what the call sites pass for it
(call function: [(identifier) (attribute)] @binding.object
  arguments: (argument_list [(identifier) (attribute)] @binding.value) @binding.name) @binding
(call function: [(identifier) (attribute)] @binding.object
  arguments: (argument_list (keyword_argument value: [(identifier) (attribute)] @binding.value)) @binding.name) @binding
; class constants: a class-body name bound to a literal is a plain attribute (no getter runs)
(class_definition body: (block (expression_statement (assignment left: (identifier) @binding.name
  right: [(string) (concatenated_string) (integer) (float) (true) (false) (none) (tuple) (list)
          (dictionary) (set)] @binding.value)))) @binding
; decorated classes: their decorators, like those of functions (binding object "@")
(decorated_definition
  (decorator "@" @binding.object [(identifier) (attribute) (call)] @binding.type)
  definition: (class_definition name: (identifier) @binding.name)) @binding
; class C(metaclass=M): a binding "metaclass" in the class's own scope, valued M
(class_definition superclasses: (argument_list (keyword_argument name: (identifier) @binding.name
  value: [(identifier) (attribute)] @binding.value)) (#eq? @binding.name "metaclass")) @binding
; dispatch tables: NAME = {key: f, ...} gives a binding of NAME per value, object "{";
; TABLE[key](...) is a call named "[" through the table (see codemap.index.tables)
(assignment left: (identifier) @binding.name
  right: (dictionary "{" @binding.object (pair value: [(identifier) (attribute)] @binding.value))) @binding
(call function: (subscript value: [(identifier) (attribute)] @call.receiver "[" @call.name)
  arguments: (argument_list) @call.args) @reference.call
