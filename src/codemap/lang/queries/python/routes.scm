; codemap routes for Python: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls are
; routes is decided by the framework tables (codemap/endpoints/frameworks.py).

; calls: app.get(...), path(...), Blueprint(...)
(call
  function: (attribute object: (_) @call.object attribute: (identifier) @call.verb)
  arguments: (argument_list) @call.args) @route.call
(call
  function: (identifier) @call.verb
  arguments: (argument_list) @call.args) @route.call

; decorators: @bp.route("/x"), @require_POST, @csrf.exempt
(decorator
  (call
    function: (attribute object: (_) @call.object attribute: (identifier) @call.verb)
    arguments: (argument_list) @call.args)) @route.decorator
(decorator
  (call function: (identifier) @call.verb arguments: (argument_list) @call.args)) @route.decorator
(decorator (identifier) @call.verb) @route.decorator
(decorator (attribute object: (_) @call.object attribute: (identifier) @call.verb)) @route.decorator

; assignments: bp = Blueprint(...), urlpatterns = [...], urlpatterns += [...], PREFIX = "/api"
(assignment left: (identifier) @assign.name right: (_) @assign.value) @route.assign
(augmented_assignment left: (identifier) @assign.name operator: "+=" @assign.augment right: (_) @assign.value) @route.assign

; imports
(import_statement name: (dotted_name) @import.module) @route.import
(import_statement name: (aliased_import name: (dotted_name) @import.module alias: (identifier) @import.alias)) @route.import
(import_from_statement module_name: (_) @import.module name: (dotted_name) @import.name) @route.import
(import_from_statement
  module_name: (_) @import.module
  name: (aliased_import name: (dotted_name) @import.name alias: (identifier) @import.alias)) @route.import
(import_from_statement module_name: (_) @import.module (wildcard_import) @import.wildcard) @route.import

; scopes: functions (their parameters can be routers handed in by a caller)
(function_definition name: (identifier) @scope.name parameters: (parameters) @scope.params) @route.scope
(lambda parameters: (lambda_parameters)? @scope.params) @route.scope

; classes: class-based views and their HTTP-method handlers
(class_definition name: (identifier) @class.name) @route.class
(class_definition
  name: (identifier) @class.name
  superclasses: (argument_list [(identifier) (attribute)] @class.base)) @route.class
