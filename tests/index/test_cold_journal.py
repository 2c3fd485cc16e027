"""A cold index is written under a rollback journal (every page once, not twice as under
WAL), then the index is in WAL mode again; interrupted, it leaves an empty, readable
index; with another connection on the database, it stays in WAL throughout."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

from codemap import api
from codemap.index import build
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.index.test_build import _CTRL_C_INSIDE_MERGE, APP


def _mode(path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _watch_modes(monkeypatch) -> list[str]:
    """The journal mode each refresh writes under, in order."""
    modes: list[str] = []
    original = build._write_all

    def watching(conn, *args, **kwargs):
        modes.append(conn.execute("PRAGMA journal_mode").fetchone()[0])
        return original(conn, *args, **kwargs)

    monkeypatch.setattr(build, "_write_all", watching)
    return modes


def test_a_cold_index_ends_in_wal_mode(git_repo: GitRepoBuilder, monkeypatch) -> None:
    for i in range(60):
        git_repo.write(f"pkg/m{i}.py", APP)
    git_repo.commit("files")
    modes = _watch_modes(monkeypatch)
    repo = find_repo(str(git_repo.root))
    assert api.index(str(git_repo.root)).files == 60
    git_repo.write("pkg/new.py", APP)
    assert api.index(str(git_repo.root)).files == 61
    assert modes == ["delete", "wal"]  # cold: a rollback journal; a refresh: WAL
    assert _mode(db_path(repo)) == "wal"
    assert not os.path.exists(str(db_path(repo)) + "-journal")


def test_an_interrupted_cold_index_leaves_an_empty_readable_index(
        git_repo: GitRepoBuilder) -> None:
    for i in range(300):
        git_repo.write(f"gen/m{i}.py", APP * 4)
    git_repo.commit("files")
    proc = subprocess.run([sys.executable, "-c", _CTRL_C_INSIDE_MERGE], cwd=git_repo.root,
                          capture_output=True, text=True, timeout=60)
    repo = find_repo(str(git_repo.root))
    if (os.cpu_count() or 1) >= 2:  # (one core: no shards, nothing interrupted)
        assert proc.returncode == 130, proc.stderr
        assert "Traceback" not in proc.stderr
        assert open_index(repo, refresh=False).files() == []
    assert api.index(str(git_repo.root)).files == 300
    assert _mode(db_path(repo)) == "wal"


def test_another_connection_keeps_the_cold_index_in_wal(git_repo: GitRepoBuilder,
                                                        monkeypatch) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("one file")
    repo = find_repo(str(git_repo.root))
    api.index(str(git_repo.root))
    # a reader holds the database (in WAL mode, a mode change needs it alone) while the
    # index is rebuilt from nothing
    reader = sqlite3.connect(db_path(repo))
    reader.execute("SELECT count(*) FROM files").fetchone()
    modes = _watch_modes(monkeypatch)
    conn = sqlite3.connect(db_path(repo), isolation_level=None)
    for table in ("files", "symbols", "calls", "imports", "bindings", "routes", "edges"):
        conn.execute(f"DELETE FROM {table}")  # (every row gone: the next refresh is cold)
    conn.close()
    try:
        assert api.index(str(git_repo.root)).files == 1
    finally:
        reader.close()
    assert modes == ["wal"]
    assert _mode(db_path(repo)) == "wal"
