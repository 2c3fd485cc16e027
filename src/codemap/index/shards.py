"""Worker-side row writing for parallel indexing, copied into the index in SQL.

When files are parsed in worker processes, sending every extracted fact
back to the parent as pickled Python objects costs the parent more than
the parse: unpickling, re-shaping hundreds of thousands of tuples and
inserting them from Python. Instead each worker writes its rows into a
private SQLite *shard* (same tables as the index, no indexes, no journal);
the parent only receives a small status tuple per file. Ids need no
renumbering: the parent gives each file its id up front (in path order) and a
symbol's id is its file's id shifted left plus its number within the file
(:func:`symbol_base`). After the pool has finished, the parent attaches each
shard and copies its rows with one ``INSERT ... SELECT`` per table: the copy
runs inside SQLite, in C, inside the parent's single transaction.

Shards live in a temporary directory inside codemap's cache directory and
are deleted afterwards, whatever happens.
"""

from __future__ import annotations

import os
import sqlite3
import time
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from codemap.errors import CodemapError

if TYPE_CHECKING:
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
CREATE TABLE routes (file_id INTEGER PRIMARY KEY, role TEXT, facts TEXT);
"""
# the tables that hold a file's rows, besides ``files`` itself
FILE_TABLES = ("symbols", "calls", "imports", "bindings", "routes")


SYMBOL_BITS = 24  # a file may hold up to 16M symbols; file ids keep 39 bits


def symbol_base(file_id: int) -> int:
    """The id of a file's module symbol; its other symbols follow it."""
    return file_id << SYMBOL_BITS


# a file's rows go in with multi-row INSERTs of BATCH rows, then halves for the rest (every
# statement is one of a few, prepared once): a third less CPU than one executemany per table
# and file, whose statements (the file's id written in) were compiled for every file and
# stepped once per row. Parameter ?1 is the file's id, ?2 its symbol base (symbol_base);
# each row's values follow, ?{0} its first; NULLIF stores '' as NULL
BATCH = 64
_ROW_SQL = {
    "symbols": (8, "(?2+?{0},?1,CASE WHEN ?{1}<0 THEN NULL ELSE ?2+?{1} END,?{2},?{3},?{4},"
                   "?{5},?{6},NULLIF(?{7},''))"),
    "calls": (7, "(?1,?2+?{0},?{1},NULLIF(?{2},''),?{3},?{4},?{5},?{6})"),
    "imports": (6, "(?1,?2+?{0},?{1},NULLIF(?{2},''),NULLIF(?{3},''),?{4},?{5})"),
    "bindings": (5, "(?1,?2+?{0},?{1},?{2},NULLIF(?{3},''),?{4})"),
}


def _insert_sql(table: str, rows: int) -> str:
    """``INSERT INTO table VALUES (...),(...)``: ``rows`` rows of :data:`_ROW_SQL`."""
    width, template = _ROW_SQL[table]
    values = ",".join(template.format(*range(3 + i * width, 3 + (i + 1) * width))
                      for i in range(rows))
    return f"INSERT INTO {table} VALUES {values}"


