"""A cold index's later call-resolution part, started as soon as the workers are done.

On a cold index the parent process merges the workers' shards into the index,
builds its indexes, loads the program and sets up the resolver before any site
is resolved (about 1.3 s on Django), on one core while the machine has two.
When the work is split in two (:mod:`codemap.index.resolvefork`), the process
that resolves the later files need not wait for any of that: every row it
reads is in the shards already. This module forks it as soon as the pool has
finished: it reads the shards through views that give the rows of the index's
tables in the index's order (ids; a file's rows in the order its worker wrote
them, which is the order the merge copies them in), loads the same program,
sets up the same resolver, finds the same split (:func:`~codemap.index.
resolvefork.split_file` is a pure function of the rows) and resolves the files
after it, while the parent merges, loads and resolves the files before it. Its
part starts from the state right after the set-up, as the forked process of
:func:`~codemap.index.resolvefork.resolve_in_two` does: the edges are the same,
row for row (Django's 131,436 edges, compared table to table). It writes them into
a database beside the shards, which the parent copies in one statement.

On Django the resolution went from 2.6-2.7 s to 2.2 s, 0.5 s less of the cold
index: the parent's merge and loading run beside the early process's loading,
the sites are no longer spooled to a forked process, and nothing copies the
parent's model on write. Memory: the early process loads a program of its own
(the forked one shared the parent's pages until it touched them): the process
tree peaks at 372 MiB, with the index writer's page cache kept small meanwhile
(:data:`CACHE_KIB`).

It only runs when the fork would pay: a cold index whose rows are all in
shards, enough call rows for a split and few enough binding rows for a program
held in memory (what :func:`~codemap.index.resolvefork.split_file` asks), two
cores and no other process keeping the second one busy, and room in memory for
two programs. Should it fail (killed, or a split that differs), the parent
resolves its files itself; the index never depends on it.
"""

from __future__ import annotations

import marshal
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemap.index import bindstore, resolvefork
from codemap.index.store import readonly_uri
from codemap.progress import CancelToken

if TYPE_CHECKING:
    from codemap.index.resolvefork import CpuWatch

# bytes a loaded program takes per symbol, import and binding row (Django: 107 MiB for
# 238,000 rows), for the memory check made before anything is loaded
MODEL_BYTES_PER_ROW = 500
SPARE_CORE = 0.5  # of a core other processes may have kept busy while the workers ran
# SQLite's page cache of the index writer while an early process runs (32 MB otherwise): the
# merge and the index builds write and read in sequence, no slower with it (Django's cold
# index 7.10 s median, 7.22 s with 32 MB), and the two programs have the room (peak of the
# process tree 394 -> 372 MiB)
CACHE_KIB = 4000
# of the call rows, for the early process: the parent merges the shards, builds the
# indexes and loads a program from the index before it resolves, while this process loads
# its own from the shards; and, in a repository whose files declare routes, first composes
# the endpoints too (0.3 s on Django: its 151 files declaring routes). The parent's share
# is the rest: both end about together (Django: 0.6 and 0.7, measured)
EARLY_SHARE = 0.6
EARLY_SHARE_COMPOSING = 0.7

# tables the program and the resolver read, and the order the index gives their rows in:
# by id, or (queried ORDER BY file_id, rowid) a rowid column standing for the index's own
_BY_ID = ("files", "symbols")
_BY_ROWID = ("imports", "bindings", "calls")


