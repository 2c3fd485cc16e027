"""Per-language knowledge, kept as data.

Each language is one entry in :mod:`codemap.lang.registry` plus query files
in ``queries/<language>/``. ``tags.scm`` uses tree-sitter's standard capture
vocabulary, extended where codemap needs more; the generic extractor
(:mod:`codemap.index.extract`) keys only on these capture names:

==========================  ==================================================
``@definition.function``    a function (a method when directly in a class)
``@definition.method``      a method (Go methods, JS class methods, ...)
``@definition.class``       class, struct, interface, enum, trait, record
``@definition.lambda``      an anonymous function bound to a name
``@definition.module``      a named module/namespace that is a symbol
``@name``                   the defined name (in a definition or scope match)
``@receiver``               what a definition is attached to, read by its
                            qualname style: Go's receiver type (``*T``), the
                            ``Foo`` of JS ``Foo.prototype.m = ...``, a C++
                            out-of-line declarator (``Foo::m``), a Ruby
                            singleton object (``def self.m``), PHP ``static``
``@class.base``             a base class / extended / implemented type
``@scope``                  a naming scope that is not a symbol (namespace,
                            ``impl`` block): contributes ``@name`` to qualnames
``@package``                the file's package / namespace declaration
                            (``@name`` holds it): prefix of qualnames
``@reference.call``         a call; ``@call.name`` the called name,
                            ``@call.receiver`` the object it is called on,
                            ``@call.args`` the argument list (for arity)
``@reference.new``          a constructor call (``new X()``), same sub-captures
``@import``                 an import; ``@import.module``, ``@import.name``,
                            ``@import.alias``, ``@import.wildcard``
``@binding``                a local type fact: ``@binding.name`` has type
                            ``@binding.type`` (``x = Foo()``, ``x: Foo``);
                            ``@binding.object`` for ``self.x = Foo()``
``(#set! binding.params F)`` on a definition pattern: the definition's field
                            ``F`` (its parameter list) is also a binding
                            named after it, valued ``=`` + the list's text
                            (saves a pattern, hence a match, per function)
==========================  ==================================================

The registry entry (:class:`codemap.lang.registry.LanguageSpec`) carries the
few knobs the extractor reads besides the captures, all plain data:
``wrappers`` (parent nodes whose range is the definition's: decorators,
``export``, ``template <...>``), ``leading`` (preceding siblings that belong
to it: JS decorators, Rust ``#[attributes]``), ``relative_dots`` (leading
dots of an import count relative levels), ``name_strip`` (characters
stripped from the start of definition names: Ruby's ``:symbol`` in
``define_method(:name)``). Qualname styles (:mod:`codemap.lang.qualnames`)
turn scopes, names and receivers into each language's natural qualname.

Each language is tested by caret-annotated fixtures under
``tests/lang/fixtures/<language>/`` (syntax: ``tests/lang/annotations.py``).
"""
