"""Helpers for the coverage tests: fixture projects and real coverage.py runs.

Coverage data for Python is always made live, by running the project's tests
under coverage.py in a subprocess; data files are written outside the
repository unless a test is about finding them there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GitRepoBuilder

FIXTURES = Path(__file__).parent / "fixtures"

GEOMETRY = '''\
"""Geometry helpers."""
import math


def area(shape):
    if shape["kind"] == "circle":
        return math.pi * shape["r"] ** 2
    if shape["kind"] == "square":
        return shape["side"] ** 2
    raise ValueError(shape["kind"])


def unused(x):
    return x * 2


class Registry:
    def __init__(self):
        self.items = []

    def add(self, shape):
        self.items.append(shape)
        return self

    def total(self):
        def one(s):
            return area(s)
        return sum(one(s) for s in self.items)

    def largest(self):  # pragma: no cover
        return max(self.items, key=area)
'''

TESTS = '''\
from pkg.geometry import Registry, area


def test_square():
    assert area({"kind": "square", "side": 2}) == 4


class TestRegistry:
    def test_total(self):
        r = Registry().add({"kind": "circle", "r": 1})
        assert r.total() > 3
'''


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python: no inherited coverage/pytest settings, and no
    pytest plugins unless asked for with ``-p`` (loading them all costs seconds)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("COVERAGE_", "PYTEST_", "COV_CORE_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # the child runs a tiny suite: no plugins
    env.update(extra)
    return env


def run_python(args: list[str], cwd: Path, timeout: float = 600,
               **env: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True,
                          env=clean_env(**env), timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"{args} failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n"
                             f"{proc.stderr[-3000:]}")
    return proc


def write_rc(path: Path, data_file: Path, *, branch: bool = True, context: str | None = None,
             source: str = "pkg", extra: str = "") -> Path:
    lines = ["[run]", f"branch = {branch}", f"source = {source}", f"data_file = {data_file}"]
    if context:
        lines.append(f"dynamic_context = {context}")
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def coverage_run(repo: Path, rc: Path, *test_args: str) -> None:
    """``coverage run -m pytest`` in ``repo`` with the rcfile ``rc``."""
    run_python(["-m", "coverage", "run", f"--rcfile={rc}", "-m", "pytest", "-q",
                "-p", "no:cacheprovider", "-p", "no:randomly", *test_args], repo)


def geometry_project(repo: GitRepoBuilder) -> GitRepoBuilder:
    """Write and commit a small Python project with tests."""
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/geometry.py", GEOMETRY)
    repo.write("tests/__init__.py", "")
    repo.write("tests/test_geometry.py", TESTS)
    repo.commit("geometry")
    return repo


@pytest.fixture
def geometry_repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    """A small Python project with tests, committed."""
    return geometry_project(git_repo)
