"""Static endpoints against the route tables Flask, FastAPI and Django build at run time.

The applications are the frameworks' own examples, from the sdists of the
installed versions (downloaded at run time into pytest's cache): Flask's
``examples/`` (the flaskr tutorial, the JavaScript and Celery examples),
FastAPI's ``docs_src`` (every tutorial application that imports here) and
URLconfs of Django's own test suite. The runtime tables are read in a
subprocess (``runtime_routes.py``); the targets are the issue's: at least
95% of runtime routes found with the right method, route and handler, and
no handler reported that is not one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codemap import api
from tests.endpoints.compare import compare, runtime_routes

pytestmark = pytest.mark.slow


def _endpoints(root: Path):
    return api.endpoints(str(root)).endpoints


@pytest.mark.parametrize("example, packages", [
    ("tutorial", ["flaskr"]),
    ("javascript", ["js_example"]),
    ("celery", ["task_app"]),
])
def test_flask_examples(sdist, tmp_path, example, packages):
    pytest.importorskip("flask")
    src = sdist("flask") / "examples" / example
    root = tmp_path / example
    shutil.copytree(src, root)
    base = root / "src" if (root / "src").is_dir() else root
    runtime = runtime_routes("flask", base, *packages)
    if runtime["failed"]:
        pytest.skip(f"the example does not import here: {runtime['failed'][0][:200]}")
    assert runtime["routes"], "the example registers routes"
    endpoints = _endpoints(root)
    prefix = "src/" if base != root else ""
    for r in runtime["routes"]:
        r["file"] = prefix + r["file"]
    runtime["files"] = [prefix + f for f in runtime["files"]]
    report = compare(endpoints, runtime)
    assert report.recall >= 0.95, str(report)
    assert not report.false_handlers, str(report)


def test_fastapi_docs_applications(sdist, tmp_path):
    pytest.importorskip("fastapi")
    root = tmp_path / "docs_src"
    shutil.copytree(sdist("fastapi") / "docs_src", root)
    runtime = runtime_routes("asgi", root)
    assert len(runtime["routes"]) > 200, "most tutorial applications import"
    report = compare(_endpoints(root), runtime)
    assert report.recall >= 0.95, str(report)
    assert not report.false_handlers, str(report)


DJANGO_URLCONFS = [
    ("generic_views.urls", "generic_views"),
    ("urlpatterns_reverse.urls", "urlpatterns_reverse"),
    ("urlpatterns.path_urls", "urlpatterns"),
    ("view_tests.urls", "view_tests"),
    ("admin_docs.urls", "admin_docs"),
]


def test_django_test_suite_urlconfs(sdist, tmp_path):
    pytest.importorskip("django")
    tests = sdist("django") / "tests"
    root = tmp_path / "djtests"
    for _urlconf, app in DJANGO_URLCONFS:
        shutil.copytree(tests / app, root / app)
    endpoints = _endpoints(root)
    total = found = 0
    for urlconf, app in DJANGO_URLCONFS:
        runtime = runtime_routes("django", root, urlconf, app)
        assert runtime["routes"], urlconf
        report = compare(endpoints, runtime)
        assert not report.false_handlers, f"{urlconf}: {report}"
        assert report.recall >= 0.9, f"{urlconf}: {report}"
        total += report.runtime
        found += report.found
    assert found / total >= 0.95, f"{found}/{total}"
