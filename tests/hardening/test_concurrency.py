"""Concurrency and recovery beyond tests/index/test_build.py (which covers two
indexers at once, corrupt and foreign index files, Ctrl-C and a schema change):
readers running while a writer re-indexes many changed files, and an indexer
killed with SIGKILL in the middle of writing.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from codemap import api
from codemap.index import store
from codemap.index.service import db_path
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.hardening.runner import spawn

FUNCS = 12  # functions per module


def module_text(i: int, tag: str) -> str:
    body = [f'"""Module {i} ({tag})."""\n']
    for k in range(FUNCS):
        body.append(f"\n\ndef fn_{i}_{k}_{tag}(x):\n    y = x + {k}\n    return helper_{tag}(y)\n")
    body.append(f"\n\ndef helper_{tag}(v):\n    return v * 2\n")
    return "".join(body)


def write_modules(repo: GitRepoBuilder, n: int, tag: str) -> None:
    for i in range(n):
        repo.write(f"pkg/m{i}.py", module_text(i, tag))


def lock_held(repo: GitRepoBuilder) -> bool:
    """Whether an indexer holds the index lock right now."""
    path = db_path(find_repo(repo.root)).parent / "index.lock"
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def start_indexer(repo: GitRepoBuilder) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "codemap", "index", "--json"], cwd=repo.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_lock(repo: GitRepoBuilder, proc: subprocess.Popen[bytes], limit: float = 30) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if lock_held(repo):
            return True
        time.sleep(0.005)
    return False


def snapshot_names(path: Path, root: Path) -> list[str]:
    """Every function name of the index, read in one statement (one SQLite snapshot)."""
    conn = store.connect(path, readonly=True)
    try:
        return [name for _id, name, _q, kind in store.IndexReader(conn, root).iter_names()
                if kind == "function"]
    finally:
        conn.close()


def test_readers_see_the_old_or_the_new_index_never_a_mix(git_repo: GitRepoBuilder) -> None:
    n = 250
    write_modules(git_repo, n, "old")
    git_repo.commit("old modules")
    api.index(str(git_repo.root))
    path = db_path(find_repo(git_repo.root))
    write_modules(git_repo, n, "new")  # every file changed: the writer re-parses them all
    expected = {tag: n * (FUNCS + 1) for tag in ("old", "new")}
    crash = git_repo.root.parent / "trace.txt"
    crash.write_text('Traceback (most recent call last):\n  File "/srv/app/pkg/m7.py", line 5, '
                     'in fn_7_0_old\n    return helper(y)\nValueError: x\n')

    writer = start_indexer(git_repo)
    seen: dict[str, int] = {"old": 0, "new": 0}
    during = 0
    cli_readers: list[subprocess.Popen[bytes]] = []
    try:
        assert wait_for_lock(git_repo, writer), "the indexer never took the lock"
        cli_readers = [
            subprocess.Popen([sys.executable, "-m", "codemap", *args], cwd=git_repo.root,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for args in (["find", "fn_7_0", "--json"],
                         ["trace", str(crash), "--map", "/srv/app=.", "--json"],
                         ["at", "pkg/m7.py:5", "--json"])]
        while writer.poll() is None:
            names = snapshot_names(path, git_repo.root)
            tags = {name.rsplit("_", 1)[-1] for name in names}
            assert len(tags) == 1, f"a mixed index: {sorted(tags)}"
            tag = tags.pop()
            assert len(names) == expected[tag], (tag, len(names))
            seen[tag] += 1
            if writer.poll() is None and lock_held(git_repo):
                during += 1
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
        assert json.loads(out)["parsed"] == n
    finally:
        if writer.poll() is None:
            writer.kill()
    assert during >= 1, "no read happened while the writer held the lock"
    assert seen["old"] >= 1
    assert sorted(snapshot_names(path, git_repo.root))[0].endswith("_new")
    for proc in cli_readers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, (proc.args, err)
        assert b"Traceback" not in err
        data = json.loads(out)
        if "matches" in data:
            symbol = data["matches"][0]["symbol"]
        elif "exceptions" in data:
            symbol = data["exceptions"][0]["frames"][-1]["symbol"]
        else:
            symbol = data["symbol"]
        assert symbol["name"] in ("fn_7_0_old", "fn_7_0_new"), data


def _kill_mid_write(repo: GitRepoBuilder) -> tuple[int, bytes]:
    """Start an indexer, SIGKILL it while it holds the lock and writes; (returncode, stderr)."""
    proc = start_indexer(repo)
    try:
        assert wait_for_lock(repo, proc), "the indexer never took the lock"
        wal = Path(f"{db_path(find_repo(repo.root))}-wal")
        deadline = time.monotonic() + 20
        start_size = wal.stat().st_size if wal.exists() else 0
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > start_size + 256 * 1024:
                break  # pages of the new index are being written
            time.sleep(0.005)
        proc.send_signal(signal.SIGKILL)
        _out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, err


def test_sigkilled_indexer_leaves_an_index_the_next_run_uses(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", module_text(0, "base"))
    git_repo.commit("one module")
    api.index(str(git_repo.root))
    write_modules(git_repo, 900, "bulk")
    code, err = _kill_mid_write(git_repo)
    assert b"Traceback" not in err
    path = db_path(find_repo(git_repo.root))
    print("indexer exit status after SIGKILL:", code)
    if code == -signal.SIGKILL:
        # killed mid-write: the previous index is still whole and readable
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            conn.close()
        names = snapshot_names(path, git_repo.root)
        assert len(names) in (FUNCS + 1, 901 * (FUNCS + 1))
    # a reader right after the kill refreshes and answers in full
    run = spawn(["find", "fn_899_3_bulk", "--json"], cwd=git_repo.root, timeout=120)
    assert run.code == 0, run.describe()
    assert json.loads(run.out)["matches"][0]["symbol"]["name"] == "fn_899_3_bulk"
    lines = [line for line in run.err_text.splitlines() if line.strip()]
    assert all("rebuilt" in line for line in lines), run.describe()  # only a rebuild notice
    run = spawn(["index", "--json"], cwd=git_repo.root, timeout=120)
    assert run.code == 0 and json.loads(run.out)["files"] == 901, run.describe()


def test_sigkilled_export_never_yields_a_half_index(git_repo: GitRepoBuilder,
                                                  tmp_path: Path) -> None:
    write_modules(git_repo, 600, "exp")
    git_repo.commit("modules")
    api.index(str(git_repo.root))
    target = tmp_path / "shared.sqlite"
    proc = subprocess.Popen([sys.executable, "-m", "codemap", "index", "--export", str(target)],
                            cwd=git_repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        if any(tmp_path.iterdir()):
            break  # the export has started writing
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(git_repo.root), str(clone)], check=True)
    if not target.exists():
        return  # killed before anything reached the final name: nothing to import
    run = spawn(["index", "--import", str(target), "--json"], cwd=clone, timeout=120)
    if run.code == 0:  # a complete export was renamed into place before the kill
        assert json.loads(run.out)["files"] == 600, run.describe()
    else:
        assert run.code == 2 and len(run.err_text.strip().splitlines()) == 1, run.describe()
        assert b"Traceback" not in run.err


@pytest.mark.parametrize("reader_args", [["find", "fn_1_1_v", "--json"], ["graph", "--json"]])
def test_a_reader_waiting_for_a_long_indexer_answers_after_it(git_repo: GitRepoBuilder,
                                                              reader_args: list[str]) -> None:
    """A command that needs a refresh while another process indexes waits for it and
    then answers from the finished index (no error, no partial answer)."""
    write_modules(git_repo, 300, "v")
    git_repo.commit("modules")
    writer = start_indexer(git_repo)
    try:
        assert wait_for_lock(git_repo, writer)
        run = spawn(reader_args, cwd=git_repo.root, timeout=120)
    finally:
        writer.communicate(timeout=120)
    assert run.code == 0, run.describe()
    data = json.loads(run.out)
    if reader_args[0] == "find":
        assert data["matches"][0]["symbol"]["name"] == "fn_1_1_v"
    else:
        assert len([s for s in data["symbols"] if s["kind"] == "function"]) == 300 * (FUNCS + 1)
