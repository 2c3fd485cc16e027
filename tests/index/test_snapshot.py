"""The next query sees every change, although a refresh skips listing when nothing changed.

Each test indexes a real git repository (or a plain directory) twice so the
listing snapshot and the quiet state are in place, changes the working tree
the way a person or a tool would, and checks the next query's answer.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from codemap import api
from codemap.history import git as git_mod
from codemap.index import snapshot
from codemap.index.service import db_path, open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder


def files(root: Path) -> list[str]:
    return open_index(find_repo(root), need_edges=False).files()


def names(root: Path, path: str) -> list[str]:
    return [s.name for s in open_index(find_repo(root), need_edges=False).symbols_in_file(path)]


def settled(git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commit, index, and refresh until the snapshot and quiet state are stored.

    Modification times are pushed back and the ctimes left to age past the
    racy window, so the snapshot is trusted.
    """
    git_repo.commit("initial")
    past = 1_700_000_000
    for dirpath, dirnames, filenames in os.walk(git_repo.root):
        if ".git" in dirnames:
            dirnames.remove(".git")
        for name in [*filenames, *dirnames]:
            os.utime(os.path.join(dirpath, name), (past, past), follow_symlinks=False)
        os.utime(dirpath, (past, past))
    os.utime(git_repo.root / ".git" / "index", (past, past))
    time.sleep(2 * snapshot.RACY_NS / 1e9)  # the ctimes just set are racy until then
    api.index(str(git_repo.root))
    api.index(str(git_repo.root))
    snap = snapshot.load(db_path(find_repo(git_repo.root)).parent)
    assert snap is not None and snap.quiet is not None


