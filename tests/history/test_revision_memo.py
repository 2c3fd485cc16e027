"""The per-process memory of commits and of paths' last revisions (codemap.history.linelog):
answers must be the ones git gives path by path, and a trace must ask git far less."""

from __future__ import annotations

import pytest

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
