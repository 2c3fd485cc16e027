"""Call resolution on two cores: a forked process resolves the later files.

Resolution (:mod:`codemap.index.resolve`) runs after the extraction, on one core
while the machine often has two. Once the program is loaded and the resolver set
up, the index is split at a file (:func:`split_file`, about CHILD_SHARE of the
call rows after it) and the process forks: the child starts from the same memory
(the model, the memos made so far) and resolves the later files while the parent
resolves the earlier ones. File order is kept on both sides, and the parent
writes the child's edges after its own, so the rows come out in the order one
process writes them.

The child never touches the SQLite connection (SQLite forbids using it across a
fork, and another connection would not see the open transaction): the parent
reads the child's call sites and packs them into a spool file, announcing each
batch through a pipe; the child spools its edges back as JSON, which the parent
inserts with one statement per chunk (SQLite releases the GIL meanwhile, so the
model is freed at the same time).

Edges never depend on whether a fork happened: the later part starts from the
memos as they were after the set-up, in the child, or here after the earlier
part when there is no fork (:func:`resolve_as_two`: one core, no room) or when
the child died (the OOM killer). Memoised values depend on which site asks
first only inside cycle guards; on Django the edges are those of the resolver
without a split, row for row.

Memory: reference counts are writes, so the child copies most pages of the
model it reads, and grows memos of its own: on Django the process tree peaks
at 360 MiB instead of 250 (a 107 MiB model). A split is only made when every
fact is in memory (:attr:`~codemap.index.program.Program.reads_back` false:
larger repositories read binding rows back from SQLite while resolving, which a
forked process cannot, and have no room for a copy: 553 of the 600 MiB allowed
on the 31,000-file benchmark) and there are PARALLEL_SITES call rows at least;
the fork only when the machine has room for FORK_ROOM models and a core that
no other process kept busy while the model loaded (:func:`can_fork`: with both
cores taken, the fork's overhead, about 0.4 s of CPU on Django, is all it adds).
"""

from __future__ import annotations

import json
import marshal
import os
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.index.resolve import (
    Edge,
    Site,
    call_rows,
    clear_edges,
    insert_edges,
    resolve_sites,
    site_filter,
)
from codemap.progress import CancelToken, check_cancel

PARALLEL_SITES = 60_000  # call rows from which the index is split (a fork pays off)
CHILD_SHARE = 0.7  # of the call rows, for the child: the parent also reads and writes SQLite
FORK_ROOM = 3  # available memory asked for, in sizes of the loaded model
SPARE_CORE = 0.5  # of a core other processes may keep busy beyond all but one core
END_OF_FILES = 1 << 62  # past every file id


