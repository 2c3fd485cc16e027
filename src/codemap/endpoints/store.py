"""The endpoint cache: route facts of references, and the last composed answer.

Route facts depend only on a file's bytes and on the extractor (its code,
the framework tables and the ``routes.scm`` files). The index keeps every
file's role (:mod:`codemap.endpoints.anchors`) and each anchor's facts
(:mod:`codemap.endpoints.indexing`); a reference's facts are extracted only
once a declaration leads to it, and kept here (``endpoints.sqlite`` in
:func:`codemap.cache.cache_dir`) by content hash: a changed file is re-read,
nothing else. The composed endpoint list depends on every file (handlers
live anywhere), so it is stored under one digest of the whole index state:
a warm ``codemap endpoint`` reads it back instead of composing again. The
cache is disposable: a database that cannot be read is deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from codemap.cache import cache_dir
from codemap.lang.registry import QUERIES_DIR
from codemap.repo import Repo

DB_NAME = "endpoints.sqlite"
FORMAT = "3"
_HERE = Path(__file__).parent

FACTS_TABLE = ("CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, hash TEXT NOT NULL, "
               "data TEXT NOT NULL)")  # references' facts
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
{FACTS_TABLE};
CREATE TABLE IF NOT EXISTS endpoints (ord INTEGER PRIMARY KEY, lead TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS endpoints_lead ON endpoints(lead);
"""


@cache
def code_version() -> str:
    """A hash of everything that shapes facts and endpoints: this package and routes.scm."""
    digest = hashlib.sha1(FORMAT.encode())
    for path in sorted(_HERE.glob("*.py")) + sorted(QUERIES_DIR.glob("*/routes.scm")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class EndpointStore:
    def __init__(self, repo: Repo) -> None:
        self.path = cache_dir(repo) / DB_NAME
        self.conn = self._open()
        self._unsaved: list[tuple[str, str, str]] = []

    def _open(self) -> sqlite3.Connection:
        for attempt in range(2):
            try:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")
                conn.executescript(SCHEMA)
                row = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                if row is None or row[0] != code_version():
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute("DROP TABLE IF EXISTS facts")
                    conn.execute(FACTS_TABLE)
                    conn.execute("DELETE FROM endpoints")
                    conn.execute("DELETE FROM meta WHERE key IN ('result', 'reads')")
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                                 (code_version(),))
                    conn.execute("COMMIT")
                return conn
            except sqlite3.DatabaseError as exc:
                if attempt:
                    raise
                print(f"codemap: the endpoint cache at {self.path} was unreadable ({exc}); "
                      "rebuilt it", file=sys.stderr)
                for suffix in ("", "-wal", "-shm"):
                    try:
                        os.unlink(f"{self.path}{suffix}")
                    except FileNotFoundError:
                        pass
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()

    # -- the composed answer ------------------------------------------------------------
    def has_result(self, digest: str) -> bool:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'result'").fetchone()
        return row is not None and row[0] == digest

    def reads(self) -> str | None:
        """What the stored answer read (:class:`codemap.endpoints.freshness.Reads`, JSON)."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'reads'").fetchone()
        return row[0] if row else None

    def refile(self, digest: str) -> None:
        """File the stored answer under index state ``digest`` (it is still right)."""
        try:
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('result', ?)", (digest,))
        except sqlite3.OperationalError:  # another process holds the lock: next time
            pass

    def records(self, leads: list[str] | None = None) -> list[dict[str, Any]]:
        """The stored endpoints in order; with ``leads``, only routes whose first path
        segment is one of them (``""``: routes that do not start with a literal segment)."""
        if leads is None:
            rows = self.conn.execute("SELECT data FROM endpoints ORDER BY ord")
        else:
            marks = ",".join("?" * len(leads))
            rows = self.conn.execute(
                f"SELECT data FROM endpoints WHERE lead IN ({marks}) ORDER BY ord", leads)
        return [json.loads(r[0]) for r in rows]

    def save_result(self, digest: str, records: list[tuple[str, dict[str, Any]]],
                    paths: set[str] | None = None, reads: str = "") -> None:
        """Store ``(lead, record)`` pairs as the answer for index state ``digest``, with what
        composing it read (``reads``), and the references read meanwhile (``paths``: see
        :meth:`flush`)."""
        self.flush(paths)
        rows = [(i, lead, json.dumps(r, separators=(",", ":"))) for i, (lead, r) in enumerate(records)]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("DELETE FROM endpoints")
            self.conn.executemany("INSERT INTO endpoints VALUES (?, ?, ?)", rows)
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('result', ?)", (digest,))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('reads', ?)", (reads,))
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError:  # another process holds the lock: skip caching
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    # -- references' facts -----------------------------------------------------------------
    def reference(self, path: str, digest: str,
                  extract: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
        """The facts of reference ``path`` (content hash ``digest``): cached, or
        ``extract()``-ed now and saved by :meth:`flush`."""
        hit = self.conn.execute("SELECT hash, data FROM facts WHERE path = ?", (path,)).fetchone()
        if hit is not None and hit[0] == digest:
            try:
                return json.loads(hit[1]) or {}
            except ValueError:
                pass
        facts = extract() or {}
        self._unsaved.append((path, digest, json.dumps(facts, separators=(",", ":"))))
        return facts

    def flush(self, paths: set[str] | None = None) -> None:
        """Save the references extracted since the last flush; with ``paths`` (the files of
        the index), forget the references no longer among them."""
        stale: list[str] = []
        if paths is not None:
            stale = [p for (p,) in self.conn.execute("SELECT path FROM facts") if p not in paths]
        if not self._unsaved and not stale:
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?)", self._unsaved)
            self.conn.executemany("DELETE FROM facts WHERE path = ?", [(p,) for p in stale])
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError:  # another process holds the lock: skip caching
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
        self._unsaved = []
