"""How one call site resolves: scopes, receivers, dispatch, decorators, guesses.

:class:`CallResolver` answers, for a call site (caller, name, receiver text,
kind, argument count), the symbols it may run and how sure that is. It works
on a loaded :class:`~codemap.index.program.Program` with memoised lookups;
:mod:`codemap.index.resolve` drives it over every call site.
"""

from __future__ import annotations

import re

from codemap.index.callrules import CallRules, entry_rules
from codemap.index.implicit import implicit_calls
from codemap.index.program import (
    CALLABLE_KINDS,
    EXTERNAL,
    SIMPLE_CHAIN,
    Program,
    Value,
    split_chain,
)
from codemap.index.tables import TABLE_CALL, DispatchTables

GUESS_LIMIT = 3  # an unknown receiver's method is guessed only among this many definitions
HIERARCHY_LIMIT = 12  # ... or among this many overrides of one method in one class hierarchy
GUESS_HIERARCHIES = 3  # a property read: among HIERARCHY_LIMIT getters in this many hierarchies
OVERRIDE_LIMIT = 40  # subclass overrides / implementations linked for one call at most
SUBCLASS_SCAN = 400  # subclasses examined for overrides of one method

_LITERAL = re.compile(r"""^(?:["'`\[{]|\d|[rbfu]{1,2}["']|-\d)""", re.IGNORECASE)
_GENERIC = re.compile(r"<.*>")
_STRING_ARG = re.compile(r"""^\(\s*(["'`])([^"'`]+)\1\s*\)$""")
# a composite literal builds a value of the type it names: ``Store{}``, ``&pkg.T{...}``
_COMPOSITE = re.compile(r"^(\(?)&?([A-Za-z_][\w.]*)\{.*\}(\)?)$", re.DOTALL)

Target = tuple[int, str]
_NO: dict = {}  # an empty scope (read only)
_GUESS = object()  # marker: the receiver is unknown, guess by the method name
# marker: the receiver's class assigns the attribute itself, with a value of unknown type: a
# call of it may still be guessed by name (a callback handed in), a read runs no getter
_OWN = object()


