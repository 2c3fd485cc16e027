"""Context names as pytest-cov and coverage.py record them -> test ids.

The shapes of the names are those the live runs in test_coveragepy.py record;
here the corner cases: parameters, static prefixes, rootdir below the
repository root, modules imported under a shorter name.
"""

from __future__ import annotations

import pytest

from codemap.coverage.contexts import TestNamer

FILES = ["src/app/core.py", "src/app/__init__.py", "tests/test_core.py", "tests/__init__.py",
         "tests/unit/test_views.py", "web/tests/test_views.py", "python/tests/test_api.py"]


@pytest.mark.parametrize(("context", "expected"), [
    ("", None),
    ("tests/test_core.py::test_add|run", "tests/test_core.py::test_add"),
    ("tests/test_core.py::test_add|setup", "tests/test_core.py::test_add"),
    ("tests/test_core.py::TestX::test_y[a|b-1]|teardown", "tests/test_core.py::TestX::test_y[a|b-1]"),
    ("py312|tests/test_core.py::test_add|run", "tests/test_core.py::test_add"),
    ("tests/test_api.py::test_get|run", "python/tests/test_api.py::test_get"),  # rootdir python/
    ("tests.test_core.test_add", "tests/test_core.py::test_add"),
    ("tests.test_core.TestCore.test_add", "tests/test_core.py::TestCore::test_add"),
    ("test_core.test_add", "tests/test_core.py::test_add"),  # rootdir-relative import
    ("tests.unit.test_views.test_index", "tests/unit/test_views.py::test_index"),
    ("ci|tests.test_core.test_add", "tests/test_core.py::test_add"),
    ("nightly", "nightly"),
    ("test_views.test_index", "test_views.test_index"),  # two test_views.py: kept as recorded
    ("unknown.module.test_x", "unknown.module.test_x"),
])
def test_names(context: str, expected: str | None) -> None:
    assert TestNamer(FILES).name(context) == expected


def test_names_are_sorted_and_unique() -> None:
    namer = TestNamer(FILES)
    assert namer.names(["tests/test_core.py::b|run", "tests/test_core.py::b|setup", "",
                        "tests/test_core.py::a|run"]) == ["tests/test_core.py::a",
                                                          "tests/test_core.py::b"]
