"""Build or refresh the index incrementally.

A file is re-parsed only when its content hash changed (a matching
``lstat`` — size, mtime, inode — skips even reading it), when its language's
fingerprint changed, or when its Python module name changed. Parsing runs
in worker processes when there is enough work to pay for them; workers read,
hash and parse, and send back compact tuples; the parent writes everything
in one transaction under an exclusive lock file, so two indexers never
interleave and readers never see a half-written index.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import sqlite3
import stat as stat_mod
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemap.errors import Cancelled, IndexBusyError
from codemap.index import snapshot, store
from codemap.index.scan import DEFAULT_MAX_SIZE, scan_listing, skip_reason
from codemap.index.shards import FILE_TABLES, symbol_base
from codemap.lang.registry import BY_NAME, language_fingerprint, language_for_path, ts_query
from codemap.model import IndexStats
from codemap.progress import (
    CancelToken,
    Progress,
    ProgressHook,
    check_cancel,
    deferred_interrupt,
)
from codemap.repo import Repo

if TYPE_CHECKING:
    from codemap.index.extract import FileFacts
    from codemap.index.resolveearly import EarlyPart
    from codemap.index.resolvefork import CpuWatch

# work on the rows of a changed index that needs no call edges (see :func:`refresh`)
Prepare = Callable[[sqlite3.Connection], None]

PARALLEL_THRESHOLD = 48  # files to parse before worker processes pay off
LOCK_TIMEOUT = 300.0

# work item: (path, language, module prefix, previous hash or None, max size, file id)
WorkItem = tuple[str, str, str, "str | None", int, int]
# result: (path, status, hash, size, mtime_ns, ino, facts or None)
WorkResult = tuple[str, str, "str | None", int, int, int, "FileFacts | None"]

_ROOT: str = ""
_SHARD_DIR: str = ""
_SHARD: list[Any] = []  # this worker's ShardWriter, opened on first use
GC_THRESHOLD = 100_000  # a worker's first-generation collection threshold (default: 700)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _init_worker(root: str, shard_dir: str = "") -> None:
    global _ROOT, _SHARD_DIR
    _ROOT = root
    _SHARD_DIR = shard_dir
    _SHARD.clear()
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    # a parse makes tens of thousands of short-lived, acyclic match objects, which
    # reference counting frees: with the default thresholds the cycle collector runs
    # every 700 of them and now and then walks the whole heap inherited from the parent
    # (about 4% of a worker's CPU). Frozen, that heap is never walked (nor its pages
    # copied on write); rarer collections still catch any cycle.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 20, 100)


def process_file(item: WorkItem, root: str | None = None) -> WorkResult:
    """Read, hash and (when changed) parse one file. Runs in a worker process."""
    path, lang, prefix, old_hash, max_size, _file_id = item
    full = os.path.join(root or _ROOT, path)
    try:
        st = os.lstat(full)
        if not stat_mod.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
            return (path, "skipped:special", None, 0, 0, 0, None)
        if st.st_size > max_size:
            return (path, "skipped:too-large", None, st.st_size, st.st_mtime_ns, st.st_ino, None)
        with open(full, "rb") as fh:
            data = fh.read(max_size + 1)
    except OSError:
        return (path, "skipped:unreadable", None, 0, 0, 0, None)
    digest = content_hash(data)
    if digest == old_hash:
        return (path, "same", digest, st.st_size, st.st_mtime_ns, st.st_ino, None)
    reason = skip_reason(data, BY_NAME[lang].minified_check)
    if reason is not None:
        return (path, f"skipped:{reason}", digest, st.st_size, st.st_mtime_ns, st.st_ino, None)
    try:
        from codemap.index.extract import extract, parse  # parsing only: not on the query path

        tree = parse(data, lang)
        facts = extract(path, data, lang, prefix, tree)
    except RecursionError:
        return (path, "skipped:too-deep", digest, st.st_size, st.st_mtime_ns, st.st_ino, None)
    except (ImportError, OSError, ValueError):  # grammar wheel missing or incompatible
        return (path, "skipped:no-grammar", digest, st.st_size, st.st_mtime_ns, st.st_ino, None)
    routes = _file_routes(data, lang, tree)
    if routes is not None:
        facts = facts._replace(routes=routes)
    status = "partial" if facts.has_error else "parsed"
    return (path, status, digest, st.st_size, st.st_mtime_ns, st.st_ino, facts)


def _file_routes(data: bytes, lang: str, tree: Any) -> tuple[str, str | None] | None:
    """The file's endpoint role and route facts, from the tree parsed for symbols: routes
    are part of the index (the one door into the endpoint code, per file like tags)."""
    from codemap.endpoints.indexing import file_routes

    return file_routes(data, lang, tree)


def language_key(name: str) -> str:
    """What the index records of how a language's files were read: its grammar and
    queries, and the code that decides their route facts (a change re-parses them)."""
    from codemap.endpoints.indexing import fingerprint

    routes = fingerprint(name)
    return f"{language_fingerprint(name)}+{routes}" if routes else language_fingerprint(name)


def process_file_to_shard(item: WorkItem) -> WorkResult:
    """:func:`process_file`, writing the file's rows into this worker's shard.

    Only the small status tuple goes back to the parent (facts always None).
    """
    result = process_file(item)
    path, status, digest, size, mtime_ns, ino, facts = result
    if status == "same":
        return result
    if not _SHARD:
        from codemap.index.shards import ShardWriter

        _SHARD.append(ShardWriter(_SHARD_DIR))
    _SHARD[0].write(item[5], (path, item[1], item[2], digest, size, mtime_ns, ino, status),
                    facts)
    return (path, status, digest, size, mtime_ns, ino, None)


@contextmanager
def index_lock(directory: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """An exclusive lock on the index directory (waits for another indexer)."""
    lock_path = directory / "index.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() > deadline:
                    raise IndexBusyError(
                        f"another codemap process is indexing {directory} (waited {timeout:.0f}s)"
                    ) from exc
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def refresh(repo: Repo, conn: sqlite3.Connection, *, max_size: int = DEFAULT_MAX_SIZE,
            exclude: tuple[str, ...] = (), progress: ProgressHook | None = None,
            cancel: CancelToken | None = None, full: bool = False,
            rebuilt: str | None = None, resolve_edges: bool = True,
            prepare: Prepare | None = None) -> IndexStats:
    """Bring the index in ``conn`` up to date with the working tree of ``repo``.

    ``prepare``: called (inside the write transaction, on ``conn``) when the rows changed,
    once they are all in and before the call graph is resolved: work that reads the rows
    but not the edges (the endpoints, composed ahead) then runs while the early resolving
    processes (:mod:`~codemap.index.resolveearly`) load their program, not alone on one
    core after the resolution.

    With ``resolve_edges`` false, changed files are re-parsed but the call
    edges are only marked stale: commands that read symbols alone (``at``,
    ``find``, ``trace``, ``who``, ``coverage``) stay fast after an edit, and
    the next command that needs the call graph resolves them.
    """
    started = time.perf_counter()
    report = progress or (lambda _p: None)
    db_file = snapshot.database_file(conn)
    cache = db_file.parent if db_file else None
    listing = scan_listing(repo, exclude, cache)
    undecodable = listing.dropped
    paths = listing.paths
    check_cancel(cancel)
    prefixes = listing.prefixes

    meta = store.get_meta(conn)
    # only the languages the repository has: hashing the other grammars and queries would
    # cost every query a few milliseconds for nothing
    stale_langs = {name for name in set(listing.languages) if name is not None
                   and meta.get(f"lang:{name}") != language_key(name)}
    edges_ok = meta.get("edges_fresh") == "1" and meta.get("resolver") == resolver_fingerprint()
    root = str(repo.root)
    # the lstat of every parsed file; when they and the index are as they were at the last
    # refresh that found nothing to do, there is nothing to do again
    facts_since = snapshot.now_ns()
    prefix_dir = root if root.endswith(os.sep) else root + os.sep
    stats_now, file_facts = snapshot.stat_all(prefix_dir + p for p in listing.parsed_paths())
    quiet_token = (meta.get("indexed_at"), meta.get("root"),
                   snapshot.facts(str(db_file))[3] if db_file else None)
    quiet_possible = (not full and not stale_langs and meta.get("schema") == store.SCHEMA_VERSION
                      and (edges_ok or not resolve_edges))
    if quiet_possible and listing.snap is not None:
        quiet = listing.snap.quiet_matches(quiet_token, file_facts)
        if quiet is not None:
            return _with_undecodable(_stats(conn, repo, started, reused=quiet, rebuilt=rebuilt),
                                     undecodable)
    # rows of files modified in the clock tick they were read in are not trusted (read again);
    # mtimes in the future are: a write now would give the file another mtime
    trust_limit, coarse_limit = snapshot.trusted_before(cache, quiet_token, meta.get("indexed_at"))
    old: dict[str, tuple[Any, ...]] = {
        row[0]: row for row in conn.execute(
            "SELECT path, id, language, module, hash, size, mtime_ns, ino, status FROM files")
    }

    work: list[WorkItem] = []
    unchanged = 0
    plain_rows: list[tuple[Any, ...]] = []  # files rows for unsupported files and symlinks
    missing: set[str] = set()
    next_stat = iter(stats_now).__next__
    for path, lang in zip(paths, listing.languages):
        prev = old.get(path)
        if lang is None:  # (kept, not counted: reused counts indexed files)
            if prev is None or prev[8] != "unsupported":
                plain_rows.append((path, None, None, None, None, None, None, 0, "unsupported"))
            continue
        st = next_stat()
        if st is None:  # listed by git but deleted from the working tree
            missing.add(path)
            continue
        if not stat_mod.S_ISREG(st.st_mode) and not stat_mod.S_ISLNK(st.st_mode):
            plain_rows.append((path, lang, None, None, 0, 0, 0, 0, "skipped:special"))
            continue
        if stat_mod.S_ISLNK(st.st_mode):
            if prev is None or prev[8] != "skipped:symlink":
                plain_rows.append((path, lang, None, None, st.st_size, st.st_mtime_ns, st.st_ino, 0,
                                   "skipped:symlink"))
            continue
        prefix = prefixes.get(path, "")
        same_key = (not full and prev is not None and prev[2] == lang
                    and (prev[3] or "") == prefix and lang not in stale_langs)
        mtime = st.st_mtime_ns
        if (same_key and prev[5] == st.st_size and prev[6] == mtime and prev[7] == st.st_ino
                and prev[8] not in ("skipped:unreadable", "skipped:symlink")
                and not (coarse_limit <= mtime <= facts_since
                         and (mtime >= trust_limit or mtime % 1_000_000_000 == 0))):
            if prev[8] in ("parsed", "partial"):  # (a skipped file is counted as skipped)
                unchanged += 1
            continue
        work.append((path, lang, prefix, prev[4] if same_key else None, max_size, 0))

    listed = set(paths) - missing
    removed_ids = [row[1] for path, row in old.items() if path not in listed]
    if (not work and not removed_ids and not plain_rows and not stale_langs
            and meta.get("schema") == store.SCHEMA_VERSION and (edges_ok or not resolve_edges)):
        if quiet_possible:
            listing.remember_quiet(quiet_token, file_facts, unchanged, facts_since)
        return _with_undecodable(_stats(conn, repo, started, reused=unchanged, rebuilt=rebuilt),
                                 undecodable)
    snapshot.save_stamp(cache, quiet_token, trust_limit + snapshot.RACY_NS, facts_since)

    # ---- write phase: one transaction, rows streamed in as workers finish ----
    writer = _Writer(conn, old, prefixes)
    timing = {"resolve": 0.0}
    with _shard_dir(conn) as shards:
        _write_phase(conn, repo, writer, work, root, report, cancel, shards, cold=not old,
                     removed_ids=removed_ids, plain_rows=plain_rows, edges_ok=edges_ok,
                     resolve_edges=resolve_edges, timing=timing, prepare=prepare)
    stats = _stats(conn, repo, started, reused=unchanged + writer.same, parsed=writer.parsed,
                   removed=len(removed_ids), rebuilt=rebuilt)
    return _with_undecodable(
        dataclasses.replace(stats, resolve_seconds=round(timing["resolve"], 3)), undecodable)


KEEP_EDGES_FILES = 50  # at most this many edited files are checked for kept edges


def _write_phase(conn: sqlite3.Connection, repo: Repo, writer: _Writer, work: list[WorkItem],
                 root: str, report: ProgressHook, cancel: CancelToken | None, shards: Path, *,
                 cold: bool, removed_ids: list[int], plain_rows: list[tuple[Any, ...]],
                 edges_ok: bool, resolve_edges: bool, timing: dict[str, float],
                 prepare: Prepare | None) -> None:
    """Everything a refresh writes, in one transaction: rows, indexes, edges, meta."""
    with store.journal_for(conn, cold=cold):
        _write_all(conn, repo, writer, work, root, report, cancel, shards, cold=cold,
                   removed_ids=removed_ids, plain_rows=plain_rows, edges_ok=edges_ok,
                   resolve_edges=resolve_edges, timing=timing, prepare=prepare)


def _write_all(conn: sqlite3.Connection, repo: Repo, writer: _Writer, work: list[WorkItem],
               root: str, report: ProgressHook, cancel: CancelToken | None, shards: Path, *,
               cold: bool, removed_ids: list[int], plain_rows: list[tuple[Any, ...]],
               edges_ok: bool, resolve_edges: bool, timing: dict[str, float],
               prepare: Prepare | None) -> None:
    conn.execute("BEGIN IMMEDIATE")
    committed = False
    try:
        work = writer.number(work, plain_rows)
        # an edit that only moved lines keeps the call graph (keepedges): take the edges
        # touching the files about to be rewritten, while their old rows are still there
        kept = None
        if (edges_ok and not cold and not removed_ids and not plain_rows
                and 0 < len(work) <= KEEP_EDGES_FILES and all(w[3] is not None for w in work)):
            from codemap.index.keepedges import KeptEdges

            kept = KeptEdges(conn, [w[5] for w in work])
        if cold:
            store.drop_secondary_indexes(conn)
        if removed_ids:
            _delete_file_rows(conn, removed_ids, drop_file=True)
        for row in plain_rows:
            writer.add_plain(row)
        watch = _cpu_watch() if cold and resolve_edges else None
        for result, sharded in _run_work(work, root, report, cancel, shards):
            writer.add(result, sharded=sharded)
        writer.flush()
        # the root first: the resolver reads it (a Go module's go.mod)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('root', ?)", (str(repo.root),))
        early = None
        cache_size = None
        try:
            if watch is not None and writer.sharded:
                # a cold index's later files are resolved from the shards while they merge
                from codemap.index.resolveearly import CACHE_KIB, start

                early = start(conn, shards, watch)
                if early is not None:  # two programs in memory soon: a smaller page cache
                    (cache_size,) = conn.execute("PRAGMA cache_size").fetchone()
                    conn.execute(f"PRAGMA cache_size={-CACHE_KIB}")
            if writer.sharded:
                from codemap.index.shards import merge

                merge(conn, shards)
            if cold:
                store.create_secondary_indexes(conn)
            if early is not None:
                early.send_counts(conn)
            # how each language was read: what ``prepare`` (the endpoints' digest) reads
            for name in BY_NAME:
                conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                             (f"lang:{name}", language_key(name)))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                         (store.SCHEMA_VERSION,))
            changed = bool(removed_ids or writer.parsed or plain_rows or writer.skipped)
            if changed and prepare is not None:
                prepare(conn)
            if changed and kept is not None and kept.restore(conn, writer.rewritten):
                changed = False  # the graph is as a full resolution would make it
            if not resolve_edges:
                if changed:
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('edges_fresh', '0')")
            elif changed or not edges_ok:
                resolve_started = time.perf_counter()
                _resolve(conn, report, cancel, early)
                early = None  # (ended by the resolver)
                timing["resolve"] = time.perf_counter() - resolve_started
        finally:
            if early is not None:
                early.stop()
            if cache_size is not None:
                conn.execute(f"PRAGMA cache_size={int(cache_size)}")
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('indexed_at', ?)", (str(time.time()),))
        _store_counts(conn, repo)
        conn.execute("COMMIT")
        committed = True
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    finally:
        if writer.sharded:
            from codemap.index.shards import detach_all

            try:
                detach_all(conn)
            except sqlite3.OperationalError:
                # interrupted inside a statement reading a shard, which stays open while
                # the exception lives ("database shard0 is locked"): the caller closes
                # the connection, detaching it, and the interruption is what to report
                if committed:
                    raise


def _with_undecodable(stats: IndexStats, names: list[str]) -> IndexStats:
    """Count files whose names are not UTF-8 (never stored) among the skipped ones."""
    if not names:
        return stats
    return dataclasses.replace(stats, skipped={**stats.skipped, "undecodable-name": len(names)})


class _Writer:
    """Buffers the rows of finished files and writes them in batches."""

    BATCH = 200

    def __init__(self, conn: sqlite3.Connection, old: dict[str, tuple[Any, ...]],
                 prefixes: dict[str, str]) -> None:
        self.conn = conn
        self.old = old
        self.prefixes = prefixes
        self.parsed = 0
        self.same = 0
        self.skipped = 0
        self.sharded = 0
        self.next_file = (conn.execute("SELECT MAX(id) FROM files").fetchone()[0] or 0) + 1
        self.ids: dict[str, int] = {}
        self.pending_delete: list[int] = []
        self.rewritten: set[int] = set()  # ids of files whose rows are written again
        self.files: list[tuple[Any, ...]] = []
        self.stats: list[tuple[int, int, int, int]] = []
        self.syms: list[tuple[Any, ...]] = []
        self.calls: list[tuple[Any, ...]] = []
        self.imps: list[tuple[Any, ...]] = []
        self.binds: list[tuple[Any, ...]] = []
        self.routes: list[tuple[int, str, str | None]] = []
        self.count = 0

    def number(self, work: list[WorkItem], plain_rows: list[tuple[Any, ...]]) -> list[WorkItem]:
        """Give every file to be written its id, in path order, and ``work`` with them.

        Ids follow the paths, not the order workers finish in, and a symbol's id is
        derived from its file's (:func:`codemap.index.shards.symbol_base`): indexing the
        same tree twice gives the same ids, hence the same call graph.

        A file written again keeps its id (so do its symbols, and the edges into them from
        other files: :mod:`codemap.index.keepedges`); a new file is numbered after the rest.
        """
        paths = sorted([w[0] for w in work] + [r[0] for r in plain_rows])
        new = [path for path in paths if path not in self.old]
        self.ids = {path: self.old[path][1] for path in paths if path in self.old}
        self.ids.update((path, self.next_file + i) for i, path in enumerate(new))
        self.next_file += len(new)
        return [(*w[:5], self.ids[w[0]]) for w in work]

    def add_plain(self, row: tuple[Any, ...]) -> None:
        prev = self.old.get(row[0])
        if prev is not None:
            self.pending_delete.append(prev[1])
        self.files.append((self.ids[row[0]], *row))
        self._tick()

    def add(self, result: WorkResult, *, sharded: bool = False) -> None:
        """Record one file's result; ``sharded``: its rows are in a worker's shard already."""
        path, status, digest, size, mtime_ns, ino, facts = result
        prev = self.old.get(path)
        if status == "same":
            self.same += 1
            self.stats.append((size, mtime_ns, ino, prev[1]))
            self._tick()
            return
        if prev is not None:
            self.pending_delete.append(prev[1])
            self.rewritten.add(prev[1])
        if sharded:
            self.sharded += 1
            if status in ("parsed", "partial"):
                self.parsed += 1
            else:
                self.skipped += 1
            self._tick()
            return
        spec = language_for_path(path)
        file_id = self.ids[path]
        lines = facts.lines if facts is not None else 0
        self.files.append((file_id, path, spec.name if spec else None, self.prefixes.get(path, ""),
                           digest, size, mtime_ns, ino, lines, status))
        if facts is None:
            self.skipped += 1
            self._tick()
            return
        self.parsed += 1
        base = symbol_base(file_id)
        self.syms.extend((base + lid, file_id, base + parent if parent >= 0 else None, name, qual,
                          kind, first, last, bases or None)
                         for lid, parent, name, qual, kind, first, last, bases in facts.symbols)
        self.calls.extend((file_id, base + owner, name, recv or None, line, col, kind, argc)
                          for owner, name, recv, line, col, kind, argc in facts.calls)
        self.imps.extend((file_id, base + owner, module, name or None, alias or None, level, line)
                         for owner, module, name, alias, level, line in facts.imports)
        self.binds.extend((file_id, base + owner, name, typ, obj or None, line)
                          for owner, name, typ, obj, line in facts.bindings)
        if facts.routes is not None:
            self.routes.append((file_id, *facts.routes))
        self._tick()

    def _tick(self) -> None:
        self.count += 1
        if self.count % self.BATCH == 0:
            self.flush()

    def flush(self) -> None:
        conn = self.conn
        if self.pending_delete:
            _delete_file_rows(conn, self.pending_delete, drop_file=True)
            self.pending_delete = []
        conn.executemany("INSERT INTO files(id, path, language, module, hash, size, mtime_ns, ino, "
                         "lines, status) VALUES (?,?,?,?,?,?,?,?,?,?)", self.files)
        conn.executemany("UPDATE files SET size=?, mtime_ns=?, ino=? WHERE id=?", self.stats)
        conn.executemany("INSERT INTO symbols VALUES (?,?,?,?,?,?,?,?,?)", self.syms)
        conn.executemany("INSERT INTO calls VALUES (?,?,?,?,?,?,?,?)", self.calls)
        conn.executemany("INSERT INTO imports VALUES (?,?,?,?,?,?,?)", self.imps)
        conn.executemany("INSERT INTO bindings VALUES (?,?,?,?,?,?)", self.binds)
        conn.executemany("INSERT INTO routes VALUES (?,?,?)", self.routes)
        self.files, self.stats, self.syms, self.calls, self.imps, self.binds = [], [], [], [], [], []
        self.routes = []


def _store_counts(conn: sqlite3.Connection, repo: Repo) -> None:
    """Remember the table sizes, so a no-change refresh need not count millions of rows."""
    import json

    counts = store.IndexReader(conn, repo.root).counts()
    counts["languages"] = dict(conn.execute(  # type: ignore[assignment]
        "SELECT language, COUNT(*) FROM files WHERE status IN ('parsed','partial') "
        "GROUP BY language ORDER BY COUNT(*) DESC").fetchall())
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('counts', ?)", (json.dumps(counts),))


def _stats(conn: sqlite3.Connection, repo: Repo, started: float, *, reused: int, parsed: int = 0,
           removed: int = 0, rebuilt: str | None = None) -> IndexStats:
    import json

    row = conn.execute("SELECT value FROM meta WHERE key = 'counts'").fetchone()
    if row is None:
        _store_counts(conn, repo)
        row = conn.execute("SELECT value FROM meta WHERE key = 'counts'").fetchone()
    counts = json.loads(row[0])
    langs = counts.pop("languages")
    return IndexStats(
        files=counts["files"], reused=reused, symbols=counts["symbols"], edges=counts["edges"],
        languages=langs, seconds=round(time.perf_counter() - started, 3), parsed=parsed,
        removed=removed, skipped=_skipped_counts(conn), calls=counts["calls"],
        imports=counts["imports"], rebuilt=rebuilt,
    )


def _skipped_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {status.split(":", 1)[1]: count for status, count in conn.execute(
        "SELECT status, COUNT(*) FROM files WHERE status LIKE 'skipped:%' GROUP BY status")}


def _delete_file_rows(conn: sqlite3.Connection, file_ids: list[int], *, drop_file: bool) -> None:
    for start in range(0, len(file_ids), 500):
        chunk = file_ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        conn.execute(f"DELETE FROM edges WHERE caller_id IN (SELECT id FROM symbols WHERE file_id "
                     f"IN ({marks})) OR callee_id IN (SELECT id FROM symbols WHERE file_id IN "
                     f"({marks}))", chunk + chunk)
        for table in FILE_TABLES:
            conn.execute(f"DELETE FROM {table} WHERE file_id IN ({marks})", chunk)
        if drop_file:
            conn.execute(f"DELETE FROM files WHERE id IN ({marks})", chunk)


_RESOLVER_FP: list[str] = []


def resolver_fingerprint() -> str:
    """A hash of the resolution rules (resolver code and the language table).

    When it changes, existing indexes re-resolve their edges on the next refresh
    even though no file changed.
    """
    if not _RESOLVER_FP:
        here = Path(__file__).parent
        digest = hashlib.sha1()
        for name in ("resolve.py", "callsites.py", "program.py", "hierarchy.py", "valueflow.py",
                     "modules.py", "callrules.py", "resolvefork.py", "../lang/registry.py"):
            try:
                digest.update((here / name).read_bytes())
            except OSError:
                digest.update(name.encode())
        _RESOLVER_FP.append(digest.hexdigest()[:16])
    return _RESOLVER_FP[0]


def _cpu_watch() -> CpuWatch | None:
    """A watch of the cores other processes use (for :mod:`codemap.index.resolveearly`),
    None when the resolver is not installed."""
    try:
        from codemap.index.resolvefork import CpuWatch
    except ImportError:
        return None
    return CpuWatch()


def _resolve(conn: sqlite3.Connection, report: ProgressHook, cancel: CancelToken | None,
             early: EarlyPart | None = None) -> None:
    """Re-resolve call sites into edges (the call-graph resolver, when installed)."""
    try:
        from codemap.index import resolve
    except ImportError:
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('edges_fresh', '0')")
        return
    report(Progress("resolving calls", 0, 1))
    resolve.resolve_all(conn, cancel=cancel, early=early)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('edges_fresh', '1')")
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('resolver', ?)", (resolver_fingerprint(),))
    report(Progress("resolving calls", 1, 1))


@contextmanager
def _shard_dir(conn: sqlite3.Connection) -> Iterator[Path]:
    """A temporary directory beside the index for the workers' shards, always removed."""
    import shutil
    import tempfile

    db_file = conn.execute("PRAGMA database_list").fetchone()[2]
    parent = Path(db_file).parent if db_file else None
    path = Path(tempfile.mkdtemp(prefix="shards-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _run_work(work: list[WorkItem], root: str, report: ProgressHook,
              cancel: CancelToken | None, shards: Path) -> Iterator[tuple[WorkResult, bool]]:
    """Results of ``work`` as they finish, each with whether its rows went to a shard.

    Enough work runs in worker processes, which write their rows into shards
    in ``shards`` (see :mod:`codemap.index.shards`); a little runs here.
    """
    total = len(work)
    if total == 0:
        return
    report(Progress("parsing", 0, total))
    workers = min(os.cpu_count() or 1, 8)
    if total < PARALLEL_THRESHOLD or workers < 2:
        for i, item in enumerate(work, 1):
            if cancel is not None and cancel.is_set():
                raise Cancelled("indexing cancelled")
            yield process_file(item, root), False
            if i % 64 == 0 or i == total:
                report(Progress("parsing", i, total))
        return
    # biggest files first so no worker is left with a giant file at the end
    work = sorted(work, key=lambda w: -_size_hint(root, w[0]))
    # queries compiled once here are inherited by every forked worker (a few tens of
    # milliseconds each per language otherwise), and so are the endpoint tables
    from codemap.endpoints.indexing import prepare_workers

    for lang in {w[1] for w in work}:
        ts_query(lang, "tags")
        prepare_workers(lang)
    yield from _run_pool(work, root, report, cancel, shards, workers)


CHUNK = 32  # files per task sent to a worker


def _process_chunk(items: list[WorkItem]) -> list[WorkResult]:
    """Process some files in a worker. The chunk's files are named in an ``inflight``
    marker (written once: a write per file costs more than it saves), so when a worker
    dies (a crashing grammar, the OOM killer) its culprit is among them."""
    marker = os.path.join(_SHARD_DIR, f"inflight-{os.getpid()}")
    with open(marker, "w", encoding="utf-8", errors="surrogateescape") as fh:
        fh.write("\0".join(item[0] for item in items))
    out = [process_file_to_shard(item) for item in items]
    os.unlink(marker)
    return out


def _run_pool(work: list[WorkItem], root: str, report: ProgressHook,
              cancel: CancelToken | None, shards: Path,
              workers: int) -> Iterator[tuple[WorkResult, bool]]:
    """``work`` in worker processes, surviving a worker that dies.

    A dead worker breaks the pool: the files of the chunks in hand (the ``inflight``
    markers) are retried one at a time in a pool of their own, and a file that
    kills its worker again is reported as ``skipped:parser-crash``; the rest of
    the work goes on in a new pool. Rows a dead round left in its shards for
    files never reported are deleted before the shards are merged.
    """
    from concurrent.futures.process import BrokenProcessPool

    from codemap.index.shards import keep_only

    total = len(work)
    reported: set[str] = set()
    acked: set[int] = set()  # files whose rows a shard holds and the parent was told of
    broke = False

    def note(res: WorkResult, item_id: int) -> tuple[WorkResult, bool]:
        reported.add(res[0])
        if res[1] != "same":
            acked.add(item_id)
        if len(reported) % 64 == 0 or len(reported) == total:
            report(Progress("parsing", len(reported), total))
        return res, True

    ids = {item[0]: item[5] for item in work}
    remaining = work
    while remaining:
        try:
            for results in _pool_round(remaining, root, shards, workers, cancel):
                for res in results:
                    yield note(res, ids[res[0]])
            remaining = []
        except BrokenProcessPool:
            broke = True
            # the pool's workers are gone: rows they wrote for files never reported are
            # stale (those files are redone below), so they go before anything is redone
            keep_only(shards, acked)
            suspects = _inflight(shards)
            rest = [item for item in remaining if item[0] not in reported]
            if not suspects & {item[0] for item in rest}:
                suspects = {item[0] for item in rest}  # no culprit named: every file alone
            for item in rest:
                if item[0] not in suspects:
                    continue
                try:
                    alone = [res for results in _pool_round([item], root, shards, 1, cancel)
                             for res in results]
                except BrokenProcessPool:
                    reported.add(item[0])
                    yield (item[0], "skipped:parser-crash", None, 0, 0, 0, None), False
                    continue
                for res in alone:
                    yield note(res, item[5])
            remaining = [item for item in rest if item[0] not in reported]
    if broke:
        keep_only(shards, acked)


def _inflight(shards: Path) -> set[str]:
    """Paths the workers of a broken pool had in hand (and the markers, removed)."""
    out = set()
    for marker in shards.glob("inflight-*"):
        try:
            out.update(marker.read_text(encoding="utf-8", errors="surrogateescape").split("\0"))
            marker.unlink()
        except OSError:
            continue
    return out


def _pool_round(items: list[WorkItem], root: str, shards: Path, workers: int,
                cancel: CancelToken | None) -> Iterator[list[WorkResult]]:
    """Results of ``items`` in chunks, from a fresh pool (BrokenProcessPool if one dies)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = multiprocessing.get_context("fork")
    # Ctrl-C is taken only between waits: raised inside the pool's bookkeeping (wait()
    # taking the futures' locks) it could leave the pool's thread blocked for good
    with deferred_interrupt() as interrupted:
        pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(root, str(shards)))
        finished = False
        try:
            pending = {pool.submit(_process_chunk, items[i:i + CHUNK])
                       for i in range(0, len(items), CHUNK)}
            while pending:
                ready, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
                if interrupted():
                    raise KeyboardInterrupt
                if cancel is not None and cancel.is_set():
                    raise Cancelled("indexing cancelled")
                for fut in ready:
                    yield fut.result()
            finished = True
        finally:
            if not finished:  # Ctrl-C, cancel or a dead worker: stop the others now
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


def _size_hint(root: str, path: str) -> int:
    try:
        return os.path.getsize(os.path.join(root, path))
    except OSError:
        return 0