def call_counts(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(file id, call rows) of every file with call sites, in file order."""
    return conn.execute("SELECT file_id, count(*) FROM calls GROUP BY file_id "
                        "ORDER BY file_id").fetchall()


def split_file(conn: sqlite3.Connection, program: Program,
               share: float = CHILD_SHARE,
               counts: list[tuple[int, int]] | None = None) -> int | None:
    """The first file of the later part (about ``share`` of the call rows, whole files),
    or None: no split. A pure function of the index: every fact in memory (a forked
    process cannot read SQLite back: :attr:`Program.reads_back`) and PARALLEL_SITES call
    rows at least. Whether the later part runs in a forked process (:func:`can_fork`)
    or after the first one here (:func:`resolve_as_two`), the edges are the same."""
    if program.reads_back:
        return None
    if counts is None:  # (``counts``: call_counts of this index, counted elsewhere)
        counts = call_counts(conn)
    total = sum(n for _fid, n in counts)
    if total < max(PARALLEL_SITES, 1):
        return None
    kept = total * (1 - share)
    seen = 0
    for fid, n in counts:
        if seen >= kept:
            return fid
        seen += n
    return None


def can_fork(model_bytes: int, others: float | None) -> bool:
    """Whether a forked process may resolve the later part: two cores or more, the fork
    start method, a core to spare (``others``: cores other processes kept busy while the
    model loaded, see :class:`CpuWatch`; with no core to spare, the fork's overhead is
    lost), and room in memory: the child copies most of the model on write and grows
    memos of its own (about one more model on Django); FORK_ROOM models are asked for."""
    import multiprocessing

    cores = usable_cores()
    if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return False
    if others is None or others > cores - 1 - SPARE_CORE:
        return False
    available = meminfo("MemAvailable")
    return available is not None and model_bytes > 0 and available >= FORK_ROOM * model_bytes


class CpuWatch:
    """How many cores other processes kept busy over a stretch of this process's work
    (the machine's busy time in /proc/stat, less this process's own): a second core is
    worth a fork only if nobody else is using it."""

    def __init__(self) -> None:
        self.start = self._sample()

    @staticmethod
    def _sample() -> tuple[float, float, float, float] | None:
        """(wall seconds, busy CPU seconds of the machine, CPU seconds of this process,
        CPU seconds of its children that have ended)."""
        import time

        try:
            with open("/proc/stat", encoding="ascii") as fh:
                ticks = [int(v) for v in fh.readline().split()[1:]]
            hz = os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, AttributeError):
            return None
        idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle, iowait
        busy = sum(ticks[:8]) - idle  # (guest time is counted in user time already)
        own = os.times()
        return (time.perf_counter(), busy / hz, own.user + own.system,
                own.children_user + own.children_system)

    def others(self, *, children: bool = False) -> float | None:
        """Cores the other processes used on average since the watch started (None
        where /proc is not there, or over too short a stretch to tell); ``children``:
        this process's children that ended meanwhile (a pool's workers) are not others."""
        end = self._sample()
        if self.start is None or end is None or end[0] - self.start[0] < 0.1:
            return None
        wall, busy, own, ended = (b - a for a, b in zip(self.start, end, strict=True))
        return max(0.0, (busy - own - (ended if children else 0.0)) / wall)


def resident() -> int:
    """Bytes this process has resident (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def meminfo(field: str) -> int | None:
    """A field of /proc/meminfo in bytes (None where it is not there)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


class ForkedEdges:
    """The child's edges, spooled as JSON chunks, until :meth:`write` puts them in the
    ``edges`` table (after the parent's own)."""

    def __init__(self, spool: Spool, chunks: list[tuple[int, int]]) -> None:
        self.spool = spool
        self.chunks = chunks

    def write(self, conn: sqlite3.Connection) -> None:
        """Insert the chunks in order (one statement each: SQLite holds no GIL meanwhile)."""
        try:
            for offset, size in self.chunks:
                text = self.spool.get(offset, size).decode()
                try:
                    conn.execute(
                        "INSERT INTO edges(caller_id, callee_id, line, confidence) "
                        "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), "
                        "json_extract(value, '$[2]'), json_extract(value, '$[3]') "
                        "FROM json_each(?)", (text,))
                except sqlite3.OperationalError:  # an SQLite without its JSON functions
                    insert_edges(conn, [tuple(row) for row in json.loads(text)])
        finally:
            self.spool.close()


def resolve_as_two(conn: sqlite3.Connection, program: Program, split: int,
                   cancel: CancelToken | None) -> CallResolver:
    """The two parts one after the other in this process, the later one starting from the
    memos the first one started from, as a forked process would: the same edges."""
    where, params = site_filter(program)  # filtered before the resolver exists
    resolver = CallResolver(program)
    start = resolver.snapshot()
    clear_edges(conn)

    def write(rows: list[Edge]) -> None:
        insert_edges(conn, rows)

    resolve_sites(resolver, call_rows(conn, where, params, (0, split)), write, cancel)
    resolver.restore(start)
    del start
    resolve_sites(resolver, call_rows(conn, where, params, (split, END_OF_FILES)), write, cancel)
    return resolver


def resolve_in_two(conn: sqlite3.Connection, program: Program, split: int,
                   cancel: CancelToken | None) -> tuple[CallResolver, ForkedEdges | None]:
    """Resolve the files before ``split`` here and the rest in a forked process. Returns
    this process's resolver (holding the child's implicit pairs too) and the child's
    edges, still to write (None when the child failed and its files were resolved here)."""
    import multiprocessing

    later = (split, END_OF_FILES)
    ctx = multiprocessing.get_context("fork")
    results, results_out = ctx.Pipe(duplex=False)
    batches_in, batches = ctx.Pipe(duplex=False)
    where, params = site_filter(program)  # filtered before the resolver exists
    resolver = CallResolver(program)  # set up once: the child starts from it too
    program.modules.read_ahead()  # (the loading reads them already: in case it no longer does)
    start = resolver.snapshot()  # should the child fail, its part starts from there here
    found = None
    edges = Spool()
    try:
        with Spool() as sites:
            proc: Any = ctx.Process(target=_resolve_forked, daemon=True,
                                    name="codemap-resolve",
                                    args=(resolver, sites, batches_in, edges, results_out))
            # (no gc.freeze(): the collector stays disabled in both processes while they
            # resolve, see resolve.no_gc, so no collection walks and copies the model)
            try:
                try:
                    proc.start()
                except OSError:  # no process to be had (out of memory): all resolved here
                    proc = None
                results_out.close()
                batches_in.close()
                if proc is not None:
                    _send_sites(call_rows(conn, where, params, later), sites, batches)
                clear_edges(conn)
                resolve_sites(resolver, call_rows(conn, where, params, (0, split)),
                              lambda rows: insert_edges(conn, rows), cancel)
                if proc is not None:
                    found = receive_result(results, cancel)
                    proc.join()  # (it exits once it has sent)
            finally:
                if proc is not None and proc.is_alive():
                    proc.terminate()
                    proc.join()
                batches.close()
                results.close()
        if found is None:  # the child failed (killed: out of memory): its files are done here
            edges.close()
            resolver.restore(start)
            resolve_sites(resolver, call_rows(conn, where, params, later),
                          lambda rows: insert_edges(conn, rows), cancel)
            return resolver, None
    except BaseException:
        edges.close()
        raise
    del start
    chunks, implicit = found
    resolver.implicit.update(implicit)
    return resolver, ForkedEdges(edges, chunks)


class Spool:
    """A temporary file (never in the repository) two processes share: byte strings at
    known offsets, written with ``pwrite`` and read with ``pread`` (the processes share
    one file position otherwise). One process writes to a spool."""

    def __init__(self) -> None:
        import tempfile

        self.file = tempfile.TemporaryFile(prefix="codemap-resolve-")
        self.end = 0

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.file.close()

    def put(self, data: bytes) -> tuple[int, int]:
        """Append ``data``; its (offset, size)."""
        offset = self.end
        os.pwrite(self.file.fileno(), data, offset)
        self.end += len(data)
        return offset, len(data)

    def get(self, offset: int, size: int) -> bytes:
        return os.pread(self.file.fileno(), size, offset)


def _send_sites(batches: Iterable[list[Site]], spool: Spool, announce: Any) -> None:
    """Spool each batch of sites and announce its (offset, size) on the pipe; an empty
    message ends. A child that died stops the sending (no result comes then)."""
    try:
        for rows in batches:
            announce.send_bytes(marshal.dumps(spool.put(marshal.dumps(rows))))
        announce.send_bytes(b"")
    except OSError:  # BrokenPipeError: the child is gone
        return


def receive_result(receive: Any, cancel: CancelToken | None) -> tuple[list, list] | None:
    """What the child sent: (spooled edge chunks, implicit pairs); None when it died first."""
    while not receive.poll(0.05):
        check_cancel(cancel)
    try:
        return marshal.loads(receive.recv_bytes())
    except (EOFError, OSError, ValueError, TypeError):
        return None


def _resolve_forked(resolver: CallResolver, sites: Spool, announced: Any, edges: Spool,
                    results: Any) -> None:
    """The child: resolve the announced sites, spool the edges, send where they are and
    the implicit pairs. Any failure sends nothing (the parent then resolves these files)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        resolver.p.conn = _NoConnection()  # type: ignore[assignment]
        chunks: list[tuple[int, int]] = []
        resolve_sites(resolver, _announced(sites, announced),
                      lambda rows: chunks.append(edges.put(json.dumps(rows).encode())))
        results.send_bytes(marshal.dumps((chunks, list(resolver.implicit))))
    except BaseException:  # noqa: BLE001, S110 - the parent redoes the work
        pass
    finally:
        results.close()
        # now: returning would free the model object by object, copying the pages it
        # shares with the parent (reference counts), while the parent waits for the end
        os._exit(0)


def _announced(spool: Spool, announced: Any) -> Iterator[list[Site]]:
    """The batches of sites the parent announces, read back from the spool."""
    while True:
        message = announced.recv_bytes()
        if not message:
            return
        yield marshal.loads(spool.get(*marshal.loads(message)))


class _NoConnection:
    """The connection as the child sees it: SQLite forbids using it across a fork."""

    def execute(self, *_args: object) -> sqlite3.Cursor:
        raise RuntimeError("the index connection is not usable in a forked process")
