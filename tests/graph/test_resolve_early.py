"""A cold index resolves its later files in a process started as soon as the workers are
done (codemap.index.resolveearly): the edges are those of one process, row for row, a
Go module's go.mod (a files row written outside the shards) included; a dead early
process is redone here; an interrupted index leaves no process behind; and it is only
started where it pays."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from codemap.index import build, resolveearly, resolvefork, shards
from codemap.index.service import build_index, db_path
from codemap.repo import find_repo
from tests.graph.spies import record_returns
from tests.graph.test_go_java_resolution import GO
from tests.graph.test_python_resolution import PKG
from tests.graph.test_resolve_parallel import LATER
from tests.graph.test_resolver_memory import CALLBACKS

EDGES = "SELECT caller_id, callee_id, line, confidence FROM edges ORDER BY rowid"


@pytest.fixture
def repo(git_repo):
    for rel, text in {**PKG, **CALLBACKS, **LATER}.items():
        git_repo.write(rel, text)
    for rel, text in GO.items():  # a Go module among the later files: its go.mod is read
        git_repo.write(f"zzgo/{rel}", text)
    git_repo.commit("fixture")
    return find_repo(str(git_repo.root))


@pytest.fixture
def early(monkeypatch) -> list[object]:
    """Workers and an early process even for a tiny repository (half of its call rows to
    the early process); the list collects what take() gave back (None: redone here)."""
    monkeypatch.setattr(build, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(resolvefork, "usable_cores", lambda: 2)
    monkeypatch.setattr(resolvefork, "PARALLEL_SITES", 0)
    monkeypatch.setattr(resolveearly, "EARLY_SHARE", 0.5)
    monkeypatch.setattr(resolvefork.CpuWatch, "others", lambda _self, **_kw: 0.0)
    taken: list[object] = []
    original = resolveearly.EarlyPart.take

    def spying(self, cancel):
        found = original(self, cancel)
        taken.append(found)
        return found

    monkeypatch.setattr(resolveearly.EarlyPart, "take", spying)
    return taken


def _cold_edges(repo) -> list[tuple]:
    """A cold index of ``repo`` (any previous one removed), its edges in row order."""
    path = Path(db_path(repo))
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    build_index(repo)
    conn = sqlite3.connect(path)
    try:
        return conn.execute(EDGES).fetchall()
    finally:
        conn.close()


def test_the_early_process_writes_the_edges_one_process_writes(repo, monkeypatch,
                                                               early) -> None:
    with_early = _cold_edges(repo)
    assert early and early[0] is not None  # the early process did its share
    assert not multiprocessing.active_children()
    with monkeypatch.context() as one:
        one.setattr(resolveearly, "start", lambda *_args, **_kw: None)
        one.setattr(resolvefork, "split_file", lambda *_args, **_kw: None)
        assert _cold_edges(repo) == with_early  # same rows, same order
    go_callers = {caller for caller, _callee, _line, _conf in with_early
                  if caller >> shards.SYMBOL_BITS >= _go_file(repo)}
    assert go_callers  # the Go files (the early process's) have their edges
    assert len(with_early) > 20


def _go_file(repo) -> int:
    conn = sqlite3.connect(db_path(repo))
    try:
        return conn.execute("SELECT min(id) FROM files WHERE path LIKE 'zzgo/%.go'").fetchone()[0]
    finally:
        conn.close()


def test_its_views_read_as_the_merged_index(repo, monkeypatch, early) -> None:
    """Every query the program makes gives the rows of the merged index, in its order."""
    views: list[sqlite3.Connection] = []
    original = shards.merge

    def merging(conn, directory):
        paths = sorted(str(p) for p in directory.glob("shard-*.sqlite"))
        plain = conn.execute("SELECT * FROM files").fetchall()
        views.append(resolveearly.view_connection(paths, plain, str(repo.root)))
        return original(conn, directory)

    monkeypatch.setattr(shards, "merge", merging)
    monkeypatch.setattr(resolveearly, "start", lambda *_args, **_kw: None)
    _cold_edges(repo)
    index = sqlite3.connect(db_path(repo))
    for sql in ("SELECT id, path, language, module FROM files "
                "WHERE status IN ('parsed','partial')",
                "SELECT id, file_id, parent_id, name, qualname, kind, bases FROM symbols",
                "SELECT file_id, scope_id, module, name, alias, level FROM imports "
                "ORDER BY file_id, rowid",
                "SELECT scope_id, name, type, object FROM bindings ORDER BY file_id, rowid",
                "SELECT file_id, name, receiver, kind, line FROM calls WHERE file_id >= 2 "
                "ORDER BY file_id, rowid",
                "SELECT path FROM files WHERE path = 'go.mod' OR path LIKE '%/go.mod'",
                "SELECT value FROM meta WHERE key = 'root'"):
        expected = index.execute(sql).fetchall()
        assert expected, sql
        assert views[0].execute(sql).fetchall() == expected, sql
    index.close()


def test_a_dead_early_process_is_redone_here(repo, monkeypatch, early) -> None:
    expected = _cold_edges(repo)
    monkeypatch.setattr(resolveearly, "_child", lambda *_args: os._exit(1))
    early.clear()
    assert _cold_edges(repo) == expected  # from the state right after the set-up
    assert early == [None]
    assert not multiprocessing.active_children()


def _spy_start(monkeypatch) -> list[object]:
    """What each resolveearly.start() gave (None: no early process)."""
    return record_returns(monkeypatch, resolveearly, "start")


def test_an_interrupted_index_leaves_no_process(repo, monkeypatch, early) -> None:
    started = _spy_start(monkeypatch)

    def interrupted(_conn, _directory):
        raise KeyboardInterrupt

    monkeypatch.setattr(shards, "merge", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _cold_edges(repo)
    assert started and started[0] is not None  # it was running when the merge stopped
    assert not multiprocessing.active_children()


def test_started_only_where_it_pays(repo, monkeypatch, early) -> None:
    started = _spy_start(monkeypatch)
    with monkeypatch.context() as few:
        few.setattr(resolvefork, "PARALLEL_SITES", 10**9)  # too few call rows
        _cold_edges(repo)
    with monkeypatch.context() as busy:
        busy.setattr(resolvefork.CpuWatch, "others", lambda _self, **_kw: 0.9)
        _cold_edges(repo)
    with monkeypatch.context() as one:
        one.setattr(resolvefork, "usable_cores", lambda: 1)
        _cold_edges(repo)
    with monkeypatch.context() as small:
        small.setattr(resolvefork, "meminfo", lambda _field: 1 << 10)  # no room
        _cold_edges(repo)
    assert started == [None, None, None, None]
    build_index(repo)  # a warm index: no early process asked for
    assert len(started) == 4


def test_a_worker_thread_starts_it_too(repo, early) -> None:
    """The TUI refreshes the index in a worker thread: the early process works from there."""
    expected = _cold_edges(repo)
    early.clear()
    out: list[list[tuple]] = []
    worker = threading.Thread(target=lambda: out.append(_cold_edges(repo)))
    worker.start()
    worker.join()
    assert early and early[0] is not None
    assert out == [expected]
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_leaves_the_early_process_right(repo, monkeypatch, early) -> None:
    """A file that kills its worker is skipped (its files row written here, outside the
    shards); the others are redone in shards of their own, folded before the early
    process reads them: its edges are still those of one process."""
    import signal

    real = build.process_file

    def crashing(item, root=None):
        if item[0] == "zz/use.py":
            os.kill(os.getpid(), signal.SIGSEGV)  # what a crashing C parser does
        return real(item, root)

    monkeypatch.setattr(build, "process_file", crashing)
    monkeypatch.setattr(shards, "MAX_ATTACHED", 2)  # (retried files' shards folded)
    with_early = _cold_edges(repo)
    assert early and early[0] is not None
    with monkeypatch.context() as one:
        one.setattr(resolveearly, "start", lambda *_args, **_kw: None)
        one.setattr(resolvefork, "split_file", lambda *_args, **_kw: None)
        assert _cold_edges(repo) == with_early
    conn = sqlite3.connect(db_path(repo))
    assert conn.execute("SELECT status FROM files WHERE path = 'zz/use.py'").fetchone() == (
        "skipped:parser-crash",)
    conn.close()
    assert not multiprocessing.active_children()


FLASK = ('from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.route("/ping")\n'
         'def ping():\n    return pong()\n\n\ndef pong():\n    return "pong"\n')


def test_the_parent_loads_no_program_and_composes_the_endpoints_meanwhile(
        repo, git_repo, monkeypatch, early) -> None:
    """``codemap index`` composes the endpoints before the call graph is resolved (they do
    not read it), while the early processes load their program and resolve every file:
    the parent loads none. The edges stay those of one process."""
    from codemap.endpoints import service as endpoints
    from codemap.index import program as program_module
    from codemap.index import resolve

    git_repo.write("web/app.py", FLASK)
    git_repo.commit("a web app")
    order: list[str] = []
    for owner, name in ((endpoints, "prepare"), (resolve, "resolve_all"),
                        (program_module.Program, "__init__")):
        real = getattr(owner, name)
        monkeypatch.setattr(owner, name, lambda *a, _real=real, _name=name, **k: (
            order.append(_name), _real(*a, **k))[1])

    def cold(prepare: bool) -> list[tuple]:
        path = Path(db_path(repo))
        for old in path.parent.glob(path.name + "*"):
            old.unlink()
        build_index(repo, prepare=prepare)
        with sqlite3.connect(path) as conn:
            return conn.execute(EDGES).fetchall()

    with_early = cold(prepare=True)
    assert early and early[0] is not None
    assert order == ["prepare", "resolve_all"]  # and no Program.__init__ in this process
    with monkeypatch.context() as one:
        one.setattr(resolveearly, "start", lambda *_args, **_kw: None)
        one.setattr(resolvefork, "split_file", lambda *_args, **_kw: None)
        order.clear()
        assert cold(prepare=True) == with_early
        assert order == ["prepare", "resolve_all", "__init__"]
    records = endpoints.endpoint_records(repo)[1]
    assert [(r["method"], r["route"], r["handler"]["name"]) for r in records] == [
        ("GET", "/ping", "ping")]
    assert not multiprocessing.active_children()


def test_the_earlier_files_process_dying_leaves_the_edges_right(repo, monkeypatch,
                                                               early) -> None:
    """The grandchild resolving the earlier files dies: the early process resolves them
    after its own, from the state right after the set-up; the edges are the same."""
    expected = _cold_edges(repo)
    early.clear()
    monkeypatch.setattr(resolveearly, "_earlier", lambda *_args: os._exit(1))
    assert _cold_edges(repo) == expected
    assert early and early[0] is not None  # done by the early process all the same
    assert not multiprocessing.active_children()


def test_an_early_process_whose_parent_is_gone_stops(tmp_path) -> None:
    """An early process checks, between batches of sites, that the process which started
    it is still there (its own child, the earlier files' process, must not outlive it)."""
    import time

    marker = tmp_path / "stopped"
    child = os.fork()
    if child == 0:  # the early process: starts its own child, then ends
        me = os.getpid()
        grandchild = os.fork()
        if grandchild == 0:
            orphaned = resolveearly._Orphaned(me)
            for _ in range(500):
                if orphaned.is_set():
                    marker.write_text("stopped")
                    break
                time.sleep(0.01)
            os._exit(0)
        os._exit(0)
    os.waitpid(child, 0)
    for _ in range(500):
        if marker.exists():
            break
        time.sleep(0.01)
    assert marker.read_text() == "stopped"


def test_the_parent_hands_over_the_call_counts_it_split_by(repo, monkeypatch, early,
                                                            tmp_path) -> None:
    """The merged index counts each file's call rows at once: the early process splits by
    the counts the parent sends (when they come in time) and the edges stay the same."""
    expected = _cold_edges(repo)
    marker = tmp_path / "counted"
    real = resolveearly._counted

    def counted(pipe):
        found = real(pipe)
        marker.write_text("parent" if found is not None else "self")
        return found

    monkeypatch.setattr(resolveearly, "_counted", counted)
    real_load = resolveearly.view_connection

    def slow_view(*args):  # the parent's merge is done long before the child splits
        import time

        time.sleep(0.5)
        return real_load(*args)

    monkeypatch.setattr(resolveearly, "view_connection", slow_view)
    early.clear()
    assert _cold_edges(repo) == expected
    assert early and early[0] is not None
    assert marker.read_text() == "parent"
