"""coverage.py data made live: statements, branches, contexts -> per symbol and per line."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from codemap.coverage.service import coverage_report, load_coverage
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, run_python, write_rc


def _by_qualname(report) -> dict:
    return {row.symbol.qualname: row for row in report.symbols}


def test_test_function_contexts_become_node_ids(geometry_repo: GitRepoBuilder,
                                                tmp_path: Path) -> None:
    data = tmp_path / "data" / ".coverage"
    data.parent.mkdir()
    rc = write_rc(tmp_path / "rc", data, context="test_function")
    coverage_run(geometry_repo.root, rc, "tests")
    run_python(["-m", "coverage", "json", f"--rcfile={rc}", "-o", str(tmp_path / "cov.json"),
                "--show-contexts"], geometry_repo.root)
    report = coverage_report(find_repo(geometry_repo.root), "pkg/geometry.py",
                             coverage_file=str(data))
    rows = _by_qualname(report)
    expected = json.loads((tmp_path / "cov.json").read_text())["files"]["pkg/geometry.py"]
    for name, fn in expected["functions"].items():
        if not name:
            continue
        row = rows[f"pkg.geometry.{name}"]
        assert (row.statements, row.covered, row.missing_lines) == (
            fn["summary"]["num_statements"], fn["summary"]["covered_lines"], fn["missing_lines"])
    area = rows["pkg.geometry.area"]
    assert area.missing_lines == [10]
    assert area.tests == ["tests/test_geometry.py::TestRegistry::test_total",
                          "tests/test_geometry.py::test_square"]
    assert area.branches is not None and area.branches.total == 4
    assert area.branches.covered == 3 and area.branches.missing == ["8->10"]
    assert rows["pkg.geometry.unused"].percent == 0.0
    assert rows["pkg.geometry.unused"].tests == []
    assert rows["pkg.geometry.Registry.total.one"].tests == [
        "tests/test_geometry.py::TestRegistry::test_total"]
    # excluded by "# pragma: no cover": no statements, nothing to cover
    assert rows["pkg.geometry.Registry.largest"].statements == 0
    assert rows["pkg.geometry.Registry.largest"].percent is None
    # per line, through the loaded set the trace view uses
    cov = load_coverage(find_repo(geometry_repo.root), str(data))
    assert cov is not None
    hit = cov.line("pkg/geometry.py", 9)
    assert hit.covered is True and hit.tests == ["tests/test_geometry.py::test_square"]
    assert cov.line("pkg/geometry.py", 10).covered is False
    assert cov.line("pkg/geometry.py", 10).tests == []
    assert cov.line("pkg/geometry.py", 3).covered is None  # a blank line is no statement
    assert cov.line("pkg/geometry.py", 14).covered is False
    summary = cov.file_summary("pkg/geometry.py")
    assert summary is not None
    assert summary.statements == expected["summary"]["num_statements"]
    assert summary.missing_lines == expected["missing_lines"]


@pytest.mark.skipif(importlib.util.find_spec("pytest_cov") is None,
                    reason="pytest-cov is not installed")
def test_pytest_cov_test_contexts(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    data = tmp_path / "pc" / ".coverage"
    data.parent.mkdir()
    rc = write_rc(tmp_path / "rc", data)
    run_python(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "pytest_cov", "--cov=pkg",
                "--cov-branch",
                f"--cov-config={rc}", "--cov-context=test", "--cov-report=", "tests"],
               geometry_repo.root)
    from coverage import CoverageData

    raw = CoverageData(str(data))
    raw.read()
    assert "tests/test_geometry.py::test_square|run" in raw.measured_contexts()
    cov = load_coverage(find_repo(geometry_repo.root), str(data))
    assert cov is not None
    assert cov.line("pkg/geometry.py", 9).tests == ["tests/test_geometry.py::test_square"]
    # fixture-free setup code ran under "|setup" of no test here; __init__ ran in test_total
    assert cov.line("pkg/geometry.py", 19).tests == [
        "tests/test_geometry.py::TestRegistry::test_total"]


def test_static_context_label_and_parallel_files(geometry_repo: GitRepoBuilder,
                                                 tmp_path: Path) -> None:
    folder = tmp_path / "par"
    folder.mkdir()
    rc = write_rc(tmp_path / "rc", folder / ".coverage", extra="parallel = True\n")
    run_python(["-m", "coverage", "run", f"--rcfile={rc}", "--context=py-unit", "-m", "pytest",
                "-q", "-p", "no:cacheprovider", "tests/test_geometry.py::test_square"],
               geometry_repo.root)
    run_python(["-m", "coverage", "run", f"--rcfile={rc}", "--context=py-int", "-m", "pytest",
                "-q", "-p", "no:cacheprovider", "tests/test_geometry.py::TestRegistry"],
               geometry_repo.root)
    parts = sorted(folder.glob(".coverage.*"))
    assert len(parts) == 2
    from codemap.coverage.coveragepy import read_coveragepy
    from codemap.coverage.loaded import CoverageSet
    from codemap.coverage.pyanalysis import python_rules
    from codemap.index.scan import list_repo_files

    repo = find_repo(geometry_repo.root)
    rec = read_coveragepy(parts, python_rules(repo.root))
    cov = CoverageSet(repo, [rec], list_repo_files(repo))
    assert cov.line("pkg/geometry.py", 9).tests == ["py-unit"]
    assert cov.line("pkg/geometry.py", 7).tests == ["py-int"]
    assert cov.line("pkg/geometry.py", 6).tests == ["py-int", "py-unit"]
    before = {p: p.read_bytes() for p in parts}
    assert sorted(folder.iterdir()) == parts  # nothing combined, nothing added
    assert all(p.read_bytes() == data for p, data in before.items())


def test_multiline_statement_lines_map_to_their_statement(git_repo: GitRepoBuilder,
                                                          tmp_path: Path) -> None:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/calc.py", "def total(a, b):\n    value = (a +\n             b)\n"
                                  "    return value\n")
    git_repo.write("tests/__init__.py", "")
    git_repo.write("tests/test_calc.py", "from pkg.calc import total\n\n\ndef test_total():\n"
                                         "    assert total(1, 2) == 3\n")
    git_repo.commit("calc")
    data = tmp_path / ".coverage"
    rc = write_rc(tmp_path / "rc", data, context="test_function")
    coverage_run(git_repo.root, rc, "tests")
    cov = load_coverage(find_repo(git_repo.root), str(data))
    assert cov is not None
    cont = cov.line("pkg/calc.py", 3)  # the continuation line of "value = (a +"
    assert cont.covered is True
    assert cont.tests == ["tests/test_calc.py::test_total"]


def test_coverage_of_the_installed_package_maps_onto_the_repository(
        git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    """tox-style: the tests ran against the package installed into a virtualenv's
    site-packages, so the data names files there (a library location, but this
    repository's own package, declared by its pyproject.toml)."""
    from tests.coverage.conftest import geometry_project

    git_repo.write("pyproject.toml", '[project]\nname = "geometry-kit"\nversion = "0.1"\n')
    geometry_project(git_repo)
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "pkg").mkdir(parents=True)
    for name in ("__init__.py", "geometry.py"):
        (site / "pkg" / name).write_bytes((git_repo.root / "pkg" / name).read_bytes())
    run_dir = tmp_path / "run"  # not the checkout: the installed copy is what is imported
    (run_dir / "tests").mkdir(parents=True)
    for name in ("__init__.py", "test_geometry.py"):
        (run_dir / "tests" / name).write_bytes((git_repo.root / "tests" / name).read_bytes())
    data = tmp_path / ".coverage"
    rc = write_rc(tmp_path / "rc", data)
    run_python(["-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q",
                "-p", "no:cacheprovider", "tests"], run_dir, PYTHONPATH=str(site))
    assert str(site / "pkg" / "geometry.py") in json.dumps(
        _measured_files(data)), "the data should name the installed copy"

    cov = load_coverage(find_repo(git_repo.root), str(data))
    assert cov is not None
    assert cov.line("pkg/geometry.py", 9).covered is True
    assert cov.line("pkg/geometry.py", 10).covered is False


def _measured_files(data: Path) -> list[str]:
    import coverage

    cov_data = coverage.CoverageData(str(data))
    cov_data.read()
    return sorted(cov_data.measured_files())