class EarlyEdges:
    """The early process's edges, in a database of its own beside the shards, until
    :meth:`write` copies them into the ``edges`` table (after the parent's own)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def write(self, conn: sqlite3.Connection) -> None:
        """One ``INSERT ... SELECT``, in SQLite (the database stays attached until the
        transaction ends: :func:`codemap.index.shards.detach_all` detaches it)."""
        conn.execute("ATTACH DATABASE ? AS shard_early_edges", (self.path,))
        conn.execute("INSERT INTO edges(caller_id, callee_id, line, confidence) "
                     "SELECT caller_id, callee_id, line, confidence FROM "
                     "shard_early_edges.edges ORDER BY rowid")


class EarlyPart:
    """The process resolving the later files from the shards (see the module's doc)."""

    def __init__(self, proc: Any, results: Any, edges: str, share: float) -> None:
        self.proc = proc
        self.results = results
        self.edges = edges
        self.share = share  # of the call rows it resolves (the parent splits by it too)

    def take(self, split: int, cancel: CancelToken | None) -> tuple[EarlyEdges, list] | None:
        """The child's edges (still to write) and implicit pairs, once it is done; None
        when it failed or split the index elsewhere (its files are then resolved here)."""
        try:
            found = resolvefork.receive_result(self.results, cancel)
        except BaseException:
            self.stop()
            raise
        self.stop()
        if found is None or found[0] != split:
            return None
        return EarlyEdges(self.edges), found[1]

    def stop(self) -> None:
        """End the child, whatever it is doing."""
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.results.close()


def start(conn: sqlite3.Connection, shards: Path, watch: CpuWatch, *,
          composing: bool = False) -> EarlyPart | None:
    """Fork the process resolving the later files of a cold index, whose rows are all in
    the shards of ``shards`` or (files rows only: unsupported files, parser crashes) on
    ``conn``; None when it would not pay (see the module's doc). ``watch`` ran while the
    workers did: the cores other processes used meanwhile. ``composing``: the parent
    composes the endpoints before it resolves (:func:`codemap.index.build.refresh`'s
    ``prepare``), which the child's share makes up for when some file declares routes."""
    import multiprocessing

    from codemap.index.shards import consolidate

    cores = resolvefork.usable_cores()
    if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    others = watch.others(children=True)
    if others is None or others > cores - 1 - SPARE_CORE:
        return None
    consolidate(shards)  # (the merge must not fold shards the child is reading)
    paths = sorted(str(p) for p in shards.glob("shard-*.sqlite"))
    try:
        counts = _counts(paths)
    except sqlite3.DatabaseError:  # a malformed shard: the merge reports it
        return None
    if (counts["calls"] < max(resolvefork.PARALLEL_SITES, 1)
            or counts["bindings"] > bindstore.EAGER_ROWS):
        return None
    model = MODEL_BYTES_PER_ROW * (counts["symbols"] + counts["imports"] + counts["bindings"])
    available = resolvefork.meminfo("MemAvailable")
    if available is None or available < resolvefork.FORK_ROOM * model:
        return None
    share = EARLY_SHARE_COMPOSING if composing and counts["anchors"] else EARLY_SHARE
    plain = conn.execute("SELECT * FROM files").fetchall()
    root = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
    ctx = multiprocessing.get_context("fork")
    results, results_out = ctx.Pipe(duplex=False)
    edges = str(shards / "early-edges.sqlite")  # (not a shard-*: the merge leaves it)
    proc = ctx.Process(target=_child, daemon=True, name="codemap-resolve",
                       args=(paths, plain, root[0] if root else None, edges, share,
                             results_out))
    try:
        proc.start()
    except OSError:  # no process to be had (out of memory)
        results.close()
        return None
    finally:
        results_out.close()
    return EarlyPart(proc, results, edges, share)


def _counts(paths: list[str]) -> dict[str, int]:
    """Rows of the tables the program loads, and files declaring routes ("anchors")."""
    tables = ("symbols", "imports", "bindings", "calls")
    out = dict.fromkeys((*tables, "anchors"), 0)
    for path in paths:
        db = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            for table in tables:
                out[table] += db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            out["anchors"] += db.execute(
                "SELECT count(*) FROM routes WHERE role = 'anchor'").fetchone()[0]
        finally:
            db.close()
    return out


def view_connection(paths: list[str], plain: list[tuple[Any, ...]],
                    root: str | None) -> sqlite3.Connection:
    """A connection whose tables read as the index's will once the shards at ``paths`` are
    merged (``plain``: the files rows written outside the shards; ``root``: the
    repository's root, as meta holds it), rows in the same order."""
    # (opened as a URI: then the shards' URIs are URIs, whatever SQLite's build says)
    conn = sqlite3.connect("file::memory:", uri=True, isolation_level=None)
    for i, path in enumerate(paths):
        conn.execute(f"ATTACH DATABASE ? AS shard{i}", (readonly_uri(path),))
    conn.execute("CREATE TEMP TABLE plain_files AS SELECT * FROM shard0.files WHERE 0")
    conn.executemany(f"INSERT INTO plain_files VALUES ({','.join('?' * 10)})", plain)
    conn.execute("CREATE TEMP TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    if root is not None:
        conn.execute("INSERT INTO meta VALUES ('root', ?)", (root,))
    for table in (*_BY_ID, *_BY_ROWID):
        columns = "*" if table in _BY_ID else "rowid AS rowid, *"
        parts = [f"SELECT {columns} FROM shard{i}.{table}" for i in range(len(paths))]
        if table == "files":
            parts.append("SELECT * FROM temp.plain_files")
        order = " ORDER BY id" if table in _BY_ID else ""
        conn.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM "
                     f"({' UNION ALL '.join(parts)}){order}")
    return conn


def _child(paths: list[str], plain: list[tuple[Any, ...]], root: str | None, edges: str,
           share: float, results: Any) -> None:
    """The forked process: load, set up, split, resolve the later files into the database
    ``edges``, send (split, the implicit pairs). Any failure sends nothing."""
    import signal

    from codemap.index.callsites import CallResolver
    from codemap.index.program import Program
    from codemap.index.resolve import call_rows, no_gc, resolve_sites, site_filter

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        with no_gc():
            conn = view_connection(paths, plain, root)
            program = Program(conn)
            split = resolvefork.split_file(conn, program, share)
            implicit: list = []
            if split is not None:
                where, params = site_filter(program)  # as resolve_in_two: before the resolver
                resolver = CallResolver(program)
                program.modules.read_ahead()
                out = sqlite3.connect(edges, isolation_level=None)
                out.execute("PRAGMA journal_mode=OFF")
                out.execute("PRAGMA synchronous=OFF")
                out.execute("CREATE TABLE edges (caller_id, callee_id, line, confidence)")
                out.execute("BEGIN")
                later = (split, resolvefork.END_OF_FILES)
                resolve_sites(resolver, call_rows(conn, where, params, later),
                              lambda rows: out.executemany(
                                  "INSERT INTO edges VALUES (?,?,?,?)", rows))
                out.execute("COMMIT")
                out.close()
                implicit = list(resolver.implicit)
            results.send_bytes(marshal.dumps((split, implicit)))
    except BaseException:  # noqa: BLE001, S110 - the parent redoes the work
        pass
    finally:
        results.close()
        # now: returning would free the loaded program object by object (0.4 s on Django)
        # while the parent waits for this process to end
        os._exit(0)
