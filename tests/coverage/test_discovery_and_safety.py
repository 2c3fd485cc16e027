"""Finding data in the usual places, choosing between exports of one run, staleness
signals, and proof that nothing is written into the repository."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
from pathlib import Path

from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.coverage.discover import discover
from codemap.coverage.service import coverage_report, load_coverage
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import FIXTURES, coverage_run, run_python, write_rc


def _tree(root: Path) -> dict[str, tuple[int, int, str]]:
    out = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == ".git" or not path.is_file():
            continue
        st = path.stat()
        out[rel.as_posix()] = (st.st_size, st.st_mtime_ns,
                               hashlib.sha1(path.read_bytes()).hexdigest())
    return out


def test_nothing_is_written_into_the_repository(geometry_repo: GitRepoBuilder,
                                                tmp_path: Path) -> None:
    root = geometry_repo.root
    rc = write_rc(tmp_path / "rc", root / ".coverage", context="test_function")
    coverage_run(root, rc, "tests")
    run_python(["-m", "coverage", "xml", f"--rcfile={rc}", "-o", str(root / "coverage.xml")], root)
    before = _tree(root)
    repo = find_repo(root)
    report = coverage_report(repo, None)
    assert report.symbols
    cov = load_coverage(repo)
    assert cov is not None and cov.line("pkg/geometry.py", 9).covered
    result = CliRunner().invoke(cli, ["coverage", "pkg/geometry.py", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    assert _tree(root) == before


def test_exports_of_one_run_prefer_coverage_py(geometry_repo: GitRepoBuilder,
                                               tmp_path: Path) -> None:
    root = geometry_repo.root
    rc = write_rc(tmp_path / "rc", root / ".coverage", context="test_function")
    coverage_run(root, rc, "tests")
    run_python(["-m", "coverage", "lcov", f"--rcfile={rc}", "-o", str(root / "lcov.info")], root)
    report = coverage_report(find_repo(root), "pkg/geometry.py")
    assert {s.format for s in report.sources} == {"coverage.py", "lcov"}
    assert report.files[0].format == "coverage.py"  # the richer export of the same run
    assert any(row.tests for row in report.symbols)


def test_newer_data_wins_over_an_old_export(geometry_repo: GitRepoBuilder,
                                            tmp_path: Path) -> None:
    root = geometry_repo.root
    old = root / "lcov.info"
    old.write_text("SF:pkg/geometry.py\nDA:6,0\nDA:7,0\nend_of_record\n")
    stamp = dt.datetime.now().timestamp() - 3600
    os.utime(old, (stamp, stamp))
    rc = write_rc(tmp_path / "rc", root / ".coverage")
    coverage_run(root, rc, "tests")
    report = coverage_report(find_repo(root), "pkg/geometry.py")
    assert report.files[0].format == "coverage.py"
    os.utime(old, (stamp + 7200, stamp + 7200))  # now the LCOV file is the newer run
    report = coverage_report(find_repo(root), "pkg/geometry.py")
    assert report.files[0].format == "lcov"
    assert report.files[0].statements == 2


def test_usual_locations_in_a_monorepo(git_repo: GitRepoBuilder) -> None:
    for rel in ("src/shapes.js", "test.js"):
        git_repo.write(f"frontend/{rel}", (FIXTURES / "js" / rel).read_bytes())
        git_repo.write(f"admin/{rel}", (FIXTURES / "js" / rel).read_bytes())
    git_repo.commit("two front ends", date="2025-06-01T10:00:00+00:00")
    target = git_repo.root / "frontend/coverage/lcov.info"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "js/nyc/lcov.info", target)  # names "src/shapes.js"
    found = discover(git_repo.root)
    assert [d.paths for d in found] == [(target,)]
    report = coverage_report(find_repo(git_repo.root), None)
    assert [f.path for f in report.files] == ["frontend/src/shapes.js"]


def test_generic_names_are_used_only_when_they_hold_coverage(git_repo: GitRepoBuilder) -> None:
    git_repo.write("shapes/shapes.go", (FIXTURES / "go/shapes/shapes.go").read_bytes())
    git_repo.write("go.mod", (FIXTURES / "go/go.mod").read_bytes())
    git_repo.write("coverage.txt", (FIXTURES / "go/cover.out").read_bytes())
    git_repo.write("c.out", "this is a compiled binary, honest\n")
    git_repo.commit("go", date="2025-06-01T10:00:00+00:00")
    cov = load_coverage(find_repo(git_repo.root))
    assert cov is not None
    assert cov.paths() == ["shapes/shapes.go"]
    assert cov.warnings == []


def test_parallel_files_are_read_together(geometry_repo: GitRepoBuilder, tmp_path: Path) -> None:
    root = geometry_repo.root
    rc = write_rc(tmp_path / "rc", root / ".coverage", extra="parallel = True\n")
    coverage_run(root, rc, "tests/test_geometry.py::test_square")
    coverage_run(root, rc, "tests/test_geometry.py::TestRegistry")
    assert not (root / ".coverage").exists()
    found = discover(root)
    assert len(found) == 1 and len(found[0].paths) == 2
    cov = load_coverage(find_repo(root))
    assert cov is not None
    assert cov.line("pkg/geometry.py", 7).covered and cov.line("pkg/geometry.py", 9).covered


def test_commit_after_the_data_makes_a_file_stale(geometry_repo: GitRepoBuilder,
                                                  tmp_path: Path) -> None:
    data = tmp_path / ".coverage"
    coverage_run(geometry_repo.root, write_rc(tmp_path / "rc", data), "tests")
    repo = find_repo(geometry_repo.root)
    assert not coverage_report(repo, "pkg/geometry.py", coverage_file=str(data)).files[0].stale
    later = dt.datetime.fromtimestamp(data.stat().st_mtime + 3600, dt.timezone.utc)
    geometry_repo.write("pkg/geometry.py",
                        (geometry_repo.root / "pkg/geometry.py").read_text() + "\n# more\n")
    sha = geometry_repo.commit("later change", date=later.isoformat())
    report = coverage_report(repo, "pkg/geometry.py", coverage_file=str(data))
    assert report.files[0].stale
    assert f"changed by commit {sha[:12]}" in report.files[0].stale_reasons[0]
    cov = load_coverage(repo, str(data))
    assert cov is not None
    stale = cov.stale("pkg/geometry.py")
    assert stale is not None and stale.stale
    assert cov.stale("tests/test_geometry.py") is None  # not measured


def test_outside_git_the_modification_time_counts(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "pkg").mkdir(parents=True)
    (root / "tests").mkdir()
    from tests.coverage.conftest import GEOMETRY, TESTS

    (root / "pkg/__init__.py").write_text("")
    (root / "pkg/geometry.py").write_text(GEOMETRY)
    (root / "tests/__init__.py").write_text("")
    (root / "tests/test_geometry.py").write_text(TESTS)
    data = tmp_path / ".coverage"
    coverage_run(root, write_rc(tmp_path / "rc", data), "tests")
    cov = load_coverage(find_repo(root), str(data))
    assert cov is not None
    assert not cov.stale("pkg/geometry.py").stale  # type: ignore[union-attr]
    later = data.stat().st_mtime + 120
    os.utime(root / "pkg/geometry.py", (later, later))
    cov = load_coverage(find_repo(root), str(data))
    assert cov is not None
    reasons = cov.stale("pkg/geometry.py").reasons  # type: ignore[union-attr]
    assert reasons and "modified after the coverage data was recorded" in reasons[0]
