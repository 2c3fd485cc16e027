"""``@typing.overload`` declarations never run: a call of an overloaded function or method
is a call of its implementation alone, no edge goes to a stub, and a SYMBOL naming
them all names the implementation."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import GitRepoBuilder

SHAPES = '''\
from __future__ import annotations

import typing
from typing import overload


@overload
def area(shape: int) -> int: ...
@overload
def area(shape: str) -> str: ...
def area(shape):
    return _measure(shape)


def _measure(shape):
    return shape


class Canvas:
    @typing.overload
    def draw(self, x: int) -> None: ...
    @typing.overload
    def draw(self, x: str) -> None: ...
    def draw(self, x):
        return area(x)


def conditional(flag):
    if flag:
        def pick():
            return 1
    else:
        def pick():
            return 2
    return pick()
'''

USE = '''\
from shapes import Canvas, area


def main():
    Canvas().draw(1)
    return area(2)
'''


def _codemap(root, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-m", "codemap", *args, "--json"], cwd=root,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _callers(root, target: str) -> list[tuple[str, int, str]]:
    answer = _codemap(root, "callers", target)
    return sorted((c["symbol"]["qualname"], c["line"], c["confidence"])
                  for c in answer["callers"])


def test_calls_reach_the_implementation_not_the_stubs(git_repo: GitRepoBuilder) -> None:
    git_repo.write("shapes.py", SHAPES)
    git_repo.write("use.py", USE)
    git_repo.commit("overloads")
    root = git_repo.root
    assert _callers(root, "shapes.py:11") == [("shapes.Canvas.draw", 25, "exact"),
                                              ("use.main", 6, "exact")]
    assert _callers(root, "shapes.py:24") == [("use.main", 5, "likely")]  # (an inferred type)
    for stub in ("shapes.py:7", "shapes.py:9", "shapes.py:20", "shapes.py:22"):
        assert _callers(root, stub) == []
    # the qualname names the implementation alone (not a list of 3 to choose from)
    assert _codemap(root, "callers", "shapes.area")["symbol"]["start_line"] == 11
    assert _codemap(root, "callers", "Canvas.draw")["symbol"]["start_line"] == 24


def test_definitions_without_stubs_all_stay(git_repo: GitRepoBuilder) -> None:
    """Two conditional definitions of a name (no stub among them) are both candidates."""
    git_repo.write("shapes.py", SHAPES)
    git_repo.commit("conditional")
    answer = subprocess.run([sys.executable, "-m", "codemap", "callers",
                             "shapes.conditional.pick"], cwd=git_repo.root,
                            capture_output=True, text=True)
    assert answer.returncode == 0 and "matches 2 symbols" in answer.stdout
    assert _callers(git_repo.root, "shapes.py:30")[0][0] == "shapes.conditional"
    assert _callers(git_repo.root, "shapes.py:33")[0][0] == "shapes.conditional"
