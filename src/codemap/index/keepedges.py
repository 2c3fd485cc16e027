"""Keep the call graph across an edit that moved lines but changed no call structure.

Resolving the call graph reads the whole repository (:mod:`codemap.index.resolve`),
so a refresh after one edited file used to cost as much as resolving from
scratch. But most of what an edit changes is invisible to the resolver: its
inputs are the files' facts (definitions, call sites, imports, bindings) in
their stored order, and of their line numbers it only copies a call site's
line (and a wrapper's first line) into the edges it makes. When every edited
file's facts are the same as before but for line numbers (a comment, a changed
literal or condition, a reformatted block, a fixed off-by-one), resolving again
would give exactly the old edges with the call lines moved. Such an edit keeps
the old edges, with their lines carried through the old -> new position of
each call site.

The check is strict, and anything it cannot prove falls back to a full
resolution: every fact but its line must match in order, each old line of a
caller must move to a single new line, and every kept edge's line must be one
it can carry. Files keep their ids across an edit (:meth:`_Writer.number`), so
symbol ids, and the edges into the file from elsewhere, stay valid.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

_RANK = {"exact": 0, "likely": 1, "guess": 2}

# a file's facts as the resolver sees them, each row without its line, in stored order
_FACTS = {
    "symbols": "SELECT parent_id, name, qualname, kind, ifnull(bases, '') FROM symbols "
               "WHERE file_id = ? ORDER BY id",
    "calls": "SELECT caller_id, name, ifnull(receiver, ''), ifnull(kind, ''), ifnull(argc, -1) "
             "FROM calls WHERE file_id = ? ORDER BY rowid",
    "imports": "SELECT scope_id, module, ifnull(name, ''), ifnull(alias, ''), level "
               "FROM imports WHERE file_id = ? ORDER BY rowid",
    "bindings": "SELECT scope_id, name, type, ifnull(object, '') FROM bindings "
                "WHERE file_id = ? ORDER BY rowid",
}
# the lines an edge can carry: a call site's line (per caller), a symbol's first line
# (an implicit edge from a wrapper sits on the wrapper's first line)
_LINES = ("SELECT caller_id, line FROM calls WHERE file_id = ? ORDER BY rowid",
          "SELECT id, start_line FROM symbols WHERE file_id = ? ORDER BY id")


class _FileState:
    """One file's resolver-visible facts and line positions at one moment."""

    def __init__(self, conn: sqlite3.Connection, file_id: int) -> None:
        self.symbols = {row[0] for row in conn.execute(
            "SELECT id FROM symbols WHERE file_id = ?", (file_id,))}
        self.facts = {table: conn.execute(sql, (file_id,)).fetchall()
                      for table, sql in _FACTS.items()}
        self.lines = [conn.execute(sql, (file_id,)).fetchall() for sql in _LINES]


class KeptEdges:
    """The edges touching some files, taken before those files' rows are rewritten."""

    def __init__(self, conn: sqlite3.Connection, file_ids: Iterable[int]) -> None:
        self.before = {fid: _FileState(conn, fid) for fid in file_ids}
        self.edges: set[tuple[Any, ...]] = set()
        for fid in self.before:
            self.edges.update(conn.execute(
                "SELECT caller_id, callee_id, line, confidence FROM edges "
                "WHERE caller_id IN (SELECT id FROM symbols WHERE file_id = ?) "
                "OR callee_id IN (SELECT id FROM symbols WHERE file_id = ?)", (fid, fid)))

    def restore(self, conn: sqlite3.Connection, rewritten: set[int]) -> bool:
        """Put back the kept edges that touch a ``rewritten`` file, lines moved, if the
        files' facts allow it (a file whose content turned out unchanged kept its rows
        and its edges).

        Call once the files' new rows are written (under their old ids). Returns False,
        writing nothing, when the facts changed or a line cannot be carried: the graph
        must then be resolved again.
        """
        moves: dict[tuple[int, int], int] = {}
        touched: set[int] = set()
        for fid, old in self.before.items():
            if fid not in rewritten:
                continue
            touched |= old.symbols
            new = _FileState(conn, fid)
            if new.facts != old.facts:
                return False
            for old_rows, new_rows in zip(old.lines, new.lines):
                for (sid, line), (_sid, new_line) in zip(old_rows, new_rows):
                    if moves.setdefault((sid, line), new_line) != new_line:
                        return False  # one old line split in two: which edge went where?
        if rewritten - self.before.keys():
            return False  # a file nobody took the edges of
        best: dict[tuple[int, int, int], str] = {}
        for caller, callee, line, conf in self.edges:
            if caller not in touched and callee not in touched:
                continue  # between unchanged files: never deleted
            if caller in touched:
                line = moves.get((caller, line))
                if line is None:
                    return False
            key = (caller, callee, line)
            if key not in best or _RANK[conf] < _RANK[best[key]]:
                best[key] = conf  # two old lines joined into one: the better edge stays
        conn.executemany("INSERT INTO edges(caller_id, callee_id, line, confidence) "
                         "VALUES (?,?,?,?)", [(*key, conf) for key, conf in best.items()])
        return True
