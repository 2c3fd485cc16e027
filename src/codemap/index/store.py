"""The SQLite store behind the index, and the reader every feature queries.

One database per repository (``index.sqlite`` in :func:`codemap.cache.cache_dir`),
WAL mode so readers keep a consistent snapshot while a writer works, every
refresh in one transaction so a killed indexer leaves the previous index
intact. The schema version and each language's fingerprint (grammar
version + query hash) are recorded in ``meta``: a new schema rebuilds the
index; a changed language re-parses only that language's files.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from codemap.lang.qualnames import plain_receivers
from codemap.model import Symbol

SCHEMA_VERSION = "5"  # 5: routes (endpoint role and route facts per file)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    language TEXT,            -- NULL: not a language codemap parses
    module TEXT,              -- qualname prefix used (python module name)
    hash TEXT,                -- content hash (NULL until read)
    size INTEGER, mtime_ns INTEGER, ino INTEGER,
    lines INTEGER,
    status TEXT NOT NULL      -- 'parsed', 'partial' (syntax errors), 'unsupported', 'skipped:<why>'
);
CREATE TABLE IF NOT EXISTS symbols (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL,
    parent_id INTEGER,
    name TEXT NOT NULL, qualname TEXT NOT NULL, kind TEXT NOT NULL,
    start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
    bases TEXT
);
CREATE TABLE IF NOT EXISTS calls (
    file_id INTEGER NOT NULL, caller_id INTEGER NOT NULL,
    name TEXT NOT NULL, receiver TEXT, line INTEGER, col INTEGER, kind TEXT, argc INTEGER
);
CREATE TABLE IF NOT EXISTS imports (
    file_id INTEGER NOT NULL, scope_id INTEGER NOT NULL,
    module TEXT, name TEXT, alias TEXT, level INTEGER, line INTEGER
);
CREATE TABLE IF NOT EXISTS bindings (
    file_id INTEGER NOT NULL, scope_id INTEGER NOT NULL,
    name TEXT, type TEXT, object TEXT, line INTEGER
);
CREATE TABLE IF NOT EXISTS routes (  -- codemap.endpoints.indexing
    file_id INTEGER PRIMARY KEY,
    role TEXT NOT NULL,       -- 'anchor' (declares routes itself) or 'ref'
    facts TEXT                -- an anchor's route facts (JSON); NULL for a reference
);
CREATE TABLE IF NOT EXISTS edges (
    caller_id INTEGER NOT NULL, callee_id INTEGER NOT NULL,
    line INTEGER, confidence TEXT
);
"""

SECONDARY_INDEXES = """
CREATE INDEX IF NOT EXISTS symbols_file ON symbols(file_id, start_line);
CREATE INDEX IF NOT EXISTS symbols_name ON symbols(name);
CREATE INDEX IF NOT EXISTS symbols_qualname ON symbols(qualname);
CREATE INDEX IF NOT EXISTS calls_file ON calls(file_id);
CREATE INDEX IF NOT EXISTS imports_file ON imports(file_id);
CREATE INDEX IF NOT EXISTS bindings_file ON bindings(file_id);
CREATE INDEX IF NOT EXISTS edges_caller ON edges(caller_id);
CREATE INDEX IF NOT EXISTS edges_callee ON edges(callee_id);
"""

_SYMBOL_COLS = "s.name, s.qualname, s.kind, f.language, f.path, s.start_line, s.end_line"


def readonly_uri(path: str | Path) -> str:
    """The read-only SQLite URI of a database file. A path is not a URI: ``#``, ``?`` and
    ``%`` in it (a repository under "C# tools") must be escaped, or SQLite opens another
    file (and says "no such table")."""
    return Path(os.path.abspath(path)).as_uri() + "?mode=ro"


