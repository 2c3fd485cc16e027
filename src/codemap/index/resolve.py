"""Resolve call sites into call-graph edges, as precisely as a static tool can.

Runs inside the index transaction whenever files changed (see
:func:`codemap.index.build._resolve`): loads the whole program once
(:class:`~codemap.index.program.Program`, with :mod:`~codemap.index.modules`
for imports), streams the call sites out of SQLite and resolves each with
dictionary lookups (:class:`~codemap.index.callsites.CallResolver`), and
bulk-writes the ``edges`` table. No per-call SQL. One process: a forked
second one copied nearly every page of the loaded program (reference counts
are writes), which cost more memory than its time was worth.

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
from collections.abc import Iterable, Iterator

from codemap.index.callrules import call_rules
from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.progress import CancelToken, check_cancel

RANK = {"exact": 0, "likely": 1, "guess": 2}
CONFIDENCE = ("exact", "likely", "guess")
BATCH = 20_000  # call rows fetched (and resolved) at a time; cancel is checked between
SITE_MEMO = 50_000  # sites remembered by the resolver before its per-site memo is dropped

Best = dict[tuple[int, int, int], int]  # (caller, callee, line) -> best confidence rank
Site = tuple[int, str, str, str, int, int]  # caller, name, receiver, kind, argc, line
# a ``calls`` row with its defaults filled in by SQLite (no receiver: "", kind "call", argc -1)
SITE_COLUMNS = ("caller_id, name, ifnull(receiver, ''), ifnull(nullif(kind, ''), 'call'), "
                "ifnull(argc, -1), line")


def resolve_all(conn: sqlite3.Connection, *, cancel: CancelToken | None = None) -> None:
    """Recompute the ``edges`` table from the stored call sites (inside the caller's transaction)."""
    with no_gc():
        program = Program(conn)
        check_cancel(cancel)
        batches = _call_rows(conn, *site_filter(program))  # filtered before the resolver exists
        resolver = CallResolver(program)
        best: Best = {}
        resolve_sites(resolver, batches, best, cancel)
        add_implicit(resolver, best)
        del resolver, program  # free the model before SQLite builds its indexes
        _write(conn, best)


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


def _call_rows(conn: sqlite3.Connection, where: str, params: list[str]) -> Iterator[list[Site]]:
    """The call sites worth resolving, in batches (never all of them as tuples at once)."""
    # in file order (rows of one file keep their source order): the first evaluation of
    # a name can depend on which site asks first, so the order must not depend on the
    # order parallel workers happened to finish in
    cursor = conn.execute(f"SELECT {SITE_COLUMNS} FROM calls WHERE {where} "
                          "ORDER BY file_id, rowid", params)
    while True:
        rows = cursor.fetchmany(BATCH)
        if not rows:
            return
        yield rows


def resolve_sites(resolver: CallResolver, batches: Iterable[list[Site]], best: Best,
                  cancel: CancelToken | None = None) -> None:
    """Resolve every site of ``batches`` into ``best`` (the best confidence per edge)."""
    resolve = resolver.resolve_new
    rank_of = RANK
    get = best.get
    memo = resolver.site_memo
    seen = memo.get
    for rows in batches:
        check_cancel(cancel)
        if len(memo) > SITE_MEMO:
            memo.clear()  # sites repeat within a caller: an old caller's entries are dead weight
        for caller, name, receiver, kind, argc, line in rows:
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


def add_implicit(resolver: CallResolver, best: Best, keep: object = None) -> None:
    """Edges no call site names (``resolver.implicit``): a decorator's wrapper calls what it
    decorates, and the statements :mod:`~codemap.index.implicit` lists run what they
    construct or apply. ``keep(wrapper)`` limits them."""
    start_line = resolver.p.start_line
    likely = RANK["likely"]
    for wrapper, inner in resolver.implicit:
        if keep is not None and not keep(wrapper):  # type: ignore[operator]
            continue
        key = (wrapper, inner, start_line.get(wrapper, 0))
        if likely < best.get(key, 3):
            best[key] = likely


def edge_rows(best: Best) -> Iterator[tuple[int, int, int, str]]:
    return ((c, t, line, CONFIDENCE[r]) for (c, t, line), r in best.items())


def _write(conn: sqlite3.Connection, best: Best) -> None:
    conn.execute("DELETE FROM edges")
    conn.execute("DROP INDEX IF EXISTS edges_caller")
    conn.execute("DROP INDEX IF EXISTS edges_callee")
    conn.executemany("INSERT INTO edges(caller_id, callee_id, line, confidence) VALUES (?,?,?,?)",
                     edge_rows(best))
    best.clear()
    conn.execute("CREATE INDEX IF NOT EXISTS edges_caller ON edges(caller_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS edges_callee ON edges(callee_id)")
