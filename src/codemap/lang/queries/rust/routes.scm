; codemap routes for Rust: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls and
; attributes are routes is decided by the framework tables
; (codemap/endpoints/secondwave.py: axum, actix-web).

; calls: Router::new().route("/x", get(h)), web::scope("/api"), App::new().service(h)
(call_expression
  function: (field_expression value: (_) @call.object field: (field_identifier) @call.verb)
  arguments: (arguments) @call.args) @route.call
(call_expression
  function: (scoped_identifier path: (_) @call.object name: (identifier) @call.verb)
  arguments: (arguments) @call.args) @route.call
(call_expression function: (identifier) @call.verb arguments: (arguments) @call.args) @route.call

; attributes: #[get("/users/{id}")], #[actix_web::post("/x")]
(attribute_item (attribute . (identifier) @call.verb)) @route.decorator
(attribute_item (attribute . (scoped_identifier name: (identifier) @call.verb))) @route.decorator

; assignments: let app = Router::new()...; const PREFIX: &str = "/api";
(let_declaration pattern: (identifier) @assign.name value: (_) @assign.value) @route.assign
(const_item name: (identifier) @assign.name value: (_) @assign.value) @route.assign
(static_item name: (identifier) @assign.name value: (_) @assign.value) @route.assign

; imports: use axum::{routing::get, Router}; use crate::handlers::users; mod handlers;
(use_declaration
  argument: (scoped_identifier path: (_) @import.module name: (identifier) @import.name)) @route.import
(use_declaration
  argument: (use_as_clause
    path: (scoped_identifier path: (_) @import.module name: (identifier) @import.name)
    alias: (identifier) @import.alias)) @route.import
(use_declaration
  argument: (scoped_use_list path: (_) @import.module list: (use_list (identifier) @import.name))) @route.import
(use_declaration
  argument: (scoped_use_list
    path: (_) @import.module
    list: (use_list (scoped_identifier name: (identifier) @import.name)))) @route.import
(use_declaration argument: (use_wildcard . (_) @import.module) @import.wildcard) @route.import
(mod_item name: (identifier) @import.module @import.alias !body) @route.import

; scopes: functions (a `configure` function's parameter is the router), closures
(function_item name: (identifier) @scope.name parameters: (parameters) @scope.params) @route.scope
(closure_expression parameters: (closure_parameters) @scope.params) @route.scope

; returns: a function's tail expression or `return x` (fn api() -> Router { Router::new()... })
(function_item body: (block (_) @return.value .)) @route.return
(return_expression (_) @return.value) @route.return
