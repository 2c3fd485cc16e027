"""The index on real git repositories: incremental refresh, storage, bad input."""

from __future__ import annotations

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
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

APP = '''\
import os


class Store:
    def __init__(self, path):
        self.path = path

    def load(self, key):
        return helper(key)


def helper(key):
    return os.path.join("x", key)
'''


def working_tree_snapshot(root: Path) -> dict[str, bytes]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        if ".git" in dirnames:
            dirnames.remove(".git")
        for name in filenames:
            full = Path(dirpath) / name
            if full.is_symlink():
                out[str(full.relative_to(root))] = b"-> " + os.readlink(full).encode()
            else:
                try:
                    out[str(full.relative_to(root))] = full.read_bytes()
                except OSError:
                    out[str(full.relative_to(root))] = b"<unreadable>"
    return out


def run_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "codemap", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def test_index_lives_in_git_dir_and_never_in_the_working_tree(git_repo: GitRepoBuilder) -> None:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/store.py", APP)
    git_repo.commit("initial")
    before = working_tree_snapshot(git_repo.root)
    status_before = git_repo.git("status", "--porcelain")
    stats = api.index(str(git_repo.root))
    assert stats.files == 2 and stats.parsed == 2
    assert db_path(find_repo(git_repo.root)).parent == git_repo.root / ".git" / "codemap"
    assert working_tree_snapshot(git_repo.root) == before
    assert git_repo.git("status", "--porcelain") == status_before


def test_refresh_reparses_only_changed_added_and_deleted_files(git_repo: GitRepoBuilder) -> None:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/store.py", APP)
    git_repo.write("pkg/other.py", "def other():\n    return 1\n")
    git_repo.commit("initial")
    first = api.index(str(git_repo.root))
    assert first.parsed == 3
    again = api.index(str(git_repo.root))
    assert again.parsed == 0 and again.reused >= 3
    git_repo.write("pkg/other.py", "def other():\n    return 2\n\n\ndef more():\n    pass\n")
    git_repo.write("pkg/new.py", "class New:\n    pass\n")  # untracked, not ignored: indexed
    git_repo.remove("pkg/store.py")
    third = api.index(str(git_repo.root))
    assert third.parsed == 2 and third.removed == 1
    reader = open_index(find_repo(git_repo.root), refresh=False)
    assert sorted(reader.files()) == ["pkg/__init__.py", "pkg/new.py", "pkg/other.py"]
    assert [s.qualname for s in reader.symbols_in_file("pkg/other.py")] == [
        "pkg.other", "pkg.other.other", "pkg.other.more"]


def test_reused_counts_the_indexed_files_only(git_repo: GitRepoBuilder) -> None:
    """Files of no supported language, symlinks and skipped files are listed but not
    indexed: a no-change refresh reuses as many files as the index holds, not more."""
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/store.py", APP)
    git_repo.write("README.md", "# notes\n")
    git_repo.write("setup.cfg", "[metadata]\nname = pkg\n")
    git_repo.write("pkg/huge.py", "x = 1\n" * 200_000)  # over the size limit: skipped
    (git_repo.root / "pkg" / "link.py").symlink_to(git_repo.root / "pkg" / "store.py")
    git_repo.commit("initial")
    first = api.index(str(git_repo.root))
    assert first.files == 2 and first.skipped
    again = api.index(str(git_repo.root))
    assert (again.files, again.parsed, again.reused) == (2, 0, 2)
    os.utime(git_repo.root / "README.md", (time.time() + 5, time.time() + 5))
    third = api.index(str(git_repo.root))  # (a full check: the listing's state changed)
    assert (third.files, third.parsed, third.reused) == (2, 0, 2)


