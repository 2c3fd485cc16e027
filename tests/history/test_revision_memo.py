"""The per-process memory of commits and of paths' last revisions (codemap.history.linelog):
answers must be the ones git gives path by path, and a trace must ask git far less."""

from __future__ import annotations

import pytest

from codemap.errors import UsageError
from codemap.history import linelog
from codemap.repo import find_repo


@pytest.fixture
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linelog, "_COMMITS", set())
    monkeypatch.setattr(linelog, "_LAST_WITH", {})


def test_batched_existence_answers_like_one_probe_per_path(git_repo, fresh_memo) -> None:
    git_repo.write("keep.py", "a = 1\n")
    git_repo.write("gone.py", "b = 1\n")
    git_repo.write("dir with space/x.py", "c = 1\n")
    git_repo.commit("first")
    git_repo.git("rm", "-q", "gone.py")
    git_repo.commit("delete gone.py")
    repo = find_repo(str(git_repo.root))
    head = linelog.start_revision(repo, None)
    paths = ["keep.py", "gone.py", "dir with space/x.py", "never.py"]
    one_by_one = {p: linelog.last_revision_with(repo, p, head) for p in paths}
    assert one_by_one["keep.py"] == head and one_by_one["never.py"] is None
    assert one_by_one["gone.py"] not in (None, head)  # the parent of the deleting commit
    linelog._LAST_WITH.clear()
    linelog.prefetch_last_revisions(repo, paths, head)
    # only the paths present at head were answered by the batch
    assert {p for (_r, _c, p) in linelog._LAST_WITH} == {"keep.py", "dir with space/x.py"}
    assert {p: linelog.last_revision_with(repo, p, head) for p in paths} == one_by_one


def test_a_name_that_is_not_a_verified_commit_is_always_asked(git_repo, fresh_memo) -> None:
    git_repo.write("a.py", "a = 1\n")
    git_repo.commit("first")
    repo = find_repo(str(git_repo.root))
    first = linelog.start_revision(repo, None)
    git_repo.write("a.py", "a = 2\n")
    git_repo.commit("second")
    # HEAD moved: a name is resolved again, only the sha it gave is remembered
    second = linelog.start_revision(repo, None)
    assert second != first and linelog.start_revision(repo, "HEAD") == second
    assert linelog._COMMITS == {first, second}


def test_head_is_read_without_starting_git(git_repo, fresh_memo, monkeypatch) -> None:
    from codemap.history import git as git_mod

    git_repo.write("a.py", "a = 1\n")
    sha = git_repo.commit("first")
    repo = find_repo(str(git_repo.root))

    def no_git(*args, **kwargs):
        raise AssertionError("started git")

    monkeypatch.setattr(git_mod.GitProcess, "__init__", no_git)
    assert linelog.start_revision(repo, None) == sha


