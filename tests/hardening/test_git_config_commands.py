"""A repository's own git configuration never makes codemap run a command.

A repository received as a directory or an archive (not cloned) brings its
``.git/config``, which can name commands git runs: an fsmonitor hook, textconv
filters and external diff drivers for the files a ``diff`` attribute marks, and
clean filters for the working-tree files a ``filter`` attribute marks.
Each command below would leave a marker file; plain ``git`` shows that they
do run (so the test would catch codemap running them), and codemap's every
command must leave none.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder


@pytest.fixture
def rigged(git_repo: GitRepoBuilder, tmp_path: Path) -> tuple[GitRepoBuilder, Path]:
    marks = tmp_path / "marks"
    marks.mkdir()
    git_repo.write("app/calc.py", "def ratio(a, b):\n    return a / b\n")
    git_repo.write(".gitattributes", "*.py diff=rigged filter=rigged\n")
    git_repo.commit("calc")
    git_repo.write("app/calc.py", "def ratio(a, b):\n    return a / (b or 1)\n")
    git_repo.commit("guard")
    git_repo.git("config", "diff.rigged.textconv", f"touch {marks}/textconv; cat")
    git_repo.git("config", "diff.rigged.command", f"touch {marks}/extdiff; true")
    git_repo.git("config", "core.fsmonitor", f"touch {marks}/fsmonitor; true")
    git_repo.git("config", "filter.rigged.clean", f"touch {marks}/clean; cat")
    # an edit not committed: blame and diff read the working-tree file through its filter
    git_repo.write("app/calc.py", "def ratio(a, b):\n    return a / (b or 1)\n# todo\n")
    return git_repo, marks


def test_plain_git_runs_them(rigged: tuple[GitRepoBuilder, Path]) -> None:
    repo, marks = rigged
    env = {**os.environ, "GIT_PAGER": "cat"}
    for args in (["log", "-p", "-1"], ["diff", "HEAD~1"], ["blame", "app/calc.py"], ["status"]):
        subprocess.run(["git", *args], cwd=repo.root, env=env, capture_output=True, check=True)
    assert {p.name for p in marks.iterdir()} >= {"textconv", "extdiff", "fsmonitor", "clean"}


def test_codemap_runs_none_of_them(rigged: tuple[GitRepoBuilder, Path],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    repo, marks = rigged
    monkeypatch.chdir(repo.root)
    trace = ('Traceback (most recent call last):\n'
             f'  File "{repo.root}/app/calc.py", line 2, in ratio\n'
             '    return a / (b or 1)\n'
             'ZeroDivisionError: division by zero\n')
    runner = CliRunner()
    for args in (["index"], ["who", "app/calc.py:2"], ["history", "app/calc.py"],
                 ["show", "HEAD"], ["review", "HEAD~1..HEAD"], ["tour"], ["trace", "-"]):
        result = runner.invoke(cli, args, input=trace if args == ["trace", "-"] else None)
        assert result.exit_code == 0, (args, result.output)
    assert list(marks.iterdir()) == []
