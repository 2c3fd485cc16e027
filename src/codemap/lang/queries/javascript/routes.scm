; codemap routes for JavaScript: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls are
; routes is decided by the framework tables (codemap/endpoints/frameworks.py).

; calls: app.get(...), express.Router(), require('./routes')(app), new Router({...})
(call_expression
  function: (member_expression object: (_) @call.object property: (property_identifier) @call.verb)
  arguments: (arguments) @call.args) @route.call
(call_expression function: (identifier) @call.verb arguments: (arguments) @call.args) @route.call
(call_expression function: (call_expression) @call.callee arguments: (arguments) @call.args) @route.call
(new_expression constructor: (identifier) @call.verb arguments: (arguments)? @call.args) @route.call
(new_expression
  constructor: (member_expression object: (_) @call.object property: (property_identifier) @call.verb)
  arguments: (arguments)? @call.args) @route.call

; decorators (NestJS and friends): @Controller('users'), @Get(':id'), @Injectable
(decorator
  (call_expression function: (identifier) @call.verb arguments: (arguments) @call.args)) @route.decorator
(decorator
  (call_expression
    function: (member_expression object: (_) @call.object property: (property_identifier) @call.verb)
    arguments: (arguments) @call.args)) @route.decorator
(decorator (identifier) @call.verb) @route.decorator

; assignments: const router = express.Router(); PREFIX = '/api'
(variable_declarator name: (identifier) @assign.name value: (_) @assign.value) @route.assign
(assignment_expression left: (identifier) @assign.name right: (_) @assign.value) @route.assign

; exports: module.exports = router; exports.router = router; export default router
(assignment_expression
  left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
  right: (_) @export.value
  (#eq? @_module "module") (#eq? @_exports "exports")) @route.export
(assignment_expression
  left: (member_expression object: (identifier) @_exports property: (property_identifier) @export.name)
  right: (_) @export.value
  (#eq? @_exports "exports")) @route.export
(assignment_expression
  left: (member_expression
    object: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
    property: (property_identifier) @export.name)
  right: (_) @export.value
  (#eq? @_module "module") (#eq? @_exports "exports")) @route.export
(export_statement value: (_) @export.value) @route.export
(export_statement
  declaration: (_ (variable_declarator name: (identifier) @export.name value: (_) @export.value))) @route.export
(export_statement
  declaration: [(function_declaration name: (identifier) @export.name)
                (class_declaration name: (_) @export.name)] @export.value) @route.export
(export_statement
  (export_clause (export_specifier name: (_) @export.value alias: (_) @export.name))) @route.export
; export { app }: exported under its own name
(export_statement
  (export_clause (export_specifier name: (_) @export.value @export.name !alias))) @route.export

; imports: ES modules and CommonJS
(import_statement (import_clause (identifier) @import.alias) source: (string) @import.module) @route.import
(import_statement
  (import_clause (named_imports (import_specifier name: (_) @import.name alias: (_)? @import.alias)))
  source: (string) @import.module) @route.import
(import_statement
  (import_clause (namespace_import (identifier) @import.alias))
  source: (string) @import.module) @route.import
(variable_declarator
  name: (identifier) @import.alias
  value: (call_expression function: (identifier) @_req arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @route.import
(variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @import.name)
  value: (call_expression function: (identifier) @_req arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @route.import
(variable_declarator
  name: (object_pattern (pair_pattern key: (property_identifier) @import.name value: (identifier) @import.alias))
  value: (call_expression function: (identifier) @_req arguments: (arguments . (string) @import.module))
  (#eq? @_req "require")) @route.import
(variable_declarator
  name: (identifier) @import.alias
  value: (member_expression
    object: (call_expression function: (identifier) @_req arguments: (arguments . (string) @import.module))
    property: (property_identifier) @import.name)
  (#eq? @_req "require")) @route.import

; scopes: functions whose parameters can be routers (plugins, route modules)
(function_declaration name: (identifier) @scope.name parameters: (formal_parameters) @scope.params) @route.scope
(generator_function_declaration name: (identifier) @scope.name parameters: (formal_parameters) @scope.params) @route.scope
(function_expression parameters: (formal_parameters) @scope.params) @route.scope
(arrow_function parameters: (formal_parameters) @scope.params) @route.scope
(arrow_function parameter: (identifier) @scope.params) @route.scope
(method_definition name: (_) @scope.name parameters: (formal_parameters) @scope.params) @route.scope

; classes: controllers
(class_declaration name: (_) @class.name) @route.class
(class_declaration name: (_) @class.name (class_heritage (_) @class.base)) @route.class
(class name: (_) @class.name) @route.class
