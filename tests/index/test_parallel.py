"""Parallel indexing (workers writing shards) stores exactly what a serial index stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from codemap.index import build
from codemap.index.service import build_index, db_path
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

MODULE = '''\
import os
from .helpers import shared as sh{i}


class Model{i}(Base):
    """Model number {i}."""

    @property
    def name(self):
        return self.path.upper()

    def save(self, target: Store):
        target.write(self.name)
        with open(os.path.join("x", "{i}")) as fh:
            for line in fh:
                sh{i}(line)


def make_{i}(n=3):
    item = Model{i}()
    item.save(None)
    return [make_{i}(k) for k in range(n)]
'''


def _rows(repo_root: Path) -> dict[str, list[tuple]]:
    """Every stored fact, with ids replaced by the paths and qualnames they stand for."""
    conn = sqlite3.connect(db_path(find_repo(repo_root)))
    sym = "(SELECT qualname FROM symbols WHERE id = {})"
    path = "(SELECT path FROM files WHERE id = {})"
    queries = {
        "files": "SELECT path, language, module, hash, lines, status FROM files",
        "symbols": f"SELECT {path.format('file_id')}, {sym.format('parent_id')}, name, qualname, "
                   "kind, start_line, end_line, bases FROM symbols",
        "calls": f"SELECT {path.format('file_id')}, {sym.format('caller_id')}, name, receiver, "
                 "line, col, kind, argc FROM calls",
        "imports": f"SELECT {path.format('file_id')}, {sym.format('scope_id')}, module, name, "
                   "alias, level, line FROM imports",
        "bindings": f"SELECT {path.format('file_id')}, {sym.format('scope_id')}, name, type, "
                    "object, line FROM bindings",
        "edges": f"SELECT {sym.format('caller_id')}, {sym.format('callee_id')}, line, confidence "
                 "FROM edges",
        "routes": f"SELECT {path.format('file_id')}, role, facts FROM routes",
    }
    out = {name: sorted(conn.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    conn.close()
    return out


def _make_repo(git_repo: GitRepoBuilder, count: int) -> None:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/helpers.py", "from django.urls import path\n\n\ndef shared(x):\n"
                   "    return x\n\n\nurlpatterns = [path('x/', shared)]\n")
    for i in range(count):
        git_repo.write(f"pkg/mod{i}.py", MODULE.format(i=i))
    git_repo.write("web/app.js", "function run(a) { return a.map(x => x + 1); }\nrun([1]);\n"
                   "app.get('/items', run);\n")
    git_repo.commit("many modules")


def test_parallel_index_equals_serial_index(git_repo: GitRepoBuilder,
                                            monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    count = build.PARALLEL_THRESHOLD + 20
    _make_repo(git_repo, count)
    repo = find_repo(git_repo.root)

    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "parallel"))
    stats = build_index(repo)
    parallel = _rows(git_repo.root)
    assert stats.parsed == count + 3

    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "serial"))
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 10**9)
    build_index(repo)
    serial = _rows(git_repo.root)

    for table in serial:
        assert parallel[table] == serial[table], table
    assert len(serial["calls"]) > 5 * count
    assert serial["edges"]
    # every module is a reference; the URL list and the Express route make anchors
    roles = {path: role for path, role, _facts in serial["routes"]}
    assert roles["pkg/helpers.py"] == roles["web/app.js"] == "anchor"
    assert roles["pkg/mod0.py"] == "ref"
    # no shard is left behind beside the index
    assert not list((tmp_path / "parallel").rglob("shard*"))


def test_parallel_refresh_replaces_changed_files_rows(git_repo: GitRepoBuilder,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    count = build.PARALLEL_THRESHOLD + 10
    _make_repo(git_repo, count)
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    repo = find_repo(git_repo.root)
    build_index(repo)
    # change every module (enough work for the pool again): rows are replaced, not doubled
    for i in range(count):
        git_repo.write(f"pkg/mod{i}.py", MODULE.format(i=i).replace("def save", "def store"))
    stats = build_index(repo)
    assert stats.parsed == count
    rows = _rows(git_repo.root)
    names = [r[2] for r in rows["symbols"]]
    assert names.count("store") == count and "save" not in names
    assert len({r[0] for r in rows["files"]}) == len(rows["files"])


def test_two_cold_indexes_of_one_tree_give_the_same_ids_and_edges(
        git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ids follow paths, not the order workers finish in: the graph is reproducible."""
    _make_repo(git_repo, build.PARALLEL_THRESHOLD + 20)
    repo = find_repo(git_repo.root)
    dumps = []
    for run in ("one", "two"):
        monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / run))
        build_index(repo)
        conn = sqlite3.connect(db_path(repo))
        dumps.append({table: sorted(conn.execute(sql).fetchall()) for table, sql in {
            "files": "SELECT id, path FROM files",
            "symbols": "SELECT id, file_id, parent_id, qualname FROM symbols",
            "edges": "SELECT caller_id, callee_id, line, confidence FROM edges",
        }.items()})
        conn.close()
    assert dumps[0] == dumps[1]
    paths = [path for _id, path in dumps[0]["files"]]
    assert paths == sorted(paths)


def test_a_worker_that_dies_on_a_file_neither_hangs_nor_loses_other_files(
        git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A grammar that crashes (or the OOM killer) takes its worker down: the pool would
    wait forever for that worker's files. The file that kills its worker is skipped with
    a reason; every other file is indexed once, exactly as without the crash."""
    import os
    import signal

    count = build.PARALLEL_THRESHOLD + 40
    _make_repo(git_repo, count)
    repo = find_repo(git_repo.root)
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "clean"))
    build_index(repo)
    clean = _rows(git_repo.root)

    real = build.process_file

    def crashing(item: build.WorkItem, root: str | None = None) -> build.WorkResult:
        if item[0] == "pkg/mod7.py":
            os.kill(os.getpid(), signal.SIGSEGV)  # what a crashing C parser does
        return real(item, root)

    monkeypatch.setattr(build, "process_file", crashing)
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "crash"))
    stats = build_index(repo)
    assert stats.skipped.get("parser-crash") == 1
    crashed = _rows(git_repo.root)
    for table in ("symbols", "calls", "imports", "bindings"):
        expected = [r for r in clean[table] if r[0] != "pkg/mod7.py"]
        assert crashed[table] == expected, table
    assert [r for r in crashed["files"] if r[0] == "pkg/mod7.py"][0][-1] == "skipped:parser-crash"
    assert not list((tmp_path / "crash").rglob("shard*"))
