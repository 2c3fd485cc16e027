"""The binding rows of the index as the call resolver reads them, without holding them all.

Names passed in calls and type facts of local names are the two most numerous
kinds of facts (1.4M binding rows on a 15,000-file monorepo). The program keeps
them as SQLite rowids, read back per called name (:meth:`BindingStore.passed_rows`)
or per file (:meth:`BindingStore.binds`) into a bounded cache of files. The cache
holds pure data of the index, so answers never depend on what it holds. A
repository with few enough rows (EAGER_ROWS) keeps them as read: a query costs
more than the row it returns.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Callable

from codemap.index.tables import TABLE_OBJECT

_NO: dict = {}  # an empty scope (read only)
# plain binding rows kept in memory at a time (about 100 bytes each): a mid-sized repository
# (Django: 46,000) reads each file's once; the largest (430,000 on 15,000 files) re-read some
BINDING_ROWS = 100_000
# binding rows of a repository up to which passed names and plain bindings are kept as read
# (no query per called name or file): Django has 176,000, the 15,000-file monorepo 1.4M
EAGER_ROWS = 250_000


def _add_text(names: dict[str, str | list[str]], name: str, typ: str) -> None:
    """One more type fact of ``name`` (kept as the text itself while it is the only one)."""
    known = names.get(name)
    if known is None:
        names[name] = typ
    elif known.__class__ is str:
        names[name] = [known, typ]  # type: ignore[list-item]
    else:
        known.append(typ)  # type: ignore[union-attr]


def binding_texts(binds: str | list[str]) -> list[str] | tuple[str]:
    """The type facts of one name (stored as the text itself when there is one)."""
    return (binds,) if binds.__class__ is str else binds  # type: ignore[return-value]


class BindingStore:
    """Mixin of :class:`~codemap.index.program.Program`: its binding rows, loaded once and
    read back on demand. The program provides ``conn``, ``kind``, ``file``, ``passed``,
    ``table_bindings`` and ``_add_binding`` (which places the facts it keeps in memory)."""

    conn: sqlite3.Connection
    kind: dict[int, str]
    file: dict[int, int]
    passed: dict[str, array]  # (the rows themselves when kept as read)
    table_bindings: list[tuple[int, str, str]]
    _binding_rows: dict[int, array]
    _bound: set[int]
    _binds_cache: dict[int, dict[int, dict[str, str | list[str]]]]
    _cached_rows: int
    _passed_eager: dict[str, list[tuple[int, str, str, str]]] | None
    _add_binding: Callable[[int, str, str, str], bool]

    def _load_bindings(self) -> None:
        """Binding rows: names passed in calls (the most common row), type facts, aliases,
        decorators, attributes, and dispatch-table values (kept apart for DispatchTables).

        Passed names and plain bindings are kept as rowids (a few bytes instead of several
        strings), read back when asked for (:meth:`passed_rows`, :meth:`binds`). When a
        repository has few enough binding rows (EAGER_ROWS), they are kept as read instead
        (:meth:`_load_bindings_eager`): no query per file or called name then (a query
        costs more than its row)."""
        (total,) = self.conn.execute("SELECT count(*) FROM bindings").fetchone()
        if total <= EAGER_ROWS:
            return self._load_bindings_eager()
        kind_of = self.kind
        passed = self.passed
        add = self._add_binding
        tables = self.table_bindings
        file_of, plain, bound = self.file, self._binding_rows, self._bound
        for rowid, scope, name, typ, obj in self.conn.execute(
                "SELECT rowid, scope_id, name, type, object FROM bindings "
                "ORDER BY file_id, rowid"):
            if not typ or scope not in kind_of:
                continue
            if name[:1] == "(":  # a name passed in a call (the most common binding row)
                if obj and typ[0] == "=":
                    key = obj.rpartition(".")[2]
                    rows = passed.get(key)
                    if rows is None:
                        rows = passed[key] = array("q")
                    rows.append(rowid)
            elif obj == TABLE_OBJECT:  # a dict-literal table value
                tables.append((scope, name, typ))
            elif add(scope, name, typ, obj or ""):
                fid = file_of[scope]
                rows = plain.get(fid)
                if rows is None:
                    rows = plain[fid] = array("q")
                rows.append(rowid)
                bound.add(scope)

    def _load_bindings_eager(self) -> None:
        """:meth:`_load_bindings` keeping every row as read (no rowids: nothing is read
        back). ``passed`` then holds the rows themselves (scope, argument list, ``=``
        argument, called text), turned into what :meth:`passed_rows` returns when asked."""
        kind_of = self.kind
        add = self._add_binding
        tables = self.table_bindings
        file_of, bound = self.file, self._bound
        eager: dict[str, list[tuple[int, str, str, str]]] = {}
        cache = self._binds_cache
        kept_rows = 0
        for row in self.conn.execute(
                "SELECT scope_id, name, type, object FROM bindings ORDER BY file_id, rowid"):
            scope, name, typ, obj = row
            if not typ or scope not in kind_of:
                continue
            if name[:1] == "(":  # a name passed in a call (the most common binding row)
                if obj and typ[0] == "=":
                    key = obj.rpartition(".")[2]
                    kept = eager.get(key)
                    if kept is None:
                        eager[key] = [row]
                    else:
                        kept.append(row)
            elif obj == TABLE_OBJECT:  # a dict-literal table value
                tables.append((scope, name, typ))
            elif add(scope, name, typ, obj or ""):
                kept_rows += 1
                bound.add(scope)
                fid = file_of[scope]
                scopes = cache.get(fid)
                if scopes is None:
                    scopes = cache[fid] = {}
                names = scopes.get(scope)
                if names is None:
                    names = scopes[scope] = {}
                _add_text(names, name, typ)
        self._passed_eager = self.passed = eager  # type: ignore[assignment]
        self._cached_rows = kept_rows

    @property
    def reads_back(self) -> bool:
        """Whether answers read binding rows back from SQLite (false when kept as read:
        then nothing but loading touches the connection)."""
        return self._passed_eager is None

    def bound_names(self) -> set[str] | None:
        """Every name with a plain binding in some scope; None when the rows are read back
        from SQLite (not all in memory)."""
        if self._passed_eager is not None:
            return {name for scopes in self._binds_cache.values() for names in scopes.values()
                    for name in names}
        return None

    def passed_rows(self, callee: str, limit: int) -> list[tuple[int, str, str, str]]:
        """Names passed to calls of ``callee``: (scope, called text, argument list text,
        argument), in file order; none when more than ``limit`` calls pass names."""
        rowids = self.passed.get(callee)
        if not rowids or len(rowids) > limit:
            return []
        if self._passed_eager is not None:
            return [(scope, obj, name, typ[1:])
                    for scope, name, typ, obj in self._passed_eager[callee]]
        found: dict[int, tuple[int, str, str, str]] = {}
        ids = rowids.tolist()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for rowid, scope, obj, name, typ in self.conn.execute(
                    "SELECT rowid, scope_id, object, name, type FROM bindings WHERE rowid IN "
                    f"({','.join('?' * len(chunk))})", chunk):
                found[rowid] = (scope, obj, name, typ[1:])
        return [found[i] for i in ids if i in found]

    def binds(self, scope: int) -> dict[str, str | list[str]]:
        """The plain bindings of ``scope``: name -> its type fact text, or a list of them
        (in file order). Read from SQLite a file at a time; the files read last are kept,
        up to BINDING_ROWS rows (pure data of the index: answers never depend on the cache)."""
        if scope not in self._bound:
            return _NO
        fid = self.file[scope]
        found = self._binds_cache.get(fid)
        if found is None:
            found = self._read_binds(fid)
        return found.get(scope, _NO)

    def _read_binds(self, fid: int) -> dict[int, dict[str, str | list[str]]]:
        cache, rows = self._binds_cache, self._binding_rows
        ids = rows[fid].tolist()
        self._cached_rows += len(ids)
        while self._cached_rows > BINDING_ROWS and cache:
            oldest = next(iter(cache))  # the file read longest ago
            del cache[oldest]
            self._cached_rows -= len(rows[oldest])
        found: dict[int, dict[str, str | list[str]]] = {}
        cache[fid] = found
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for scope, name, typ in self.conn.execute(
                    "SELECT scope_id, name, type FROM bindings WHERE rowid IN "
                    f"({','.join('?' * len(chunk))}) ORDER BY rowid", chunk):
                names = found.get(scope)
                if names is None:
                    names = found[scope] = {}
                _add_text(names, name, typ)
        return found
