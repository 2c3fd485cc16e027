"""Resolve call sites into call-graph edges, as precisely as a static tool can.

Runs inside the index transaction whenever files changed (see
:func:`codemap.index.build._resolve`): loads the whole program once
(:class:`~codemap.index.program.Program`, with :mod:`~codemap.index.modules`
for imports), streams the call sites out of SQLite and resolves each with
dictionary lookups (:class:`~codemap.index.callsites.CallResolver`), and
bulk-writes the ``edges`` table. No per-call SQL. On two cores, when memory
allows, a forked process resolves the later files
(:mod:`~codemap.index.resolvefork`); on a cold index two processes resolve every
file, started as soon as the parsing workers are done and reading their shards
while the index merges them (:mod:`~codemap.index.resolveearly`). The edges are
the same either way.

Memory stays bounded (issue #10): what is keyed by a caller is dropped once
its file is done, and every memo is dropped when they hold MEMO_LIMIT
values, always at a file boundary. Values first computed inside a cycle
guard depend on which site asks first, so forgetting can change a rare edge;
sites come in file order, so the same tree still gives the same edges.

A call ``f()`` is looked up through the caller's scopes (locals, enclosing
functions, the module, star imports, the package); ``recv.m()`` evaluates
the receiver chain (``self``/``this``, ``super``, modules, classes, typed
locals and attributes) and looks ``m`` up in what it names, in MRO order.
Each edge carries a confidence:

* ``exact``: pinned by the language's scoping and import rules;
* ``likely``: through an inferred type, an override in a subclass, or an
  implementation of an interface method (dynamic dispatch);
* ``guess``: the receiver's type is unknown, and the method name is rare
  enough in the repository (a few definitions, or overrides of one method in
  one class hierarchy; for a property read, getters in up to three
  hierarchies) to guess; never every same-named function.

Calls into code outside the repository, and dynamic calls (``getattr``),
stay unresolved rather than guessed.
"""

from __future__ import annotations

import gc
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from codemap.index.callrules import call_rules
from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.progress import CancelToken, check_cancel

if TYPE_CHECKING:
    from codemap.index.resolveearly import EarlyPart


RANK = {"exact": 0, "likely": 1, "guess": 2}
CONFIDENCE = ("exact", "likely", "guess")
BATCH = 20_000  # call rows fetched (and resolved) at a time; cancel is checked between
SITE_MEMO = 50_000  # sites of one file remembered before that per-site memo is dropped
# derived values the resolver remembers before it forgets them all, at the next file
# boundary (a point fixed by the tree: the same tree gives the same edges). About 200 bytes
# each: this bounds the memos near 80 MiB (they grew by 550 MiB on a 15,000-file tree),
# above what a mid-sized repository needs (Django: 365,000 at the end without a split,
# about 200,000 in each part with one (resolvefork); never forgotten)
MEMO_LIMIT = 400_000

WRITE_ROWS = 50_000  # edges buffered before they are written

Best = dict[tuple[int, int, int], int]  # (caller, callee, line) -> best confidence rank
Edge = tuple[int, int, int, str]  # caller, callee, line, confidence
Site = tuple[int, int, str, str, str, int, int]  # file, caller, name, receiver, kind, argc, line
# a ``calls`` row with its defaults filled in by SQLite (no receiver: "", kind "call", argc -1)
SITE_COLUMNS = ("file_id, caller_id, name, ifnull(receiver, ''), ifnull(nullif(kind, ''), "
                "'call'), ifnull(argc, -1), line")


def resolve_all(conn: sqlite3.Connection, *, cancel: CancelToken | None = None,
                early: EarlyPart | None = None) -> None:
    """Recompute the ``edges`` table from the stored call sites (inside the caller's
    transaction). ``early``: a process resolving the later files already
    (:mod:`codemap.index.resolveearly`), which this call ends."""
    try:
        _resolve_all(conn, cancel, early)
    finally:
        if early is not None:
            early.stop()


