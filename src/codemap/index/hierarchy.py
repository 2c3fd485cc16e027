"""Class hierarchies of the indexed program: bases, MRO, subclasses, members.

A mixin of :class:`~codemap.index.program.Program`: base texts are resolved
through the scope of the class statement, the MRO is C3 (depth-first when a
hierarchy is inconsistent), and members are looked up in MRO order.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from codemap.index.valueflow import GENERIC, clean_type

if TYPE_CHECKING:  # pragma: no cover
    from codemap.index.program import Value


_NO: dict = {}  # an empty scope (read only)


class Hierarchy:
    """Bases, MRO, subclasses and member lookup (mixed into Program)."""

    def class_member(self, cls: int, name: str, *, instance: bool = False,
                     after: int | None = None) -> Value:
        """A member of a class or its bases (in MRO order): method, nested class, attribute.

        ``after``: search only the classes after this one in the MRO (``super()``).
        """
        if self._building:  # an MRO is being computed: what it holds now may still change
            where = self._where(cls, name, after)
        else:
            key = (cls, name, after)
            where = self._where_memo.get(key)
            if where is None:
                where = self._where_memo[key] = self._where(cls, name, after)
        if where.__class__ is tuple:  # a definition (static: shared by every caller)
            return where
        if where:  # attribute bindings: their values flow through the memoised type facts
            if len(where) == 1:
                return self.type_value(where[0][0], where[0][1])
            # set in several places (the class body, a method, a patch from outside)
            return self.merged([self.type_value(scope, typ) for scope, typ in where])
        return None

    def _where(self, cls: int, name: str, after: int | None) -> tuple | list:
        """What defines ``name`` first in the MRO of ``cls``: the value of its definitions
        (a tuple), the attribute bindings to evaluate (a list), or ``[]`` for nothing."""
        order = self.mro(cls)
        if after is not None:
            order = order[order.index(after) + 1:] if after in order else []
        children, attrs = self.children, self.attrs
        for klass in order:
            defs = children.get(klass, _NO).get(name)
            if defs:
                return ("s", tuple(defs))
            attr = attrs.get(klass, _NO).get(name)
            if attr:
                return attr
        return []

    # ---- classes ---------------------------------------------------------------------
    def bases(self, cls: int) -> list[int]:
        """The direct bases of a class that are classes of the repository."""
        memo = self._bases_memo.get(cls)
        if memo is not None:
            return memo
        self._bases_memo[cls] = []
        self._building += 1
        try:
            out = self._find_bases(cls)
        finally:
            self._building -= 1
        self._bases_memo[cls] = out
        return out

    def _find_bases(self, cls: int) -> list[int]:
        out: list[int] = []
        scope = self.parent.get(cls) or cls
        wrappers = self.rules(cls).type_wrappers
        for text in self.base_texts.get(cls, ()):
            name = clean_type(GENERIC.sub("", text), wrappers)
            if not name:
                continue
            value = self.eval_dotted(scope, name)
            if value is None and "." in name:
                ids = self.by_qual.get(name)
                value = ("s", tuple(ids)) if ids else None
            if value is not None and value[0] == "s":
                out.extend(b for b in value[1] if self.kind.get(b) == "class" and b != cls)
        return out

    def mro(self, cls: int) -> list[int]:
        """Method resolution order (C3, falling back to depth-first for odd hierarchies)."""
        memo = self._mro_memo.get(cls)
        if memo is not None:
            return memo
        self._mro_memo[cls] = [cls]  # cycle guard
        self._building += 1
        try:
            result = self._c3(cls)
        finally:
            self._building -= 1
        self._mro_memo[cls] = result
        return result

    def _c3(self, cls: int) -> list[int]:
        bases = self.bases(cls)
        if not bases:
            result = [cls]
        else:
            seqs = [list(self.mro(b)) for b in bases] + [list(bases)]
            result = [cls]
            while True:
                seqs = [s for s in seqs if s]
                if not seqs:
                    break
                for seq in seqs:
                    head = seq[0]
                    if not any(head in s[1:] for s in seqs):
                        break
                else:  # inconsistent: depth-first, first occurrence wins
                    for b in bases:
                        for k in self.mro(b):
                            if k not in result:
                                result.append(k)
                    break
                result.append(head)
                for s in seqs:
                    if s and s[0] == head:
                        del s[0]
        return result

    def subclasses(self, cls: int, limit: int) -> list[int]:
        """Transitive subclasses of ``cls`` in the repository, breadth first, at most ``limit``."""
        if self._subs is None:
            subs: dict[int, list[int]] = defaultdict(list)
            for klass in self.base_texts:
                for base in self.bases(klass):
                    subs[base].append(klass)
            self._subs = subs
        memo = self._subs_memo.get(cls)
        if memo is not None:
            return memo[:limit]
        out: list[int] = []
        seen = {cls}
        frontier = [cls]
        while frontier and len(out) < limit:
            nxt: list[int] = []
            for c in frontier:
                for sub in self._subs.get(c, ()):
                    if sub not in seen:
                        seen.add(sub)
                        out.append(sub)
                        nxt.append(sub)
            frontier = nxt
        self._subs_memo[cls] = out
        return out[:limit]
