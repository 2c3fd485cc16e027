"""Resolve call sites into call-graph edges, as precisely as a static tool can.

Runs inside the index transaction whenever files changed (see
:func:`codemap.index.build._resolve`): loads the whole program once
(:class:`~codemap.index.program.Program`, with :mod:`~codemap.index.modules`
for imports), resolves every call site with dictionary lookups
(:class:`~codemap.index.callsites.CallResolver`; on a large repository half
of the sites in a forked second process), and bulk-writes the ``edges``
table. No per-call SQL.

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
  one class hierarchy) to guess; never every same-named function.

Calls into code outside the repository, and dynamic calls (``getattr``),
stay unresolved rather than guessed.
"""

from __future__ import annotations

import gc
import os
import pickle
import sqlite3
import threading

from codemap.index.callrules import call_rules
from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.progress import CancelToken, check_cancel

RANK = {"exact": 0, "likely": 1, "guess": 2}
CONFIDENCE = ("exact", "likely", "guess")
PARALLEL_ROWS = 60_000  # call sites from which a second process pays for itself

Best = dict[tuple[int, int, int], int]  # (caller, callee, line) -> best confidence rank


def resolve_all(conn: sqlite3.Connection, *, cancel: CancelToken | None = None) -> None:
    """Recompute the ``edges`` table from the stored call sites (inside the caller's transaction)."""
    # Many small, long-lived containers: the cyclic GC would rescan them over and over.
    enabled = gc.isenabled()
    gc.disable()
    try:
        program = Program(conn)
        rows = _call_rows(conn, program)
        check_cancel(cancel)
        best = _resolve_rows(program, rows, cancel)
        _write(conn, best)
    finally:
        if enabled:
            gc.enable()


def _call_rows(conn: sqlite3.Connection, program: Program) -> list[tuple]:
    """Call sites worth resolving.

    Attribute reads matter only for property names, protocol uses only for protocols
    whose methods some class defines: the rest is filtered out in SQL.
    """
    props = sorted({name for _cls, name in program.properties}
                   | {program.name[sid] for sid in program.descriptor_methods()})
    defined = {name for names in program.children.values() for name in names}
    uses = sorted({use for lang in set(program.file_lang.values())
                   for use, methods in call_rules(lang).protocols
                   if any(m in defined for m in methods)})
    return conn.execute(
        "SELECT caller_id, name, receiver, line, kind, argc FROM calls "
        "WHERE kind NOT IN ('attr', 'protocol') "
        f"OR (kind = 'attr' AND name IN ({','.join('?' * len(props))})) "
        f"OR (kind = 'protocol' AND name IN ({','.join('?' * len(uses))}))",
        (*props, *uses)).fetchall()


def _resolve_part(program: Program, rows: list[tuple], cancel: CancelToken | None) -> Best:
    resolver = CallResolver(program)
    best: Best = {}
    for i, (caller, name, receiver, line, kind, argc) in enumerate(rows):
        if i % 20000 == 0:
            check_cancel(cancel)
        try:
            targets = resolver.resolve(caller, name, receiver or "", kind or "call",
                                       -1 if argc is None else argc)
        except RecursionError:  # a pathological chain of re-exports or bases: unresolved
            continue
        for callee, conf in targets:
            key = (caller, callee, line)
            rank = RANK[conf]
            if rank < best.get(key, 3):
                best[key] = rank
    for wrapper, inner in resolver.wrapped:  # a decorator's wrapper calls what it decorates
        key = (wrapper, inner, program.start_line.get(wrapper, 0))
        best[key] = min(best.get(key, 3), RANK["likely"])
    return best


def _resolve_rows(program: Program, rows: list[tuple], cancel: CancelToken | None) -> Best:
    """Resolve every row; on a large repository, half of them in a forked second process.

    The child shares the loaded program copy-on-write, never touches the database, and
    sends its edges back through a pipe. Only from a single-threaded process (forking a
    threaded one is unsafe) and when there is a second core.
    """
    if (len(rows) < PARALLEL_ROWS or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork")
            or threading.active_count() > 1):
        return _resolve_part(program, rows, cancel)
    half = len(rows) // 2  # rows come file by file: each half keeps its files together
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: resolve the second half, send it, and leave at once
        status = 1
        try:
            os.close(read_fd)
            data = pickle.dumps(_resolve_part(program, rows[half:], None), protocol=5)
            with os.fdopen(write_fd, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            best = _resolve_part(program, rows[:half], cancel)
            data = pipe.read()
    except BaseException:
        _reap(pid, kill=True)
        raise
    if _reap(pid) != 0 or not data:
        return {**best, **_resolve_part(program, rows[half:], cancel)}  # the child failed
    for key, rank in pickle.loads(data).items():
        if rank < best.get(key, 3):
            best[key] = rank
    return best


def _reap(pid: int, *, kill: bool = False) -> int:
    import signal

    if kill:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _write(conn: sqlite3.Connection, best: Best) -> None:
    conn.execute("DELETE FROM edges")
    conn.execute("DROP INDEX IF EXISTS edges_caller")
    conn.execute("DROP INDEX IF EXISTS edges_callee")
    conn.executemany("INSERT INTO edges(caller_id, callee_id, line, confidence) VALUES (?,?,?,?)",
                     ((c, t, line, CONFIDENCE[r]) for (c, t, line), r in best.items()))
    conn.execute("CREATE INDEX IF NOT EXISTS edges_caller ON edges(caller_id)")
    conn.execute("CREATE INDEX IF NOT EXISTS edges_callee ON edges(callee_id)")
