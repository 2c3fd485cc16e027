"""Cobertura, LCOV, JaCoCo and Go data written by the real tools (see fixtures/README.md),
mapped onto repositories built from the same sources and rolled up per symbol."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codemap.coverage.service import coverage_report
from codemap.coverage.sniff import sniff
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import FIXTURES

DATA_PARTS = {"c8", "nyc", "gcovr", "geninfo", "tool"}


def _repo_from(git_repo: GitRepoBuilder, project: str) -> GitRepoBuilder:
    src = FIXTURES / project
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if path.is_dir() or rel.parts[0] in DATA_PARTS or path.suffix in (".xml", ".out"):
            continue
        git_repo.write(rel.as_posix(), path.read_bytes())
    git_repo.commit(f"{project} sources", date="2025-06-01T10:00:00+00:00")
    return git_repo


def _rows(report) -> dict:
    return {row.symbol.qualname.rsplit(":", 1)[-1]: row for row in report.symbols}


@pytest.mark.parametrize(("data", "fmt"), [
    ("js/nyc/lcov.info", "lcov"), ("js/nyc/cobertura-coverage.xml", "cobertura"),
    ("js/c8/lcov.info", "lcov"), ("js/c8/cobertura-coverage.xml", "cobertura"),
    ("c/gcovr/coverage.xml", "cobertura"), ("c/gcovr/coverage.lcov", "lcov"),
    ("c/geninfo/lcov.info", "lcov"), ("java/jacoco.xml", "jacoco"), ("go/cover.out", "go"),
])
def test_format_is_sniffed_from_content(data: str, fmt: str, tmp_path: Path) -> None:
    assert sniff(FIXTURES / data) == fmt
    renamed = tmp_path / "whatever.dat"
    shutil.copy(FIXTURES / data, renamed)
    assert sniff(renamed) == fmt


@pytest.mark.parametrize("data", ["js/nyc/lcov.info", "js/nyc/cobertura-coverage.xml"])
def test_istanbul_lcov_and_cobertura_agree(git_repo: GitRepoBuilder, data: str) -> None:
    _repo_from(git_repo, "js")
    report = coverage_report(find_repo(git_repo.root), "src/shapes.js",
                             coverage_file=str(FIXTURES / data))
    rows = _rows(report)
    assert (rows["area"].statements, rows["area"].covered, rows["area"].missing_lines) == (5, 4, [10])
    assert rows["area"].branches is not None
    assert (rows["area"].branches.total, rows["area"].branches.covered) == (4, 3)
    largest = rows["Registry.largest"]
    assert (largest.statements, largest.covered) == (5, 0)
    assert largest.missing_lines == [31, 32, 33, 34, 37]
    assert rows["Registry.total.sum"].missing_lines == []
    assert not report.files[0].stale
    assert report.files[0].measured_as == "src/shapes.js"


def test_c8_counts_every_line_as_the_tool_does(git_repo: GitRepoBuilder) -> None:
    _repo_from(git_repo, "js")
    report = coverage_report(find_repo(git_repo.root), "src/shapes.js",
                             coverage_file=str(FIXTURES / "js/c8/lcov.info"))
    summary = report.files[0]
    assert (summary.statements, summary.covered) == (41, 32)  # c8's own "Lines 78.04%"
    assert not summary.stale  # blank lines listed by c8 are not taken as a sign of change
    assert _rows(report)["Registry.largest"].missing_lines == list(range(31, 39))


@pytest.mark.parametrize("data", ["c/gcovr/coverage.xml", "c/gcovr/coverage.lcov",
                                  "c/geninfo/lcov.info"])
def test_gcovr_file_figures(git_repo: GitRepoBuilder, data: str) -> None:
    _repo_from(git_repo, "c")
    report = coverage_report(find_repo(git_repo.root), None, coverage_file=str(FIXTURES / data))
    files = {f.path: f for f in report.files}
    calc = files["src/calc.c"]
    # gcovr's own text report: src/calc.c 13 lines, 9 executed, missing 6,11,23,25
    assert (calc.statements, calc.covered, calc.missing_lines) == (13, 9, [6, 11, 23, 25])
    assert calc.branches is not None and (calc.branches.total, calc.branches.covered) == (6, 4)
    assert files["src/main.c"].percent == 100.0
    assert report.unmapped == []


def test_jacoco_package_paths_map_under_the_source_root(git_repo: GitRepoBuilder) -> None:
    _repo_from(git_repo, "java")
    report = coverage_report(find_repo(git_repo.root), None,
                             coverage_file=str(FIXTURES / "java/jacoco.xml"))
    files = {f.path: f for f in report.files}
    geometry = files["src/main/java/com/acme/shapes/Geometry.java"]
    assert geometry.measured_as == "com/acme/shapes/Geometry.java"
    assert geometry.missing_lines == [3, 7, 12, 24]
    rows = _rows(report)
    clamp = rows["com.acme.shapes.Geometry.clamp"]
    assert (clamp.statements, clamp.covered, clamp.missing_lines) == (5, 3, [7, 12])
    assert clamp.branches is not None and (clamp.branches.total, clamp.branches.covered) == (4, 2)
    assert rows["com.acme.shapes.Geometry.neverCalled"].percent == 0.0
    assert rows["com.acme.shapes.Geometry.Counter.bump"].percent == 100.0


def test_go_profile_maps_import_paths_through_go_mod(git_repo: GitRepoBuilder) -> None:
    _repo_from(git_repo, "go")
    report = coverage_report(find_repo(git_repo.root), "shapes/shapes.go",
                             coverage_file=str(FIXTURES / "go/cover.out"))
    summary = report.files[0]
    assert summary.measured_as == "github.com/acme/geo/shapes/shapes.go"
    rows = _rows(report)
    clamp = rows["shapes.Clamp"]
    # blocks 7.17,9.3 and 13.2,13.14 never ran; closing braces are not statements
    assert clamp.missing_lines == [8, 13]
    assert rows["shapes.(*Counter).Get"].covered == 0
    assert rows["shapes.SumTo"].missing_lines == [31]
    detail = {d.line: d for d in rows["shapes.SumTo"].lines or []}
    assert detail[38].hits == 4  # add(i) ran four times (mode: count)


def test_go_module_in_a_subdirectory(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    src = FIXTURES / "go"
    git_repo.write("services/geo/go.mod", (src / "go.mod").read_bytes())
    git_repo.write("services/geo/shapes/shapes.go", (src / "shapes/shapes.go").read_bytes())
    git_repo.write("tools/shapes/shapes.go", (src / "shapes/shapes.go").read_bytes())  # a decoy
    git_repo.commit("monorepo", date="2025-06-01T10:00:00+00:00")
    report = coverage_report(find_repo(git_repo.root), None,
                             coverage_file=str(src / "cover.out"))
    assert [f.path for f in report.files] == ["services/geo/shapes/shapes.go"]
