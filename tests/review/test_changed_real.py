"""Changed-symbol lists on real release history, checked against ``git diff``.

The expected lists come from :mod:`tests.review.expected` (hunks read from
``git diff -U0`` text and symbol ranges of both versions), not from
codemap.review's diff parsing or pairing code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemap.index.service import open_index
from codemap.repo import find_repo
from codemap.review import build_review
from tests.review.expected import actual_rows, expected_changes, git


def test_each_click_release_matches_git_diff(click_history: tuple[Path, list[str]]) -> None:
    root, shas = click_history
    repo = find_repo(root)
    total = 0
    for base, head in zip(shas, shas[1:]):
        result = build_review(repo, f"{base}..{head}")
        expected = expected_changes(root, base, head)
        assert actual_rows(result.changed) == expected, (base[:8], head[:8])
        total += len(expected)
        assert result.base == base and result.head == head
    assert total > 20  # the releases really changed code


def test_whole_click_range_matches_git_diff(click_history: tuple[Path, list[str]]) -> None:
    root, shas = click_history
    result = build_review(find_repo(root), f"{shas[0]}..{shas[-1]}")
    expected = expected_changes(root, shas[0], shas[-1])
    assert actual_rows(result.changed) == expected
    kinds = {row[0] for row in expected}
    assert kinds >= {"added", "modified"}
    assert len(result.commits) == len(shas) - 1
    # every file the diff names is listed, with git's own line counts
    numstat = git(root, "diff", "--numstat", "-M", shas[0], shas[-1]).decode().splitlines()
    counts = {line.split("\t")[-1]: (line.split("\t")[0], line.split("\t")[1]) for line in numstat}
    listed = {f.path: (str(f.lines_added), str(f.lines_removed)) for f in result.files}
    for path, (plus, minus) in counts.items():
        if "=>" in path or plus == "-":
            continue
        assert listed[path] == (plus, minus), path


def test_three_dot_range_uses_the_merge_base(click_history: tuple[Path, list[str]]) -> None:
    root, shas = click_history
    repo = find_repo(root)
    two = build_review(repo, f"{shas[1]}..{shas[3]}")
    three = build_review(repo, f"{shas[1]}...{shas[3]}")  # linear history: same merge base
    assert actual_rows(two.changed) == actual_rows(three.changed)
    assert three.merge_base and three.base == shas[1]


@pytest.mark.slow
def test_fifty_commit_range_matches_git_diff(  # speed: benchmarks/tour_review_bench.py
        big_history: tuple[Path, list[str]]) -> None:
    root, shas = big_history
    base, head = shas[0], shas[-1]
    repo = find_repo(root)
    assert int(git(root, "rev-list", "--count", f"{base}..{head}")) == 50
    assert len(git(root, "ls-files").splitlines()) >= 1000
    open_index(repo)  # warm index
    build_review(repo, f"{base}..{head}")  # warm git caches (blame of the touched files)
    result = build_review(repo, f"{base}..{head}")  # again, from the caches
    assert actual_rows(result.changed) == expected_changes(root, base, head)
    assert len(result.changed) > 200
    assert len(result.commits) == 50
