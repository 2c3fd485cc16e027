"""The endpoint cache: route facts per file content, and the last composed answer.

Route facts depend only on a file's bytes and on the extractor (its code,
the framework tables and the ``routes.scm`` files), so they are stored by
content hash next to the index (``endpoints.sqlite`` in
:func:`codemap.cache.cache_dir`); a changed file is re-read, nothing else.
Each file also has a role (:mod:`codemap.endpoints.anchors`): an anchor's
facts are extracted when it is first seen, a reference's only once a
declaration leads to it (its ``data`` stays NULL until then).
The composed endpoint list depends on every file (handlers live anywhere),
so it is stored under one digest of the whole index state: a warm
``codemap endpoint`` reads it back instead of composing again. The cache is
disposable: a database that cannot be read is deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from codemap.cache import cache_dir
from codemap.endpoints.anchors import ANCHOR, NONE, REFERENCE
from codemap.lang.registry import QUERIES_DIR
from codemap.repo import Repo

DB_NAME = "endpoints.sqlite"
FORMAT = "2"
_HERE = Path(__file__).parent

FACTS_TABLE = ("CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, hash TEXT NOT NULL, "
               "role TEXT NOT NULL, data TEXT)")
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
        self._references: dict[str, tuple[str, str]] = {}  # path -> (hash, facts JSON)
        self._unsaved: list[tuple[str, str, str, str | None]] = []

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
                    conn.execute("DELETE FROM meta WHERE key = 'result'")
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

    def save_result(self, digest: str, records: list[tuple[str, dict[str, Any]]]) -> None:
        """Store ``(lead, record)`` pairs as the answer for index state ``digest``."""
        self.flush()
        rows = [(i, lead, json.dumps(r, separators=(",", ":"))) for i, (lead, r) in enumerate(records)]
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.execute("DELETE FROM endpoints")
            self.conn.executemany("INSERT INTO endpoints VALUES (?, ?, ?)", rows)
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('result', ?)", (digest,))
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError:  # another process holds the lock: skip caching
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    # -- per-file facts -------------------------------------------------------------------
    def survey(self, files: Iterable[tuple[str, str, str]],
               survey: Callable[[list[tuple[str, str]]], dict[str, tuple[str, Any]]]
               ) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
        """The facts of every anchor among ``(path, language, content hash)``, and every
        reference as path -> hash (:mod:`codemap.endpoints.anchors`).

        ``survey([(path, language)])`` gives the role, and an anchor's facts (None when
        it declares nothing), of the files not cached; a reference's facts are read
        later, on demand (:meth:`reference`).
        """
        wanted = list(files)
        cached: dict[str, tuple[str, str, str | None]] = {
            p: (h, r, d) for p, h, r, d in self.conn.execute(
                "SELECT path, hash, role, data FROM facts")}
        anchors: dict[str, dict[str, Any]] = {}
        references: dict[str, str] = {}
        missing: list[tuple[str, str, str]] = []
        for path, lang, digest in wanted:
            hit = cached.get(path)
            if hit is None or hit[0] != digest:
                missing.append((path, lang, digest))
                continue
            if hit[1] == REFERENCE:
                references[path] = digest
                if hit[2] is not None:
                    self._references[path] = (digest, hit[2])
            elif hit[1] == ANCHOR and hit[2] not in (None, "{}"):
                try:
                    anchors[path] = json.loads(hit[2])  # type: ignore[arg-type]
                except ValueError:
                    pass
        computed = survey([(p, lang) for p, lang, _d in missing]) if missing else {}
        fresh: list[tuple[str, str, str, str | None]] = []
        for path, _lang, digest in missing:
            role, facts = computed.get(path, (NONE, None))
            if role == REFERENCE:
                references[path] = digest
                fresh.append((path, digest, role, None))
                continue
            fresh.append((path, digest, role, json.dumps(facts or {}, separators=(",", ":"))))
            if role == ANCHOR and facts:
                anchors[path] = facts
        stale = set(cached) - {w[0] for w in wanted}
        self._write(fresh, stale)
        return anchors, references

    def reference(self, path: str, digest: str,
                  extract: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
        """The facts of reference ``path`` (content hash ``digest``): cached, or
        ``extract()``-ed now and saved by :meth:`flush`."""
        hit = self._references.get(path)
        if hit is not None and hit[0] == digest:
            try:
                return json.loads(hit[1]) or {}
            except ValueError:
                pass
        facts = extract() or {}
        data = json.dumps(facts, separators=(",", ":"))
        self._references[path] = (digest, data)
        self._unsaved.append((path, digest, REFERENCE, data))
        return facts

    def flush(self) -> None:
        """Save the references extracted since the last flush."""
        if self._unsaved:
            self._write(self._unsaved, set())
            self._unsaved = []

    def _write(self, rows: list[tuple[str, str, str, str | None]], stale: set[str]) -> None:
        if not rows and not stale:
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            self.conn.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?)", rows)
            self.conn.executemany("DELETE FROM facts WHERE path = ?", [(p,) for p in stale])
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError:  # another process holds the lock: skip caching
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
