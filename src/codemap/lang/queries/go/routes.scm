; codemap routes for Go: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls are
; routes is decided by the framework tables (codemap/endpoints/frameworks.py).

; calls: http.HandleFunc(...), r.Get(...), chi.NewRouter(), api.Group("/v1")
(call_expression
  function: (selector_expression operand: (_) @call.object field: (field_identifier) @call.verb)
  arguments: (argument_list) @call.args) @route.call
(call_expression function: (identifier) @call.verb arguments: (argument_list) @call.args) @route.call

; assignments: r := chi.NewRouter(); var api = r.Group("/api"); prefix = "/v1"
(short_var_declaration
  left: (expression_list . (identifier) @assign.name)
  right: (expression_list . (_) @assign.value)) @route.assign
(assignment_statement
  left: (expression_list . (identifier) @assign.name)
  right: (expression_list . (_) @assign.value)) @route.assign
(var_spec name: (identifier) @assign.name value: (expression_list . (_) @assign.value)) @route.assign
(const_spec name: (identifier) @assign.name value: (expression_list . (_) @assign.value)) @route.assign

; imports: "net/http", chi "github.com/go-chi/chi/v5"
(import_spec name: (_)? @import.alias path: (_) @import.module) @route.import

; scopes: functions whose parameters can be routers (func(r chi.Router) {...})
(function_declaration name: (identifier) @scope.name parameters: (parameter_list) @scope.params) @route.scope
(method_declaration name: (field_identifier) @scope.name parameters: (parameter_list) @scope.params) @route.scope
(func_literal parameters: (parameter_list) @scope.params) @route.scope
