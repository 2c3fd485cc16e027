; codemap routes for C#: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which attributes and
; calls are routes is decided by the framework tables (codemap/endpoints/secondwave.py).

; attributes: [Route("api/[controller]")], [HttpGet("{id}")], [ApiController]
(attribute name: (_) @call.verb) @route.decorator

; calls: app.MapGet("/x", ...), WebApplication.CreateBuilder(args), app.MapGroup("/api")
(invocation_expression
  function: (member_access_expression expression: (_) @call.object name: (_) @call.verb)
  arguments: (argument_list) @call.args) @route.call
(invocation_expression function: (identifier) @call.verb arguments: (argument_list) @call.args) @route.call

; assignments: var app = builder.Build(); const string Prefix = "/api";
(variable_declarator name: (identifier) @assign.name (_) @assign.value) @route.assign
(assignment_expression left: (identifier) @assign.name right: (_) @assign.value) @route.assign

; imports: using Microsoft.AspNetCore.Mvc;
(using_directive [(qualified_name) (identifier)] @import.module) @route.import

; scopes: methods (an endpoint-mapping extension method's parameter is the router), lambdas
(method_declaration name: (identifier) @scope.name parameters: (parameter_list) @scope.params) @route.scope
(local_function_statement name: (identifier) @scope.name parameters: (parameter_list) @scope.params) @route.scope
(lambda_expression) @route.scope

; classes: controllers
(class_declaration name: (identifier) @class.name) @route.class
(class_declaration name: (identifier) @class.name (base_list (_) @class.base)) @route.class
