"""A repository git refuses to read (its safe.directory check: owned by another user).

git itself refuses here: ``GIT_TEST_ASSUME_DIFFERENT_OWNER`` is git's own switch
for testing that check (a real chown needs root). codemap must not read an
empty answer as "no commits" or "no history", must not override the check (a
foreign ``.git/config`` can name commands git would run), and must say what
happened and how to trust the repository, once, in one line.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder


@pytest.fixture
def refused(git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> GitRepoBuilder:
    git_repo.write("app/calc.py", "def ratio(a, b):\n    return a / b\n")
    git_repo.commit("calc")
    git_repo.write("app/calc.py", "def ratio(a, b):\n    return a / (b or 1)\n")
    git_repo.commit("guard")
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")
    monkeypatch.chdir(git_repo.root)
    return git_repo


@pytest.mark.parametrize("args", [["who", "app/calc.py:2"], ["review", "HEAD~1..HEAD"],
                                  ["history", "app/calc.py"]])
def test_history_commands_say_git_refused_and_how_to_trust_it(refused: GitRepoBuilder,
                                                              args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    out = result.output.strip()
    assert "git refuses to read" in out and "safe.directory" in out, out
    assert str(refused.root) in out and "no commits" not in out
    assert "Traceback" not in out and len(out.splitlines()) == 1


def test_what_needs_no_history_still_works(refused: GitRepoBuilder) -> None:
    runner = CliRunner()
    at = runner.invoke(cli, ["at", "app/calc.py:2", "--json"])
    assert at.exit_code == 0, at.output
    assert json.loads(at.output)["symbol"]["name"] == "ratio"
    tour = runner.invoke(cli, ["tour", "--json"])
    assert tour.exit_code == 0, tour.output
    notes = json.loads(tour.output)["notes"]
    assert any("git refuses to read" in n for n in notes)
