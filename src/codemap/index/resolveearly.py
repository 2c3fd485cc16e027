"""A cold index's call resolution, started as soon as the workers are done.

On a cold index the parent process merges the workers' shards into the index,
builds its indexes and composes the endpoints (about 0.65 s on Django) before
anything could be resolved from the index. The call sites need none of that:
every row the resolver reads is in the shards already. This module forks a
process as soon as the pool has finished: it reads the shards through views
that give the rows of the index's tables in the index's order (ids; a file's
rows in the order its worker wrote them, which is the order the merge copies
them in), loads the program, sets up the resolver and splits the files
(:func:`~codemap.index.resolvefork.split_file`, a pure function of the rows).
Then it forks once more: the grandchild resolves the earlier files, the child
the later ones, both from the state right after the set-up (the
grandchild shares the loaded program copy-on-write: about 0.05 s of CPU on
Django), each into a database beside the shards. The parent copies them in,
the earlier part first: the rows come out as one process writes them
(Django's 131,436 edges, compared table to table), and the parent never loads
a program at all.

Before, the parent loaded a second program from the index once it had merged it
and resolved the earlier files itself: the program was loaded twice (0.7 s of
CPU each on Django) and the parent started resolving 0.4 s after the child.
Now its merge, index builds and endpoints run while the child loads.

Memory: the two resolving processes share the program's pages until they touch
them, and the parent holds none, with its page cache kept small meanwhile
(:data:`CACHE_KIB`).

It only runs when the fork would pay: a cold index whose rows are all in
shards, enough call rows for a split and few enough binding rows for a program
held in memory (what :func:`~codemap.index.resolvefork.split_file` asks), two
cores and no other process keeping the second one busy, and room in memory for
two programs. Should the grandchild fail, the child resolves its files after
its own, from the same state; should the child fail (killed, or no split), the
parent resolves everything itself; the index never depends on either. A
process whose parent is gone stops at its next batch of call sites.
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
# of the call rows, for the later files (the child's part); the grandchild takes the
# earlier ones. Both start together; a repository's sources (earlier, by path, than its
# tests in most layouts) cost more per call row: on Django the first 40 % took 1.18 s,
# the last 60 % 1.30 s; 0.57 ends both about together
EARLY_SHARE = 0.57

# tables the program and the resolver read, and the order the index gives their rows in:
# by id, or (queried ORDER BY file_id, rowid) a rowid column standing for the index's own
_BY_ID = ("files", "symbols")
_BY_ROWID = ("imports", "bindings", "calls")


class EarlyEdges:
    """The early processes' edges, in databases of their own beside the shards, until
    :meth:`write` copies them into the ``edges`` table."""

    def __init__(self, paths: tuple[str, str]) -> None:
        self.paths = paths  # (the earlier files' edges, the later files')

    def write(self, conn: sqlite3.Connection) -> None:
        """One ``INSERT ... SELECT`` a part, in SQLite, the earlier part first (the
        databases stay attached until the transaction ends:
        :func:`codemap.index.shards.detach_all` detaches them)."""
        for i, path in enumerate(self.paths):
            conn.execute(f"ATTACH DATABASE ? AS shard_early_edges{i}", (path,))
            conn.execute("INSERT INTO edges(caller_id, callee_id, line, confidence) "
                         "SELECT caller_id, callee_id, line, confidence FROM "
                         f"shard_early_edges{i}.edges ORDER BY rowid")


class EarlyPart:
    """The process resolving the call sites from the shards (see the module's doc)."""

    def __init__(self, proc: Any, results: Any, edges: tuple[str, str], counts: Any) -> None:
        self.proc = proc
        self.results = results
        self.edges = edges
        self.counts = counts  # the pipe handing it the call rows per file (send_counts)

    def send_counts(self, conn: sqlite3.Connection) -> None:
        """Hand the child the call rows of each file, which the merged index counts at
        once (its calls_file index): the child splits the files by them instead of
        counting through its shard views (0.09 s of its critical path on Django). Should
        they come too late, it counts itself: the same counts, the same split."""
        rows = resolvefork.call_counts(conn)
        try:
            self.counts.send_bytes(marshal.dumps(rows))
        except (OSError, ValueError):  # it is gone, or done with its split
            pass

    def take(self, cancel: CancelToken | None) -> tuple[EarlyEdges, list] | None:
        """The edges of every file (still to write) and the implicit pairs, once it is
        done; None when it failed or made no split (everything is resolved here then)."""
        try:
            found = resolvefork.receive_result(self.results, cancel)
        except BaseException:
            self.stop()
            raise
        if found is None or found[0] is None:
            self.stop()
            return None
        return EarlyEdges(self.edges), found[1]  # (its exit is waited for by stop())

    def stop(self) -> None:
        """End the child, whatever it is doing (its own child stops at its next batch)."""
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.results.close()
        self.counts.close()


def start(conn: sqlite3.Connection, shards: Path, watch: CpuWatch) -> EarlyPart | None:
    """Fork the process resolving the call sites of a cold index, whose rows are all in
    the shards of ``shards`` or (files rows only: unsupported files, parser crashes) on
    ``conn``; None when it would not pay (see the module's doc). ``watch`` ran while the
    workers did: the cores other processes used meanwhile."""
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
    plain = conn.execute("SELECT * FROM files").fetchall()
    root = conn.execute("SELECT value FROM meta WHERE key = 'root'").fetchone()
    ctx = multiprocessing.get_context("fork")
    results, results_out = ctx.Pipe(duplex=False)
    counts_in, counts = ctx.Pipe(duplex=False)
    # (not shard-*: the merge leaves them)
    edges = (str(shards / "early-edges-0.sqlite"), str(shards / "early-edges-1.sqlite"))
    proc = ctx.Process(target=_child, daemon=True, name="codemap-resolve",
                       args=(paths, plain, root[0] if root else None, edges, results_out,
                             os.getpid(), counts_in))
    try:
        proc.start()
    except OSError:  # no process to be had (out of memory)
        results.close()
        counts.close()
        return None
    finally:
        results_out.close()
        counts_in.close()
    return EarlyPart(proc, results, edges, counts)


def _counts(paths: list[str]) -> dict[str, int]:
    out = dict.fromkeys(("symbols", "imports", "bindings", "calls"), 0)
    for path in paths:
        db = sqlite3.connect(readonly_uri(path), uri=True)
        try:
            for table in out:
                out[table] += db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
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


def _child(paths: list[str], plain: list[tuple[Any, ...]], root: str | None,
           edges: tuple[str, str], results: Any, parent: int, counts: Any) -> None:
    """The forked process: load, set up, split; resolve the earlier files in a process of
    its own (:func:`_fork_earlier`) and the later ones here, each into its database of
    ``edges``; send (split, the implicit pairs). Any failure sends nothing."""
    import signal

    from codemap.index.callsites import CallResolver
    from codemap.index.program import Program
    from codemap.index.resolve import no_gc, site_filter

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        with no_gc():
            conn = view_connection(paths, plain, root)
            program = Program(conn)
            split = resolvefork.split_file(conn, program, EARLY_SHARE, _counted(counts))
            implicit: list = []
            forked = None
            if split is not None:
                where, params = site_filter(program)  # as resolve_in_two: before the resolver
                resolver = CallResolver(program)
                program.modules.read_ahead()
                start = resolver.snapshot()  # should the earlier part fail, it starts here
                earlier = (0, split)
                forked = _fork_earlier(resolver, (paths, plain, root), where, params, earlier,
                                       edges[0], results)
                _resolve_into(resolver, conn, where, params, (split, resolvefork.END_OF_FILES),
                              edges[1], _Orphaned(parent))
                found = _earlier_result(forked[1] if forked else None)
                if found is None:  # (killed, or no process to be had): done here, the same
                    resolver.restore(start)
                    _resolve_into(resolver, conn, where, params, earlier, edges[0],
                                  _Orphaned(parent))
                else:
                    resolver.implicit.update(found)
                del start
                implicit = list(resolver.implicit)
            results.send_bytes(marshal.dumps((split, implicit)))
            if forked is not None:
                os.waitpid(forked[0], 0)  # (it has sent all: only its exit to wait for)
    except BaseException:  # noqa: BLE001, S110 - the parent redoes the work
        pass
    finally:
        results.close()
        # now: returning would free the loaded program object by object (0.4 s on Django)
        # while the parent waits for this process to end
        os._exit(0)


def _counted(counts: Any) -> list[tuple[int, int]] | None:
    """The call rows per file, when the parent has sent them already (else None)."""
    try:
        if counts.poll(0):
            return [tuple(row) for row in marshal.loads(counts.recv_bytes())]
    except (EOFError, OSError, ValueError, TypeError):
        pass
    finally:
        counts.close()
    return None


def _resolve_into(resolver: Any, conn: sqlite3.Connection, where: str, params: list[str],
                  files: tuple[int, int], path: str, cancel: CancelToken) -> None:
    """Resolve the call sites of ``files`` into a new database at ``path``."""
    from codemap.index.resolve import call_rows, resolve_sites

    out = sqlite3.connect(path, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode=OFF")
        out.execute("PRAGMA synchronous=OFF")
        out.execute("DROP TABLE IF EXISTS edges")
        out.execute("CREATE TABLE edges (caller_id, callee_id, line, confidence)")
        out.execute("BEGIN")
        resolve_sites(resolver, call_rows(conn, where, params, files),
                      lambda rows: out.executemany("INSERT INTO edges VALUES (?,?,?,?)", rows),
                      cancel)
        out.execute("COMMIT")
    finally:
        out.close()


def _fork_earlier(resolver: Any, view: tuple[list[str], list[tuple[Any, ...]], str | None],
                  where: str, params: list[str], files: tuple[int, int], path: str,
                  results: Any) -> tuple[int, int] | None:
    """Fork the process resolving ``files`` into ``path`` from this state; its (pid, the
    pipe it sends its implicit pairs on), or None when no process is to be had."""
    read, write = os.pipe()
    parent = os.getpid()  # (taken before the fork: this process may be gone by then)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid:
        os.close(write)
        return pid, read
    try:
        os.close(read)
        results.close()  # the pipe to the index's process is this process's parent's
        _earlier(resolver, view, where, params, files, path, write, _Orphaned(parent))
    except BaseException:  # noqa: BLE001, S110 - its parent redoes the work
        pass
    finally:
        os._exit(0)


def _earlier(resolver: Any, view: tuple[list[str], list[tuple[Any, ...]], str | None],
             where: str, params: list[str], files: tuple[int, int], path: str, write: int,
             cancel: CancelToken) -> None:
    """The grandchild's work: its own connection to the shards (SQLite's cannot cross a
    fork), the sites of ``files`` resolved into ``path``, the implicit pairs sent."""
    conn = view_connection(*view)
    resolver.p.conn = conn
    _resolve_into(resolver, conn, where, params, files, path, cancel)
    with os.fdopen(write, "wb") as out:
        out.write(marshal.dumps(list(resolver.implicit)))


def _earlier_result(read: int | None) -> list | None:
    """The implicit pairs the earlier files' process sent on the pipe ``read`` once done;
    None if it failed."""
    if read is None:
        return None
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    try:
        return marshal.loads(data) if data else None
    except (EOFError, ValueError, TypeError):
        return None


class _Orphaned:
    """Set once the process that started this one is gone (killed, or stopped this one's
    parent): an early process then stops at its next batch rather than work for nobody."""

    def __init__(self, parent: int) -> None:
        self.parent = parent

    def is_set(self) -> bool:
        return os.getppid() != self.parent
