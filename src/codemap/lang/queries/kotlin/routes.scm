; codemap routes for Kotlin: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which annotations and
; calls are routes is decided by the framework tables (Spring in
; codemap/endpoints/frameworks.py, Ktor in codemap/endpoints/secondwave.py).

; annotations: @RestController, @RequestMapping("/users"), @GetMapping("/{id}")
(annotation) @route.decorator

; calls: routing { }, route("/api") { }, get("/x") { }, app.get(...)
(call_expression . (identifier) @call.verb) @route.call
(call_expression . (navigation_expression . (_) @call.object . (identifier) @call.verb .)) @route.call
(call_expression . (call_expression . (identifier) @call.verb) . (annotated_lambda)) @route.call
(call_expression
  . (call_expression . (navigation_expression . (_) @call.object . (identifier) @call.verb .))
  . (annotated_lambda)) @route.call

; assignments: const val PREFIX = "/api"
(property_declaration (variable_declaration (identifier) @assign.name) "=" (_) @assign.value) @route.assign

; imports: import io.ktor.server.routing.*
(import (qualified_identifier) @import.module) @route.import

; scopes: lambdas (their calls register on the enclosing route), functions; an extension
; function's receiver type is an implicit parameter (fun Route.userRoutes() { ... })
(lambda_literal) @route.scope
(function_declaration name: (identifier) @scope.name (function_value_parameters) @scope.params) @route.scope
(function_declaration (user_type) @scope.receiver . "." . name: (identifier) @scope.name) @route.scope

; classes: controllers
(class_declaration name: (identifier) @class.name) @route.class

; a JAX-RS sub-resource locator: @Path("{id}/lines") fun lines(): LinesResource hands the rest
; of the request to the class it returns, recorded as its receiver (as Java's methods are)
(function_declaration
  (modifiers (annotation (constructor_invocation (user_type (identifier) @_annotation .))))
  name: (identifier) @scope.name
  (function_value_parameters) @scope.params . ":" . (user_type) @scope.receiver
  (#eq? @_annotation "Path")) @route.scope