def _resolve_all(conn: sqlite3.Connection, cancel: CancelToken | None,
                 early: EarlyPart | None) -> None:
    from codemap.index import resolvefork

    with no_gc():
        if early is not None and (found := early.take(cancel)) is not None:
            # every file resolved by the early processes: no program loaded here
            edges, pairs = found
            clear_edges(conn)
            edges.write(conn)
            _index_edges(conn, implicit_rows(conn, pairs))
            return
        before = resolvefork.resident()
        watch = resolvefork.CpuWatch()  # (while the model loads: on one core)
        program = Program(conn)
        check_cancel(cancel)
        forked: Any = None
        if (split := resolvefork.split_file(conn, program)) is None:
            where, params = site_filter(program)  # filtered before the resolver exists
            resolver = CallResolver(program)
            clear_edges(conn)
            resolve_sites(resolver, call_rows(conn, where, params),
                          lambda rows: insert_edges(conn, rows), cancel)
        elif resolvefork.can_fork(resolvefork.resident() - before, watch.others()):
            # the later files in a forked process: their edges are still to write
            resolver, forked = resolvefork.resolve_in_two(conn, program, split, cancel)
        else:
            resolver = resolvefork.resolve_as_two(conn, program, split, cancel)
        implicit = implicit_rows(conn, resolver.implicit)
        program.release()
        model = [resolver, program]
        in_memory = not program.reads_back
        del resolver, program
        # a model small enough to be held whole (EAGER_ROWS) is freed while SQLite writes
        # the forked process's edges and builds the indexes (it releases the GIL); a larger
        # one first, to bound the peak memory
        freeing = _free(model, background=in_memory)
        if forked is not None:
            forked.write(conn)
        _index_edges(conn, implicit)
        if freeing is not None:
            freeing.join()


def _index_edges(conn: sqlite3.Connection, implicit: dict[tuple[int, int, int], int]) -> None:
    """The edges' indexes, and the implicit edges merged in (looked up by caller)."""
    conn.execute("CREATE INDEX IF NOT EXISTS edges_caller ON edges(caller_id)")
    _merge_implicit(conn, implicit)
    conn.execute("CREATE INDEX IF NOT EXISTS edges_callee ON edges(callee_id)")


def _free(model: list[Any], *, background: bool) -> threading.Thread | None:
    """Drop the last references to the loaded model; when ``background``, in a thread that
    frees it a part at a time, so the GIL passes to SQLite's statements in between."""
    if not background:
        model.clear()
        return None
    thread = threading.Thread(target=_free_parts, args=(model,), name="codemap-free-model",
                              daemon=True)
    thread.start()
    return thread


def _free_parts(model: list[Any]) -> None:
    for obj in model:
        for name in list(vars(obj)):
            delattr(obj, name)  # one C call each: the largest takes about 20 ms on Django
    model.clear()


class no_gc:  # noqa: N801 - used as a context manager
    """The cyclic GC disabled: resolution makes many small, long-lived containers that
    it would rescan over and over."""

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *_exc: object) -> None:
        if self.enabled:
            gc.enable()


def site_filter(program: Program) -> tuple[str, list[str]]:
    """SQL condition (and its parameters) on ``calls`` for the sites worth resolving.

    Attribute reads matter only for property names, protocol uses only for protocols
    whose methods some class defines: the rest is filtered out in SQL.
    """
    props = sorted({name for _cls, name in program.properties}
                   | {program.name[sid] for sid in program.descriptor_methods()})
    defined = {name for names in program.children.values() for name in names}
    uses = sorted({use for lang in set(program.file_lang.values())
                   for use, methods in call_rules(lang).protocols
                   if any(m in defined for m in methods)})
    return ("(kind NOT IN ('attr', 'protocol') "
            f"OR (kind = 'attr' AND name IN ({','.join('?' * len(props))})) "
            f"OR (kind = 'protocol' AND name IN ({','.join('?' * len(uses))})))",
            [*props, *uses])


def call_rows(conn: sqlite3.Connection, where: str, params: list[str],
               files: tuple[int, int] | None = None) -> Iterator[list[Site]]:
    """The call sites worth resolving, in batches (never all of them as tuples at once);
    only those of the files ``first <= file_id < end`` when ``files`` is given."""
    # in file order (rows of one file keep their source order): the first evaluation of
    # a name can depend on which site asks first, so the order must not depend on the
    # order parallel workers happened to finish in
    if files is not None:
        where = f"({where}) AND file_id >= ? AND file_id < ?"
        params = [*params, *files]  # type: ignore[list-item]
    cursor = conn.execute(f"SELECT {SITE_COLUMNS} FROM calls WHERE {where} "
                          "ORDER BY file_id, rowid", params)
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield rows


