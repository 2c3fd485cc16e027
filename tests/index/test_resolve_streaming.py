"""Resolution streams call sites in batches and drops its per-site memo as it goes:
neither may change a single edge."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from codemap.errors import Cancelled
from codemap.index import resolve
from codemap.index.service import db_path, open_index
from codemap.progress import CancelToken
from codemap.repo import find_repo
from tests.graph.test_python_resolution import PKG


def _indexed(git_repo) -> sqlite3.Connection:
    for rel, text in PKG.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    repo = find_repo(str(git_repo.root))
    open_index(repo)
    return sqlite3.connect(db_path(repo), isolation_level=None)


def _edges(conn: sqlite3.Connection, cancel: CancelToken | None = None) -> set[tuple]:
    conn.execute("BEGIN")
    try:
        resolve.resolve_all(conn, cancel=cancel)
        return set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges"))
    finally:
        conn.execute("ROLLBACK")


def test_tiny_batches_and_memo_resets_give_the_same_edges(git_repo, monkeypatch) -> None:
    conn = _indexed(git_repo)
    stored = set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges"))
    default = _edges(conn)
    assert default == stored and len(default) > 10
    monkeypatch.setattr(resolve, "BATCH", 1)
    monkeypatch.setattr(resolve, "SITE_MEMO", 0)
    assert _edges(conn) == default


def test_cancel_between_batches_leaves_the_edges(git_repo, monkeypatch) -> None:
    conn = _indexed(git_repo)
    before = set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges"))
    monkeypatch.setattr(resolve, "BATCH", 1)
    token = threading.Event()  # the CancelToken protocol: is_set()
    token.set()
    with pytest.raises(Cancelled):
        _edges(conn, token)
    assert set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges")) == before
