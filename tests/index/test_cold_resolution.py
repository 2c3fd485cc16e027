"""A cold index makes the edges a later resolution of the same index makes: the
repository's root is recorded before resolving, so a Go module's go.mod (a file the
index lists but does not parse) is read by the first resolution as by any later one."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from codemap.index import build, resolve
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.graph.test_go_java_resolution import GO
from tests.graph.test_python_resolution import PKG


@pytest.fixture
def repo(git_repo, monkeypatch):
    """Python and a Go module, parsed in worker processes however few the files are."""
    files = {**PKG, **{f"svc/{rel}": text for rel, text in GO.items()}}
    for rel, text in files.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 2)
    monkeypatch.setattr(build.os, "cpu_count", lambda: 2)
    return find_repo(str(git_repo.root))


def _edges(conn: sqlite3.Connection) -> list[tuple]:
    return list(conn.execute(
        "SELECT caller_id, callee_id, line, confidence FROM edges ORDER BY rowid"))


def test_a_cold_index_makes_the_edges_a_later_resolution_makes(repo) -> None:
    shutil.rmtree(db_path(repo).parent, ignore_errors=True)
    open_index(repo).conn.close()
    conn = sqlite3.connect(db_path(repo), isolation_level=None)
    try:
        cold = _edges(conn)
        names = dict(conn.execute("SELECT id, qualname FROM symbols"))
        conn.execute("BEGIN")
        resolve.resolve_all(conn)
        again = _edges(conn)
        conn.execute("ROLLBACK")
    finally:
        conn.close()
    assert again == cold
    # the Go calls across packages of the module resolve through its go.mod
    linked = {(names[caller], names[callee], conf) for caller, callee, _line, conf in cold}
    assert ("main.main", "store.NewMem", "exact") in linked
