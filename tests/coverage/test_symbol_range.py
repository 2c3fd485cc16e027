"""A whole-symbol target reports the same figures in its row and in its line range.

Found on marshmallow 3.23.1: ``codemap coverage marshmallow.fields.Number._validated``
printed the row as 9/10 statements (coverage.py's function region: the body)
and the line range below it as 10/11, because the range also counted the
``def`` line, which runs when the class is defined, not when the method runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, geometry_project, write_rc


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepoBuilder, Path]:
    base = tmp_path_factory.mktemp("symrange")
    repo = geometry_project(GitRepoBuilder(base / "repo"))
    data = base / "out" / ".coverage"
    data.parent.mkdir()
    coverage_run(repo.root, write_rc(base / "rc", data, context="test_function"), "tests")
    return repo, data


def _doc(repo: GitRepoBuilder, data: Path, target: str) -> dict:
    result = CliRunner().invoke(cli, ["coverage", target, "--repo", str(repo.root),
                                      "--coverage", str(data), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_function_range_counts_its_body_like_its_row(
        measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    doc = _doc(repo, data, "pkg.geometry.area")
    row = doc["symbols"][0]
    assert row["symbol"]["qualname"] == "pkg.geometry.area"
    rng = doc["range"]
    assert (rng["statements"], rng["covered"], rng["percent"]) == \
        (row["statements"], row["covered"], row["percent"]) == (5, 4, 80.0)
    assert 5 not in {ln["line"] for ln in rng["lines"]}  # the def line runs at import


def test_method_range_keeps_nested_bodies_and_drops_def_lines(
        measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    doc = _doc(repo, data, "pkg.geometry.Registry.total")
    rows = {r["symbol"]["qualname"]: r for r in doc["symbols"]}
    total, one = rows["pkg.geometry.Registry.total"], rows["pkg.geometry.Registry.total.one"]
    rng = doc["range"]
    assert rng["statements"] == total["statements"] + one["statements"]
    lines = {ln["line"] for ln in rng["lines"]}
    start = total["symbol"]["start_line"]
    assert start not in lines and one["symbol"]["start_line"] in lines  # `def one` runs in total
    assert one["symbol"]["end_line"] in lines


def test_human_output_agrees(measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    result = CliRunner().invoke(cli, ["coverage", "pkg.geometry.area", "--repo", str(repo.root),
                                      "--coverage", str(data)])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    assert any("pkg.geometry.area " in ln and " 80.0%" in ln for ln in out)
    assert any(ln.startswith("lines pkg/geometry.py:5-10: 80.0% (4/5 statements)") for ln in out)