def connect(db_path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(readonly_uri(db_path), uri=True, timeout=30,
                               check_same_thread=False)
    else:
        conn = sqlite3.connect(db_path, timeout=30, check_same_thread=False,
                               isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
    # Readers sort small results in memory; the writer builds indexes over millions of
    # rows (calls, edges), whose sorts would otherwise be held in memory too (+100 MiB
    # for 3M call sites): its temporary files go to SQLite's temp directory.
    conn.execute(f"PRAGMA temp_store={'MEMORY' if readonly else 'FILE'}")
    conn.execute("PRAGMA cache_size=-32000")
    return conn


def init_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA + SECONDARY_INDEXES)


def drop_secondary_indexes(conn: sqlite3.Connection) -> None:
    """Before a bulk load into empty tables: indexes built afterwards are cheaper."""
    for line in SECONDARY_INDEXES.strip().splitlines():
        name = line.split("EXISTS ", 1)[1].split(" ", 1)[0]
        conn.execute(f"DROP INDEX IF EXISTS {name}")


def create_secondary_indexes(conn: sqlite3.Connection) -> None:
    for line in SECONDARY_INDEXES.strip().splitlines():
        conn.execute(line.rstrip(";"))


@contextmanager
def journal_for(conn: sqlite3.Connection, *, cold: bool) -> Iterator[None]:
    """The journal a refresh writes under. The index lives in WAL mode (readers keep their
    snapshot while a refresh writes), where every page is written twice: into the log,
    then into the database when the log is checkpointed. A cold index writes every page
    of an empty database: under a rollback journal, pages past the database's size when
    the transaction began are not journaled (a rollback truncates them away), so they
    are written once. WAL again afterwards (if another connection holds the database,
    the mode stays WAL throughout)."""
    switched = False
    if cold:
        try:
            switched = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:
            switched = False
    try:
        yield
    finally:
        if switched:
            try:
                conn.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError:
                pass  # (a reader came meanwhile: WAL again at the next connection's set-up)


def get_meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _storable(value: object) -> object:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "\0"
    return value


def row_symbol(row: tuple) -> Symbol:
    name, qualname, kind, language, path, start, end = row[:7]
    return Symbol(f"{path}:{start}", name, qualname, kind, language, path, start, end)


class IndexReader:
    """Read-only queries over a built index. Cheap to create; thread-safe for reads."""

    def __init__(self, conn: sqlite3.Connection, root: Path) -> None:
        self.conn = conn
        self.root = root

    # -- files ---------------------------------------------------------------
    def files(self) -> list[str]:
        """Repository-relative paths of the files codemap parsed."""
        return [r[0] for r in self.conn.execute(
            "SELECT path FROM files WHERE status IN ('parsed', 'partial') ORDER BY path")]

    def all_paths(self) -> list[str]:
        """Every file codemap considers part of the repository, parsed or not."""
        return [r[0] for r in self.conn.execute("SELECT path FROM files ORDER BY path")]

    def has_path(self, path: str) -> bool:
        """Whether ``path`` is a file of the repository (parsed or not)."""
        return self._execute("SELECT 1 FROM files WHERE path = ?", (path,)).fetchone() is not None

    def _execute(self, sql: str, args: Iterable[object] = ()) -> sqlite3.Cursor:
        """``conn.execute`` with arguments SQLite can encode: a text that is not UTF-8
        (a file name's undecodable bytes kept as surrogates) is never stored, so it
        is queried as NUL, which matches nothing, instead of raising."""
        return self.conn.execute(sql, tuple(_storable(a) for a in args))

    def file_language(self, path: str) -> str | None:
        row = self._execute("SELECT language FROM files WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def file_status(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT path, status FROM files"))

    # -- symbols -------------------------------------------------------------
    def _symbols(self, where: str, args: Iterable[object] = ()) -> list[Symbol]:
        sql = f"SELECT {_SYMBOL_COLS} FROM symbols s JOIN files f ON f.id = s.file_id WHERE {where}"
        return [row_symbol(r) for r in self._execute(sql, args)]

    def symbols_in_file(self, path: str) -> list[Symbol]:
        """Every symbol of a file (module symbol first), in source order."""
        return self._symbols("f.path = ? ORDER BY s.start_line, s.end_line DESC, s.id", (path,))

    def symbol_at(self, path: str, line: int) -> Symbol | None:
        """The innermost symbol whose range holds ``line``."""
        found = self._symbols(
            "f.path = ? AND s.start_line <= ? AND s.end_line >= ? "
            "ORDER BY (s.end_line - s.start_line), s.start_line DESC, s.id DESC LIMIT 1",
            (path, line, line))
        return found[0] if found else None

    def symbol_row_id(self, sym: Symbol) -> int | None:
        row = self._execute(
            "SELECT s.id FROM symbols s JOIN files f ON f.id = s.file_id "
            "WHERE f.path = ? AND s.start_line = ? AND s.qualname = ? LIMIT 1",
            (sym.path, sym.start_line, sym.qualname)).fetchone()
        return row[0] if row else None

    def by_row_id(self, row_id: int) -> Symbol | None:
        found = self._symbols("s.id = ?", (row_id,))
        return found[0] if found else None

    def by_id(self, symbol_id: str) -> Symbol | None:
        """The symbol with contract id ``path:start_line``."""
        path, _, line = symbol_id.rpartition(":")
        if not line.isdigit():
            return None
        found = self._symbols("f.path = ? AND s.start_line = ? ORDER BY s.end_line DESC LIMIT 1",
                              (path, int(line)))
        return found[0] if found else None

    def parents(self, sym: Symbol) -> list[Symbol]:
        """The chain of enclosing symbols, innermost first (the module last)."""
        out: list[Symbol] = []
        row_id = self.symbol_row_id(sym)
        seen: set[int] = set()
        while row_id is not None and row_id not in seen:
            seen.add(row_id)
            row = self.conn.execute("SELECT parent_id FROM symbols WHERE id = ?", (row_id,)).fetchone()
            if row is None or row[0] is None:
                break
            row_id = row[0]
            parent = self.by_row_id(row_id)
            if parent is None:
                break
            out.append(parent)
        return out

    def lookup(self, name_or_qualname: str) -> list[Symbol]:
        """Symbols whose qualname, or else name, equals the text exactly."""
        found = self._symbols("s.qualname = ? ORDER BY f.path, s.start_line", (name_or_qualname,))
        if found:
            return found
        found = self._symbols("s.name = ? AND s.kind != 'module' ORDER BY f.path, s.start_line",
                              (name_or_qualname,))
        if found:
            return found
        # a dotted suffix of a qualname: "View.handle" or "mod.View.handle"
        if "." in name_or_qualname or ":" in name_or_qualname:
            last = name_or_qualname.replace(":", ".").rsplit(".", 1)[-1]
            candidates = self._symbols("s.name = ? ORDER BY f.path, s.start_line", (last,))
            suffix = name_or_qualname
            return [s for s in candidates if any(
                qual.endswith(suffix) and qual[: len(qual) - len(suffix)][-1:] in ("", ".", ":", "/")
                for qual in (s.qualname, plain_receivers(s.qualname)))]
        return []

    def lookup_argument(self, text: str) -> list[Symbol]:
        """:meth:`lookup` for a SYMBOL typed by a user: a bare word that is also the qualname of
        some top-level definition (a C function ``get``, a module ``main``) names every
        definition called that, not only those; a qualified text keeps its exact matches."""
        found = self._without_stubs(self.lookup(text))
        if not found or not text.isidentifier() or all(s.name != text for s in found):
            return found
        named = self._symbols("s.name = ? AND s.kind != 'module' ORDER BY f.path, s.start_line",
                              (text,))
        seen = {(s.path, s.start_line, s.qualname) for s in found}
        extra = [s for s in named if (s.path, s.start_line, s.qualname) not in seen]
        if not extra:
            return found
        return self._without_stubs(sorted([*found, *extra], key=lambda s: (s.path, s.start_line)))

    def _without_stubs(self, found: list[Symbol]) -> list[Symbol]:
        """``found`` less the signature-only declarations (``@typing.overload``: the
        language's ``stub_types``) of a definition found with them: the one that runs."""
        from codemap.index.callrules import call_rules

        groups: dict[tuple[str, str], list[Symbol]] = {}
        for sym in found:
            groups.setdefault((sym.path, sym.qualname), []).append(sym)
        stubs: set[tuple[str, int]] = set()
        for (path, _qual), syms in groups.items():
            pattern = call_rules(syms[0].language).stub_types if len(syms) > 1 else ""
            if not pattern:
                continue
            lines = {s.start_line for s in syms}
            marked = {line for line, typ in self.conn.execute(
                "SELECT b.line, b.type FROM bindings b JOIN files f ON f.id = b.file_id "
                "WHERE f.path = ? AND b.object = '@' AND b.name = ?", (path, syms[0].name))
                if line in lines and re.search(pattern, typ)}
            if marked and len(marked) < len(lines):
                stubs.update((path, line) for line in marked)
        return [s for s in found if (s.path, s.start_line) not in stubs] if stubs else found

    def by_name(self, name: str) -> list[Symbol]:
        """Every non-module symbol named ``name``, or whose name is a qualified
        ``X::name`` / ``X\\name`` (Ruby's ``class Admin::UsersController``)."""
        escaped = name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return self._symbols(
            "(s.name = ? OR s.name LIKE ? ESCAPE '\\' OR s.name LIKE ? ESCAPE '\\') "
            "AND s.kind != 'module' ORDER BY f.path, s.start_line",
            (name, "%::" + escaped, "%\\\\" + escaped))

    def derived_classes(self) -> dict[str, list[Symbol]]:
        """Which classes implement / extend X: every class with recorded bases, by the simple
        name of each base as written or qualified (``Api``, ``com.acme.Api``, ``Api<T>``
        are ``Api``), in path order. One pass over the symbols."""
        out: dict[str, list[Symbol]] = {}
        for r in self.conn.execute(
                f"SELECT {_SYMBOL_COLS}, s.bases FROM symbols s JOIN files f ON f.id = s.file_id "
                "WHERE s.kind = 'class' AND s.bases IS NOT NULL AND s.bases != '' "
                "ORDER BY f.path, s.start_line"):
            for base in re.split(r",(?![^<>]*>)", r[7]):
                name = re.split(r"[<(\[]", base, maxsplit=1)[0].strip().rsplit(".", 1)[-1]
                if name:
                    out.setdefault(name, []).append(row_symbol(r))
        return out

    def iter_names(self) -> Iterator[tuple[int, str, str, str]]:
        """(row id, name, qualname, kind) of every symbol, for fuzzy search."""
        yield from self.conn.execute("SELECT id, name, qualname, kind FROM symbols")

    def counts(self) -> dict[str, int]:
        q = self.conn.execute
        return {
            "files": q("SELECT COUNT(*) FROM files WHERE status IN ('parsed','partial')").fetchone()[0],
            "symbols": q("SELECT COUNT(*) FROM symbols").fetchone()[0],
            "calls": q("SELECT COUNT(*) FROM calls").fetchone()[0],
            "imports": q("SELECT COUNT(*) FROM imports").fetchone()[0],
            "edges": q("SELECT COUNT(*) FROM edges").fetchone()[0],
        }
