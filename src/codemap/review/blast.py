"""Blast radius: everything that calls a changed symbol, transitively, up to the entry points.

For each changed symbol the call graph is walked backwards, breadth first
(a class is entered through its constructors too, as ``codemap callers``
does). An entry's ``confidence`` is the weakest edge along its path, not
its last hop's: one name-only guess makes everything beyond it a guess. So
guess edges are followed for one hop only, from the changed symbol itself:
a guessed direct caller is listed (marked ``guess``), but what calls *it*
is not this change's blast radius. Exact and likely edges are followed to
``MAX_DEPTH``; each caller is reported once, on its strongest path (the
shortest among those), with ``via``: the chain of symbol ids from the
symbol it calls down to the changed symbol. ``reach`` counts callers
reached through exact or likely edges; ``guess_reach`` the guessed ones.

Callers that are entry points (mains, console scripts, CLI commands, tests)
or endpoint handlers are marked: they are where the change meets the
outside world. ``MAX_DEPTH`` and ``MAX_CALLERS`` bound the walk on huge
graphs, and the answer says when it was cut.
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
RANK = {"exact": 0, "likely": 1, "guess": 2}
CONFIDENCES = ("exact", "likely", "guess")


@dataclass(frozen=True)
class BlastEntry:
    symbol: Symbol
    via: list[str]  # ids from the symbol it calls down to the changed symbol
    depth: int
    changed: str = ""  # id of the changed symbol this path reaches
    line: int | None = None  # the call site in this symbol
    confidence: str | None = None  # the weakest edge along the path
    entry_point: str | None = None  # its entry-point kind, when it is one
    endpoint: str | None = None  # "GET /users/<id>" when it handles a route
    test: bool = False


@dataclass
class Blast:
    entries: list[BlastEntry] = field(default_factory=list)
    truncated: bool = False
    reach: dict[str, int] = field(default_factory=dict)  # changed id -> exact/likely callers
    guess_reach: dict[str, int] = field(default_factory=dict)  # changed id -> guessed callers
    entry_reach: dict[str, list[str]] = field(default_factory=dict)  # changed id -> entries


# (caller row, depth, call line, weakest confidence on the path, rows from the one it calls
# down to the seed, the seed left out)
Row = tuple[int, int, int, str, tuple[int, ...]]


def _called(reader: object, ids: list[int]) -> set[int]:
    """Which of ``ids`` have at least one caller (one query per 900 ids)."""
    out: set[int] = set()
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        marks = ",".join("?" * len(chunk))
        out.update(r[0] for r in reader.conn.execute(  # type: ignore[attr-defined]
            f"SELECT DISTINCT callee_id FROM edges WHERE callee_id IN ({marks})", chunk))
    return out


def _callers_of(reader: object, rows: list[int]) -> Iterable[tuple[int, int, int, str]]:
    """(caller, callee, line, confidence) of every edge into ``rows``, by line."""
    for start in range(0, len(rows), 900):
        chunk = rows[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for caller, callee, line, conf in reader.conn.execute(  # type: ignore[attr-defined]
                "SELECT caller_id, callee_id, line, confidence FROM edges "
                f"WHERE callee_id IN ({marks}) ORDER BY line", chunk):
            yield caller, callee, line, conf or "exact"


def _walk(reader: object, seeds: list[int], depth: int, weakest: str
          ) -> tuple[list[Row], bool]:
    """Breadth first backwards over edges no weaker than ``weakest``.

    Returns the rows and whether an edge weaker than exact was followed.
    """
    limit = RANK[weakest]
    conf_of = dict.fromkeys(seeds, "exact")
    seed_set = set(seeds)
    chain_of: dict[int, tuple[int, ...]] = dict.fromkeys(seeds, ())
    frontier = list(seeds)
    out: list[Row] = []
    weaker = False
    for level in range(1, depth + 1):
        if not frontier:
            break
        found: dict[int, list] = {}
        for caller, callee, line, conf in _callers_of(reader, frontier):
            rank = RANK.get(conf, 2)
            if rank > limit or caller in conf_of:
                continue
            weaker = weaker or rank > 0
            path = CONFIDENCES[max(rank, RANK[conf_of[callee]])]
            old = found.get(caller)
            if old is None or RANK[path] < RANK[old[1]]:
                found[caller] = [line, path, callee]
        frontier = []
        for caller, (line, path, via) in found.items():
            conf_of[caller] = path
            chain_of[caller] = () if via in seed_set else (via, *chain_of[via])
            out.append((caller, level, line, path, chain_of[caller]))
            frontier.append(caller)
    return out, weaker


def walk_confident(reader: object, seeds: list[int], depth: int) -> list[Row]:
    """Callers of ``seeds``, each once on its strongest path (shortest among those).

    Exact and likely edges are followed up to ``depth``; guess edges only into
    the seeds themselves (a guessed caller is listed, not walked on from).
    """
    rows, weaker = _walk(reader, seeds, depth, "likely")
    if weaker:  # a caller reached through a likely edge may also be reached exactly, deeper
        exact, _ = _walk(reader, seeds, depth, "exact")
        known = {r[0] for r in exact}
        rows = exact + [r for r in rows if r[0] not in known]
    known = {r[0] for r in rows} | set(seeds)
    guessed: dict[int, Row] = {}
    for caller, _callee, line, conf in _callers_of(reader, seeds):
        if conf == "guess" and caller not in known and caller not in guessed:
            guessed[caller] = (caller, 1, line, "guess", ())
    return rows + list(guessed.values())


def blast_radius(reader: object, starts: dict[int, Symbol], *,
                 entry_kinds: dict[str, str] | None = None,
                 endpoints: dict[str, str] | None = None,
                 tests: Iterable[str] = (),
                 max_depth: int = MAX_DEPTH, max_callers: int = MAX_CALLERS) -> Blast:
    """Callers of the symbols ``starts`` (index row id -> changed symbol)."""
    from codemap.graph import seeds_of as _seeds
    from codemap.graph import symbols_by_row

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
        rows = walk_confident(reader, seeds, max_depth)
        budget -= len(rows)
        if any(r[1] == max_depth for r in rows):
            out.truncated = True
        if len(rows) > max_callers:
            rows = sorted(rows, key=lambda r: (RANK[r[3]], r[1]))[:max_callers]
            out.truncated = True
        listed = {r[0] for r in rows}
        syms = symbols_by_row(reader, [*listed, *{hop for r in rows for hop in r[4]  # type: ignore[arg-type]
                                                  if hop not in listed}])
        seed_set = set(seeds)
        reached = guessed = 0
        for other, depth, line, conf, hops in rows:
            sym = syms.get(other)
            if sym is None or other in seed_set or sym.id in start_ids:
                continue
            chain = [syms[hop].id for hop in hops if hop in syms]
            chain.append(start.id)
            if conf == "guess":
                guessed += 1
            else:
                reached += 1
            entry = BlastEntry(sym, chain, depth, start.id, line, conf, entry_kinds.get(sym.id),
                               endpoints.get(sym.id), sym.id in test_ids)
            old = best.get(sym.id)
            if old is None or (RANK[conf], depth) < (RANK[old.confidence or "exact"], old.depth):
                best[sym.id] = entry
            if conf != "guess" and (entry.entry_point or entry.endpoint):
                out.entry_reach.setdefault(start.id, []).append(
                    entry.endpoint or f"{entry.entry_point} {sym.qualname}")
        out.reach[start.id] = reached
        if guessed:
            out.guess_reach[start.id] = guessed
    out.entries = sorted(best.values(),
                         key=lambda e: (e.depth, e.symbol.path, e.symbol.start_line))
    return out
