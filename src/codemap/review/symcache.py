"""The symbols of old file versions, cached by blob id.

A review parses every changed file at BASE and at HEAD. HEAD versions that
equal the working tree are already in the index; the others are parsed
once and kept here (SQLite in :func:`codemap.cache.cache_dir`, like the
index), keyed by what the answer depends on: the blob id (the content), the
path, its Python module name and the language's fingerprint (grammar and
query versions). Reviewing overlapping ranges again, or a branch as it
grows, parses only the versions not seen before.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

from codemap.model import Symbol
from codemap.repo import Repo

VERSION = "1"
DB_NAME = "review-symbols.sqlite"


class SymbolCache:
    """Symbols per (blob, path, module name, language fingerprint); never raises on I/O."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._pending: list[tuple[str, str]] = []
        self._broken = False

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None and not self._broken:
            try:
                conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("CREATE TABLE IF NOT EXISTS symbols (key TEXT PRIMARY KEY, data TEXT)")
                self._conn = conn
            except sqlite3.Error:
                self._broken = True
        return self._conn

    def get(self, key: str) -> list[Symbol] | None:
        conn = self._connect()
        if conn is None:
            return None
        try:
            with self._lock:
                row = conn.execute("SELECT data FROM symbols WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        try:
            return [Symbol(*item) for item in json.loads(row[0])]
        except (TypeError, ValueError):
            return None

    def put(self, key: str, symbols: list[Symbol]) -> None:
        data = json.dumps([[s.id, s.name, s.qualname, s.kind, s.language, s.path, s.start_line,
                            s.end_line] for s in symbols])  # ASCII: keeps undecodable names
        self._pending.append((key, data))

    def flush(self) -> None:
        conn = self._connect()
        if conn is None or not self._pending:
            return
        try:
            with self._lock, conn:
                conn.executemany("INSERT OR REPLACE INTO symbols VALUES (?, ?)", self._pending)
        except sqlite3.Error:
            pass
        self._pending = []

    def close(self) -> None:
        self.flush()
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def open_symbol_cache(repo: Repo) -> SymbolCache:
    from codemap.cache import cache_dir

    return SymbolCache(cache_dir(repo) / DB_NAME)


def cache_key(blob: str, path: str, has_file: Callable[[str], bool]) -> str | None:
    """The key of one file version, or None for files codemap does not parse."""
    from codemap.lang.qualnames import python_module_name
    from codemap.lang.registry import language_fingerprint, language_for_path

    spec = language_for_path(path)
    if spec is None:
        return None
    module = python_module_name(path, has_file) if spec.qualname_style == "python" else ""
    key = f"{VERSION}:{language_fingerprint(spec.name)}:{blob}:{module}:{path}"
    # a file name that is not UTF-8 holds surrogates, which SQLite text cannot store
    return key.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
