"""A worker's shard holds a file's rows exactly as extracted, in order: the writer puts
them in with multi-row INSERTs (batches, then halves for the rest), with the file's id
and symbol base bound once per statement and '' stored as NULL where the index does."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from codemap.index.extract import FileFacts, extract
from codemap.index.shards import BATCH, ShardWriter, symbol_base

# enough rows of each kind to need full batches, halves and single rows
SOURCE = "\n".join(
    ["import os", "from pkg import thing as other", "from . import sibling", ""]
    + [f"def f{i}(a, b: int = g):\n    x = Foo(a)\n    return os.path.join(a, b).strip()\n"
       for i in range(BATCH + 7)]
    + ["class C(Base):\n    def m(self):\n        self.y = self.z\n"]
).encode()


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def _expected(file_id: int, facts: FileFacts) -> dict[str, list[tuple[object, ...]]]:
    base = symbol_base(file_id)

    def null(value: object) -> object:
        return None if value == "" else value

    return {
        "symbols": [(base + lid, file_id, None if parent < 0 else base + parent, name, qual,
                     kind, first, last, null(bases))
                    for lid, parent, name, qual, kind, first, last, bases in facts.symbols],
        "calls": [(file_id, base + c[0], c[1], null(c[2]), *c[3:]) for c in facts.calls],
        "imports": [(file_id, base + i[0], i[1], null(i[2]), null(i[3]), i[4], i[5])
                    for i in facts.imports],
        "bindings": [(file_id, base + b[0], b[1], b[2], null(b[3]), b[4])
                     for b in facts.bindings],
    }


def test_a_files_rows_are_stored_in_order_across_batches(tmp_path: Path) -> None:
    facts = extract("pkg/m.py", SOURCE, "python", "pkg.m")
    facts = facts._replace(routes=("ref", None))
    # each kind of row needs more than one statement (a full batch and a rest)
    assert len(facts.calls) > BATCH and len(facts.bindings) > BATCH
    assert len(facts.symbols) > BATCH and len(facts.symbols) % BATCH not in (0, 1)
    writer = ShardWriter(str(tmp_path))
    writer.write(3, ("pkg/m.py", "python", "pkg.m", "abc", 10, 20, 30, "parsed"), facts)
    small = extract("pkg/n.py", b"import os\nx = os.sep\n", "python", "pkg.n")
    writer.write(4, ("pkg/n.py", "python", "pkg.n", "def", 1, 2, 3, "parsed"), small)
    writer.write(5, ("pkg/big.py", "python", "pkg.big", "", 0, 0, 0, "skipped:too-large"), None)
    writer.conn.close()
    shard = Path(writer.path)

    assert _rows(shard, "files") == [
        (3, "pkg/m.py", "python", "pkg.m", "abc", 10, 20, 30, facts.lines, "parsed"),
        (4, "pkg/n.py", "python", "pkg.n", "def", 1, 2, 3, small.lines, "parsed"),
        (5, "pkg/big.py", "python", "pkg.big", "", 0, 0, 0, 0, "skipped:too-large")]
    first, second = _expected(3, facts), _expected(4, small)
    for table in ("symbols", "calls", "imports", "bindings"):
        assert _rows(shard, table) == first[table] + second[table], table
    assert _rows(shard, "routes") == [(3, "ref", None)]
