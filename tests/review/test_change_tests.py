"""The tests listed as running a change are the tests that ran its changed lines.

Real repositories, and coverage data made by running their tests under
coverage.py with ``dynamic_context = test_function``.
"""

from __future__ import annotations

from pathlib import Path

from codemap.repo import find_repo
from codemap.review import build_review
from tests.conftest import GitRepoBuilder
from tests.review.covered import covered_change

M = '''def f():
    return 1


def g(x):
    if x:
        return x + 1
    return 0
'''

M_CHANGED = M.replace("def g(x):", "# g is experimental\ndef g(x):").replace(
    "return x + 1", "return x + 2")

TESTS = '''from pkg.m import f, g


def test_f():
    assert f() == 1


def test_zero():
    assert g(0) == 0
'''


def _project(repo: GitRepoBuilder, tmp_path: Path, tests: str, changed: str) -> GitRepoBuilder:
    return covered_change(repo, tmp_path, "m", M, changed, tests)


def test_a_changed_line_no_test_runs_lists_no_test(git_repo: GitRepoBuilder,
                                                   tmp_path: Path) -> None:
    _project(git_repo, tmp_path, TESTS, M_CHANGED)
    result = build_review(find_repo(git_repo.root), "HEAD~1..HEAD")
    d = result.diff_coverage
    assert (d.lines, d.covered) == (1, 0)  # `return x + 2`: test_zero never gets there
    assert result.tests == []  # so no test runs the change, whatever runs nearby
    by = {c.symbol.qualname: c for c in result.changed}
    # g: test_zero runs g (and calls it), but not the changed line
    assert by["pkg.m.g"].tests == [] and by["pkg.m.g"].symbol_tests == []
    # the module only gained a comment: the tests that run module code, kept apart
    module = by["pkg.m"]
    assert module.tests == []
    assert module.symbol_tests and result.symbol_tests == module.symbol_tests
    from click.testing import CliRunner

    from codemap.cli.main import cli

    text = CliRunner().invoke(cli, ["review", "HEAD~1..HEAD", "--repo", str(git_repo.root)]).output
    assert "Tests that run the change (0):" in text
    assert "Tests that run the rest of the changed symbols (" in text


def test_only_the_tests_of_the_changed_lines(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    tests = TESTS + '''

def test_positive():
    assert g(1) == 3
'''
    _project(git_repo, tmp_path, tests, M.replace("return x + 1", "return x + 2"))
    repo = find_repo(git_repo.root)
    result = build_review(repo, "HEAD~1..HEAD")
    assert (result.diff_coverage.lines, result.diff_coverage.covered) == (1, 1)
    g = next(c for c in result.changed if c.symbol.name == "g")
    assert [t.rsplit("::", 1)[-1] for t in g.tests] == ["test_positive"]
    assert [t.rsplit("::", 1)[-1] for t in result.tests] == ["test_positive"]
    assert g.symbol_tests == [] and result.symbol_tests == []

    # without coverage data, the call graph's test callers are what is known
    (git_repo.root / ".coverage").unlink()
    static = build_review(repo, "HEAD~1..HEAD")
    assert {t.rsplit("::", 1)[-1] for t in static.tests} == {"test_zero", "test_positive"}