@pytest.fixture
def repo(git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> GitRepoBuilder:
    git_repo.write(".gitignore", "build/\n*.log\n")
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/a.py", "def alpha():\n    return 1\n")
    git_repo.write("pkg/b.py", "def beta():\n    return 2\n")
    git_repo.write("build/gen.py", "def generated():\n    pass\n")
    git_repo.write("logs/x.log", "log\n")
    settled(git_repo, monkeypatch)
    return git_repo


def test_nothing_changed_means_no_listing_at_all(repo: GitRepoBuilder,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def no_git(*_a: object, **_k: object) -> list[str]:
        raise AssertionError("git ls-files ran although nothing changed")

    monkeypatch.setattr(git_mod, "list_files", no_git)
    stats = api.index(str(repo.root))
    assert stats.parsed == 0 and stats.reused == 3  # the indexed files (not .gitignore)
    assert files(repo.root) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]


def test_ignored_directories_are_not_watched(repo: GitRepoBuilder) -> None:
    snap = snapshot.load(db_path(find_repo(repo.root)).parent)
    assert snap is not None
    watched = {os.path.relpath(p, repo.root) for p in snap.watched if p.startswith(str(repo.root))}
    assert {".", "pkg", "logs", ".gitignore"} <= watched  # logs/ holds only ignored files
    assert "build" not in watched


def test_edit_of_a_tracked_file_is_seen(repo: GitRepoBuilder) -> None:
    repo.write("pkg/a.py", "def alpha():\n    return 1\n\n\ndef alpha2():\n    return 3\n")
    assert names(repo.root, "pkg/a.py") == ["a", "alpha", "alpha2"]


def test_same_size_edit_in_the_tick_of_the_last_read_is_seen(
        git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(snapshot, "RACY_NS", 3600 * 10**9)  # every recent write counts as racy
    git_repo.write("m.py", "def aaaa():\n    pass\n")
    git_repo.commit("initial")
    api.index(str(git_repo.root))
    path = git_repo.root / "m.py"
    before = path.stat()
    path.write_text("def bbbb():\n    pass\n")  # same size, same inode...
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # ...and the same mtime
    assert names(git_repo.root, "m.py") == ["m", "bbbb"]
    assert names(git_repo.root, "m.py") == ["m", "bbbb"]


def test_untracked_file_added_to_an_existing_directory_is_seen(repo: GitRepoBuilder) -> None:
    repo.write("pkg/c.py", "def gamma():\n    pass\n")
    assert "pkg/c.py" in files(repo.root)


def test_untracked_file_in_a_new_directory_is_seen(repo: GitRepoBuilder) -> None:
    repo.write("newpkg/deep/d.py", "def delta():\n    pass\n")
    assert "newpkg/deep/d.py" in files(repo.root)


def test_file_created_in_a_directory_that_was_empty_is_seen(repo: GitRepoBuilder) -> None:
    (repo.root / "empty" / "inner").mkdir(parents=True)
    time.sleep(2 * snapshot.RACY_NS / 1e9)  # then the listing that follows is kept
    assert "empty" not in "".join(files(repo.root))  # the snapshot now watches empty/inner
    snap = snapshot.load(db_path(find_repo(repo.root)).parent)
    assert snap is not None and str(repo.root / "empty" / "inner") in snap.watched
    repo.write("empty/inner/e.py", "def epsilon():\n    pass\n")
    assert "empty/inner/e.py" in files(repo.root)


def test_file_created_in_a_directory_of_ignored_files_is_seen(repo: GitRepoBuilder) -> None:
    repo.write("logs/tool.py", "def tool():\n    pass\n")
    assert "logs/tool.py" in files(repo.root)


def test_file_created_in_an_ignored_directory_stays_out(repo: GitRepoBuilder) -> None:
    repo.write("build/more.py", "def more():\n    pass\n")
    assert files(repo.root) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]


def test_deleted_tracked_file_is_gone(repo: GitRepoBuilder) -> None:
    repo.remove("pkg/b.py")
    assert files(repo.root) == ["pkg/__init__.py", "pkg/a.py"]
    assert api.find("beta", 5, str(repo.root)).matches == []


def test_renamed_file_moves(repo: GitRepoBuilder) -> None:
    os.rename(repo.root / "pkg" / "b.py", repo.root / "pkg" / "renamed.py")
    assert files(repo.root) == ["pkg/__init__.py", "pkg/a.py", "pkg/renamed.py"]
    assert [m.symbol.path for m in api.find("beta", 5, str(repo.root)).matches] == [
        "pkg/renamed.py"]


def test_renamed_directory_moves(repo: GitRepoBuilder) -> None:
    os.rename(repo.root / "pkg", repo.root / "lib")
    assert files(repo.root) == ["lib/__init__.py", "lib/a.py", "lib/b.py"]


def test_force_added_ignored_file_is_seen(repo: GitRepoBuilder) -> None:
    repo.git("add", "-f", "build/gen.py")
    assert "build/gen.py" in files(repo.root)


def test_gitignore_edit_is_seen_both_ways(repo: GitRepoBuilder) -> None:
    repo.write(".gitignore", "*.log\n")  # build/ no longer ignored
    assert "build/gen.py" in files(repo.root)
    repo.write(".gitignore", "build/\n*.log\npkg/b.py\n")  # b.py is tracked: still listed
    repo.write("pkg/new.py", "def new():\n    pass\n")
    repo.write(".gitignore", "build/\n*.log\npkg/new.py\n")
    assert "pkg/new.py" not in files(repo.root) and "build/gen.py" not in files(repo.root)


def test_info_exclude_edit_is_seen(repo: GitRepoBuilder) -> None:
    repo.write("pkg/local.py", "def local():\n    pass\n")
    assert "pkg/local.py" in files(repo.root)
    (repo.root / ".git" / "info").mkdir(exist_ok=True)
    (repo.root / ".git" / "info" / "exclude").write_text("pkg/local.py\n")
    assert "pkg/local.py" not in files(repo.root)


def test_new_symbol_is_found_after_an_edit(repo: GitRepoBuilder) -> None:
    before = api.find("alphabet_soup", 5, str(repo.root)).matches
    assert all(m.score < 100 for m in before)
    repo.write("pkg/a.py", "def alphabet_soup():\n    return 1\n")
    found = api.find("alphabet_soup", 5, str(repo.root)).matches
    assert [(m.symbol.qualname, m.score) for m in found][:1] == [("pkg.a.alphabet_soup", 100.0)]


@pytest.mark.parametrize("name", [snapshot.FILE_NAME, "names.cache", snapshot.STAMP_NAME])
def test_corrupt_cache_files_are_ignored(repo: GitRepoBuilder, name: str) -> None:
    api.find("alpha", 5, str(repo.root))
    target = db_path(find_repo(repo.root)).parent / name
    target.write_bytes(b"\x00garbage" * 100)
    repo.write("pkg/c.py", "def gamma():\n    pass\n")
    assert [m.symbol.name for m in api.find("gamma", 5, str(repo.root)).matches] == ["gamma"]
    assert "pkg/c.py" in files(repo.root)


def test_outside_git_added_and_ignored_files_are_seen(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "plain"
    (root / "sub").mkdir(parents=True)
    (root / "a.py").write_text("def a():\n    pass\n")
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    past = 1_700_000_000
    for p in (root, root / "sub", root / "a.py"):
        os.utime(p, (past, past))
    time.sleep(2 * snapshot.RACY_NS / 1e9)
    assert files(root) == ["a.py"]
    assert files(root) == ["a.py"]
    (root / "sub" / "b.py").write_text("def b():\n    pass\n")
    assert files(root) == ["a.py", "sub/b.py"]
    (root / "sub" / ".gitignore").write_text("b.py\n")
    assert files(root) == ["a.py"]
    shutil.rmtree(root / "sub")
    (root / "c.py").write_text("def c():\n    pass\n")
    assert files(root) == ["a.py", "c.py"]


def test_linked_worktree_sees_its_own_changes(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    git_repo.write("a.py", "def a():\n    pass\n")
    git_repo.commit("initial")
    tree = tmp_path / "linked"
    git_repo.git("worktree", "add", "-q", str(tree))
    assert files(tree) == ["a.py"]
    time.sleep(2 * snapshot.RACY_NS / 1e9)
    assert files(tree) == ["a.py"]
    snap = snapshot.load(db_path(find_repo(tree)).parent)
    assert snap is not None and str(git_repo.root / ".git" / "worktrees" / "linked" / "index") in (
        snap.watched)
    (tree / "b.py").write_text("def b():\n    pass\n")
    assert files(tree) == ["a.py", "b.py"]
    assert files(git_repo.root) == ["a.py"]


def _resettle(root: Path) -> None:
    """Let the last change age past the racy window, then refresh twice (snapshot + quiet)."""
    time.sleep(2 * snapshot.RACY_NS / 1e9)
    files(root)
    files(root)


def test_directories_read_before_stay_watched_after_an_unrelated_change(
        repo: GitRepoBuilder) -> None:
    repo.write("pkg/c.py", "def gamma():\n    pass\n")  # pkg changes; logs/ does not
    _resettle(repo.root)
    snap = snapshot.load(db_path(find_repo(repo.root)).parent)
    assert snap is not None and str(repo.root / "logs") in snap.watched
    repo.write("logs/tool.py", "def tool():\n    pass\n")
    assert "logs/tool.py" in files(repo.root)


def test_a_new_gitignore_that_unignores_a_deeper_directory_is_seen(
        git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    git_repo.write(".gitignore", "build/\n*.log\n")
    git_repo.write("pkg/a.py", "def a():\n    pass\n")
    git_repo.write("pkg/sub/b.py", "def b():\n    pass\n")
    git_repo.write("pkg/sub/build/out.log", "log\n")  # never listed: build/ holds no listed file
    settled(git_repo, monkeypatch)
    git_repo.write("pkg/.gitignore", "!sub/build/\n")  # pkg/sub itself does not change
    assert files(git_repo.root) == ["pkg/a.py", "pkg/sub/b.py"]
    _resettle(git_repo.root)
    git_repo.write("pkg/sub/build/new.py", "def new():\n    pass\n")
    assert "pkg/sub/build/new.py" in files(git_repo.root)
