"""A real package's own test suite under coverage.py, compared with coverage.py's JSON report.

For every function region that ``coverage json`` reports, codemap's
statements, covered lines and missing lines (and branch totals) must be
equal, read from ``.coverage`` (with ``dynamic_context = test_function``),
from ``coverage xml`` and from ``coverage lcov`` of the same run.

The package is ``smmap``, installed here as a dependency of GitPython
(so the test needs no network), copied with its tests into a real git
repository. ``more-itertools`` is added when ``pip download`` can fetch
its sdist (it has nested functions, decorators, properties and overloads).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from codemap.coverage.service import coverage_report
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import clean_env, coverage_run, run_python, write_rc

pytestmark = pytest.mark.slow


@dataclass
class Run:
    repo: Path
    json: dict
    data: Path
    xml: Path
    lcov: Path


def _record(root: Path, out: Path, source: str, tests: str) -> Run:
    builder = GitRepoBuilder(root)
    builder.commit("import the package and its tests")
    rc = write_rc(out / "rc", out / ".coverage", context="test_function", source=source)
    coverage_run(root, rc, tests)
    for cmd, target in (("json", out / "cov.json"), ("xml", out / "cov.xml"),
                        ("lcov", out / "cov.lcov")):
        extra = ["--show-contexts"] if cmd == "json" else []
        run_python(["-m", "coverage", cmd, f"--rcfile={rc}", "-o", str(target), *extra], root)
    return Run(root, json.loads((out / "cov.json").read_text()), out / ".coverage",
               out / "cov.xml", out / "cov.lcov")


@pytest.fixture(scope="module")
def smmap_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    import smmap

    base = tmp_path_factory.mktemp("smmap")
    root = base / "repo"
    root.mkdir()
    shutil.copytree(Path(smmap.__file__).parent, root / "smmap",
                    ignore=shutil.ignore_patterns("__pycache__"))
    out = base / "out"
    out.mkdir()
    return _record(root, out, "smmap", "smmap/test")


@pytest.fixture(scope="module")
def more_itertools_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("mi")
    proc = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                           ":all:", "more-itertools==10.5.0", "-d", str(base), "-q"],
                          capture_output=True, text=True, env=clean_env(), timeout=300)
    sdists = list(base.glob("more_itertools-*.tar.gz")) + list(base.glob("more-itertools-*.tar.gz"))
    if proc.returncode != 0 or not sdists:
        pytest.skip(f"cannot download more-itertools: {proc.stderr.strip()[-200:]}")
    with tarfile.open(sdists[0]) as tar:
        try:
            tar.extractall(base, filter="data")
        except TypeError:  # Python without extraction filters (< 3.10.12 / 3.11.4)
            tar.extractall(base)  # noqa: S202 - a PyPI sdist we just downloaded
    src = next(p for p in base.iterdir() if p.is_dir() and p.name.startswith("more"))
    root = base / "repo"
    root.mkdir()
    shutil.copytree(src / "more_itertools", root / "more_itertools")
    shutil.copytree(src / "tests", root / "tests")
    out = base / "out"
    out.mkdir()
    return _record(root, out, "more_itertools", "tests")


def _compare(run: Run, data_file: Path, *, contexts: bool) -> int:
    report = coverage_report(find_repo(run.repo), None, coverage_file=str(data_file))
    checked = 0
    problems: list[str] = []
    for path, fdata in run.json["files"].items():
        ours = [r for r in report.symbols
                if r.symbol.path == path and r.symbol.kind in ("function", "method")]
        for name, fn in fdata["functions"].items():
            if not name:
                continue
            start = fn["start_line"]
            last = name.split("@")[0].rsplit(".", 1)[-1]
            matches = sorted((r for r in ours if r.symbol.name == last
                              and r.symbol.start_line <= start <= r.symbol.end_line),
                             key=lambda r: r.symbol.start_line, reverse=True)
            if not matches:
                problems.append(f"{path}: no symbol for {name} (line {start})")
                continue
            row = matches[0]
            summary = fn["summary"]
            want = (summary["num_statements"], summary["covered_lines"], fn["missing_lines"],
                    summary["num_branches"], summary["covered_branches"])
            got = (row.statements, row.covered, row.missing_lines,
                   row.branches.total if row.branches else 0,
                   row.branches.covered if row.branches else 0)
            if want != got:
                problems.append(f"{path}:{name}: coverage.py {want} != codemap {got}")
            if contexts and row.covered:
                assert row.tests, f"{name} ran but has no tests"
            checked += 1
    assert not problems, "\n".join(problems[:20])
    file_totals = {f.path: f for f in report.files}
    for path, fdata in run.json["files"].items():
        assert file_totals[path].statements == fdata["summary"]["num_statements"]
        assert file_totals[path].missing_lines == fdata["missing_lines"]
    return checked


@pytest.mark.parametrize("kind", ["data", "xml", "lcov"])
def test_smmap_functions_match_coverage_json(smmap_run: Run, kind: str) -> None:
    checked = _compare(smmap_run, getattr(smmap_run, kind), contexts=kind == "data")
    assert checked >= 60


def test_smmap_tests_are_node_ids(smmap_run: Run) -> None:
    report = coverage_report(find_repo(smmap_run.repo), "smmap/util.py",
                             coverage_file=str(smmap_run.data))
    tests = {t for row in report.symbols for t in row.tests}
    assert tests
    for test in tests:
        path, sep, rest = test.partition("::")
        assert sep and (smmap_run.repo / path).is_file(), test
        assert rest.split("::")[-1].startswith("test"), test


@pytest.mark.parametrize("kind", ["data", "xml", "lcov"])
def test_more_itertools_functions_match_coverage_json(more_itertools_run: Run, kind: str) -> None:
    checked = _compare(more_itertools_run, getattr(more_itertools_run, kind),
                       contexts=kind == "data")
    assert checked >= 200
