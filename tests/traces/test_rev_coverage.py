"""``codemap trace --rev`` with coverage data: the data was recorded on the working tree,
so a frame of the deployed revision shows the coverage of the line it became at HEAD,
and a line deleted since shows none."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, write_rc
from tests.traces.test_cli_trace import APP_V1, CALC
from tests.traces.test_cli_trace import APP_V2 as APP_V2_RENAMED

# the deployed app and its next version, as test_cli_trace's (calc.py keeps its name here)
APP_V2 = APP_V2_RENAMED.replace("shop.maths", "shop.calc")

CALC_V1 = CALC
CALC_V2 = "# a\n# b\n# c\n" + CALC_V1  # the same function, three lines down

TESTS = """\
from shop.calc import helper


def test_helper():
    assert helper(5) == 2
"""


def test_a_frame_of_the_deployed_revision_shows_the_coverage_of_its_line_at_head(
        git_repo: GitRepoBuilder, tmp_path) -> None:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/app.py", APP_V1)
    git_repo.write("shop/calc.py", CALC_V1)
    v1 = git_repo.commit("v1")
    crashed = subprocess.run([sys.executable, "-m", "shop.app"], cwd=git_repo.root,
                             capture_output=True, text=True,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    trace = crashed.stderr
    assert "ZeroDivisionError" in trace
    git_repo.write("shop/app.py", APP_V2)
    git_repo.write("shop/calc.py", CALC_V2)
    git_repo.write("tests/test_calc.py", TESTS)
    git_repo.commit("v2: legacy() gone, a header on calc.py, a test")
    data = tmp_path / "cov.data"
    rc = write_rc(tmp_path / "covrc", data, context="test_function", source="shop")
    coverage_run(git_repo.root, rc, "tests")

    out = CliRunner().invoke(cli, ["trace", "-", "--repo", str(git_repo.root), "--json",
                                   "--rev", v1, "--coverage", str(data)], input=trace)
    assert out.exit_code == 0, out.output
    frames = {f["function"]: f for f in json.loads(out.output)["exceptions"][0]["frames"]
              if f["in_repo"]}
    helper = frames["helper"]
    assert (helper["line"], helper["head_line"], helper["head_status"]) == (2, 5, "moved")
    assert helper["coverage"]["covered"] is True  # line 5 at HEAD: the test runs it
    assert any("test_helper" in test for test in helper["coverage"]["tests"])
    legacy = frames["legacy"]
    assert legacy["head_status"] == "deleted"
    assert legacy.get("coverage") is None  # nothing at HEAD to have run
