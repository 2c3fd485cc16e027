; codemap tags for Ruby. Vocabulary: codemap/lang/__init__.py.
; Qualnames (codemap.lang.qualnames, style "ruby"): Mod::Klass, Klass#method,
; Klass.singleton_method. A @receiver marks a singleton method; methods in a
; `class << self` block sit in a scope named "self".

; classes and modules (a module is a class-like container of methods)
(class name: [(constant) (scope_resolution)] @name) @definition.class
(class
  name: [(constant) (scope_resolution)] @name
  superclass: (superclass [(constant) (scope_resolution)] @class.base)) @definition.class
(module name: [(constant) (scope_resolution)] @name) @definition.class

; Point = Struct.new(:x, :y) do ... end, Error = Class.new(StandardError), Pair = Data.define(:a)
(assignment
  left: (constant) @name
  right: (call receiver: (constant) @_maker method: (identifier) @_new)
  (#any-of? @_maker "Struct" "Class" "Data" "Module")
  (#any-of? @_new "new" "define")) @definition.class

; methods: def name / def self.name / class << self; def name
(method name: (_) @name) @definition.method
(singleton_method object: (_) @receiver name: (_) @name) @definition.method
(singleton_class value: (self) @name) @scope

; blocks bound to methods: define_method(:name) { ... }
(call
  method: (identifier) @_define
  arguments: (argument_list . [(simple_symbol) @name (string . (string_content) @name .)])
  block: [(do_block) (block)]
  (#any-of? @_define "define_method" "define_singleton_method")) @definition.method

; Rails scopes are class methods: scope :active, -> { where(active: true) }
(call
  method: (identifier) @receiver
  arguments: (argument_list . (simple_symbol) @name . (lambda))
  (#eq? @receiver "scope")) @definition.method

; lambdas bound to names: handler = ->(x) { ... }, CHECK = lambda { |x| ... }
(assignment
  left: [(identifier) (constant)] @name
  right: (lambda)) @definition.lambda
(assignment
  left: [(identifier) (constant)] @name
  right: (call !receiver method: (identifier) @_lambda block: (_))
  (#any-of? @_lambda "lambda" "proc")) @definition.lambda

; calls: obj.m(args), m(args), m args; Klass.new(...) is a constructor call
(call
  receiver: (_) @call.receiver
  method: (identifier) @call.name
  arguments: (argument_list)? @call.args
  (#not-eq? @call.name "new")) @reference.call
(call
  !receiver
  method: [(identifier) (constant)] @call.name
  arguments: (argument_list) @call.args) @reference.call
(call
  receiver: [(constant) (scope_resolution)] @call.name
  method: (identifier) @_new
  arguments: (argument_list)? @call.args
  (#eq? @_new "new")) @reference.new

; super / super(args): a call of the same method in the superclass
(super) @reference.call @call.name

; require 'json' / require_relative '../lib/store'
(call
  !receiver
  method: (identifier) @_require
  arguments: (argument_list . (string (string_content) @import.module) .)
  (#any-of? @_require "require" "require_relative")) @import

; type facts: store = Store.new(...)
(assignment
  left: (identifier) @binding.name
  right: (call
    receiver: [(constant) (scope_resolution)] @binding.type
    method: (identifier) @_new)
  (#eq? @_new "new")) @binding