def test_touch_without_content_change_reuses_the_file(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    path = git_repo.root / "a.py"
    os.utime(path, (time.time() + 5, time.time() + 5))
    stats = api.index(str(git_repo.root))
    assert stats.parsed == 0 and stats.reused == 1


def test_ignored_files_are_left_out(git_repo: GitRepoBuilder) -> None:
    git_repo.write(".gitignore", "build/\n*.gen.py\n")
    git_repo.write("src/a.py", "def a():\n    pass\n")
    git_repo.write("build/b.py", "def b():\n    pass\n")
    git_repo.write("src/c.gen.py", "def c():\n    pass\n")
    git_repo.commit("initial")
    reader = open_index(find_repo(git_repo.root))
    assert reader.files() == ["src/a.py"]


def test_outside_git_the_gitignore_rules_apply_and_the_cache_dir_is_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "plain"
    (root / "sub" / "deep").mkdir(parents=True)
    (root / ".gitignore").write_text("*.log\nignored/\n")
    (root / "sub" / ".gitignore").write_text("skip.py\n!keep.log\n")
    (root / "a.py").write_text("def a(): pass\n")
    (root / "sub" / "skip.py").write_text("def s(): pass\n")
    (root / "sub" / "deep" / "b.py").write_text("def b(): pass\n")
    (root / "ignored").mkdir()
    (root / "ignored" / "c.py").write_text("def c(): pass\n")
    (root / "x.log").write_text("log\n")
    (root / "sub" / "keep.log").write_text("log\n")
    cache = tmp_path / "cache"
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(cache))
    before = working_tree_snapshot(root)
    reader = open_index(find_repo(root))
    assert reader.files() == ["a.py", "sub/deep/b.py"]
    assert "sub/keep.log" in reader.all_paths() and "x.log" not in reader.all_paths()
    assert db_path(find_repo(root)).is_relative_to(cache)
    assert working_tree_snapshot(root) == before


def test_bad_files_are_skipped_with_reasons_never_crash(git_repo: GitRepoBuilder) -> None:
    git_repo.write("latin1.py", "def caf\xe9():\n    return '\xe9'\n".encode("latin-1"))
    git_repo.write("mixed.py", b"def ok():\n    return 1\n# \xff\xfe bad bytes\ndef ok2(): pass\n")
    git_repo.write("nul.py", b"def a():\n    pass\n\x00\x00\x00binary")
    git_repo.write("broken.py", "def good():\n    return 1\n\ndef bad(:\n    pass\n\nclass After:\n"
                               "    def m(self):\n        pass\n")
    git_repo.write("bundle.min.js", "var a=" + ",".join(f"f{i}=function(){{return {i}}}"
                                                        for i in range(200_000)) + ";\n")
    git_repo.write("small.min.js", "var b=" + ",".join(f"g{i}=function(){{return {i}}}"
                                                       for i in range(15_000)) + ";\n")
    git_repo.write("big.py", "x = 1\n" * 300_000)
    git_repo.write("dir with space/ünïcode file.py", "def spaced():\n    pass\n")
    git_repo.write("empty.py", "")
    git_repo.commit("bad input")
    stats = api.index(str(git_repo.root))
    assert stats.skipped.get("minified") == 1
    assert stats.skipped.get("binary") == 1
    assert stats.skipped.get("too-large") == 2  # the 5 MB bundle and the 1.8 MB module
    reader = open_index(find_repo(git_repo.root), refresh=False)
    names = {s.qualname for path in reader.files() for s in reader.symbols_in_file(path)}
    assert {"broken.good", "broken.After", "broken.After.m"} <= names
    assert {"mixed.ok", "mixed.ok2", "dir with space.ünïcode file.spaced"} <= names
    assert any(n.startswith("latin1.caf") for n in names)  # name decoded with replacement
    assert reader.file_status()["broken.py"] == "partial"


@pytest.mark.parametrize("folder", ["C# tools", "what?", "100% done", "dir with space ü"])
def test_a_repository_whose_path_is_no_uri_is_read(tmp_path: Path, folder: str) -> None:
    """Read-only connections open the index by URI: '#', '?' and '%' in the repository's
    path are escaped (else SQLite opened another, empty file: "no such table")."""
    repo_dir = GitRepoBuilder(tmp_path / folder / "repo")
    repo_dir.write("m.py", "def f():\n    return g()\n\n\ndef g():\n    return 1\n")
    repo_dir.commit("one module")
    api.index(str(repo_dir.root))
    root = str(repo_dir.root)
    at = api.at("m.py:2", repo_path=root)
    assert at.symbol is not None and at.symbol.qualname == "m.f"
    callers = api.callers("m.g", repo_path=root)
    assert [item.symbol.qualname for item in callers.callers] == ["m.f"]


