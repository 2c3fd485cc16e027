"""Blast radius: everything that calls a changed symbol, transitively, up to the entry points.

A breadth-first walk up the call graph (the index's ``edges``, as resolved
by :mod:`codemap.index.resolve`) from every changed symbol at once. Each
caller is reported once, at its smallest depth, with ``via``: the chain of
symbol ids from the symbol it calls down to the changed symbol. The walk
stops going further up at entry points (mains, console scripts, CLI
commands, tests) and endpoint handlers: who calls those is outside the
program. ``MAX_DEPTH`` and ``MAX_CALLERS`` bound the walk on huge graphs,
and the answer says when it was cut.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from codemap.model import Symbol

MAX_DEPTH = 8
MAX_CALLERS = 2000


@dataclass(frozen=True)
class BlastEntry:
    symbol: Symbol
    via: list[str]  # ids from the symbol it calls down to the changed symbol
    depth: int
    changed: str = ""  # id of the changed symbol this path reaches
    line: int | None = None  # the call site in this symbol
    confidence: str | None = None
    entry_point: str | None = None  # its entry-point kind, when it is one
    endpoint: str | None = None  # "GET /users/<id>" when it handles a route
    test: bool = False


@dataclass
class Blast:
    entries: list[BlastEntry] = field(default_factory=list)
    truncated: bool = False
    reach: dict[str, int] = field(default_factory=dict)  # changed id -> callers reached
    entry_reach: dict[str, list[str]] = field(default_factory=dict)  # changed id -> entry names


_CONF = ("exact", "likely", "guess")


def blast_radius(reader: object, starts: dict[int, Symbol], *,
                 entry_kinds: dict[str, str] | None = None,
                 endpoints: dict[str, str] | None = None,
                 tests: Iterable[str] = (),
                 max_depth: int = MAX_DEPTH, max_callers: int = MAX_CALLERS) -> Blast:
    """Callers of the symbols ``starts`` (index row id -> changed symbol)."""
    conn = reader.conn  # type: ignore[attr-defined]
    entry_kinds = entry_kinds or {}
    endpoints = endpoints or {}
    test_ids = set(tests)
    memo: dict[int, list[tuple[int, int | None, str]]] = {}
    symbols: dict[int, Symbol | None] = {}

    def callers_of(rid: int) -> list[tuple[int, int | None, str]]:
        found = memo.get(rid)
        if found is None:
            found = memo[rid] = [
                (c, line, _CONF[min(rank, 2)]) for c, line, rank in conn.execute(
                    "SELECT caller_id, MIN(line), MIN(CASE confidence WHEN 'exact' THEN 0 "
                    "WHEN 'likely' THEN 1 ELSE 2 END) FROM edges WHERE callee_id = ? "
                    "GROUP BY caller_id ORDER BY caller_id", (rid,))]
        return found

    def symbol(rid: int) -> Symbol | None:
        if rid not in symbols:
            symbols[rid] = reader.by_row_id(rid)  # type: ignore[attr-defined]
        return symbols[rid]

    out = Blast()
    best: dict[str, BlastEntry] = {}
    start_ids = {sym.id for sym in starts.values()}
    for start_rid, start in starts.items():
        seen = {start_rid}
        queue: deque[tuple[int, str, int, list[str]]] = deque([(start_rid, start.id, 0, [])])
        reached = 0
        while queue:
            rid, my_id, depth, below = queue.popleft()
            if depth >= max_depth:
                out.truncated = True
                continue
            for caller, line, confidence in callers_of(rid):
                if caller in seen:
                    continue
                seen.add(caller)
                sym = symbol(caller)
                if sym is None or sym.id in start_ids:
                    continue
                if reached >= max_callers:
                    out.truncated = True
                    queue.clear()
                    break
                reached += 1
                via = [my_id, *below]
                entry = BlastEntry(sym, via, depth + 1, start.id, line, confidence,
                                   entry_kinds.get(sym.id), endpoints.get(sym.id),
                                   sym.id in test_ids)
                old = best.get(sym.id)
                if old is None or entry.depth < old.depth:
                    best[sym.id] = entry
                if entry.entry_point or entry.endpoint:
                    out.entry_reach.setdefault(start.id, []).append(
                        entry.endpoint or f"{entry.entry_point} {sym.qualname}")
                if sym.kind == "module" or entry.entry_point or entry.endpoint or entry.test:
                    continue  # the top of the program: nothing in it calls further up
                queue.append((caller, sym.id, depth + 1, via))
        out.reach[start.id] = reached
    out.entries = sorted(best.values(), key=lambda e: (e.depth, e.symbol.path, e.symbol.start_line))
    return out
