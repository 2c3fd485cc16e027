"""Blast radius: everything that calls a changed symbol, transitively, up to the entry points.

For each changed symbol the call graph is walked backwards with
:mod:`codemap.graph`'s breadth-first walk (a class is entered through its
constructors too, as ``codemap callers`` does). Each caller is reported once,
at its smallest depth, with ``via``: the chain of symbol ids from the symbol
it calls down to the changed symbol. Callers that are entry points (mains,
console scripts, CLI commands, tests) or endpoint handlers are marked: they
are where the change meets the outside world. ``MAX_DEPTH`` and
``MAX_CALLERS`` bound the walk on huge graphs, and the answer says when it
was cut.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from codemap.model import Symbol

MAX_DEPTH = 8
MAX_CALLERS = 2000
# callers walked over all changed symbols together: a change that adds a whole code base
# (a root commit, a vendored import) changes 100,000s of symbols, each walked on its own
MAX_TOTAL = 50_000


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
    entry_reach: dict[str, list[str]] = field(default_factory=dict)  # changed id -> entries


def _called(reader: object, ids: list[int]) -> set[int]:
    """Which of ``ids`` have at least one caller (one query per 900 ids)."""
    out: set[int] = set()
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in reader.conn.execute(  # type: ignore[attr-defined]
            f"SELECT DISTINCT callee_id FROM edges WHERE callee_id IN ({marks})", chunk))
    return out


def blast_radius(reader: object, starts: dict[int, Symbol], *,
                 entry_kinds: dict[str, str] | None = None,
                 endpoints: dict[str, str] | None = None,
                 tests: Iterable[str] = (),
                 max_depth: int = MAX_DEPTH, max_callers: int = MAX_CALLERS) -> Blast:
    """Callers of the symbols ``starts`` (index row id -> changed symbol)."""
    from codemap.graph import seeds_of as _seeds
    from codemap.graph import symbols_by_row
    from codemap.graph import walk_edges as _walk

    entry_kinds = entry_kinds or {}
    endpoints = endpoints or {}
    test_ids = set(tests)
    start_ids = {sym.id for sym in starts.values()}
    out = Blast()
    best: dict[str, BlastEntry] = {}
    called = _called(reader, list(starts))
    budget = MAX_TOTAL
    for rid, start in starts.items():
        if budget <= 0:  # the rest is not walked; the answer says it was cut
            out.truncated = True
            break
        seeds = _seeds(reader, start, rid)  # type: ignore[arg-type]
        # a class is also called through its constructors (asked here, for classes only)
        if rid not in called and (len(seeds) == 1 or not _called(reader, seeds[1:])):
            out.reach[start.id] = 0
            continue
        rows = _walk(reader, seeds, max_depth, backwards=True)  # type: ignore[arg-type]
        budget -= len(rows)
        if any(r[1] == max_depth for r in rows):
            out.truncated = True
        if len(rows) > max_callers:
            rows = rows[:max_callers]
            out.truncated = True
        syms = symbols_by_row(reader, [r[0] for r in rows])  # type: ignore[arg-type]
        seed_set = set(seeds)
        via_of = {r[0]: r[4] for r in rows}
        reached = 0
        for other, depth, line, conf, _via, _lines in rows:
            sym = syms.get(other)
            if sym is None or other in seed_set or sym.id in start_ids:
                continue
            chain: list[str] = []
            hop = via_of.get(other)
            while hop is not None and hop not in seed_set and len(chain) < max_depth:
                hop_sym = syms.get(hop)
                if hop_sym is None:
                    break
                chain.append(hop_sym.id)
                hop = via_of.get(hop)
            chain.append(start.id)
            reached += 1
            entry = BlastEntry(sym, chain, depth, start.id, line, conf, entry_kinds.get(sym.id),
                               endpoints.get(sym.id), sym.id in test_ids)
            old = best.get(sym.id)
            if old is None or entry.depth < old.depth:
                best[sym.id] = entry
            if entry.entry_point or entry.endpoint:
                out.entry_reach.setdefault(start.id, []).append(
                    entry.endpoint or f"{entry.entry_point} {sym.qualname}")
        out.reach[start.id] = reached
    out.entries = sorted(best.values(),
                         key=lambda e: (e.depth, e.symbol.path, e.symbol.start_line))
    return out
