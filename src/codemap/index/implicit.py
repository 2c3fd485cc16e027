"""Calls the code makes without a call expression: statements that run functions.

Some statements run code of the repository although no call is written:

* ``@factory(args)`` above a definition: ``factory(args)`` is a call site, but
  applying what it returns (the real decorator, often a nested function) to
  the definition is a second call, made by the scope holding the definition;
* ``class C(Base, metaclass=Meta)``: executing the class statement runs
  ``Meta.__new__`` / ``Meta.__init__``, and so does every subclass of ``C``
  (the metaclass is inherited), from the scope holding each class statement.

:func:`implicit_calls` lists them as (caller, callee) pairs, which the
resolver adds as ``likely`` edges next to those of its call sites.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codemap.index.valueflow import CALLABLE_KINDS, EXTERNAL, SIMPLE_CHAIN

if TYPE_CHECKING:  # pragma: no cover
    from codemap.index.program import Program, Value

MAX_DECORATOR_TARGETS = 4  # what one applied decorator may be; more is too vague to link


def implicit_calls(p: Program) -> set[tuple[int, int]]:
    """(caller, callee) pairs run by decorator applications and class statements."""
    out: set[tuple[int, int]] = set()
    _applied_decorators(p, out)
    _metaclass_constructions(p, out)
    return out


def _callables(p: Program, value: Value) -> list[int]:
    """What calling ``value`` runs, when the repository defines it (a function, or the
    ``__call__`` of an instance)."""
    if value is None or value == EXTERNAL:
        return []
    if value[0] == "i":
        method = p.rules(value[1]).call_method
        value = p.class_member(value[1], method) if method else None
        if value is None or value[0] != "s":
            return []
    if value[0] != "s":
        return []
    return [i for i in value[1] if p.kind.get(i) in CALLABLE_KINDS]


def _applied_decorators(p: Program, out: set[tuple[int, int]]) -> None:
    """``@factory(args)``: the scope of the definition calls what ``factory(args)`` returns."""
    for (scope, _name), texts in p.decorators.items():
        for text in texts:
            if not text.endswith(")"):
                continue  # @deco: a call site of deco already (the tags' decorator pattern)
            head = text.partition("(")[0].strip()
            if not SIMPLE_CHAIN.match(head):
                continue
            made = p.instance_of(p.eval_dotted(scope, head))
            targets = _callables(p, made)
            if 0 < len(targets) <= MAX_DECORATOR_TARGETS:
                out.update((scope, t) for t in targets)


def _metaclass_constructions(p: Program, out: set[tuple[int, int]]) -> None:
    """``class C(metaclass=M)`` and its subclasses: their scopes run ``M.__new__`` and
    ``M.__init__`` (a binding named by the language's ``metaclass_attr`` in the class)."""
    owners = [cls for cls, attrs in p.attrs.items()
              if p.rules(cls).metaclass_attr in attrs and p.kind.get(cls) == "class"]
    for owner in owners:
        attr = p.rules(owner).metaclass_attr
        meta = p.class_member(owner, attr)
        if meta is None or meta[0] != "s" or p.kind.get(meta[1][0]) != "class":
            continue
        runs: list[int] = []
        for ctor in p.rules(owner).constructors:
            found = p.class_member(meta[1][0], ctor)
            if found is not None and found[0] == "s":
                runs.extend(i for i in found[1] if p.kind.get(i) in CALLABLE_KINDS)
        if not runs:
            continue
        for cls in (owner, *p.subclasses(owner, 10_000)):
            if p.class_member(cls, attr) != meta:
                continue  # a subclass naming another metaclass
            scope = p.parent.get(cls)
            if scope is not None:
                out.update((scope, r) for r in runs)
