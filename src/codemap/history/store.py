"""The history cache: blame and line-history answers kept in SQLite.

Blame is the slowest thing codemap asks git for and its answer never changes
for a given (commit, path, content, options) key, so the answer is kept,
compressed, under :func:`codemap.cache.cache_dir` (``.git/codemap/`` for a
git repository; never the working tree). Keys are built by the callers and
include everything that can change an answer. A cache that cannot be read
(corrupt file, other schema) is deleted and rebuilt; a cache that cannot be
written (read-only disk) is skipped: it never makes a command fail.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import zlib
from pathlib import Path
from typing import Any

from codemap.cache import cache_dir
from codemap.repo import Repo

SCHEMA_VERSION = 1
FILE_NAME = "history.sqlite"
MAX_ROWS = 5000


class HistoryStore:
    """Key -> JSON value, by kind (``blame``, ``linelog``, ...)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._broken = path is None  # no writable cache directory: work uncached
        self._pending: dict[tuple[str, str], Any] = {}  # being written in the background
        self.rebuilt = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken or self.path is None:
            return self._db
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path, timeout=5, check_same_thread=False,
                                     isolation_level=None)
                # a cache: losing the last writes on a crash is fine, waiting for fsync is not
                db.execute("PRAGMA synchronous = OFF")
                db.execute("PRAGMA journal_mode = WAL")
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    db.execute("DROP TABLE IF EXISTS entries")
                    db.execute("CREATE TABLE entries (kind TEXT, key TEXT, data BLOB, used REAL,"
                               " PRIMARY KEY (kind, key))")
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("SELECT count(*) FROM entries WHERE 0").fetchone()
                self._db = db
                return db
            except sqlite3.DatabaseError:
                if attempt == 0:
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                    self.rebuilt = True
                    continue
            except OSError:
                pass
            break
        self._broken = True
        return None

    def get(self, kind: str, key: str) -> Any | None:
        pending = self._pending.get((kind, key))
        if pending is not None:
            return pending
        with self._lock:
            db = self._connect()
            if db is None:
                return None
            try:
                row = db.execute("SELECT data FROM entries WHERE kind = ? AND key = ?",
                                 (kind, key)).fetchone()
            except sqlite3.DatabaseError:
                return None
        if row is None:
            return None
        try:
            return json.loads(zlib.decompress(row[0]))
        except (zlib.error, ValueError):
            return None

    def put_soon(self, kind: str, key: str, value: Any) -> None:
        """:meth:`put` in a background thread; :meth:`get` sees the value at once.

        The thread is not a daemon, so a command that ends right away still
        saves the answer before the process exits."""
        self._pending[(kind, key)] = value

        def write() -> None:
            try:
                self.put(kind, key, value)
            finally:
                self._pending.pop((kind, key), None)

        threading.Thread(target=write, name="codemap-history-cache", daemon=False).start()

    def put(self, kind: str, key: str, value: Any) -> None:
        # ensure_ascii: surrogate escapes of invalid UTF-8 round-trip as \\udcXX.
        blob = zlib.compress(json.dumps(value, separators=(",", ":")).encode("ascii"), 1)
        with self._lock:
            db = self._connect()
            if db is None:
                return
            try:
                db.execute("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                           (kind, key, blob, time.time()))
                count = db.execute("SELECT count(*) FROM entries").fetchone()[0]
                if count > MAX_ROWS:
                    db.execute("DELETE FROM entries WHERE rowid IN (SELECT rowid FROM entries"
                               " ORDER BY used LIMIT ?)", (count - MAX_ROWS * 4 // 5,))
            except sqlite3.DatabaseError:
                pass


_stores: dict[str, HistoryStore] = {}
_stores_lock = threading.Lock()


def history_store(repo: Repo) -> HistoryStore:
    """The (process-wide, shared) history cache of ``repo``."""
    try:
        path = cache_dir(repo) / FILE_NAME
    except OSError:  # read-only git directory or cache location: no cache, still answers
        return HistoryStore(None)
    with _stores_lock:
        store = _stores.get(str(path))
        if store is None:
            store = _stores[str(path)] = HistoryStore(path)
        return store
