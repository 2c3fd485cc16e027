"""``codemap coverage`` through the CLI: the contract's JSON, the human table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.cmd_coverage import line_ranges
from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, geometry_project, run_python, write_rc


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitRepoBuilder, Path]:
    """One recorded run shared by the read-only CLI tests of this module."""
    base = tmp_path_factory.mktemp("cli")
    repo = geometry_project(GitRepoBuilder(base / "repo"))
    data = base / "out" / ".coverage"
    data.parent.mkdir()
    coverage_run(repo.root, write_rc(base / "rc", data, context="test_function"), "tests")
    return repo, data


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, ["coverage", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_json_has_the_contract_fields(measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    doc = json.loads(_run("pkg/geometry.py", "--repo", str(repo.root), "--coverage", str(data),
                          "--json"))
    rows = {r["symbol"]["qualname"]: r for r in doc["symbols"]}
    area = rows["pkg.geometry.area"]
    for key, kind in (("statements", int), ("covered", int), ("percent", float),
                      ("missing_lines", list), ("tests", list)):
        assert isinstance(area[key], kind), key
    assert area["symbol"]["id"] == "pkg/geometry.py:5"
    assert area["missing_lines"] == [10]
    assert area["percent"] == 80.0
    assert area["tests"] == ["tests/test_geometry.py::TestRegistry::test_total",
                             "tests/test_geometry.py::test_square"]
    assert area["branches"]["missing"] == ["8->10"]
    assert {line["line"] for line in area["lines"]} == {6, 7, 8, 9, 10}
    assert doc["files"][0]["path"] == "pkg/geometry.py"
    assert doc["sources"][0]["format"] == "coverage.py"


def test_symbol_and_line_targets(measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    base = ["--repo", str(repo.root), "--coverage", str(data), "--json"]
    doc = json.loads(_run("pkg.geometry.Registry", *base))
    names = [r["symbol"]["qualname"] for r in doc["symbols"]]
    assert names[0] == "pkg.geometry.Registry"
    assert "pkg.geometry.Registry.total.one" in names
    doc = json.loads(_run("pkg/geometry.py:9", *base))
    assert doc["range"]["statements"] == 1 and doc["range"]["covered"] == 1
    assert doc["range"]["tests"] == ["tests/test_geometry.py::test_square"]
    assert [r["symbol"]["qualname"] for r in doc["symbols"]] == ["pkg.geometry.area"]


def test_human_table(measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    out = _run("pkg/geometry.py", "--repo", str(repo.root), "--coverage", str(data))
    line = next(ln for ln in out.splitlines() if "pkg.geometry.unused" in ln)
    assert "  0.0%" in line and "|  14  |" in line
    area = next(ln for ln in out.splitlines() if "pkg.geometry.area " in ln)
    assert " 80.0%" in area and "[branches 3/4]" in area
    assert "tests/test_geometry.py::TestRegistry::test_total" in area
    assert out.splitlines()[0].startswith("data: ")


def test_every_file_without_target(measured: tuple[GitRepoBuilder, Path]) -> None:
    repo, data = measured
    doc = json.loads(_run("--repo", str(repo.root), "--coverage", str(data), "--json"))
    assert {f["path"] for f in doc["files"]} == {"pkg/__init__.py", "pkg/geometry.py"}
    assert all(r["lines"] is None for r in doc["symbols"])


def test_untrusted_names_are_inert(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    data = tmp_path / ".coverage"
    rc = write_rc(tmp_path / "rc", data)
    run_python(["-m", "coverage", "run", f"--rcfile={rc}", "--context=evil\x1b[2J\x07", "-m",
                "pytest", "-q", "-p", "no:cacheprovider", "tests"], geometry_repo.root)
    lcov = tmp_path / "other.lcov"
    lcov.write_text("SF:/ci/\x1b]0;pwned\x07.py\nDA:1,1\nend_of_record\n")
    for args in (["pkg/geometry.py", "--coverage", str(data)], ["--coverage", str(lcov)]):
        result = CliRunner().invoke(cli, ["coverage", *args, "--repo", str(geometry_repo.root)])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
    assert "not in the repository: /ci/\\e]0;pwned\\x07.py" in result.stdout
    out = CliRunner().invoke(cli, ["coverage", "pkg/geometry.py", "--repo",
                                   str(geometry_repo.root), "--coverage", str(data)]).stdout
    assert "evil\\e[2J\\x07" in out
    doc = json.loads(CliRunner().invoke(cli, ["coverage", "pkg/geometry.py", "--repo",
                                              str(geometry_repo.root), "--coverage", str(data),
                                              "--json"]).stdout)
    assert "evil\x1b[2J\x07" in doc["symbols"][0]["tests"]  # JSON keeps it verbatim


def test_line_ranges() -> None:
    assert line_ranges([3, 4, 5, 9, 11, 12]) == "3-5, 9, 11-12"
    assert line_ranges([]) == ""
    assert line_ranges([7]) == "7"