def test_unreadable_file_is_skipped(git_repo: GitRepoBuilder,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write("a.py", "def a(): pass\n")
    path = git_repo.write("secret.py", "def s(): pass\n")
    git_repo.commit("initial")
    path.chmod(0)  # unreadable for a normal user; root reads anyway, so also refuse the open
    real_open = open

    def refusing_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    try:
        stats = api.index(str(git_repo.root))
    finally:
        path.chmod(0o644)
    assert stats.skipped.get("unreadable") == 1
    assert stats.files == 1


def test_fifo_in_the_repository_does_not_block(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "plain"  # git never lists a FIFO; a plain directory walk sees it
    root.mkdir()
    (root / "a.py").write_text("def a(): pass\n")
    os.mkfifo(root / "pipe.py")
    stats = api.index(str(root))
    assert stats.files == 1 and stats.skipped.get("special") == 1


def test_symlink_loops_and_links_outside_do_not_trap_the_walk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "plain"
    (root / "a").mkdir(parents=True)
    (root / "a" / "mod.py").write_text("def f(): pass\n")
    (root / "a" / "loop").symlink_to(root / "a", target_is_directory=True)
    (root / "self").symlink_to(root, target_is_directory=True)
    (root / "link.py").symlink_to(root / "a" / "mod.py")
    stats = api.index(str(root))
    reader = open_index(find_repo(root), refresh=False)
    assert reader.files() == ["a/mod.py"]
    assert stats.skipped.get("symlink") == 1


def test_empty_repository_and_repository_without_supported_files(git_repo: GitRepoBuilder) -> None:
    stats = api.index(str(git_repo.root))
    assert stats.files == 0 and stats.symbols == 0
    git_repo.write("README.md", "# hello\n")
    git_repo.write("data.csv", "a,b\n")
    git_repo.commit("docs only")
    stats = api.index(str(git_repo.root))
    assert stats.files == 0 and stats.languages == {}
    reader = open_index(find_repo(git_repo.root), refresh=False)
    assert reader.all_paths() == ["README.md", "data.csv"]


def test_corrupt_and_foreign_index_files_are_rebuilt_with_a_message(
        git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    path = db_path(find_repo(git_repo.root))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    proc = run_cli("index", "--json", cwd=git_repo.root)
    assert proc.returncode == 0, proc.stderr
    assert "rebuilt" in proc.stderr
    assert json.loads(proc.stdout)["symbols"] == 5
    # a foreign SQLite database (some other tool's) is replaced too
    path.unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE unrelated (x)")
    other.commit()
    other.close()
    proc = run_cli("index", "--json", cwd=git_repo.root)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["symbols"] == 5


def test_schema_change_rebuilds(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    conn = sqlite3.connect(db_path(find_repo(git_repo.root)))
    conn.execute("UPDATE meta SET value = 'old' WHERE key = 'schema'")
    conn.commit()
    conn.close()
    stats = api.index(str(git_repo.root))
    assert stats.parsed == 1 and stats.rebuilt and "schema" in stats.rebuilt


def test_two_indexers_at_once_and_a_reader_meanwhile(git_repo: GitRepoBuilder) -> None:
    for i in range(150):
        git_repo.write(f"pkg/m{i}.py", APP.replace("Store", f"Store{i}"))
    git_repo.commit("many files")
    procs = [subprocess.Popen([sys.executable, "-m", "codemap", "index", "--json"],
                              cwd=git_repo.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    results = [json.loads(o[0]) for o in outs]
    assert all(r["symbols"] == 150 * 5 for r in results)
    assert sorted(r["parsed"] for r in results) == [0, 150]
    # a reader sees a complete index
    reader = open_index(find_repo(git_repo.root), refresh=False)
    assert len(reader.files()) == 150


def test_interrupted_index_leaves_the_previous_index_intact(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    for i in range(1500):
        git_repo.write(f"gen/m{i}.py", APP * 20)
    proc = subprocess.Popen([sys.executable, "-m", "codemap", "index"], cwd=git_repo.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err
    if proc.returncode != 0:  # interrupted before it finished: the old index still serves
        assert proc.returncode == 130
        reader = open_index(find_repo(git_repo.root), refresh=False)
        assert reader.files() == ["a.py"]
    stats = api.index(str(git_repo.root))
    assert stats.files == 1501


# Ctrl-C landing between two of the lock acquisitions concurrent.futures.wait makes
# (a real window: wait() takes every future's lock, one by one, every 0.2 s) left the
# pool's manager thread blocked on the lock never released, and `codemap index` hung
# on exit (seen in CI as test_interrupted_index_leaves_the_previous_index_intact
# timing out). The child below lands the signal in that window on purpose.
_CTRL_C_INSIDE_WAIT = """
import concurrent.futures._base as base, os, signal, sys, threading
enter = base._AcquireFutures.__enter__
calls = []
def landing(self):
    calls.append(1)
    if len(calls) == 3 and threading.current_thread() is threading.main_thread():
        futures = list(self.futures)
        futures[0]._condition.acquire()
        os.kill(os.getpid(), signal.SIGINT)  # Python runs its handler at the next bytecode
        for future in futures[1:]:
            future._condition.acquire()
        print("landed", file=sys.stderr)
        return None
    return enter(self)
base._AcquireFutures.__enter__ = landing
from codemap.cli.main import main
main(["index"])
"""

# Ctrl-C while a statement still reads a shard: detaching it then fails ("database
# shard0 is locked") and that error used to replace the interruption (exit 2).
_CTRL_C_INSIDE_MERGE = """
import codemap.index.shards as shards
merge = shards.merge
def interrupted(conn, directory):
    merge(conn, directory)
    rows = conn.execute("SELECT * FROM shard0.files")
    next(rows)
    raise KeyboardInterrupt
shards.merge = interrupted
from codemap.cli.main import main
main(["index"])
"""


@pytest.mark.parametrize("child", [_CTRL_C_INSIDE_WAIT, _CTRL_C_INSIDE_MERGE],
                         ids=["inside-wait", "inside-merge"])
def test_ctrl_c_anywhere_in_a_parallel_index_exits_130(git_repo: GitRepoBuilder,
                                                        child: str) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    for i in range(300):
        git_repo.write(f"gen/m{i}.py", APP * 4)
    proc = subprocess.run([sys.executable, "-c", child], cwd=git_repo.root,
                          capture_output=True, text=True, timeout=60)
    parallel = (os.cpu_count() or 1) >= 2
    if not parallel:  # one core: no pool, no shards, nothing to interrupt
        assert proc.returncode == 0, proc.stderr
    else:
        assert proc.returncode == 130, proc.stderr
        assert "interrupted" in proc.stderr and "Traceback" not in proc.stderr
        if child is _CTRL_C_INSIDE_WAIT:
            assert "landed" in proc.stderr
        reader = open_index(find_repo(git_repo.root), refresh=False)
        assert reader.files() == ["a.py"]
    assert api.index(str(git_repo.root)).files == 301


def test_cli_contract_shapes(git_repo: GitRepoBuilder) -> None:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/store.py", APP)
    git_repo.commit("initial")
    proc = run_cli("index", "--json", cwd=git_repo.root)
    data = json.loads(proc.stdout)
    assert {"files", "reused", "symbols", "edges", "languages", "seconds"} <= set(data)
    assert data["languages"] == {"python": 2}
    proc = run_cli("at", "pkg/store.py:9", "--json", "--repo", str(git_repo.root))
    data = json.loads(proc.stdout)
    assert data["symbol"] == {"id": "pkg/store.py:8", "name": "load",
                              "qualname": "pkg.store.Store.load", "kind": "method",
                              "language": "python", "path": "pkg/store.py",
                              "start_line": 8, "end_line": 9}
    assert [p["qualname"] for p in data["parents"]] == ["pkg.store.Store", "pkg.store"]
    proc = run_cli("find", "helpr", "--json", cwd=git_repo.root)
    data = json.loads(proc.stdout)
    assert data["query"] == "helpr"
    assert data["matches"][0]["symbol"]["qualname"] == "pkg.store.helper"
    assert isinstance(data["matches"][0]["score"], float)


@pytest.mark.parametrize("args", [
    ["at", "nowhere.py:3"], ["at", "pkg/store.py"], ["at", "pkg/store.py:0"],
    ["find", ""], ["find", "x", "--limit", "0"], ["index", "--repo", "/nonexistent/dir"],
])
def test_bad_arguments_exit_2_with_one_line(git_repo: GitRepoBuilder, args: list[str]) -> None:
    git_repo.write("pkg/store.py", APP)
    git_repo.commit("initial")
    proc = run_cli(*args, cwd=git_repo.root)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_fast_commands_do_not_import_textual_or_gitpython(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    code = ("import sys; from codemap.cli.main import main\n"
            "try:\n    main(['find', 'helper', '--json'])\nexcept SystemExit:\n    pass\n"
            "bad = [m for m in ('textual', 'git', 'coverage', 'networkx') if m in sys.modules]\n"
            "print('LOADED', bad, file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=git_repo.root, capture_output=True,
                          text=True, timeout=60)
    assert "LOADED []" in proc.stderr, proc.stderr


def test_export_and_import_between_checkouts_at_different_paths(
        git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    for i in range(30):
        git_repo.write(f"pkg/m{i}.py", APP.replace("Store", f"Store{i}"))
    git_repo.commit("many files")
    exported = tmp_path / "shared-index.sqlite"
    proc = run_cli("index", "--export", str(exported), "--json", cwd=git_repo.root)
    assert proc.returncode == 0, proc.stderr
    clone = tmp_path / "elsewhere" / "clone"
    subprocess.run(["git", "clone", "-q", str(git_repo.root), str(clone)], check=True)
    (clone / "pkg" / "m3.py").write_text(APP.replace("Store", "Changed"))
    before = working_tree_snapshot(clone)
    proc = run_cli("index", "--import", str(exported), "--json", cwd=clone)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["parsed"] == 1 and data["reused"] == 29
    assert working_tree_snapshot(clone) == before
    proc = run_cli("find", "Changed", "--json", cwd=clone)
    assert json.loads(proc.stdout)["matches"][0]["symbol"]["path"] == "pkg/m3.py"


def test_import_of_a_file_that_is_not_an_index_exits_2(git_repo: GitRepoBuilder,
                                                      tmp_path: Path) -> None:
    git_repo.write("a.py", APP)
    git_repo.commit("initial")
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_text("hello")
    proc = run_cli("index", "--import", str(bogus), cwd=git_repo.root)
    assert proc.returncode == 2 and "not a codemap index" in proc.stderr
    proc = run_cli("index", "--import", str(tmp_path / "missing"), cwd=git_repo.root)
    assert proc.returncode == 2 and "no such index file" in proc.stderr


def test_symbol_queries_after_an_edit_leave_edges_to_the_graph_commands(
        git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", "def helper():\n    return 1\n\n\ndef caller():\n    return helper()\n")
    git_repo.commit("initial")
    first = json.loads(run_cli("index", "--json", cwd=git_repo.root).stdout)
    assert first["edges"] >= 1 and first["resolve_seconds"] > 0
    git_repo.write("a.py", "def helper():\n    return 1\n\n\ndef other():\n    return 2\n\n\n"
                           "def caller():\n    return other()\n")
    # a symbol query re-parses the file but does not pay for re-resolving calls
    proc = run_cli("at", "a.py:10", "--json", cwd=git_repo.root)
    assert json.loads(proc.stdout)["symbol"]["qualname"] == "a.caller"
    conn = sqlite3.connect(db_path(find_repo(git_repo.root)))
    assert dict(conn.execute("SELECT key, value FROM meta"))["edges_fresh"] == "0"
    conn.close()
    # the graph command resolves the stale edges before answering
    proc = run_cli("callees", "a.caller", "--json", cwd=git_repo.root)
    names = [c["symbol"]["qualname"] for c in json.loads(proc.stdout)["callees"]]
    assert names == ["a.other"]


def test_file_names_that_are_not_utf8_are_counted_as_skipped(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", "def a():\n    pass\n")
    (git_repo.root / os.fsdecode(b"raw\xff\xfename.py")).write_bytes(b"def b():\n    pass\n")
    git_repo.commit("initial")
    stats = api.index(str(git_repo.root))
    assert stats.files == 1 and stats.skipped.get("undecodable-name") == 1
    again = api.index(str(git_repo.root))  # the no-change refresh says so too
    assert again.skipped.get("undecodable-name") == 1


def test_codemap_index_prepares_the_names_find_reads(git_repo: GitRepoBuilder, monkeypatch) -> None:
    """The first ``find`` after ``codemap index`` reads the names cache the index built;
    a refresh that wrote nothing leaves the cache as it was."""
    from codemap.index import search

    git_repo.write("app.py", APP)
    git_repo.commit("initial")
    old = time.time() - 60  # not written in the clock tick of the index (re-read if it were)
    os.utime(git_repo.root / "app.py", (old, old))
    api.index(str(git_repo.root))
    cache = db_path(find_repo(git_repo.root)).parent / search.CACHE_NAME
    assert cache.is_file()
    stamp = cache.stat().st_mtime_ns

    def no_build(conn):
        raise AssertionError("find rebuilt the names cache")

    monkeypatch.setattr(search.Names, "build", classmethod(lambda cls, conn: no_build(conn)))
    assert [m.symbol.qualname for m in api.find("helper", repo_path=str(git_repo.root)).matches][0] \
        == "app.helper"
    api.index(str(git_repo.root))  # nothing changed: nothing rebuilt
    assert cache.stat().st_mtime_ns == stamp