class CallResolver:
    """Resolves one call site at a time against a loaded :class:`Program`."""

    def __init__(self, program: Program) -> None:
        self.p = program
        self._override_memo: dict[tuple, list[Target]] = {}
        self._chain_memo: dict[tuple, list[Target] | object] = {}
        self._descriptors = set(program.descriptor_methods())
        self._property_names = {name for _cls, name in program.properties} | {
            program.name[sid] for sid in self._descriptors}
        self._hierarchy_memo: dict[tuple[int, ...], int] = {}
        # calls no call site names, linked ``likely``: (wrapper, decorated function) pairs, a
        # descriptor's ``__get__`` and the method it wraps, and the implicit calls of
        # statements (decorator factories applied, metaclasses constructing a class)
        self.implicit: set[tuple[int, int]] = set()
        self._shapes: dict[tuple[str, int], list[str] | None] = {}  # by rules id
        self._first_memo: dict[tuple[int, str], tuple[Value, str, bool]] = {}
        self.site_memo: dict[tuple, list[Target]] = {}  # (caller, name, receiver, kind, argc)
        self._guess_memo: dict[tuple, list[Target]] = {}
        self._ctor_memo: dict[tuple, list[Target]] = {}
        self._chains: dict[str, list[str] | None] = {}  # receiver text -> split_chain(text)
        self._protocols: dict[int, dict[str, tuple[str, ...]]] = {}
        self._alias_owners: dict[str, list[int]] | None = None  # attr name -> classes aliasing
        self._test_files: dict[int, bool] = {}  # file id -> whether it is a test file
        self._constant_names: set[str] | None = None
        self._alias_memo: dict[tuple[str, str], tuple[int, ...]] = {}
        self._abstract = self._abstract_methods()
        # every name a member lookup can find (None: not all known in memory); a method
        # named otherwise is nobody's, whatever its receiver is
        self._members = program.member_names()
        self._reading = False  # resolving a property read (wider guesses: see _guess)
        # the package unit of the caller being resolved (ModuleResolver.unit_of): what
        # dispatch and guesses may reach from there; None: anything
        self._unit: tuple | None = None
        self._tables = DispatchTables(program)
        self._wrap_decorated()
        self.implicit.update(implicit_calls(program))

    def end_caller_file(self) -> None:
        """The sites of one file are done: drop what is keyed by their callers (a caller
        lies in one file, and sites come file by file: never asked again)."""
        self.site_memo.clear()
        self._first_memo.clear()
        self._tables.forget()

    def memo_size(self) -> int:
        """How many derived values the resolver and its program remember."""
        return self.p.memo_size() + sum(map(len, self._memos()))

    def forget(self) -> None:
        """Drop every memoised derived value (between two files only: see
        :meth:`Program.forget`); what was found so far (``implicit``) is kept."""
        self.end_caller_file()
        for memo in self._memos():
            memo.clear()
        self.p.forget()

    def snapshot(self) -> tuple:
        """The memos whose values may depend on the order of the questions (see
        :meth:`Program.snapshot`), copied: :meth:`restore` puts them back."""
        return self.p.snapshot(), [dict(memo) for memo in self._memos()]

    def restore(self, saved: tuple) -> None:
        """The memos as :meth:`snapshot` saw them (between two files only): what follows
        is answered as it would be right after the snapshot (``implicit`` is kept)."""
        self.end_caller_file()
        program, own = saved
        self.p.restore(program)
        for memo, kept in zip(self._memos(), own, strict=True):
            memo.clear()
            memo.update(kept)

    def _memos(self) -> tuple[dict, ...]:
        return (self._override_memo, self._chain_memo, self._guess_memo, self._ctor_memo,
                self._shapes, self._chains, self._alias_memo, self._hierarchy_memo)

    def _abstract_methods(self) -> set[int]:
        """Methods declared abstract by a decorator (the language's ``abstract_types``)."""
        p = self.p
        out: set[int] = set()
        for (scope, name), texts in p.decorators.items():
            pattern = p.rules(scope).abstract_types
            if pattern and any(re.search(pattern, t) for t in texts):
                out.update(i for i in p.children.get(scope, {}).get(name, ())
                           if p.kind.get(i) in CALLABLE_KINDS)
        return out

    def _concrete(self, found: list[Target]) -> list[Target]:
        """``found`` without its abstract methods when a concrete one is there: dispatch
        never reaches a method declared abstract once an override exists."""
        if not self._abstract or len(found) < 2:
            return found
        kept = [t for t in found if t[0] not in self._abstract]
        return kept if kept else found

    def _wrap_decorated(self) -> None:
        """A decorator's wrapper calls the function it decorates, and a descriptor's
        ``__get__`` the method it wraps: whether or not a call to the decorated name is
        resolved (it is often called from outside: a framework, ``inspect``, a test)."""
        p = self.p
        for sid in self._descriptors:
            for getter in p.getter_instead(sid):
                self.implicit.add((getter, sid))
        for scope, name in p.decorators:
            for sid in p.children.get(scope, {}).get(name, ()):
                if p.kind.get(sid) in CALLABLE_KINDS:
                    for wrapper in p.runs_instead(sid):
                        self.implicit.add((wrapper, sid))

    def resolve(self, caller: int, name: str, receiver: str, kind: str, argc: int) -> list[Target]:
        """The targets of one call site, with a confidence each."""
        key = (caller, name, receiver, kind, argc)
        found = self.site_memo.get(key)
        if found is None:
            found = self.site_memo[key] = self.resolve_new(caller, name, receiver, kind, argc)
        return found

    def resolve_new(self, caller: int, name: str, receiver: str, kind: str, argc: int
                    ) -> list[Target]:
        """:meth:`resolve` without the per-site memo (for a driver that keeps its own)."""
        p = self.p
        rules = p.symbol_rules(caller)
        if rules is None:  # not a symbol of the index
            return []
        self._unit = p.modules.unit_of(p.file[caller])
        if kind == "call":
            if name == TABLE_CALL:  # TABLE[key](...): one of the table's values
                return list(dict.fromkeys(t for value in self._tables.lookup(caller, receiver)
                                          for t in self._targets(value, argc, "likely", rules)))
            if not receiver:
                return self._bare(caller, name, argc, rules)
            return self._attribute(caller, name, receiver, argc, rules)
        if kind == "new":
            name = _GENERIC.sub("", name).strip()
            if "." in name:
                head, _, name = name.rpartition(".")
                receiver = f"{receiver}.{head}" if receiver else head
        if kind == "attr":
            return self._property(caller, name, receiver, rules)
        if kind == "enter":
            return self._protocol(caller, name, rules.enter_methods, rules, every=True)
        if kind == "protocol":
            protocols = self._protocols.get(id(rules))
            if protocols is None:
                protocols = self._protocols[id(rules)] = dict(rules.protocols)
            return self._protocol(caller, receiver, protocols.get(name, ()), rules)
        if not receiver:
            return self._bare(caller, name, argc, rules)
        return self._attribute(caller, name, receiver, argc, rules)

    # ---- obj.attr (a property getter runs) and ``with obj:`` ----------------------------------
    def _property(self, caller: int, name: str, receiver: str, rules: CallRules) -> list[Target]:
        p = self.p
        if name not in self._property_names:
            return []
        self._reading = True
        try:
            found = self._attribute(caller, name, receiver, 0, rules) if receiver else \
                self._bare(caller, name, 0, rules)
        finally:
            self._reading = False
        if name in self._constants():
            # an unknown object's attribute named like a class constant somewhere in the
            # repository (``type = "name"``) is most likely that constant: no getter to guess
            found = [(t, c) for t, c in found if c != "guess"]
        writes = self._assigns_own(caller, name, receiver, rules)
        out = [(t, c) for t, c in found if (p.parent.get(t), p.name.get(t)) in p.properties
               and (writes or not self._setter(t))]
        for t, _c in found:
            if t in self._descriptors:  # a descriptor object: its __get__ runs the method
                for getter in p.getter_instead(t):
                    out.append((getter, "likely"))
                    self.implicit.add((getter, t))
        return out

    def _assigns_own(self, caller: int, name: str, receiver: str, rules: CallRules) -> bool:
        """Whether ``caller`` assigns ``self.name`` (its reads of it may be writes: a setter)."""
        if receiver not in rules.self_names:
            return False
        cls = self.p.enclosing_class(caller)
        return cls is not None and any(
            scope == caller for scope, _typ in self.p.attrs.get(cls, {}).get(name, ()))

    def _setter(self, sid: int) -> bool:
        """Whether a property's definition is its setter (``@x.setter``: it takes a value
        besides the instance); a read runs the getter only."""
        p = self.p
        if len(p.children.get(p.parent.get(sid), {}).get(p.name[sid], ())) < 2:
            return False
        return len(p.param_names(sid)) >= 2

    def _protocol(self, caller: int, text: str, methods: tuple[str, ...], rules: CallRules,
                  *, every: bool = False) -> list[Target]:
        """Methods a protocol runs on the value ``text`` names (``with x``, ``next(x)``, ``a == b``):
        on an instance of a known class, the class's method and its overrides in subclasses
        (dynamic dispatch). A value of unknown type is left alone: most are built-in values
        (numbers, strings, containers), whose protocol methods are not the repository's."""
        if not methods:
            return []
        parts = self._chains.get(text, _GUESS)
        if parts is _GUESS:
            parts = self._chains[text] = split_chain(text)
        if parts is None:
            return []
        first_key = (caller, parts[0])
        found_first = self._first_memo.get(first_key)
        if found_first is None:
            p = self.p
            if len(parts) == 1 and p.only_parameter(caller, parts[0], rules):
                # what the callers pass is a function or a class, never an instance: only
                # the outer scope's value (taken when they pass nothing) can be one
                outer = p.outer_scope(caller, rules)
                value = p.lookup(outer, parts[0]) if outer is not None else None
                if value is None or value[0] != "i":
                    return []
            found_first = self._first_memo[first_key] = self._first(caller, parts[0], rules)
        value, conf, via_self = found_first
        if len(parts) > 1:
            value, conf = self._walk(value, parts[1:], conf, rules)
            via_self = False
        if value is None or value == EXTERNAL or value[0] != "i":
            return []
        out: list[Target] = []
        for method in methods:
            key = (value, (), method, -1, conf, via_self, id(rules), self._unit)
            found = self._chain_memo.get(key)
            if found is None:
                found = self._chain_memo[key] = self._member_call(
                    value, (), method, -1, conf, via_self, rules)
            if found is not _GUESS and found is not _OWN:  # else: object's own
                out.extend(found)  # type: ignore[arg-type]
            if out and not every:
                break
        return out

    # ---- f() -----------------------------------------------------------------------------
    def _bare(self, caller: int, name: str, argc: int, rules: CallRules) -> list[Target]:
        p = self.p
        if name in rules.super_names:  # super(...): the base class constructor
            cls = p.enclosing_class(caller)
            if cls is None:
                return []
            for base in p.mro(cls)[1:]:
                found = self._constructors(base, argc, rules, fallback=False)
                if found:
                    return found
            return []
        if name in rules.self_names:  # this(...) / cls(...)
            cls = p.enclosing_class(caller)
            if cls is None:
                return []
            if name in rules.class_self_names or rules.constructor_is_class_name:
                return self._constructors(cls, argc, rules)
            return self._targets(("i", cls), argc, "exact", rules)
        value = p.lookup(caller, name)
        if value is None:
            return self._guess(caller, name, rules, argc, top_level=True) if rules.bare_guess \
                else []
        out = self._targets(value, argc, "exact", rules)
        if rules.class_scope and out and value[0] == "s":
            out = self._implicit_this(caller, name, out, argc)
        return out

    def _implicit_this(self, caller: int, name: str, found: list[Target], argc: int = -1
                       ) -> list[Target]:
        """A bare call of an instance method of the caller's class is ``this.name()`` (Java,
        C#): it dispatches to the overrides in subclasses too (a template method calling its
        abstract step)."""
        p = self.p
        cls = p.enclosing_class(caller)
        if cls is None or p.kind.get(cls) != "class":
            return found
        owners = set(p.mro(cls))
        if not any(p.kind.get(t) == "method" and p.parent.get(t) in owners for t, _c in found):
            return found
        return self._concrete(found + self._overrides(cls, name, found, False, argc))

    # ---- recv.m() --------------------------------------------------------------------------
    def _attribute(self, caller: int, name: str, receiver: str, argc: int,
                   rules: CallRules) -> list[Target]:
        p = self.p
        shape_key = (receiver, id(rules))
        shape = self._shapes.get(shape_key)
        if shape is None:
            shape = self._shapes[shape_key] = _shape(receiver, rules)
        if shape is _LITERAL_SHAPE:
            return []
        if name.startswith("__") and f"{receiver}.{name}" in rules.class_self_names:
            cls = p.enclosing_class(caller)  # self.__class__(...): a new instance of the class
            return self._constructors(cls, argc, rules) if cls is not None else []
        if self._members is not None and name not in self._members:
            return []  # nothing of the repository is named so (``.append()``, ``.items()``)
        if shape is _SUPER_SHAPE:
            cls = p.enclosing_class(caller)
            if cls is None:
                return []
            value = p.class_member(cls, name, after=self._super_start(caller, cls, receiver))
            return self._targets(value, argc, "exact", rules) if value is not None else []
        parts = shape
        if parts is None:
            return self._guess(caller, name, rules, argc) if rules.member_guess else []
        first_key = (caller, parts[0])
        found_first = self._first_memo.get(first_key)
        if found_first is None:
            found_first = self._first_memo[first_key] = self._first(caller, parts[0], rules)
        first, conf, via_self = found_first
        if first is None and len(parts) > 1 and _is_name(parts[0]):
            ids = p.by_qual.get(receiver)  # a fully qualified name: a.b.Cls.m()
            if ids:
                first, parts = ("s", tuple(ids)), [receiver]
        if first is None:
            return self._guess(caller, name, rules, argc) if rules.member_guess else []
        if first == EXTERNAL:
            return []
        key = (first, tuple(parts[1:]), name, argc, conf, via_self, id(rules), self._unit)
        found = self._chain_memo.get(key)
        if found is None:
            found = self._chain_memo[key] = self._member_call(
                first, parts[1:], name, argc, conf, via_self, rules)
        if found is _GUESS or (found is _OWN and not self._reading):
            return self._guess(caller, name, rules, argc) if rules.member_guess else []
        if found is _OWN:
            return []
        return found

    def _super_start(self, caller: int, cls: int, receiver: str) -> int:
        """The class whose successors ``super(X, self)`` searches (the enclosing one for
        ``super()``)."""
        args = receiver.partition("(")[2].rstrip(")").split(",")
        named = args[0].strip() if len(args) > 1 else ""
        if named and _is_dotted(named):
            value = self.p.eval_dotted(caller, named)
            if value is not None and value[0] == "s" and value[1][0] in self.p.mro(cls):
                return value[1][0]
        return cls

    def _qualified(self, caller: int, qualifier: str) -> int | None:
        """The class ``qualifier`` names in ``Outer.this``: the innermost enclosing class
        of the caller so named (or so qualified), else what it names."""
        p = self.p
        cls = p.enclosing_class(caller)
        last = qualifier.rpartition(".")[2]
        while cls is not None:
            if p.name.get(cls) == last and (qualifier == last
                                             or p.qual.get(cls, "").endswith("." + qualifier)):
                return cls
            cls = p.enclosing_class(p.parent.get(cls))
        value = p.eval_dotted(caller, qualifier)
        if value is not None and value[0] == "s" and p.kind.get(value[1][0]) == "class":
            return value[1][0]
        return None

    def _first(self, caller: int, first: str, rules: CallRules) -> tuple[Value, str, bool]:
        """The value the first part of a receiver chain names, how sure, and whether it is self."""
        p = self.p
        if rules.qualified_self and "." in first:
            qualifier, _, word = first.rpartition(".")
            if word in rules.self_names:  # Outer.this: the enclosing instance of class Outer
                cls = self._qualified(caller, qualifier)
                return (("i", cls), "exact", True) if cls is not None else (None, "guess", False)
        if first in rules.self_names:
            cls = p.enclosing_class(caller)
            if cls is not None:
                if first in rules.class_self_names:
                    return ("s", (cls,)), "exact", True
                return ("i", cls), "exact", True
            container = p.container(caller)
            if container and container in p.modules._containers():
                return ("p", ("q", container)), "exact", True
            return None, "guess", False
        composite = _COMPOSITE.match(first) if first.endswith(("}", "})")) else None
        if composite and len(composite.group(1)) == len(composite.group(3)):
            return p.instance_of(p.eval_dotted(caller, composite.group(2))), "exact", False
        if first.endswith(")"):
            callee, _, args = first.partition("(")
            callee = callee.strip()
            conf = "likely"
            if callee.startswith("new "):
                callee, conf = callee[4:].strip(), "exact"
            m = _STRING_ARG.match("(" + args)
            if callee in rules.require_names and m:
                return p.modules.path_module(p.file[caller], m.group(2)), "exact", False
            if not _is_dotted(callee):
                return None, "guess", False
            return p.instance_of(p.eval_dotted(caller, callee)), conf, False
        if first.startswith("new ") and _is_dotted(first[4:].strip()):
            return p.instance_of(p.eval_dotted(caller, first[4:].strip())), "exact", False
        if first.endswith("]") and "[]" in rules.type_wrappers:
            first = first.partition("[")[0]  # xs[i]: a slice stands for its elements (Go)
        if not _is_name(first):
            return None, "guess", False
        value = p.lookup(caller, first)
        if value is not None and value[0] == "i" and not rules.static_types:
            return value, "likely", False
        if value is not None and len(value) > 2:  # inferred from call sites
            return value, value[2], False
        return value, "exact", False

    def _member_call(self, value: Value, rest: tuple[str, ...] | list[str], name: str, argc: int,
                     conf: str, via_self: bool, rules: CallRules) -> list[Target] | object:
        """Targets of ``<value>.<rest...>.name(...)``; ``_GUESS`` when the receiver is unknown."""
        p = self.p
        if rest:
            value, conf = self._walk(value, rest, conf, rules)
            via_self = False
        if value == EXTERNAL:
            return []
        if value is None:
            return _GUESS
        member = p.member(value, name)
        out = self._targets(member, argc, conf, rules) if member not in (None, EXTERNAL) else []
        tag = value[0]
        if tag == "i" or (tag == "s" and via_self):
            cls = value[1] if tag == "i" else value[1][0]
            if p.kind.get(cls) == "class":
                out.extend(self._overrides(cls, name, out, member is None, argc))
                out = self._concrete(out)
                if not out and member is None and not rules.implicit_interfaces:
                    if self._has_foreign_bases(cls):
                        return []  # inherited from a class outside the repository
                    if self._binds(cls, name):
                        return _OWN  # its own attribute (``self.size = size``)
                    return _GUESS  # a dynamic attribute, or a mixin's partner class
        elif tag == "s" and p.kind.get(value[1][0]) in CALLABLE_KINDS and member is None:
            return _GUESS  # an attribute of a function: an unknown object in disguise
        return out

    def _walk(self, value: Value, rest: tuple[str, ...] | list[str], conf: str,
              rules: CallRules) -> tuple[Value, str]:
        """Follow ``.a.b().c`` from ``value``; the value reached and how sure it is."""
        p = self.p
        for part in rest:
            if value is None or value == EXTERNAL:
                break
            callee = part.partition("(")[0].strip() if part.endswith(")") else part
            found = p.member(value, callee) if _is_name(callee) else None
            if found is None and value[0] == "i" and rules.foreign_declared \
                    and self._has_foreign_bases(value[1]):
                # a member of an embedded outside type (``w.ResponseWriter``, ``w.Header()``)
                return EXTERNAL, conf
            if part.endswith(")"):
                value = p.instance_of(found)
                conf = "likely"
            elif _is_name(part):
                value = found
                if value is not None and value[0] == "i" and not rules.static_types:
                    conf = "likely"
            else:
                value = None
        return value, conf

    # ---- what calling a value runs -------------------------------------------------------------
    def _targets(self, value: Value, argc: int, conf: str, rules: CallRules) -> list[Target]:
        p = self.p
        if value is None or value == EXTERNAL:
            return []
        tag = value[0]
        if tag == "i":
            if not rules.call_method:
                return []
            found = p.class_member(value[1], rules.call_method)
            return self._targets(found, argc, conf, rules) if found and found[0] == "s" else []
        if tag != "s":
            return []
        if len(value) > 2 and conf == "exact":  # inferred from call sites: likely at best
            conf = value[2]
        ids = value[1]
        kind = p.kind.get(ids[0])
        if kind == "class":
            out: list[Target] = []
            for cls in ids[:2]:
                out.extend((t, conf if c == "exact" else c)
                           for t, c in self._constructors(cls, argc, p.rules(cls)))
            return out
        if kind == "module":
            for export in p.rules(ids[0]).default_exports:
                found = p.local(ids[0], export)
                if found is not None and found != value:
                    return self._targets(found, argc, conf, rules)
            return []
        callables = [i for i in ids if p.kind.get(i) in CALLABLE_KINDS]
        if len(callables) > 1:
            fitting = [i for i in callables if _fits(p.signature.get(i), argc)]
            if fitting:
                callables = fitting
            if len(callables) > 1:
                conf = "likely" if conf == "exact" else conf
        out = [(i, conf) for i in callables[:OVERRIDE_LIMIT]]
        if p.decorators:
            for i in callables[:OVERRIDE_LIMIT]:
                for wrapper in p.runs_instead(i):  # calls through decorators
                    out.append((wrapper, "likely"))
                    self.implicit.add((wrapper, i))
        return out

    def _constructors(self, cls: int, argc: int, rules: CallRules, *,
                      fallback: bool = True) -> list[Target]:
        """What instantiating ``cls`` runs: its (inherited) constructors, else the class itself."""
        key = (cls, argc, id(rules), fallback)
        found = self._ctor_memo.get(key)
        if found is None:  # (read only: shared by every site that instantiates cls)
            found = self._ctor_memo[key] = self._find_constructors(cls, argc, rules, fallback)
        return found

    def _find_constructors(self, cls: int, argc: int, rules: CallRules, fallback: bool
                           ) -> list[Target]:
        p = self.p
        out: list[Target] = []
        if rules.constructor_is_class_name:
            ids = p.ctors.get(cls, [])
            if ids:
                fitting = [i for i in ids if _fits(p.signature.get(i), argc)] or ids
                conf = "exact" if len(fitting) == 1 else "likely"
                return [(i, conf) for i in fitting]
        else:
            for ctor in rules.constructors:
                found = p.class_member(cls, ctor)
                if found is not None and found[0] == "s":
                    out.extend((i, "exact") for i in found[1] if p.kind.get(i) in CALLABLE_KINDS)
        if not out and fallback:
            out.append((cls, "exact"))
        return out

    def _overrides(self, cls: int, name: str, found: list[Target], missing: bool,
                   argc: int = -1) -> list[Target]:
        """Dynamic dispatch: overrides of ``name`` in subclasses of ``cls`` (or implementations)."""
        key = (cls, name, tuple(t for t, _ in found), missing)
        rules = self.p.rules(cls)
        if rules.fixed_arity:
            key = (*key, argc)  # overrides of another arity are other methods (see below)
        if missing and rules.implicit_interfaces:
            key = (*key, argc, self._unit)  # implementations: by arity and program (see below)
        memo = self._override_memo.get(key)
        if memo is None:
            memo = self._override_memo[key] = self._find_overrides(cls, name, found, missing, argc)
        return memo

    def _find_overrides(self, cls: int, name: str, found: list[Target], missing: bool,
                        argc: int) -> list[Target]:
        p = self.p
        have = {t for t, _ in found}
        out: list[Target] = []
        children, attrs, bases, kind = p.children, p.attrs, p.bases, p.kind
        # where a call passes exactly what its callee declares (``fixed_arity``), a method of
        # another arity is an overload, not an override: ``offer(e)`` never runs a subclass's
        # ``offer(e, timeout, unit)`` (a variadic one takes any count from its fixed ones on)
        fixed = p.rules(cls).fixed_arity and argc >= 0
        for sub in p.subclasses(cls, SUBCLASS_SCAN):
            own = children.get(sub, _NO).get(name)
            if own is None:
                if len(bases(sub)) < 2:
                    if name not in attrs.get(sub, _NO):
                        continue  # (the common case: nothing to link from this subclass)
                else:  # several bases: the subclass may inherit ``name`` from a mixin
                    value = p.member(("s", (sub,)), name)
                    own = value[1] if value is not None and value[0] == "s" else ()
            for i in own or ():
                if i not in have and kind.get(i) in CALLABLE_KINDS \
                        and (not fixed or _fits(_param_list(p, i), argc)):
                    have.add(i)
                    out.append((i, "likely"))
            if name in attrs.get(sub, _NO):  # a subclass rebinds a class attribute:
                value = p.class_member(sub, name)  # ``handler_class = JSONHandler``
                for i, _c in self._targets(value, -1, "likely", p.rules(sub)):
                    if i not in have:
                        have.add(i)
                        out.append((i, "likely"))
        if len(out) > OVERRIDE_LIMIT:
            return []
        if (missing and not out and p.rules(cls).implicit_interfaces
                and not self._has_foreign_bases(cls)):
            # an interface-like type of the repo declares no body for name: its implementations,
            # the methods of that name that take as many arguments as the call passes and that
            # one program may hold with the caller (never another main package's)
            shares = p.modules.shares_program
            argc = argc if p.rules(cls).fixed_arity else -1
            impls = [i for i in p.callables_by_name.get((p.lang(cls), name), ())
                     if p.kind.get(i) == "method" and i not in have
                     and _fits(_param_list(p, i), argc) and shares(self._unit, i)]
            if 0 < len(impls) <= OVERRIDE_LIMIT:
                out = [(i, "likely") for i in impls]
        return out

    def _binds(self, cls: int, name: str) -> bool:
        """Whether ``cls`` or a class it inherits from assigns an attribute ``name``."""
        attrs = self.p.attrs
        return any(name in attrs.get(c, _NO) for c in self.p.mro(cls))

    def _has_foreign_bases(self, cls: int) -> bool:
        p = self.p
        for klass in p.mro(cls):
            if len(p.base_texts.get(klass, ())) > len(p.bases(klass)):
                return True
        return False

    def _guess(self, caller: int, name: str, rules: CallRules, argc: int = -1, *,
               top_level: bool = False) -> list[Target]:
        """Definitions of ``name`` a call on a receiver of unknown type may run (``guess``):
        at most GUESS_LIMIT of them, or up to HIERARCHY_LIMIT overrides in one class hierarchy;
        for a property read, in up to GUESS_HIERARCHIES hierarchies (a getter names data of
        the repository; a method name shared by unrelated hierarchies is most often a generic
        verb, ``set``, ``getvalue``, that outside objects have too). Abstract declarations
        are left out when a concrete definition is there, and so are definitions of another
        arity where a call passes exactly what its callee declares (``fixed_arity``)."""
        if name in rules.builtin_methods:
            return []
        p = self.p
        lang = p.lang(caller)
        # a pure function of these: the answer is shared by every site alike
        argc = argc if rules.fixed_arity else -1
        key = (lang, name, top_level, self._reading, self._in_tests(caller), id(rules), self._unit,
               argc)
        found = self._guess_memo.get(key)
        if found is None:
            found = self._guess_memo[key] = self._guess_ids(lang, name, rules, top_level, key[4],
                                                            argc)
        return found

    def _guess_ids(self, lang: str, name: str, rules: CallRules, top_level: bool,
                   in_tests: bool, argc: int) -> list[Target]:
        p = self.p
        ids = p.callables_by_name.get((lang, name), ())
        if not ids and not top_level:
            ids = self._aliased(lang, name)
        if ids and not in_tests:  # library code does not call into its tests
            ids = [i for i in ids if not self._in_tests(i)]
        if ids and self._unit is not None:  # nor into a program it is never part of
            ids = [i for i in ids if p.modules.shares_program(self._unit, i)]
        if ids and argc >= 0:
            ids = [i for i in ids if _fits(_param_list(p, i), argc)]
        if top_level:
            ids = [i for i in ids if p.kind.get(p.parent.get(i)) == "module"
                   and p.kind.get(i) != "method"]
        if 0 < len(ids) <= GUESS_LIMIT or (len(ids) <= HIERARCHY_LIMIT and not top_level and (
                self._hierarchies(ids) <= (GUESS_HIERARCHIES if self._reading else 1))):
            return self._concrete([(i, "guess") for i in ids])
        return []

    def _constants(self) -> set[str]:
        """Names some class body binds to a literal (``type = "name"``, ``limit = 3``)."""
        if self._constant_names is None:
            self._constant_names = {
                name for attrs in self.p.attrs.values() for name, entries in attrs.items()
                if any(typ.startswith("=") and not SIMPLE_CHAIN.match(typ[1:])
                       for _scope, typ in entries)}
        return self._constant_names

    def _in_tests(self, sid: int) -> bool:
        """Whether a symbol is defined in a test file (the language's ``test_files``)."""
        fid = self.p.file.get(sid, -1)
        found = self._test_files.get(fid)
        if found is None:
            from codemap.entrypoints import _is_test_file

            patterns = entry_rules(self.p.file_lang.get(fid, "")).test_files
            path = self.p.file_path.get(fid, "")
            found = self._test_files[fid] = bool(patterns) and _is_test_file(path, patterns)
        return found

    def _aliased(self, lang: str, name: str) -> tuple[int, ...]:
        """Callables a class attribute ``name`` aliases (``_parse = _parse_no_cache`` in a
        class body, ``Cls._parse = Cls._parse_cached`` elsewhere), for guessing ``x.name()``
        on an unknown ``x``: only when few classes of the language define such an alias."""
        key = (lang, name)
        found = self._alias_memo.get(key)
        if found is not None:
            return found
        p = self.p
        if self._alias_owners is None:
            owners: dict[str, list[int]] = {}
            for cls, attrs in p.attrs.items():
                for attr, entries in attrs.items():
                    if any(typ.startswith("=") for _scope, typ in entries):
                        owners.setdefault(attr, []).append(cls)
            self._alias_owners = owners
        classes = [c for c in self._alias_owners.get(name, ()) if p.lang(c) == lang]
        ids: dict[int, None] = {}
        if 0 < len(classes) <= GUESS_LIMIT:
            for cls in classes:
                value = p.class_member(cls, name)
                if value is not None and value[0] == "s":
                    ids.update(dict.fromkeys(
                        i for i in value[1] if p.kind.get(i) in CALLABLE_KINDS))
        found = self._alias_memo[key] = tuple(ids)
        return found

    def _hierarchies(self, ids: list[int] | tuple[int, ...]) -> int:
        """In how many class hierarchies the definitions ``ids`` lie (methods whose classes
        share a root class are overrides of one method; a function is a hierarchy of its own)."""
        key = tuple(ids)
        found = self._hierarchy_memo.get(key)
        if found is None:
            p = self.p
            groups: list[set[int]] = []
            for i in ids:
                cls = p.parent.get(i)
                if p.kind.get(i) != "method" or p.kind.get(cls) != "class":
                    groups.append({-i})
                    continue
                roots = {k for k in p.mro(cls) if not p.bases(k)}
                joined = [g for g in groups if g & roots]
                for g in joined:
                    groups.remove(g)
                    roots |= g
                groups.append(roots)
            found = self._hierarchy_memo[key] = len(groups)
        return found


