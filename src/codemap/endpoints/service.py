"""``codemap endpoints`` and ``codemap endpoint``: detect routes, match requests.

Detection takes from the index every file's role and the route facts of
every file that can declare routes on its own (an anchor,
:mod:`codemap.endpoints.anchors`; extracted by the index workers,
:mod:`codemap.endpoints.indexing`), links them across files, reading other
files' facts only where a name leads (references, cached by content hash),
composes prefixes and resolves handlers through the index; the result is
cached under a digest of the index state, so a warm ``codemap endpoint``
only refreshes the index, reads the cached endpoints, matches and asks the
call graph for each handler's callees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from codemap.endpoints.freshness import IndexState
from codemap.endpoints.model import Endpoint, EndpointList, EndpointMatch, MatchResult
from codemap.errors import InputError
from codemap.index.store import IndexReader
from codemap.model import Symbol
from codemap.repo import Repo

if TYPE_CHECKING:
    from codemap.endpoints.store import EndpointStore

CALLEE_DEPTH = 3  # how far "everything the handler calls" reaches
MAX_CALLEES = 200


def _digest(state: IndexState) -> str:
    from codemap.endpoints.store import code_version

    return state.digest(code_version())


def _symbol_json(sym: Symbol | None) -> dict[str, Any] | None:
    return None if sym is None else {
        "id": sym.id, "name": sym.name, "qualname": sym.qualname, "kind": sym.kind,
        "language": sym.language, "path": sym.path, "start_line": sym.start_line,
        "end_line": sym.end_line}


def _symbol(data: dict[str, Any] | None) -> Symbol | None:
    return None if data is None else Symbol(**data)


def _roles(reader: IndexReader) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The facts of every anchor of the index, and the references (path order)."""
    from codemap.endpoints.anchors import ANCHOR, REFERENCE
    from codemap.endpoints.indexing import load_facts

    anchors: dict[str, dict[str, Any]] = {}
    references: set[str] = set()
    for path, role, text in reader.conn.execute(
            "SELECT f.path, r.role, r.facts FROM routes r JOIN files f ON f.id = r.file_id "
            "WHERE f.status IN ('parsed', 'partial') AND f.language IS NOT NULL "
            "AND f.hash IS NOT NULL ORDER BY f.path"):
        if role == REFERENCE:
            references.add(path)
        elif role == ANCHOR:
            facts = load_facts(text)
            if facts is not None:
                anchors[path] = facts
    return anchors, references


def _detect(repo: Repo, reader: IndexReader, state: IndexState,
            store: EndpointStore) -> list[dict[str, Any]]:
    """Compose the endpoints of the index and save them in ``store``, with what composing
    them read (:class:`~codemap.endpoints.freshness.Reads`)."""
    from codemap.endpoints.freshness import Reads, anchor_hashes, module_digest

    anchors, references = _roles(reader)
    read: set[str] = set()
    everywhere = False
    records: list[dict[str, Any]] = []
    if anchors:  # else nothing declares routes: nothing to compose, nor to import for it
        records, everywhere = _compose(repo, reader, state, store, anchors, references, read)
    hashes = {p: h for p, _lang, h, _m in state.files}
    reads = Reads(anchor_hashes(reader), {p: hashes.get(p) for p in sorted(read)},
                  module_digest(state), everywhere)
    store.save_result(_digest(state), [(lead_of(r["shape"], r["prefix"]), r) for r in records],
                      set(hashes), reads.to_json())
    return records


