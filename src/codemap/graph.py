"""Call-graph queries: the whole graph, callers, callees, and call paths.

All queries read the ``edges`` table the resolver wrote
(:mod:`codemap.index.resolve`): breadth-first, one indexed SQL query per
depth level, so ``callers --depth 3`` on a large repository stays fast.
Cycles (recursion, mutual recursion) are handled by expanding each symbol
once; the queried symbol may show up as its own caller. Paths are
enumerated shortest first with an exact distance-to-target heuristic, so
the first paths found are the shortest, and both their number and length
are bounded.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable

from codemap.errors import UsageError
from codemap.graphmodel import (
    CalleesResult,
    CallersResult,
    CallPath,
    CallRef,
    Edge,
    EntryPoint,
    GraphResult,
    PathsResult,
)
from codemap.index.store import IndexReader, row_symbol
from codemap.model import Symbol
from codemap.repo import Repo

MAX_DEPTH = 20
MAX_PATH_LENGTH = 12
MAX_PATHS = 200
SEARCH_BUDGET = 50_000  # partial paths examined at most by ``paths``
RANK = {"exact": 0, "likely": 1, "guess": 2}
_COLS = "s.id, s.name, s.qualname, s.kind, f.language, f.path, s.start_line, s.end_line"
_LOCATION = re.compile(r"^(?P<path>.+):(?P<line>[0-9]{1,9})$")  # longer: no line


def _open(repo: Repo) -> IndexReader:
    from codemap.index.service import open_index

    return open_index(repo)


def symbols_by_row(reader: IndexReader, ids: Iterable[int]) -> dict[int, Symbol]:
    """Row id -> Symbol for many symbols at once."""
    wanted = list(dict.fromkeys(ids))
    out: dict[int, Symbol] = {}
    for start in range(0, len(wanted), 900):
        chunk = wanted[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for row in reader.conn.execute(
                f"SELECT {_COLS} FROM symbols s JOIN files f ON f.id = s.file_id "
                f"WHERE s.id IN ({marks})", chunk):
            out[row[0]] = row_symbol(row[1:])
    return out


def pick_symbol(repo: Repo, reader: IndexReader, text: str
                ) -> tuple[Symbol | None, list[Symbol], list[Symbol]]:
    """(the symbol, ambiguous matches, near names) that a SYMBOL argument names."""
    text = text.strip()
    if not text:
        raise UsageError("empty symbol argument")
    m = _LOCATION.match(text)
    if m:
        from codemap.index.service import parse_location

        try:
            path, line = parse_location(repo, text)
        except UsageError:
            path, line = m.group("path"), int(m.group("line"))
        sym = reader.symbol_at(path, line)
        if sym is not None:
            return sym, [], []
    from codemap.targets import lookup_symbol, near_names

    found = lookup_symbol(reader, text)  # (JVM names too: Outer$Inner.m, Cls.<init>)
    if len(found) == 1:
        return found[0], [], []
    if found:
        return None, found, []
    return None, [], near_names(repo, reader, text)


def _row_ids(reader: IndexReader, syms: list[Symbol]) -> dict[tuple[str, int, str], int]:
    """(path, start line, qualname) -> row id for many symbols (one query per file batch)."""
    paths = sorted({s.path for s in syms})
    out: dict[tuple[str, int, str], int] = {}
    for start in range(0, len(paths), 900):
        chunk = paths[start:start + 900]
        marks = ",".join("?" * len(chunk))
        for row_id, path, line, qual in reader.conn.execute(
                "SELECT s.id, f.path, s.start_line, s.qualname FROM symbols s "
                f"JOIN files f ON f.id = s.file_id WHERE f.path IN ({marks})", chunk):
            out.setdefault((path, line, qual), row_id)
    return out


def _row_id(reader: IndexReader, sym: Symbol) -> int:
    row_id = reader.symbol_row_id(sym)
    if row_id is None:  # pragma: no cover - the symbol came from this index
        raise UsageError(f"{sym.qualname} is not in the index")
    return row_id


def _seeds(reader: IndexReader, sym: Symbol, row_id: int) -> list[int]:
    """The symbol's row, plus its constructors when it is a class (calls to ``Foo()``)."""
    if sym.kind != "class":
        return [row_id]
    from codemap.index.callrules import call_rules

    rules = call_rules(sym.language)
    names = [*rules.constructors, *([sym.name] if rules.constructor_is_class_name else [])]
    if not names:
        return [row_id]
    marks = ",".join("?" * len(names))
    ctors = [r[0] for r in reader.conn.execute(
        f"SELECT id FROM symbols WHERE parent_id = ? AND name IN ({marks})", (row_id, *names))]
    return [row_id, *ctors]


