"""pytest's reports of failing doctests, made by running pytest --doctest-modules on a
real repository: the exception is the one the example raised (not doctest's
``UnexpectedException`` wrapper), its frames start at the example's line, the test is
named by its node id, and a wrong output is no exception type at all.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from codemap import api
from codemap.traces.detect import find_traces
from tests.conftest import GitRepoBuilder

MODULE = '''\
def f(n):
    """
    >>> f(0)
    1
    """
    if n:
        u = 1
    return u


def g(n):
    """Doubles.

    >>> g(2)
    5
    >>> g(3)
    7
    """
    return n * 2


def h(key):
    """
    >>> h("x")
    Traceback (most recent call last):
    ...
    KeyError: 'y'
    """
    return {}[key]
'''

NOTES = """\
Some prose.

>>> from pkg.m import f
>>> f(0)
1
"""

UNBOUND = "cannot access local variable 'u' where it is not associated with a value"


@pytest.fixture
def repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("pkg/__init__.py", "")
    git_repo.write("pkg/m.py", MODULE)
    git_repo.write("notes.txt", NOTES)
    git_repo.commit("doctests")
    return git_repo


def _pytest(repo: GitRepoBuilder, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(PYTHONDONTWRITEBYTECODE="1", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts=",
         "--doctest-modules", "--doctest-glob=*.txt", *args],
        cwd=repo.root, env=env, capture_output=True, text=True, timeout=120)
    assert "FAILURES" in proc.stdout, proc.stdout + proc.stderr
    return proc.stdout


def _frames(exc: object) -> list[tuple[str | None, int | None, str | None]]:
    return [(f.path, f.line, f.symbol.name if f.symbol else None)
            for f in exc.frames]  # type: ignore[attr-defined]


def test_unexpected_exception_is_the_exception_the_example_raised(repo: GitRepoBuilder) -> None:
    if sys.version_info < (3, 11):
        pytest.skip("the UnboundLocalError message is Python 3.11's")
    out = _pytest(repo, "pkg/m.py::pkg.m.f", "notes.txt")
    report = api.trace(out, str(repo.root))
    by_test = {e.extras["test"]: e for e in report.exceptions}
    assert set(by_test) == {"notes.txt::notes.txt", "pkg/m.py::pkg.m.f"}
    module = by_test["pkg/m.py::pkg.m.f"]
    assert (module.type, module.message, module.format) == ("UnboundLocalError", UNBOUND,
                                                            "pytest")
    # the example's line in the docstring (doctest's own frames dropped), then the raise
    assert _frames(module) == [("pkg/m.py", 3, "f"), ("pkg/m.py", 8, "f")]
    assert [e.frames[0].source for t in find_traces(out) for e in t.exceptions] == [
        ">>> f(0)", ">>> f(0)"]
    text = by_test["notes.txt::notes.txt"]
    assert text.type == "UnboundLocalError"
    assert [(f.path, f.line) for f in text.frames] == [("notes.txt", 4), ("pkg/m.py", 8)]


def test_wrong_output_has_no_exception_type(repo: GitRepoBuilder) -> None:
    out = _pytest(repo, "pkg/m.py::pkg.m.g", "--doctest-continue-on-failure")
    report = api.trace(out, str(repo.root))
    assert [(e.type, e.message, _frames(e)) for e in report.exceptions] == [
        (None, "Expected:\n    5\nGot:\n    4", [("pkg/m.py", 14, "g")]),
        (None, "Expected:\n    7\nGot:\n    6", [("pkg/m.py", 16, "g")]),
    ]
    assert {e.extras["test"] for e in report.exceptions} == {"pkg/m.py::pkg.m.g"}


@pytest.mark.parametrize("style", ["udiff", "ndiff", "cdiff", "none"])
def test_wrong_exception_is_the_exception_the_example_got(repo: GitRepoBuilder,
                                                          style: str) -> None:
    out = _pytest(repo, "pkg/m.py::pkg.m.h", f"--doctest-report={style}")
    [exc] = api.trace(out, str(repo.root)).exceptions
    assert (exc.type, exc.message, exc.extras["test"]) == ("KeyError", "'x'",
                                                           "pkg/m.py::pkg.m.h")
    assert _frames(exc) == [("pkg/m.py", 24, "h"), ("pkg/m.py", 29, "h")]