def _compose(repo: Repo, reader: IndexReader, state: IndexState, store: EndpointStore,
             anchors: dict[str, dict[str, Any]], references: set[str],
             read: set[str]) -> tuple[list[dict[str, Any]], bool]:
    """The endpoint records, and whether handlers were looked up over every file; adds to
    ``read`` the files read beyond the anchors."""
    from codemap.endpoints.compose import compose
    from codemap.endpoints.dependencies import DependencyResolver
    from codemap.endpoints.facts import extract_file
    from codemap.endpoints.handlers import HandlerResolver
    from codemap.endpoints.linker import FileCtx, Workspace
    from codemap.endpoints.patterns import UNKNOWN, compile_route, display

    root = str(repo.root)
    modules = {p: m for p, _lang, _h, m in state.files}
    langs = {p: lang for p, lang, _h, _m in state.files}
    hashes = {p: h for p, _lang, h, _m in state.files}

    def load(path: str) -> dict[str, Any] | None:
        read.add(path)
        if path not in references:
            return None
        return store.reference(path, hashes[path],
                               lambda: extract_file(root, path, langs[path]))

    ws = Workspace({p: FileCtx.build(p, langs[p], modules[p], f) for p, f in anchors.items()},
                   {p: (langs[p], modules[p]) for p in langs}, load)
    ws.configs = dict(state.configs)
    composed, composer = compose(ws)
    resolver = HandlerResolver(reader, ws, composer)
    depends = DependencyResolver(composer, resolver)
    records: list[dict[str, Any]] = []
    for item in composed:
        raw = item.route
        deps = [_symbol_json(s) for s in depends.resolve(raw.framework, item.deps, raw.handler)]
        for res in resolver.resolve(raw.framework, raw.methods, raw.handler, raw.explicit):
            unknown = list(item.unknown)
            if res.unknown:
                unknown.append("handler")
            if res.candidate:  # one of several implementations (endpoints.implementations)
                unknown.append("implementation")
            route = display(item.parts)
            compiled = compile_route(tuple((p[0], p[1]) for p in item.parts))
            if UNKNOWN in compiled.shape:  # e.g. a regex Python cannot compile
                unknown.append("route")
            records.append({
                "method": res.method, "route": route, "framework": raw.framework,
                "handler": _symbol_json(res.symbol), "path": raw.path, "line": raw.line,
                "unknown": sorted(set(unknown)), "parts": [list(p) for p in item.parts],
                "order": len(records), "prefix": compiled.prefix.lower(),
                "shape": compiled.shape, "dependencies": deps})
    read.update(resolver.read)
    return records, resolver.everywhere


def _stored(store: EndpointStore, reader: IndexReader, state: IndexState, *,
            refile: bool = True) -> bool:
    """Is the stored answer the index's: by digest, or because nothing it read changed
    (:mod:`codemap.endpoints.freshness`; then, with ``refile``, it is filed under the
    new digest)?"""
    from codemap.endpoints.freshness import Reads, still_valid

    digest = _digest(state)
    if store.has_result(digest):
        return True
    if not still_valid(Reads.from_json(store.reads()), state, reader):
        return False
    if refile:
        store.refile(digest)
    return True


def prepare(repo: Repo, reader: IndexReader) -> None:
    """Compose the endpoints of a freshly built index now, unless the stored answer is
    still right (``codemap index``: the first ``codemap endpoints`` then only reads; it
    files a still-right answer under the new digest, a write the index need not wait for)."""
    from codemap.endpoints.store import EndpointStore

    state = IndexState.read(reader)
    store = EndpointStore(repo)
    try:
        if not _stored(store, reader, state, refile=False):
            _detect(repo, reader, state, store)
    finally:
        store.close()


def lead_of(shape: str, prefix: str) -> str:
    """The first path segment every match of a route has, or "" when it is not literal."""
    body = shape.lstrip("/")
    head, slash, _rest = body.partition("/")
    if not head or "{" in head or (not slash and "{" in shape):
        return ""
    if not prefix.lstrip("/").startswith(head.lower()):
        return ""
    return head.lower()


def endpoint_records(repo: Repo, reader: IndexReader | None = None, *,
                     leads: list[str] | None = None,
                     need_edges: bool = True) -> tuple[IndexReader, list[dict[str, Any]]]:
    """The detected endpoints as cached records (with their route parts), and the reader.

    ``leads`` narrows a warm read to routes starting with those path segments;
    ``need_edges`` false: the caller never asks the call graph (a listing).
    """
    from codemap.endpoints.store import EndpointStore
    from codemap.index.service import open_index

    reader = reader or open_index(repo, need_edges=need_edges)
    state = IndexState.read(reader)
    store = EndpointStore(repo)
    try:
        if _stored(store, reader, state):
            return reader, store.records(leads)
        records = _detect(repo, reader, state, store)
    finally:
        store.close()
    if leads is not None:
        records = [r for r in records if lead_of(r["shape"], r["prefix"]) in leads]
    return reader, records


def _endpoint(record: dict[str, Any]) -> Endpoint:
    return Endpoint(record["method"], record["route"], record["framework"],
                    _symbol(record["handler"]), record["path"], record["line"],
                    list(record["unknown"]),
                    "".join(p[0] for p in record.get("parts", ())) or record["route"])


