"""Worker-side row writing for parallel indexing, merged by the parent in SQL.

When files are parsed in worker processes, sending every extracted fact
back to the parent as pickled Python objects costs the parent more than
the parse: unpickling, re-shaping hundreds of thousands of tuples and
inserting them from Python. Instead each worker writes its rows into a
private SQLite *shard* (same tables as the index, no indexes, no journal),
numbering files and symbols locally; the parent only receives a small
status tuple per file. After the pool has finished, the parent attaches
each shard and copies its rows into the index with one
``INSERT ... SELECT`` per table, shifting the local ids: the copy runs
inside SQLite, in C, inside the parent's single transaction.

Shards live in a temporary directory inside codemap's cache directory and
are deleted afterwards, whatever happens.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from codemap.index.extract import FileFacts

SHARD_SCHEMA = """
CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, language TEXT, module TEXT, hash TEXT,
    size INTEGER, mtime_ns INTEGER, ino INTEGER, lines INTEGER, status TEXT);
CREATE TABLE symbols (id INTEGER PRIMARY KEY, file_id INTEGER, parent_id INTEGER, name TEXT,
    qualname TEXT, kind TEXT, start_line INTEGER, end_line INTEGER, bases TEXT);
CREATE TABLE calls (file_id INTEGER, caller_id INTEGER, name TEXT, receiver TEXT, line INTEGER,
    col INTEGER, kind TEXT, argc INTEGER);
CREATE TABLE imports (file_id INTEGER, scope_id INTEGER, module TEXT, name TEXT, alias TEXT,
    level INTEGER, line INTEGER);
CREATE TABLE bindings (file_id INTEGER, scope_id INTEGER, name TEXT, type TEXT, object TEXT,
    line INTEGER);
"""


class ShardWriter:
    """One worker's shard: rows of the files it parsed, with local ids."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, f"shard-{os.getpid()}.sqlite")
        self.conn = sqlite3.connect(self.path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.executescript(SHARD_SCHEMA)
        self.next_file = 1
        self.next_sym = 1

    def write(self, row: tuple[object, ...], facts: FileFacts | None) -> None:
        """Store one file: ``row`` is (path, language, module, hash, size, mtime, ino, status)."""
        conn = self.conn
        file_id = self.next_file
        self.next_file += 1
        path, lang, module, digest, size, mtime_ns, ino, status = row
        lines = facts.lines if facts is not None else 0
        conn.execute("BEGIN")
        conn.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (file_id, path, lang, module, digest, size, mtime_ns, ino, lines, status))
        if facts is not None:
            base = self.next_sym
            self.next_sym += len(facts.symbols)
            conn.executemany(
                "INSERT INTO symbols VALUES (?+?,?,CASE WHEN ?<0 THEN NULL ELSE ?+? END,"
                "?,?,?,?,?,NULLIF(?,''))",
                [(base, lid, file_id, parent, base, parent, name, qual, kind, first, last, bases)
                 for lid, parent, name, qual, kind, first, last, bases in facts.symbols])
            if facts.calls:
                conn.executemany(f"INSERT INTO calls VALUES ({file_id},?+{base},?,NULLIF(?,''),"
                                 "?,?,?,?)", facts.calls)
            if facts.imports:
                conn.executemany(f"INSERT INTO imports VALUES ({file_id},?+{base},?,NULLIF(?,''),"
                                 "NULLIF(?,''),?,?)", facts.imports)
            if facts.bindings:
                conn.executemany(f"INSERT INTO bindings VALUES ({file_id},?+{base},?,?,"
                                 "NULLIF(?,''),?)", facts.bindings)
        conn.execute("COMMIT")


def merge(conn: sqlite3.Connection, directory: Path) -> int:
    """Copy every shard in ``directory`` into the index on ``conn`` (inside its transaction).

    Returns the number of files merged. Local ids are shifted past the index's
    current largest ids, so shards never collide with each other or with rows
    already there. SQLite cannot detach a database inside a transaction: call
    :func:`detach_all` once the transaction has ended.
    """
    merged = 0
    for i, shard in enumerate(sorted(directory.glob("shard-*.sqlite"))):
        name = f"shard{i}"
        file_off = conn.execute("SELECT COALESCE(MAX(id), 0) FROM files").fetchone()[0]
        sym_off = conn.execute("SELECT COALESCE(MAX(id), 0) FROM symbols").fetchone()[0]
        conn.execute(f"ATTACH DATABASE ? AS {name}", (str(shard),))
        merged += conn.execute(
            "INSERT INTO files SELECT id+?1, path, language, module, hash, size, mtime_ns, "
            f"ino, lines, status FROM {name}.files", (file_off,)).rowcount
        conn.execute(
            "INSERT INTO symbols SELECT id+?2, file_id+?1, parent_id+?2, name, qualname, kind,"
            f" start_line, end_line, bases FROM {name}.symbols", (file_off, sym_off))
        conn.execute(
            "INSERT INTO calls SELECT file_id+?1, caller_id+?2, name, receiver, line, col, "
            f"kind, argc FROM {name}.calls", (file_off, sym_off))
        conn.execute(
            "INSERT INTO imports SELECT file_id+?1, scope_id+?2, module, name, alias, level, "
            f"line FROM {name}.imports", (file_off, sym_off))
        conn.execute(
            "INSERT INTO bindings SELECT file_id+?1, scope_id+?2, name, type, object, line "
            f"FROM {name}.bindings", (file_off, sym_off))
    return merged


def detach_all(conn: sqlite3.Connection) -> None:
    """Detach the shards :func:`merge` attached (outside any transaction)."""
    for _seq, name, _file in conn.execute("PRAGMA database_list").fetchall():
        if name.startswith("shard"):
            conn.execute(f"DETACH DATABASE {name}")
