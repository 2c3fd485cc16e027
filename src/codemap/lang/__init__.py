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
``@receiver``               Go: the receiver type (``*T`` or ``T``)
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
==========================  ==================================================
"""
