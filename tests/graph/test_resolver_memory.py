"""The resolver's memory stays bounded on large repositories without changing its answers:
memos forgotten at file boundaries, passed names read back from SQLite, the loaded
program freed at once (no reference cycle left for the cyclic collector)."""

from __future__ import annotations

import gc
import sqlite3
import weakref

from codemap.index import bindstore as program_module
from codemap.index import resolve
from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.graph.test_python_resolution import PKG

# a parameter bound by what its callers pass (read through Program.passed_rows)
CALLBACKS = {
    "cb/__init__.py": "",
    "cb/run.py": (
        "def apply(fn, value):\n"
        "    return fn(value)\n"
        "\n"
        "def double(x):\n"
        "    return x * 2\n"
        "\n"
        "def main():\n"
        "    return apply(double, 3)\n"
        "\n"
        "DEFAULT = double\n"
    ),
    # module-level aliases read across files: cb/run.py's bindings are needed again here
    "cb/use.py": (
        "from cb.run import DEFAULT\n"
        "\n"
        "def go():\n"
        "    step = DEFAULT\n"
        "    return step(1)\n"
    ),
}


def _indexed(git_repo, files: dict[str, str]) -> sqlite3.Connection:
    for rel, text in files.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    repo = find_repo(str(git_repo.root))
    open_index(repo)
    return sqlite3.connect(db_path(repo), isolation_level=None)


def _edges(conn: sqlite3.Connection) -> set[tuple]:
    conn.execute("BEGIN")
    try:
        resolve.resolve_all(conn)
        return set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges"))
    finally:
        conn.execute("ROLLBACK")


def _qual_edges(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    return set(conn.execute(
        "SELECT a.qualname, b.qualname, e.confidence FROM edges e "
        "JOIN symbols a ON a.id = e.caller_id JOIN symbols b ON b.id = e.callee_id"))


def test_forgetting_the_memos_at_every_file_gives_the_same_edges(git_repo, monkeypatch) -> None:
    conn = _indexed(git_repo, {**PKG, **CALLBACKS})
    default = _edges(conn)
    assert len(default) > 10
    monkeypatch.setattr(resolve, "MEMO_LIMIT", 0)
    forgets: list[int] = []
    original = CallResolver.forget

    def counting(self: CallResolver) -> None:
        forgets.append(self.memo_size())
        original(self)

    monkeypatch.setattr(CallResolver, "forget", counting)
    assert _edges(conn) == default
    assert len(forgets) >= 3 and any(size > 0 for size in forgets)


def test_facts_read_back_from_sqlite_give_the_same_edges(git_repo, monkeypatch) -> None:
    conn = _indexed(git_repo, {**PKG, **CALLBACKS})
    eager = _edges(conn)
    # nothing kept as read, one binding row cached at a time: every file re-read when asked
    monkeypatch.setattr(program_module, "EAGER_ROWS", 0)
    monkeypatch.setattr(program_module, "BINDING_ROWS", 1)
    reads: list[int] = []
    original = Program._read_binds

    def counting(self: Program, fid: int) -> dict:
        reads.append(fid)
        return original(self, fid)

    monkeypatch.setattr(Program, "_read_binds", counting)
    assert _edges(conn) == eager
    assert len(reads) > len(set(reads))  # evicted and read again
    assert ("cb.use.go", "cb.run.double", "exact") in _qual_edges(conn)


def test_a_passed_callable_is_found_through_the_rows_read_back(git_repo, monkeypatch) -> None:
    conn = _indexed(git_repo, CALLBACKS)
    assert ("cb.run.apply", "cb.run.double", "likely") in _qual_edges(conn)
    monkeypatch.setattr(program_module, "EAGER_ROWS", 0)
    program = Program(conn)
    rows = program.passed_rows("apply", 300)
    assert [(called, args, arg) for _scope, called, args, arg in rows] == [
        ("apply", "(double, 3)", "double")]
    assert program.passed_rows("apply", 0) == []  # called too often: not read at all


def test_the_program_is_freed_without_the_cyclic_collector(git_repo) -> None:
    conn = _indexed(git_repo, PKG)
    enabled = gc.isenabled()
    gc.disable()
    try:
        program = Program(conn)
        resolver = CallResolver(program)
        resolver.resolve_new(next(iter(program.module_sym.values())), "x", "", "call", 0)
        program.release()
        ref = weakref.ref(program)
        del resolver, program
        assert ref() is None
    finally:
        if enabled:
            gc.enable()