def resolve_sites(resolver: CallResolver, batches: Iterable[list[Site]],
                  write: Callable[[list[Edge]], None], cancel: CancelToken | None = None,
                  memo_limit: int | None = None) -> None:
    """Resolve every site of ``batches``, handing the edges to ``write`` as they are final.

    An edge is (caller, callee, line) with the best confidence any site gave it. Sites
    come in file order and a caller lies in one file, so a file's edges are final once
    the next file starts: only one file's edges are ever held, never the whole graph.
    """
    resolve = resolver.resolve_new
    rank_of = RANK
    best: Best = {}
    get = best.get
    out: list[Edge] = []
    memo = resolver.site_memo
    seen = memo.get
    limit = MEMO_LIMIT if memo_limit is None else memo_limit
    current = None
    for rows in batches:
        check_cancel(cancel)
        if len(memo) > SITE_MEMO:
            memo.clear()  # keyed by caller: a huge file's earlier callers' entries are dead
        for file_id, caller, name, receiver, kind, argc, line in rows:
            if file_id != current:
                current = file_id
                out.extend(edge_rows(best))
                best.clear()
                if len(out) >= WRITE_ROWS:
                    write(out)
                    out = []
                resolver.end_caller_file()
                if resolver.memo_size() > limit:
                    resolver.forget()
            site = (caller, name, receiver, kind, argc)
            targets = seen(site)
            if targets is None:
                try:
                    targets = memo[site] = resolve(caller, name, receiver, kind, argc)
                except RecursionError:  # a pathological chain of re-exports or bases
                    continue
            for callee, conf in targets:
                key = (caller, callee, line)
                rank = rank_of[conf]
                if rank < get(key, 3):
                    best[key] = rank
    out.extend(edge_rows(best))
    if out:
        write(out)


def implicit_rows(conn: sqlite3.Connection, pairs: Iterable[tuple[int, int]] | Iterable[list[int]]
                  ) -> dict[tuple[int, int, int], int]:
    """Edges no call site names (a resolver's ``implicit`` pairs), all ``likely``: a
    decorator's wrapper calls what it decorates, and the statements
    :mod:`~codemap.index.implicit` lists run what they construct or apply."""
    likely = RANK["likely"]
    pairs = sorted((wrapper, inner) for wrapper, inner in pairs)
    start_line: dict[int, int] = {}
    wrappers = sorted({wrapper for wrapper, _inner in pairs})
    for start in range(0, len(wrappers), 500):
        chunk = wrappers[start:start + 500]
        start_line.update(conn.execute(
            f"SELECT id, start_line FROM symbols WHERE id IN ({','.join('?' * len(chunk))})",
            chunk))
    return {(wrapper, inner, start_line.get(wrapper, 0)): likely for wrapper, inner in pairs}


def edge_rows(best: Best) -> Iterator[tuple[int, int, int, str]]:
    return ((c, t, line, CONFIDENCE[r]) for (c, t, line), r in best.items())


def clear_edges(conn: sqlite3.Connection) -> None:
    """Empty the edges table; its indexes are rebuilt once it is filled again."""
    conn.execute("DELETE FROM edges")
    conn.execute("DROP INDEX IF EXISTS edges_caller")
    conn.execute("DROP INDEX IF EXISTS edges_callee")


def insert_edges(conn: sqlite3.Connection, edges: list[Edge]) -> None:
    conn.executemany("INSERT INTO edges(caller_id, callee_id, line, confidence) VALUES (?,?,?,?)",
                     edges)


def _merge_implicit(conn: sqlite3.Connection, implicit: dict[tuple[int, int, int], int]) -> None:
    """Add the implicit edges; one a call site already gave keeps the better confidence."""
    new: list[Edge] = []
    for (caller, callee, line), rank in implicit.items():
        row = conn.execute("SELECT rowid, confidence FROM edges WHERE caller_id = ? AND "
                           "callee_id = ? AND line = ?", (caller, callee, line)).fetchone()
        if row is None:
            new.append((caller, callee, line, CONFIDENCE[rank]))
        elif rank < RANK[row[1]]:
            conn.execute("UPDATE edges SET confidence = ? WHERE rowid = ?",
                         (CONFIDENCE[rank], row[0]))
    insert_edges(conn, new)