class ShardWriter:
    """One worker's shard: rows of the files it parsed."""

    def __init__(self, directory: str) -> None:
        # the pid alone could be reused by a worker of a later pool (after a worker died)
        self.path = os.path.join(directory, f"shard-{os.getpid()}-{time.monotonic_ns()}.sqlite")
        self.conn = sqlite3.connect(self.path, isolation_level=None, cached_statements=64)
        # no journal: a worker dies mid-write only if killed in the few microseconds of a
        # commit (a crashing parser dies before it writes); a shard left malformed that way
        # is reported by merge() as one clear error, and the previous index stays intact
        self.conn.execute("PRAGMA journal_mode=OFF")
        self.conn.execute("PRAGMA synchronous=OFF")
        # one writer, and no reader until the worker has exited (the parent reads shards
        # only after its pool has shut down): holding the file lock saves the lock and
        # unlock system calls of every file's transaction
        self.conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        self.conn.executescript(SHARD_SCHEMA)
        self._sql: dict[tuple[str, int], str] = {}

    def write(self, file_id: int, row: tuple[object, ...], facts: FileFacts | None) -> None:
        """Store one file: ``row`` is (path, language, module, hash, size, mtime, ino, status)."""
        conn = self.conn
        path, lang, module, digest, size, mtime_ns, ino, status = row
        lines = facts.lines if facts is not None else 0
        conn.execute("BEGIN")
        conn.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?)",
                     (file_id, path, lang, module, digest, size, mtime_ns, ino, lines, status))
        if facts is not None:
            base = symbol_base(file_id)
            self._rows("symbols", file_id, base, facts.symbols)
            self._rows("calls", file_id, base, facts.calls)
            self._rows("imports", file_id, base, facts.imports)
            self._rows("bindings", file_id, base, facts.bindings)
            if facts.routes is not None:
                conn.execute("INSERT INTO routes VALUES (?,?,?)", (file_id, *facts.routes))
        conn.execute("COMMIT")

    def _rows(self, table: str, file_id: int, base: int, rows: list[tuple[Any, ...]]) -> None:
        """Insert a file's rows of ``table`` in order (local ids shifted by ``base``)."""
        done, total = 0, len(rows)
        size = BATCH
        execute = self.conn.execute
        while done < total:
            while size > total - done:
                size //= 2
            sql = self._sql.get((table, size))
            if sql is None:
                sql = self._sql[(table, size)] = _insert_sql(table, size)
            execute(sql, (file_id, base, *chain.from_iterable(rows[done:done + size])))
            done += size


def merge(conn: sqlite3.Connection, directory: Path) -> int:
    """Copy every shard in ``directory`` into the index on ``conn`` (inside its transaction).

    Returns the number of files copied. SQLite cannot detach a database inside
    a transaction: call :func:`detach_all` once the transaction has ended.
    """
    consolidate(directory)
    merged = 0
    for i, shard in enumerate(sorted(directory.glob("shard-*.sqlite"))):
        name = f"shard{i}"
        try:
            conn.execute(f"ATTACH DATABASE ? AS {name}", (str(shard),))
            merged += conn.execute(f"INSERT INTO files SELECT * FROM {name}.files").rowcount
            for table in FILE_TABLES:
                conn.execute(f"INSERT INTO {table} SELECT * FROM {name}.{table}")
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError):
                raise
            raise CodemapError("an indexing worker was killed while writing its results; "
                               "nothing was changed: run codemap index again") from exc
    return merged


MAX_ATTACHED = 8  # SQLite attaches at most 10 databases to one connection


def consolidate(directory: Path) -> None:
    """Fold shards into one when there are more than SQLite can attach at once (after a
    worker died, every retried file has a shard of its own)."""
    shards = sorted(directory.glob("shard-*.sqlite"))
    if len(shards) <= MAX_ATTACHED:
        return
    target = directory / "shard-~merged.sqlite"
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.executescript(SHARD_SCHEMA)
        for shard in shards[MAX_ATTACHED - 1:]:
            conn.execute("ATTACH DATABASE ? AS extra", (str(shard),))
            for table in ("files", *FILE_TABLES):
                conn.execute(f"INSERT INTO {table} SELECT * FROM extra.{table}")
            conn.execute("DETACH DATABASE extra")
            shard.unlink()
    finally:
        conn.close()


def keep_only(directory: Path, file_ids: set[int]) -> None:
    """Delete from every shard the rows of files not in ``file_ids`` (a worker that died
    may have written files whose results never reached the parent; they were redone)."""
    for shard in directory.glob("shard-*.sqlite"):
        conn = sqlite3.connect(shard, isolation_level=None)
        try:  # a malformed shard is left for merge() to report
            stale = [fid for (fid,) in conn.execute("SELECT id FROM files")
                     if fid not in file_ids]
            for start in range(0, len(stale), 500):
                chunk = stale[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for table in FILE_TABLES:
                    conn.execute(f"DELETE FROM {table} WHERE file_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM files WHERE id IN ({marks})", chunk)
        except sqlite3.DatabaseError:
            continue
        finally:
            conn.close()


def detach_all(conn: sqlite3.Connection) -> None:
    """Detach the shards :func:`merge` attached (outside any transaction)."""
    for _seq, name, _file in conn.execute("PRAGMA database_list").fetchall():
        if name.startswith("shard"):
            conn.execute(f"DETACH DATABASE {name}")
