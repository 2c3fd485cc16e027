; codemap routes for Java: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which annotations
; are routes is decided by the framework tables (codemap/endpoints/frameworks.py).

; annotations: @RequestMapping("/api"), @GetMapping("/{id}"), @RestController
(annotation name: (_) @call.verb arguments: (annotation_argument_list) @call.args) @route.decorator
(marker_annotation name: (_) @call.verb) @route.decorator

; string constants: static final String BASE = "/api";
(field_declaration
  declarator: (variable_declarator name: (identifier) @assign.name value: (string_literal) @assign.value)) @route.assign

; imports: org.springframework.web.bind.annotation.GetMapping
(import_declaration (scoped_identifier) @import.module) @route.import

; classes: controllers
(class_declaration name: (identifier) @class.name) @route.class
(class_declaration name: (identifier) @class.name superclass: (superclass (_) @class.base)) @route.class
(class_declaration name: (identifier) @class.name
  interfaces: (super_interfaces (type_list (_) @class.base))) @route.class
(interface_declaration name: (identifier) @class.name) @route.class

; methods: a method's return type is recorded as its receiver, the class a JAX-RS
; sub-resource locator (@Path without @GET) hands the rest of the request to
(method_declaration type: (_) @scope.receiver name: (identifier) @scope.name
  parameters: (formal_parameters) @scope.params) @route.scope
