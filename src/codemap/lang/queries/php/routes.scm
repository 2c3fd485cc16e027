; codemap routes for PHP: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls are
; routes is decided by the framework tables (codemap/endpoints/secondwave.py).

; calls: Route::get('/x', [C::class, 'm']), Route::prefix('a')->group(function () {...})
(scoped_call_expression
  scope: (_) @call.object name: (name) @call.verb arguments: (arguments) @call.args) @route.call
(member_call_expression
  object: (_) @call.object name: (name) @call.verb arguments: (arguments) @call.args) @route.call
(nullsafe_member_call_expression
  object: (_) @call.object name: (name) @call.verb arguments: (arguments) @call.args) @route.call
(function_call_expression
  function: [(name) (qualified_name)] @call.verb arguments: (arguments) @call.args) @route.call

; assignments: $router = ...; const PREFIX = 'api';
(assignment_expression left: (variable_name) @assign.name right: (_) @assign.value) @route.assign
(const_declaration (const_element (name) @assign.name (_) @assign.value)) @route.assign

; imports: use Illuminate\Support\Facades\Route; use App\Http\Controllers\UserController as UC;
(namespace_use_clause
  (qualified_name (name) @import.alias .) @import.module !alias) @route.import
(namespace_use_clause (qualified_name) @import.module alias: (name) @import.alias) @route.import

; scopes: closures given to ->group(), functions
(anonymous_function parameters: (formal_parameters) @scope.params) @route.scope
(arrow_function parameters: (formal_parameters) @scope.params) @route.scope
(function_definition name: (name) @scope.name parameters: (formal_parameters) @scope.params) @route.scope
(method_declaration name: (name) @scope.name parameters: (formal_parameters) @scope.params) @route.scope

; classes: controllers
(class_declaration name: (name) @class.name) @route.class
(class_declaration name: (name) @class.name (base_clause (_) @class.base)) @route.class
