"""How one language's calls, imports and entry points work, read from its registry entry.

The call-graph resolver is generic: it walks scopes, imports and class
hierarchies. What differs between languages is data, kept in the registry
entry's ``extra["calls"]`` (call semantics) and ``extra["entry"]`` (entry
points) and turned here into a typed :class:`CallRules`. A language without
knobs (any language added later) gets generic defaults that work by scope,
imports and qualnames.

Facts the resolver reads from a language's ``tags.scm`` (capture names are
in :mod:`codemap.lang`; these are the conventions on top of them):

* call kinds: ``@reference.call`` / ``.new``, ``@reference.attr`` (a read
  that runs a getter when the member is a property), ``@reference.enter``
  (``with x:``: ``enter_methods`` run), ``@reference.protocol`` (``next(x)``,
  ``for``, ``x[k]``: the method ``protocols`` names runs; ``@call.name`` is
  the protocol's key, ``@call.receiver`` the value);
* imports with module ``""`` and level 0 are exports of the file itself
  (``@import.name`` exported as ``@import.alias``: ``default``, ``exports``);
  a namespace import or a whole-module ``require`` has name ``*`` and an alias;
* bindings: ``@binding.type`` is a type fact (``x = Foo()``, ``x: Foo``);
  ``@binding.value`` an alias (``x = y``, stored as ``=y``); a binding
  named after the callable whose scope it is gives that callable's result
  type (``@binding.object``: its parameter list, for arity) or, as an alias,
  the nested function it returns; a binding with object ``@`` is a
  decorator of the definition of that name; a class-body binding whose type
  matches ``property_types`` marks a getter; a binding whose object is a type
  parameter list (``<T, K extends C<K>>``) declares the type parameter ``@binding.name``
  of its scope (a class, a method), a type that is nobody's class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from codemap.lang.registry import BY_NAME


@dataclass(frozen=True)
class CallRules:
    """Call semantics of one language (see the registry entries for examples)."""

    # receivers that name the current instance / class (``self``, ``this``, ``type(self)``)
    self_names: tuple[str, ...] = ("self", "this")
    # ... those of them that name the class rather than the instance (``cls``)
    class_self_names: tuple[str, ...] = ()
    # receivers / callee names that name the base classes (``super()``, ``super``)
    super_names: tuple[str, ...] = ("super",)
    # methods run when a class is called / instantiated (``__init__``, ``constructor``)
    constructors: tuple[str, ...] = ()
    # constructors are methods named like their class (Java, C#, C++)
    constructor_is_class_name: bool = False
    # method run when an instance is called (``__call__``)
    call_method: str = ""
    # bare names inside methods see the members of the enclosing classes (Java, C#)
    class_scope: bool = False
    # "directory": top-level names are shared by the files of one directory (Go, Java)
    shared_scope: str = ""
    # how import module texts map to files: python, path, go, qualname
    imports: str = "qualname"
    # which local name an import without alias binds: first, last, package, alias
    import_binds: str = "last"
    # an import with no imported name binds the module ("module") or its default export
    default_import: str = "module"
    # names under which a module's default export is found
    default_exports: tuple[str, ...] = ()
    # file suffixes tried for extension-less relative imports
    import_suffixes: tuple[str, ...] = ()
    # names of the function that loads a module by a string (``require``)
    require_names: tuple[str, ...] = ()
    # generic types whose (first) argument is the type that matters (``Optional[T]``)
    type_wrappers: tuple[str, ...] = ()
    # calls on receivers of unknown type may be guessed by a (rare) method name
    member_guess: bool = True
    # bare names no scope defines may be guessed by a (rare) top-level function name
    bare_guess: bool = False
    # method names of built-in types: never guessed on a receiver of unknown type
    builtin_methods: frozenset[str] = frozenset()
    # variable types are declared facts (static typing): calls through them are exact
    static_types: bool = False
    # decorators (regex on their text) that make a method a property: reading runs it
    property_types: str = ""
    # decorators (regex on their text) that declare a method without a body to run: an
    # abstract method runs only through ``super()``, never when an override exists
    abstract_types: str = ""
    # decorators (regex on their text) that declare a signature only (``typing.overload``):
    # the definition never runs, the undecorated one of the same name does
    stub_types: str = ""
    # a class-scope binding of this name names the class's metaclass (``class C(metaclass=M)``
    # in Python's tags): running the class statement constructs it
    metaclass_attr: str = ""
    # the method a descriptor object runs when read (``__get__``)
    descriptor_get: str = ""
    # methods run by entering a value as a context (``with x:``)
    enter_methods: tuple[str, ...] = ()
    # protocol uses (a builtin applied to a value, ``for``, ``[``) and the methods they run
    protocols: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # decorators (regex on their text) that make a function a fixture: a parameter of a
    # fixture, or of a callable whose name matches ``fixture_requesters``, receives what
    # the closest fixture of that name returns (in the class, the module, then the
    # ``fixture_files`` of its directory and the directories above)
    fixture_types: str = ""
    fixture_requesters: str = ""
    fixture_files: tuple[str, ...] = ()
    # types satisfy interfaces without naming them (Go): a method an interface-typed value
    # lacks is linked to every implementation of that name
    implicit_interfaces: bool = False
    # a value whose declared type is from outside the repository (``h http.Header``) is
    # foreign: its methods are never guessed among the repository's (Go: no type of the
    # repository extends an imported one)
    foreign_declared: bool = False
    # a call passes exactly the parameters its callee declares (besides the receiver; a
    # variadic one takes any number): a definition of another arity is never guessed or
    # dispatched to (Go)
    fixed_arity: bool = False
    # ``Outer.this`` names the enclosing instance of class Outer (Java)
    qualified_self: bool = False
    # with ``foreign_declared``: a declared type name that resolves to nothing of the
    # repository is from outside too (Java: ``java.lang`` and same-package types need no
    # import, so ``Thread t`` or a ``String`` field is the platform's), unless it is a type
    # parameter in scope (``<T>``, ``<K extends Comparable<K>>``: see below) or some class
    # of the repository has that name (a lookup that missed it stays unknown)
    unresolved_foreign: bool = False


@dataclass(frozen=True)
class EntryRules:
    """How entry points of one language are recognised."""

    main_names: tuple[str, ...] = ()  # functions that are program entry points
    main_package: str = ""  # ... only in this package (Go: "main")
    main_block: re.Pattern[str] | None = None  # a module-level "run me" block
    main_files: tuple[str, ...] = ()  # file names that are entry points (__main__.py)
    test_files: tuple[str, ...] = ()  # glob patterns of test files
    test_names: re.Pattern[str] | None = None  # test function / method names
    test_classes: re.Pattern[str] | None = None  # classes whose methods are tests


_CALL_FIELDS = set(CallRules.__dataclass_fields__)


@cache
def call_rules(language: str) -> CallRules:
    """The call semantics of a registered language (defaults when it has none)."""
    spec = BY_NAME.get(language)
    knobs = dict(spec.extra.get("calls", {})) if spec is not None else {}
    if "builtin_methods" in knobs:
        knobs["builtin_methods"] = frozenset(knobs["builtin_methods"])
    return CallRules(**{k: v for k, v in knobs.items() if k in _CALL_FIELDS})


@cache
def entry_rules(language: str) -> EntryRules:
    spec = BY_NAME.get(language)
    knobs = dict(spec.extra.get("entry", {})) if spec is not None else {}

    def pattern(key: str) -> re.Pattern[str] | None:
        text = knobs.get(key)
        return re.compile(text, re.MULTILINE) if text else None

    return EntryRules(
        main_names=tuple(knobs.get("main_names", ())),
        main_package=knobs.get("main_package", ""),
        main_block=pattern("main_block"),
        main_files=tuple(knobs.get("main_files", ())),
        test_files=tuple(knobs.get("test_files", ())),
        test_names=pattern("test_names"),
        test_classes=pattern("test_classes"),
    )
