"""Dispatch tables: calls through a dictionary of functions or classes.

``NODES = {"if": IfNode, "for": ForNode}`` then ``NODES[kind](children)``
calls one of the table's values, which one depending on data. The language's
tags emit one binding per table value, with object ``{`` (``TABLE`` bound to
the alias of the value), and a table call as a call named ``[`` whose
receiver is the table expression. :class:`DispatchTables` finds the table a
receiver names (a local or module-level table, or a class attribute through
the MRO of ``self``/``cls`` or of a named class) and gives its values; the
resolver links the call to each of them as ``likely``.

Program keeps these bindings apart (their object is not a name): it hands
their rows over as ``table_bindings`` while loading the other bindings.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from codemap.index.valueflow import EXTERNAL, SIMPLE_CHAIN

if TYPE_CHECKING:  # pragma: no cover
    from codemap.index.program import Program, Value

TABLE_OBJECT = "{"  # binding object marking a table value
TABLE_CALL = "["  # call name marking a call through a table
MAX_TABLE_VALUES = 40  # a larger table is not followed (a registry of everything)


class DispatchTables:
    """The tables of a loaded program, and the values a table expression names."""

    def __init__(self, p: Program) -> None:
        self.p = p
        self.values: dict[tuple[int, str], list[str]] = defaultdict(list)
        for scope, name, typ in p.table_bindings:  # the rows with object TABLE_OBJECT
            if typ.startswith("="):
                self.values[(scope, name)].append(typ)
        self._memo: dict[tuple[int, str], list[Value]] = {}

    def forget(self) -> None:
        """Drop the memoised lookups (keyed by caller: see ``CallResolver.end_caller_file``)."""
        self._memo.clear()

    def __bool__(self) -> bool:
        return bool(self.values)

    def lookup(self, caller: int, receiver: str) -> list[Value]:
        """The values of the table ``receiver`` names in ``caller`` (empty when unknown)."""
        key = (caller, receiver)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._lookup(caller, receiver)
        return found

    def _lookup(self, caller: int, receiver: str) -> list[Value]:
        if not self.values or not SIMPLE_CHAIN.match(receiver):
            return []
        p = self.p
        head, _, name = receiver.rpartition(".")
        owner = self._owner(caller, head, name) if head else self._scope_of(caller, name)
        if owner is None:
            return []
        texts = self.values[(owner, name)]
        if len(texts) > MAX_TABLE_VALUES:
            return []
        out: list[Value] = []
        for text in dict.fromkeys(texts):
            value = p.type_value(owner, text)
            if value is not None and value != EXTERNAL and value[0] == "s":
                out.append(value)
        return out

    def _scope_of(self, caller: int, name: str) -> int | None:
        """The innermost scope around ``caller`` (class bodies excepted) defining table ``name``."""
        p = self.p
        scope: int | None = caller
        seen = 0
        while scope is not None and seen < 64:
            if (scope, name) in self.values and (scope == caller or p.kind.get(scope) != "class"):
                return scope
            scope = p.parent.get(scope)
            seen += 1
        return None

    def _owner(self, caller: int, head: str, name: str) -> int | None:
        """The class (first in MRO order) or module holding table ``name`` of ``head``."""
        p = self.p
        rules = p.rules(caller)
        if head in rules.self_names:
            cls = p.enclosing_class(caller)
            value: Value = ("s", (cls,)) if cls is not None else None
        elif SIMPLE_CHAIN.match(head):
            value = p.eval_dotted(caller, head)
        else:
            return None
        if value is None or value == EXTERNAL:
            return None
        if value[0] == "i":
            value = ("s", (value[1],))
        if value[0] != "s":
            return None
        target = value[1][0]
        if p.kind.get(target) == "class":
            for klass in p.mro(target):
                if (klass, name) in self.values:
                    return klass
                if name in p.children.get(klass, {}) or name in p.attrs.get(klass, {}):
                    return None  # rebound to something else first in the MRO
            return None
        return target if (target, name) in self.values else None
