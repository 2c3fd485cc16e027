; codemap tags for C. Vocabulary: codemap/lang/__init__.py.
; Qualnames (style "c"): a function is its bare name, as C backtraces print it.
; Only definitions with bodies are symbols (not prototypes or forward declarations).

; functions: f(), *f(), **f()
(function_definition
  declarator: [(function_declarator declarator: (identifier) @name)
               (pointer_declarator declarator: (function_declarator declarator: (identifier) @name))
               (pointer_declarator declarator: (pointer_declarator declarator: (function_declarator declarator: (identifier) @name)))]) @definition.function

; struct / union / enum with a body, and typedefs of anonymous ones
(struct_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(union_specifier name: (type_identifier) @name body: (field_declaration_list)) @definition.struct
(enum_specifier name: (type_identifier) @name body: (enumerator_list)) @definition.enum
(type_definition
  type: [(struct_specifier !name body: (field_declaration_list))
         (union_specifier !name body: (field_declaration_list))
         (enum_specifier !name body: (enumerator_list))]
  declarator: (type_identifier) @name) @definition.struct

; calls: f(x), obj.fn(x), obj->fn(x)
(call_expression
  function: (identifier) @call.name
  arguments: (argument_list) @call.args) @reference.call
(call_expression
  function: (field_expression argument: (_) @call.receiver field: (field_identifier) @call.name)
  arguments: (argument_list) @call.args) @reference.call

; #include "local.h" (module: local.h) / #include <stdio.h> (module: <stdio.h>)
(preproc_include path: (string_literal (string_content) @import.module)) @import
(preproc_include path: (system_lib_string) @import.module) @import
