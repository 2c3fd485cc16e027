"""Resolution split across two processes (a forked one resolves the later files) gives the
edges one process gives, survives the forked process dying, stops on cancel, and is used
only where it can be: binding rows held in memory, enough call sites."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading

import pytest

from codemap.errors import Cancelled
from codemap.index import bindstore, resolve, resolvefork
from codemap.index.callsites import CallResolver
from codemap.index.program import Program
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.graph.spies import record_returns
from tests.graph.test_go_java_resolution import GO
from tests.graph.test_python_resolution import PKG
from tests.graph.test_resolver_memory import CALLBACKS

# a second package, so the forked process has files of its own with calls across both
LATER = {
    "zz/__init__.py": "",
    "zz/use.py": (
        "from pkg.core import Engine\n"
        "from cb.run import apply, double\n"
        "\n"
        "class Runner:\n"
        "    def __init__(self):\n"
        "        self.engine = Engine(1)\n"
        "    def go(self, items):\n"
        "        for item in items:\n"
        "            self.engine.run()\n"
        "        return apply(double, len(items))\n"
        "\n"
        "def main():\n"
        "    Runner().go([1, 2])\n"
    ),
}


def _indexed(git_repo) -> sqlite3.Connection:
    for rel, text in {**PKG, **CALLBACKS, **LATER}.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    repo = find_repo(str(git_repo.root))
    open_index(repo)
    return sqlite3.connect(db_path(repo), isolation_level=None)


def _edges(conn: sqlite3.Connection, cancel=None) -> list[tuple]:
    """The edges as resolve_all writes them, in row order (rolled back after)."""
    conn.execute("BEGIN")
    try:
        resolve.resolve_all(conn, cancel=cancel)
        return list(conn.execute(
            "SELECT caller_id, callee_id, line, confidence FROM edges ORDER BY rowid"))
    finally:
        conn.execute("ROLLBACK")


@pytest.fixture
def forking(monkeypatch) -> list[object]:
    """Split even a tiny repository (half of its call rows to the forked process); the
    list collects what the forked process sent back (None when it sent nothing)."""
    monkeypatch.setattr(resolvefork, "PARALLEL_SITES", 0)
    monkeypatch.setattr(resolvefork, "CHILD_SHARE", 0.5)
    monkeypatch.setattr(resolvefork, "can_fork", lambda *_args: True)
    return record_returns(monkeypatch, resolvefork, "receive_result")


def _serial(monkeypatch) -> None:
    monkeypatch.setattr(resolvefork, "split_file", lambda *_args: None)


def test_two_processes_write_the_edges_one_process_writes(git_repo, monkeypatch,
                                                          forking) -> None:
    conn = _indexed(git_repo)
    forking.clear()  # (indexing resolved once already)
    parallel = _edges(conn)
    assert forking and forking[0] is not None  # the forked process did its share
    chunks, _implicit = forking[0]
    assert chunks  # ... and it had edges to give
    with monkeypatch.context() as serial:
        _serial(serial)
        assert _edges(conn) == parallel  # same rows, same order
    assert len(parallel) > 20
    assert not multiprocessing.active_children()


def test_one_process_splits_the_same_way(git_repo, monkeypatch, forking) -> None:
    """Without a fork (one core, no room) the later files start from the memos the first
    ones started from, as in a forked process: the edges never depend on the machine."""
    conn = _indexed(git_repo)
    forking.clear()
    parallel = _edges(conn)
    monkeypatch.setattr(resolvefork, "can_fork", lambda *_args: False)
    restored: list[int] = []
    original = CallResolver.restore

    def counting(self: CallResolver, saved: tuple) -> None:
        restored.append(self.memo_size())
        original(self, saved)

    monkeypatch.setattr(CallResolver, "restore", counting)
    assert _edges(conn) == parallel
    assert len(restored) == 1 and len(forking) == 1  # (none new: no fork)


def test_a_go_module_among_the_forked_files(git_repo, monkeypatch, forking) -> None:
    for rel, text in GO.items():  # a Go module in the child's files (the last ones)
        git_repo.write(f"zzgo/{rel}", text)
    conn = _indexed(git_repo)
    forking.clear()
    parallel = _edges(conn)
    assert forking and forking[0] is not None  # (go.mod paths were read before the fork)
    with monkeypatch.context() as serial:
        _serial(serial)
        assert _edges(conn) == parallel


def test_the_split_leaves_files_whole_and_follows_file_order(git_repo, forking) -> None:
    conn = _indexed(git_repo)
    program = Program(conn)
    split = resolvefork.split_file(conn, program)
    program.release()
    assert split is not None
    files = [fid for (fid,) in conn.execute(
        "SELECT DISTINCT file_id FROM calls ORDER BY file_id")]
    assert files[0] < split <= files[-1]  # both processes have files


def test_a_worker_thread_forks_too(git_repo, forking) -> None:
    """The TUI refreshes the index in a worker thread: the fork works from there."""
    _indexed(git_repo).close()
    forking.clear()
    out: list[list[tuple]] = []

    def work() -> None:
        conn = sqlite3.connect(db_path(find_repo(str(git_repo.root))), isolation_level=None)
        out.append(_edges(conn))
        conn.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert forking and forking[0] is not None and len(out[0]) > 20


def test_a_forked_process_that_dies_is_redone_here(git_repo, monkeypatch, forking) -> None:
    conn = _indexed(git_repo)
    with monkeypatch.context() as one:
        one.setattr(resolvefork, "can_fork", lambda *_args: False)
        expected = _edges(conn)
    monkeypatch.setattr(resolvefork, "_resolve_forked", lambda *_args: os._exit(1))
    forking.clear()
    assert _edges(conn) == expected  # from the same memos as the child would have
    assert forking == [None]
    assert not multiprocessing.active_children()


def test_cancel_stops_both_processes(git_repo, monkeypatch, forking) -> None:
    conn = _indexed(git_repo)
    before = set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges"))
    monkeypatch.setattr(resolve, "BATCH", 1)
    token = threading.Event()
    token.set()
    with pytest.raises(Cancelled):
        _edges(conn, token)
    assert not multiprocessing.active_children()
    assert set(conn.execute("SELECT caller_id, callee_id, line, confidence FROM edges")) \
        == before


def test_no_fork_when_binding_rows_are_read_back(git_repo, monkeypatch, forking) -> None:
    conn = _indexed(git_repo)
    monkeypatch.setattr(bindstore, "EAGER_ROWS", 0)  # as on a very large repository
    program = Program(conn)
    assert program.reads_back
    assert resolvefork.split_file(conn, program) is None
    program.release()


def test_no_fork_for_few_call_sites(git_repo) -> None:
    conn = _indexed(git_repo)
    program = Program(conn)
    assert resolvefork.split_file(conn, program) is None  # PARALLEL_SITES: not worth a fork
    program.release()


def test_no_fork_without_a_spare_core(monkeypatch) -> None:
    monkeypatch.setattr(resolvefork, "usable_cores", lambda: 2)
    monkeypatch.setattr(resolvefork, "meminfo", lambda _field: 8 << 30)
    assert resolvefork.can_fork(100 << 20, 0.1)
    assert not resolvefork.can_fork(100 << 20, 0.9)  # another process holds the other core
    assert not resolvefork.can_fork(100 << 20, None)  # unknown: as busy
    assert not resolvefork.can_fork(3 << 30, 0.0)  # no room for a copy of the model
    monkeypatch.setattr(resolvefork, "usable_cores", lambda: 1)
    assert not resolvefork.can_fork(100 << 20, 0.0)


def test_the_cpu_watch_leaves_out_this_process() -> None:
    watch = resolvefork.CpuWatch()
    assert watch.others() is None  # too short a stretch to tell
    deadline = os.times().elapsed + 0.3
    while os.times().elapsed < deadline:  # this process busy: not counted as others'
        pass
    others = watch.others()
    assert others is not None and 0.0 <= others <= (os.cpu_count() or 1)


def test_restore_puts_back_the_memos_of_the_snapshot(git_repo) -> None:
    conn = _indexed(git_repo)
    program = Program(conn)
    resolver = CallResolver(program)
    saved = resolver.snapshot()
    before = resolver.memo_size(), dict(program._lookup_memo), list(program._mro_memo)
    for caller, name, receiver, kind, argc in conn.execute(
            "SELECT caller_id, name, ifnull(receiver, ''), ifnull(nullif(kind, ''), 'call'), "
            "ifnull(argc, -1) FROM calls"):
        resolver.resolve_new(caller, name, receiver, kind, argc)
    assert resolver.memo_size() > before[0]
    resolver.restore(saved)
    assert (resolver.memo_size(), program._lookup_memo, list(program._mro_memo)) == before
    program.release()