def list_endpoints(repo: Repo) -> EndpointList:
    """Every endpoint of the repository, in the order its framework registers them; those
    declared in test files (a test's own app, a router under test) apart."""
    from codemap.endpoints.frameworks import FRAMEWORKS
    from codemap.entrypoints import in_test_file

    _reader, records = endpoint_records(repo, need_edges=False)
    app, tests = [], []
    for r in records:
        (tests if in_test_file(r["path"]) else app).append(_endpoint(r))
    return EndpointList(app, tests, sorted({f.name for f in FRAMEWORKS}))


def match_endpoint(repo: Repo, request: str) -> MatchResult:
    """The endpoints a request (line, URL, log line or pattern) reaches, best first."""
    from codemap.endpoints.matching import match
    from codemap.endpoints.request import parse_request

    parsed = parse_request(request)
    if isinstance(parsed, str):
        raise InputError(parsed)
    from codemap.entrypoints import in_test_file

    reader, records = endpoint_records(repo, leads=_leads(parsed.path))
    hits = list(match(records, parsed))
    app = [hit for hit in hits if not in_test_file(hit.record["path"])]
    matches = []  # a route a test declares only when no route of the application matches
    for rank, hit in enumerate(app or hits, start=1):
        r = hit.record
        handler = _symbol(r["handler"])
        deps = [s for s in map(_symbol, r.get("dependencies", ())) if s is not None]
        matches.append(EndpointMatch(
            r["method"], r["route"], r["framework"], handler, r["path"], r["line"],
            list(r["unknown"]), hit.params, _callees(repo, reader, handler, deps),
            hit.exact_method, hit.redirect, rank, deps))
    return MatchResult(request, parsed, matches)


def _leads(path: str) -> list[str] | None:
    """Route leads a request path can match: its first segment, and routes with no literal
    one; None (every route) when the first segment is itself a parameter pattern."""
    from urllib.parse import unquote

    from codemap.endpoints.patterns import compile_route

    first = path.lstrip("/").split("/", 1)[0]
    out = [""]
    for candidate in {first, unquote(first, errors="replace")}:
        shape = compile_route(((candidate, "any"),)).shape
        if candidate and "{" not in shape:
            out.append(candidate.lower())
        elif candidate:
            return None
    return out


def _callees(repo: Repo, reader: IndexReader, handler: Symbol | None,
             dependencies: Sequence[Symbol] = ()) -> list[Symbol]:
    """Symbols reachable from the handler and from the endpoint's dependencies (which run
    on every request before it: :mod:`codemap.endpoints.dependencies`) through the call
    graph, nearest first: the dependencies are one call away, as the handler's own callees.

    An inline handler the index has no symbol for (an anonymous function
    passed to ``app.get``) takes the calls made on its own lines from its
    enclosing symbol, and what those reach.
    """
    reached: list[tuple[int, int, Symbol]] = []  # (distance, order, symbol)
    if handler is not None:
        reached += [(d, len(reached) + i, s) for i, (d, s) in
                    enumerate(_reached(repo, reader, handler, CALLEE_DEPTH))]
    for dep in dependencies:
        reached.append((1, len(reached), dep))
        reached += [(d + 1, len(reached) + i, s) for i, (d, s) in
                    enumerate(_reached(repo, reader, dep, CALLEE_DEPTH - 1))]
    reached.sort(key=lambda r: (r[0], r[1]))
    out: list[Symbol] = []
    seen = {handler.id} if handler is not None else set()
    for _d, _o, sym in reached:
        if sym.id not in seen:
            seen.add(sym.id)
            out.append(sym)
            if len(out) >= MAX_CALLEES:
                break
    return out


def _reached(repo: Repo, reader: IndexReader, root: Symbol,
             depth: int) -> list[tuple[int, Symbol]]:
    """(distance, symbol) of what ``root`` reaches in the call graph, nearest first, through
    exact and likely edges (a guess by method name is not the request's path)."""
    if depth < 1:
        return []
    from codemap import graph

    known = reader.symbol_row_id(root) is not None
    result = graph.callees(repo, root.id, depth=depth, reader=reader)
    kept: set[str] = {root.id}
    out: list[tuple[int, Symbol]] = []
    for ref in result.callees:
        if ref.confidence == "guess" or (ref.depth > 1 and ref.via not in kept):
            continue  # a guess by name, or reached through one only: not the request's path
        if not known:
            inside = ref.depth == 1 and root.start_line <= ref.line <= root.end_line
            if not inside and ref.via not in kept:
                continue
        kept.add(ref.symbol.id)
        if ref.symbol.id != root.id:
            out.append((ref.depth, ref.symbol))
        if len(out) >= MAX_CALLEES:
            break
    return out
