"""Endpoint mode's per-node coverage is the same before and after the index opens."""

from __future__ import annotations

from codemap.index.service import open_index
from codemap.repo import find_repo
from codemap.tui import calls
from codemap.tui.session import Session
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import FIXTURES
from tests.coverage.test_formats import _repo_from


def test_a_symbols_coverage_does_not_wait_for_the_index_to_be_right(
        git_repo: GitRepoBuilder) -> None:
    """nyc's LCOV of a JavaScript file (fixtures/README.md) whose Registry.total holds a
    nested function: the nested function's lines are its own, index open or not."""
    _repo_from(git_repo, "js")
    data = str(FIXTURES / "js/nyc/lcov.info")
    repo = find_repo(git_repo.root)
    reader = open_index(repo)
    syms = {s.qualname.rsplit(":", 1)[-1]: s for s in reader.symbols_in_file("src/shapes.js")}
    early = Session(repo, coverage_file=data)  # no index reader yet: the UI's first seconds
    late = Session(repo, coverage_file=data)
    late.set_reader(reader, ready=True)
    for name in ("Registry.total", "Registry.total.sum", "Registry.largest", "area"):
        before = calls.symbol_coverage(early, syms[name])
        after = calls.symbol_coverage(late, syms[name])
        assert before is not None and after is not None
        assert (before.statements, before.covered, before.missing_lines) == (
            after.statements, after.covered, after.missing_lines), name