def _line_log_args(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    from codemap.history import store

    monkeypatch.setattr(linelog, "history_store", lambda repo: store.HistoryStore(None))
    started: list[list[str]] = []
    real = linelog.call_git

    def record(repo, args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(list(args))
        return real(repo, args, **kwargs)

    monkeypatch.setattr(linelog, "call_git", record)
    return started


def _changes(changes: list[linelog.Change]) -> list[tuple[object, ...]]:
    return [(c.commit, c.lines_changed, c.hunks) for c in changes]


def test_a_root_commit_line_history_skips_rename_detection_with_the_same_answer(
        git_repo, fresh_memo, monkeypatch) -> None:
    for k in range(6):
        git_repo.write(f"pkg/m{k}.py", "".join(f"v{j} = {j}\n" for j in range(20)))
    root = git_repo.commit("import everything")
    repo = find_repo(str(git_repo.root))
    started = _line_log_args(monkeypatch)
    plain = linelog.range_history(repo, "pkg/m3.py", 4, 9, limit=30)  # nothing learnt yet
    assert "--no-renames" not in started[-1]
    linelog.prefetch_last_revisions(repo, ["pkg/m3.py"], linelog.start_revision(repo, None))
    from codemap.history import snapshot

    assert snapshot.is_root(repo, root) is True
    fast = linelog.range_history(repo, "pkg/m3.py", 4, 9, limit=30)
    assert "--no-renames" in started[-1]
    assert _changes(fast) == _changes(plain)
    assert [c.commit.sha for c in fast] == [root] and fast[0].lines_changed == 6


def test_later_commits_keep_following_renames(git_repo, fresh_memo, monkeypatch) -> None:
    git_repo.write("old.py", "".join(f"v{j} = {j}\n" for j in range(20)))
    first = git_repo.commit("first")
    git_repo.git("mv", "old.py", "new.py")
    git_repo.commit("rename")
    git_repo.write("new.py", (git_repo.root / "new.py").read_text().replace("v5 = 5", "v5 = 50"))
    git_repo.commit("edit")
    repo = find_repo(str(git_repo.root))
    started = _line_log_args(monkeypatch)
    head = linelog.start_revision(repo, None)
    linelog.prefetch_last_revisions(repo, ["new.py"], head)
    changes = linelog.range_history(repo, "new.py", 4, 8, limit=30)
    assert "--no-renames" not in started[-1]
    assert changes[-1].commit.sha == first  # followed through the rename


def test_ranges_at_a_root_commit_are_read_with_one_process_and_the_same_answers(
        git_repo, fresh_memo, monkeypatch, tmp_path) -> None:
    from codemap.history import snapshot, store

    names = ["pkg/a.py", "pkg/b.py", 'pkg/we"ird\tname.py', "pkg/c.py"]
    for k, name in enumerate(names):
        git_repo.write(name, "".join(f"v{j} = {j + k}\n" for j in range(30)))
    git_repo.commit("import")
    repo = find_repo(str(git_repo.root))
    ranges = [("pkg/a.py", 3, 8), ("pkg/b.py", 10, 12), (names[2], 1, 30), ("pkg/c.py", 40, 50),
              ("pkg/a.py", 20, 25)]  # c.py: past the end; a.py twice
    head = linelog.start_revision(repo, None)
    linelog.prefetch_last_revisions(repo, [p for p, _s, _e in ranges], head)
    assert snapshot.is_root(repo, head)
    asked: list[list[str]] = []
    real = linelog.call_git

    def record(repo, args, **kwargs):  # type: ignore[no-untyped-def]
        asked.append(list(args))
        return real(repo, args, **kwargs)

    monkeypatch.setattr(linelog, "call_git", record)
    linelog.prefetch_root_ranges(repo, ranges, limit=30)
    # first round: a, b, weird and c together (refused for c, so again without it);
    # second round: a.py's other range alone, left to range_history
    assert [sum(a.startswith("-L") for a in args) for args in asked] == [4, 3]
    asked.clear()
    cached = {(p, s, e): _changes(linelog.range_history(repo, p, s, e, limit=30))
              for p, s, e in ranges[:3]}
    assert asked == []  # all three from the cache
    monkeypatch.setattr(linelog, "history_store", lambda repo: store.HistoryStore(None))
    alone = {(p, s, e): _changes(linelog.range_history(repo, p, s, e, limit=30))
             for p, s, e in ranges[:3]}
    assert cached == alone
    assert [c[1] for c in cached[(names[2], 1, 30)]] == [30]
    with pytest.raises(UsageError, match="has only 30 lines"):
        linelog.range_history(repo, "pkg/c.py", 40, 50, limit=30)


def test_ranges_elsewhere_are_left_to_one_process_each(git_repo, fresh_memo, monkeypatch) -> None:
    git_repo.write("a.py", "a = 1\n" * 10)
    git_repo.write("b.py", "b = 1\n" * 10)
    git_repo.commit("first")
    git_repo.write("a.py", "a = 2\n" * 10)
    git_repo.commit("second")
    repo = find_repo(str(git_repo.root))
    head = linelog.start_revision(repo, None)
    linelog.prefetch_last_revisions(repo, ["a.py", "b.py"], head)
    monkeypatch.setattr(linelog, "call_git", lambda *a, **k: pytest.fail("git ran"))
    linelog.prefetch_root_ranges(repo, [("a.py", 1, 3), ("b.py", 1, 3)], limit=30)
