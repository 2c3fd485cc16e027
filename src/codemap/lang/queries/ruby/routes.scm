; codemap routes for Ruby: the syntactic anchors the endpoint engine reads.
; Capture vocabulary: see codemap/endpoints/__init__.py. Which calls are
; routes is decided by the framework tables (codemap/endpoints/secondwave.py):
; Rails' config/routes.rb is a DSL of calls with blocks.

; calls: Rails.application.routes.draw do, resources :users do, get "x", to: "c#a"
(call receiver: (_) @call.object method: (identifier) @call.verb) @route.call
(call !receiver method: (identifier) @call.verb) @route.call

; assignments: PREFIX = "/api"
(assignment left: [(identifier) (constant)] @assign.name right: (_) @assign.value) @route.assign

; blocks are scopes: the calls in a `do ... end` register under the call it belongs to
(do_block parameters: (block_parameters)? @scope.params) @route.scope
(block parameters: (block_parameters)? @scope.params) @route.scope
(method name: (_) @scope.name parameters: (method_parameters)? @scope.params) @route.scope

; classes: controllers
(class name: (_) @class.name) @route.class
(class name: (_) @class.name superclass: (superclass (_) @class.base)) @route.class