_LITERAL_SHAPE: list[str] = ["<literal>"]
_SUPER_SHAPE: list[str] = ["<super>"]


def _shape(receiver: str, rules: CallRules) -> list[str] | None:
    """A receiver text split into its chain (or the literal / super markers, or None)."""
    if _LITERAL.match(receiver):
        return _LITERAL_SHAPE
    head = receiver.split("(", 1)[0].strip()
    if head in rules.super_names and (receiver == head or receiver.startswith(head + "(")):
        return _SUPER_SHAPE
    parts = split_chain(receiver)
    if parts is not None and len(parts) > 1 and ".".join(parts[:2]) in rules.self_names:
        parts = [".".join(parts[:2]), *parts[2:]]  # self.__class__
    elif parts is not None and len(parts) > 1 and rules.qualified_self:
        for k in range(1, len(parts)):  # Outer.this: one part, read by _first
            if parts[k] in rules.self_names:
                if all(_is_name(part) for part in parts[:k]):
                    parts = [".".join(parts[:k + 1]), *parts[k + 1:]]
                break
    return parts


def _is_name(text: str) -> bool:
    return text.replace("$", "_").isidentifier()


def _is_dotted(text: str) -> bool:
    return bool(text) and all(_is_name(t) for t in text.split("."))


def _arity(params: str) -> tuple[int, bool] | None:
    """(number of parameters, variadic) of a parameter list text, None when clipped."""
    text = params.strip()
    if not (text.startswith("(") and text.endswith(")")):
        return None
    inner = text[1:-1].strip()
    if not inner:
        return 0, False
    depth = 0
    count = 1
    for ch in inner:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        elif ch == "," and depth == 0:
            count += 1
    return count, "..." in inner


def _param_list(p: Program, sid: int) -> tuple[str, str] | None:
    """A callable's parameter list as a signature for :func:`_fits` (None: unknown)."""
    params = p.params.get(sid)
    return ("", params) if params else p.signature.get(sid)


def _fits(signature: tuple[str, str] | None, argc: int) -> bool:
    if signature is None or argc < 0:
        return True
    arity = _arity(signature[1]) if signature[1] else None
    if arity is None:
        return True
    count, variadic = arity
    return argc == count or (variadic and argc >= count - 1)