def _walk(reader: IndexReader, seeds: list[int], depth: int, *, backwards: bool
          ) -> list[tuple[int, int, int, str, int, list[int]]]:
    """Breadth-first over edges: (symbol row, depth, line, confidence, via row, lines)."""
    if depth < 1:
        raise UsageError("--depth must be at least 1")
    depth = min(depth, MAX_DEPTH)
    near, far = ("caller_id", "callee_id") if backwards else ("callee_id", "caller_id")
    expanded = set(seeds)
    listed: set[int] = set()
    frontier = list(seeds)
    out: list[tuple[int, int, int, str, int, list[int]]] = []
    for level in range(1, depth + 1):
        if not frontier:
            break
        found: dict[int, list] = {}
        for start in range(0, len(frontier), 900):
            chunk = frontier[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for other, here, line, conf in reader.conn.execute(
                    f"SELECT {near}, {far}, line, confidence FROM edges WHERE {far} IN ({marks}) "
                    f"ORDER BY line", chunk):
                if other in listed:
                    continue
                entry = found.get(other)
                if entry is None:
                    found[other] = [line, conf or "exact", here, [line]]
                else:
                    entry[3].append(line)
                    if RANK.get(conf or "exact", 0) < RANK.get(entry[1], 0):
                        entry[1] = conf
        frontier = []
        for other, (line, conf, via, lines) in found.items():
            listed.add(other)
            out.append((other, level, line, conf, via, sorted(set(lines))))
            if other not in expanded:
                expanded.add(other)
                frontier.append(other)
    return out


# public names for other features walking the graph (review's blast radius)
walk_edges = _walk
seeds_of = _seeds


def _related(repo: Repo, symbol: str, depth: int, *, backwards: bool,
             reader: IndexReader | None = None
             ) -> tuple[Symbol | None, list[CallRef], list[Symbol], list[Symbol]]:
    reader = reader or _open(repo)
    sym, matches, near = pick_symbol(repo, reader, symbol)
    if sym is None:
        return None, [], matches, near
    row_id = _row_id(reader, sym)
    seeds = _seeds(reader, sym, row_id) if backwards else [row_id]
    rows = _walk(reader, seeds, depth, backwards=backwards)
    syms = symbols_by_row(reader, [r[0] for r in rows] + [r[4] for r in rows])
    refs = [CallRef(syms[r[0]], r[2], r[1], r[3], syms[r[4]].id, r[5])
            for r in rows if r[0] in syms and r[4] in syms]
    refs.sort(key=lambda c: (c.depth, c.symbol.path, c.line))
    return sym, refs, [], []


def callers(repo: Repo, symbol: str, depth: int = 1, *,
            reader: IndexReader | None = None) -> CallersResult:
    """Who calls ``symbol``, transitively up to ``depth`` calls away.

    ``reader``: an index the caller already opened (with edges), so it is not
    refreshed a second time.
    """
    sym, refs, matches, near = _related(repo, symbol, depth, backwards=True, reader=reader)
    return CallersResult(sym, refs, matches, near)


def callees(repo: Repo, symbol: str, depth: int = 1, *,
            reader: IndexReader | None = None) -> CalleesResult:
    """What ``symbol`` calls, transitively up to ``depth`` calls away (``reader``: as
    for :func:`callers`)."""
    sym, refs, matches, near = _related(repo, symbol, depth, backwards=False, reader=reader)
    return CalleesResult(sym, refs, matches, near)


def whole_graph(repo: Repo) -> GraphResult:
    """Every symbol and every resolved call edge."""
    reader = _open(repo)
    ids: dict[int, str] = {}
    symbols: list[Symbol] = []
    for row in reader.conn.execute(
            f"SELECT {_COLS} FROM symbols s JOIN files f ON f.id = s.file_id "
            "ORDER BY f.path, s.start_line, s.id"):
        sym = row_symbol(row[1:])
        ids[row[0]] = sym.id
        symbols.append(sym)
    edges = [Edge(ids[c], ids[t], line, conf or "exact") for c, t, line, conf in reader.conn.execute(
        "SELECT caller_id, callee_id, line, confidence FROM edges ORDER BY caller_id, line")
        if c in ids and t in ids]
    return GraphResult(symbols, edges)


def entry_points(repo: Repo, reader: IndexReader | None = None) -> list[EntryPoint]:
    """Where execution starts: scripts, main functions and blocks, tests, routes."""
    from codemap.entrypoints import detect_entry_points

    return detect_entry_points(repo, reader or _open(repo))


def call_paths(repo: Repo, to: str, source: str | None = None, max_paths: int = 10,
               max_length: int = MAX_PATH_LENGTH) -> PathsResult:
    """Call paths to ``to`` from ``source`` (or from every entry point), shortest first."""
    if max_paths < 1:
        raise UsageError("--max must be at least 1")
    if max_length < 1:
        raise UsageError("--max-length must be at least 1")
    max_paths = min(max_paths, MAX_PATHS)
    reader = _open(repo)
    target, matches, near = pick_symbol(repo, reader, to)
    if target is None:
        return PathsResult([], None, None, matches, near)
    target_rows = _seeds(reader, target, _row_id(reader, target))
    entries: dict[int, EntryPoint] = {}
    start: Symbol | None = None
    if source is not None:
        start, matches, near = pick_symbol(repo, reader, source)
        if start is None:
            return PathsResult([], target, None, matches, near)
        sources = {_row_id(reader, start)}
    else:
        found_entries = entry_points(repo, reader)
        rows = _row_ids(reader, [e.symbol for e in found_entries])
        for entry in found_entries:
            row = rows.get((entry.symbol.path, entry.symbol.start_line, entry.symbol.qualname))
            if row is not None:
                entries.setdefault(row, entry)
        sources = set(entries)
    found = _shortest_paths(reader, sources, set(target_rows), max_paths, max_length)
    syms = symbols_by_row(reader, [n for path, _ in found for n in path])
    paths = []
    for nodes, edges in found:
        path_syms = [syms[n] for n in nodes]
        path_edges = [Edge(syms[a].id, syms[b].id, line, conf) for a, b, line, conf in edges]
        paths.append(CallPath(path_syms, path_edges, entries.get(nodes[0])))
    return PathsResult(paths, target, start, [], [], len(entries))


def _shortest_paths(reader: IndexReader, sources: set[int], targets: set[int], max_paths: int,
                    max_length: int) -> list[tuple[list[int], list[tuple[int, int, int, str]]]]:
    """Simple paths from any source to any target, shortest (then surest) first."""
    if not sources:
        return []
    # backwards from the targets: exact distance to a target, and the edges on the way
    dist: dict[int, int] = {t: 0 for t in targets}
    forward: dict[int, list[tuple[int, int, str]]] = {}
    frontier = list(targets)
    for level in range(1, max_length + 1):
        if not frontier:
            break
        nxt: list[int] = []
        for start in range(0, len(frontier), 900):
            chunk = frontier[start:start + 900]
            marks = ",".join("?" * len(chunk))
            for caller, callee, line, conf in reader.conn.execute(
                    f"SELECT caller_id, callee_id, line, confidence FROM edges "
                    f"WHERE callee_id IN ({marks})", chunk):
                forward.setdefault(caller, []).append((callee, line, conf or "exact"))
                if caller not in dist:
                    dist[caller] = level
                    nxt.append(caller)
        frontier = nxt
    for edges in forward.values():
        edges.sort(key=lambda e: (dist.get(e[0], max_length + 1), RANK.get(e[2], 0), e[1]))
    # best-first over partial paths: priority = (length + distance left, uncertain edges)
    heap: list[tuple[int, int, int, list[int], list[tuple[int, int, int, str]]]] = []
    counter = 0
    for s in sorted(sources):
        if s in dist:
            heap.append((dist[s], 0, counter, [s], []))
            counter += 1
    heapq.heapify(heap)
    results: list[tuple[list[int], list[tuple[int, int, int, str]]]] = []
    seen_paths: set[tuple[int, ...]] = set()
    budget = SEARCH_BUDGET
    while heap and len(results) < max_paths and budget > 0:
        budget -= 1
        _prio, doubt, _, nodes, edges = heapq.heappop(heap)
        node = nodes[-1]
        if node in targets and edges:
            key = tuple(nodes)
            if key not in seen_paths:
                seen_paths.add(key)
                results.append((nodes, edges))
            continue
        if node in targets and not edges:  # the source is the target itself
            results.append((nodes, edges))
            continue
        if len(edges) >= max_length:
            continue
        best_line: dict[int, tuple[int, str]] = {}
        for callee, line, conf in forward.get(node, ()):
            if callee in nodes or callee not in dist:
                continue
            prev = best_line.get(callee)
            if prev is None or RANK.get(conf, 0) < RANK.get(prev[1], 0):
                best_line[callee] = (line, conf)
        for callee, (line, conf) in best_line.items():
            length = len(edges) + 1
            if length + dist[callee] > max_length:
                continue
            counter += 1
            heapq.heappush(heap, (length + dist[callee], doubt + (RANK.get(conf, 0) > 0), counter,
                                  [*nodes, callee], [*edges, (node, callee, line, conf)]))
    return results
