"""Blame against plain ``git blame`` on real release history, and its edge cases."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from codemap.errors import InputError, UsageError
from codemap.history import blame as blame_mod
from codemap.history.blame import blame_file, blame_line, blame_lines, reblame_parent
from codemap.history.commits import NULL_SHA
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder


def git_blame_rows(root: Path, *args: str) -> list[tuple[str, str, int, int]]:
    """(sha, original path, original line, final line) per line from plain git blame."""
    out = subprocess.run(["git", "blame", "-l", "-s", "-n", "-f", *args], cwd=root,
                         capture_output=True, check=True).stdout.decode("utf-8", "replace")
    every = subprocess.run(["git", "rev-list", "--all"], cwd=root, capture_output=True,
                           check=True).stdout.decode().split()
    rows = []
    for line in out.splitlines():
        head = line.split(")", 1)[0]
        sha, path, orig, final = head.split()[:4]
        if sha.startswith("^"):  # boundary commits are shown as ^ + 39 hex digits
            sha = next((s for s in every if s.startswith(sha[1:])), sha[1:])
        rows.append((sha, path, int(orig), int(final)))
    return rows


def authors(root: Path, shas: set[str]) -> dict[str, tuple[str, str, str]]:
    out = subprocess.run(["git", "log", "--no-walk", "--format=%H%x00%aN%x00%aE%x00%aI", *shas],
                         cwd=root, capture_output=True, check=True).stdout.decode()
    rows = [line.split("\0") for line in out.splitlines()]
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def assert_same_as_git(root: Path, lines, *git_args: str) -> None:
    rows = git_blame_rows(root, *git_args)
    assert [(bl.sha, bl.orig_path, bl.orig_line, bl.line) for bl in lines] == rows
    people = authors(root, {r[0] for r in rows})
    for bl in lines:
        assert (bl.author, bl.email, bl.date) == people[bl.sha]


def test_blame_matches_git_blame_on_real_history(six_history):
    root, shas = six_history
    lines = blame_file(find_repo(root), "six.py")
    assert len(lines) > 900
    assert_same_as_git(root, lines, "--", "six.py")
    # the five releases each own some lines, the oldest the most
    owners = {bl.sha for bl in lines}
    assert shas[0] in owners and shas[-1] in owners
    assert all(not bl.ai and bl.ai_sources == () for bl in lines)


def test_blame_at_an_older_revision_and_range(six_history):
    root, shas = six_history
    repo = find_repo(root)
    lines = blame_file(repo, "six.py", rev=shas[2], start=40, end=60)
    assert [bl.line for bl in lines] == list(range(40, 61))
    assert_same_as_git(root, lines, "-L", "40,60", shas[2], "--", "six.py")
    with pytest.raises(UsageError, match="lines"):
        blame_file(repo, "six.py", start=5000, end=5001)


def test_repeated_blame_is_served_from_the_cache(six_history, monkeypatch):
    root, _ = six_history
    repo = find_repo(root)
    first = blame_file(repo, "test_six.py")

    def no_blame(*args, **kwargs):
        raise AssertionError("git blame ran again")

    monkeypatch.setattr(blame_mod, "run_blames", no_blame)
    assert blame_file(repo, "test_six.py") == first
    assert blame_lines(repo, "test_six.py", [3, 10])[10] == first[9]


def test_blame_line_is_the_last_commit_of_a_trace_frame(six_history):
    root, shas = six_history
    repo = find_repo(root)
    rows = git_blame_rows(root, "-L", "25,25", "--", "six.py")
    ref = blame_line(repo, "six.py", 25)
    assert ref is not None and ref.sha == rows[0][0]
    people = authors(root, {ref.sha})
    assert (ref.author, ref.email, ref.date) == people[ref.sha]
    assert ref.summary.startswith("Release six")
    assert blame_line(repo, "six.py", 100_000) is None


def test_mailmap_is_applied_like_git_blame(six_copy: GitRepoBuilder):
    six_copy.write(".mailmap", "Ada L. <ada.l@example.org> Ada Lovelace <ada@example.com>\n")
    six_copy.commit("Add a mailmap", author="Grace Hopper <grace@example.com>")
    lines = blame_file(find_repo(six_copy.root), "six.py")
    assert "Ada L." in {bl.author for bl in lines}
    assert "ada.l@example.org" in {bl.email for bl in lines}
    assert "Ada Lovelace" not in {bl.author for bl in lines}
    assert_same_as_git(six_copy.root, lines, "--", "six.py")


def _reformat_commit(builder: GitRepoBuilder) -> str:
    path = builder.root / "six.py"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    ", "\t"), encoding="utf-8")  # a whitespace-only sweep
    return builder.commit("Reformat: tabs", author="Ken Thompson <ken@example.com>")


def test_git_blame_ignore_revs_file_is_honoured(six_copy: GitRepoBuilder):
    sweep = _reformat_commit(six_copy)
    repo = find_repo(six_copy.root)
    assert sum(bl.sha == sweep for bl in blame_file(repo, "six.py")) > 500
    six_copy.write(".git-blame-ignore-revs", f"# formatting\n{sweep}\n")
    six_copy.commit("Ignore the sweep in blame")
    lines = blame_file(repo, "six.py")
    # git passes the ignored commit's lines on to earlier commits where it can
    assert sum(bl.sha == sweep for bl in lines) < 100
    assert_same_as_git(six_copy.root, lines, "--ignore-revs-file", ".git-blame-ignore-revs",
                       "--", "six.py")


def test_blame_ignore_revs_file_setting_is_honoured(six_copy: GitRepoBuilder):
    sweep = _reformat_commit(six_copy)
    (six_copy.root / ".git" / "skip-revs").write_text(sweep + "\n")
    six_copy.git("config", "blame.ignoreRevsFile", ".git/skip-revs")
    lines = blame_file(find_repo(six_copy.root), "six.py")
    assert sum(bl.sha == sweep for bl in lines) < 100
    assert_same_as_git(six_copy.root, lines, "--", "six.py")


def test_unusable_ignore_revs_file_does_not_break_blame(six_copy: GitRepoBuilder):
    six_copy.write(".git-blame-ignore-revs", "not-a-sha\n")
    six_copy.commit("A broken ignore list")
    lines = blame_file(find_repo(six_copy.root), "six.py")
    assert_same_as_git(six_copy.root, lines, "--", "six.py")


def test_detect_moves_follows_a_moved_block(six_copy: GitRepoBuilder):
    path = six_copy.root / "six.py"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    block = lines[100:130]
    moved = lines[:100] + lines[130:] + block
    path.write_text("".join(moved), encoding="utf-8")
    mover = six_copy.commit("Move a block to the end", author="Alan Turing <alan@example.com>")
    repo = find_repo(six_copy.root)
    plain = blame_file(repo, "six.py")
    with_moves = blame_file(repo, "six.py", detect_moves=True)
    tail = slice(len(moved) - 30, len(moved))
    assert {bl.sha for bl in plain[tail]} == {mover}
    assert mover not in {bl.sha for bl in with_moves[tail]}
    assert_same_as_git(six_copy.root, with_moves, "-M", "--", "six.py")
    copies = blame_file(repo, "six.py", detect_copies=True)
    assert_same_as_git(six_copy.root, copies, "-C", "--", "six.py")


def test_reblame_parent_walks_a_line_back(six_history):
    root, shas = six_history
    repo = find_repo(root)
    newest = next(bl for bl in blame_file(repo, "six.py") if bl.sha == shas[-1]
                  and bl.previous is not None)
    parent = reblame_parent(repo, newest)
    assert parent is not None
    assert parent.rev == shas[-2] and parent.path == "six.py"
    assert_same_as_git(root, parent.lines, shas[-2], "--", "six.py")
    assert 1 <= parent.line <= len(parent.lines)
    oldest = next(bl for bl in blame_file(repo, "six.py") if bl.sha == shas[0])
    assert reblame_parent(repo, oldest) is None  # the file was created there


def test_uncommitted_lines(six_copy: GitRepoBuilder):
    path = six_copy.root / "six.py"
    path.write_text("# a local edit\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    repo = find_repo(six_copy.root)
    lines = blame_file(repo, "six.py")
    assert lines[0].uncommitted and lines[0].sha == NULL_SHA
    assert not lines[1].uncommitted
    assert blame_line(repo, "six.py", 1) is None


def test_shallow_clone_flags_truncated_history(six_history, tmp_path):
    root, shas = six_history
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{root}", str(clone)],
                   check=True, capture_output=True)
    lines = blame_file(find_repo(clone), "six.py")
    truncated = [bl for bl in lines if bl.truncated]
    assert truncated and all(bl.sha == shas[-2] and bl.boundary for bl in truncated)
    assert all(not bl.truncated for bl in lines if bl.sha == shas[-1])
    ref = blame_line(find_repo(clone), "six.py", truncated[0].line)
    assert ref is not None and ref.truncated


def test_detached_head(six_copy: GitRepoBuilder, six_history):
    _, shas = six_history
    six_copy.git("checkout", "-q", "--detach", shas[1])
    lines = blame_file(find_repo(six_copy.root), "six.py")
    assert {bl.sha for bl in lines} <= set(shas[:2])
    assert_same_as_git(six_copy.root, lines, "--", "six.py")


def test_renamed_file_keeps_its_history(six_copy: GitRepoBuilder, six_history):
    _, shas = six_history
    six_copy.git("mv", "six.py", "sixer.py")
    renamer = six_copy.commit("Rename six.py")
    lines = blame_file(find_repo(six_copy.root), "sixer.py")
    assert renamer not in {bl.sha for bl in lines}
    assert {bl.orig_path for bl in lines} == {"six.py"}
    assert_same_as_git(six_copy.root, lines, "--", "sixer.py")


def test_binary_deleted_and_submodule_paths_are_clear_errors(git_repo: GitRepoBuilder,
                                                             tmp_path):
    git_repo.write("logo.png", b"\x89PNG\r\n\x1a\n\0\0\0binary")
    git_repo.write("gone.py", "x = 1\n")
    git_repo.write("keep.py", "y = 2\n")
    git_repo.commit("Add files")
    git_repo.remove("gone.py")
    git_repo.commit("Remove gone.py")
    sub = GitRepoBuilder(tmp_path / "sub")
    sub.write("inner.py", "z = 3\n")
    sub.commit("Inner")
    git_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root),
                 "vendored")
    git_repo.commit("Add a submodule")
    repo = find_repo(git_repo.root)
    with pytest.raises(InputError, match="binary"):
        blame_file(repo, "logo.png")
    with pytest.raises(InputError, match="deleted in [0-9a-f]+ \"Remove gone.py\""):
        blame_file(repo, "gone.py")
    assert [bl.line for bl in blame_file(repo, "gone.py", rev="HEAD~2")] == [1]
    with pytest.raises(InputError, match="submodule"):
        blame_file(repo, "vendored")
    with pytest.raises(InputError, match="submodule"):
        blame_file(repo, "vendored/inner.py")
    with pytest.raises(InputError, match="not in git"):
        git_repo.write("new.py", "untracked = True\n")
        blame_file(repo, "new.py")


def test_paths_git_quotes_are_unquoted(git_repo: GitRepoBuilder):
    names = ['we"ird\tname.py', "naïve file.py", "back\\slash.py"]
    for i, name in enumerate(names):
        git_repo.write(name, f"a = {i}\nb = {i * 2}\nname = {name!r}\n")
    first = git_repo.commit("Odd names")
    for name in names:
        git_repo.git("mv", name, "moved-" + name)
    git_repo.commit("Rename them")
    repo = find_repo(git_repo.root)
    for name in names:
        lines = blame_file(repo, "moved-" + name)
        assert [(bl.sha, bl.orig_path) for bl in lines] == [(first, name)] * 3


def test_corrupt_cache_is_rebuilt_and_said(git_repo: GitRepoBuilder):
    from click.testing import CliRunner

    from codemap.cache import cache_dir
    from codemap.cli.main import cli
    from codemap.history import store

    git_repo.write("a.py", "x = 1\n")
    git_repo.commit("Add")
    repo = find_repo(git_repo.root)
    (cache_dir(repo) / store.FILE_NAME).write_bytes(b"this is not a database" * 100)
    store._stores.clear()
    result = CliRunner().invoke(cli, ["who", "a.py", "--repo", str(git_repo.root)])
    assert result.exit_code == 0
    assert "history cache was unreadable; it has been rebuilt" in result.stderr
    store._stores.clear()
    assert blame_file(repo, "a.py")[0].line == 1
    assert not store.history_store(repo).rebuilt


def test_missing_ignore_revs_file_setting_is_a_clear_error(git_repo: GitRepoBuilder):
    from codemap.errors import GitError

    git_repo.write("a.py", "x = 1\n")
    git_repo.commit("Add")
    git_repo.git("config", "blame.ignoreRevsFile", ".no-such-file")
    with pytest.raises(GitError, match=r"\.no-such-file\): fix or unset the blame.ignoreRevsFile"):
        blame_file(find_repo(git_repo.root), "a.py")
