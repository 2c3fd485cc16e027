"""Routes in the index: roles and anchor facts from the index workers, endpoints composed by
``codemap index``, and a composed answer kept while nothing it read changes.

Each test arranges a real git repository, acts through the library (``api``) and checks
what the index and the endpoint cache hold; composing is observed by making
:func:`codemap.endpoints.compose.compose` fail where it must not run.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from codemap import api
from codemap.endpoints import compose as compose_module
from codemap.endpoints.anchors import ANCHOR, REFERENCE
from codemap.endpoints.facts import extract_routes
from codemap.index.service import db_path
from codemap.repo import find_repo

URLS = '''
from django.urls import include, path
from reports import views

urlpatterns = [
    path("reports/<int:pk>/", views.ReportView.as_view()),
    path("search/", views.search),
]
'''

VIEWS = '''
from django.views.generic import TemplateView


class ReportView(TemplateView):
    template_name = "report.html"


def search(request):
    return request.GET.get("q")
'''

STATS = '''
def summary(rows):
    totals = {}
    for row in rows:
        totals[row["kind"]] = totals.get(row["kind"], 0) + row["n"]
    return totals
'''


def _site(git_repo) -> None:
    git_repo.write("site/__init__.py", "")
    git_repo.write("site/settings.py", 'ROOT_URLCONF = "site.urls"\n')
    git_repo.write("site/urls.py", URLS)
    git_repo.write("reports/__init__.py", "")
    git_repo.write("reports/views.py", VIEWS)
    git_repo.write("reports/stats.py", STATS)
    git_repo.write("static/bundle.js", "var cache = new Map();\nfunction get(k) {\n"
                   "  return cache.get(k);\n}\n")
    git_repo.commit("reports site")


def table(git_repo) -> list[tuple[str, str, str | None]]:
    return [(e.method, e.route, e.handler.qualname if e.handler else None)
            for e in api.endpoints(str(git_repo.root)).endpoints]


def _index_routes(git_repo) -> dict[str, tuple[str, str | None]]:
    conn = sqlite3.connect(db_path(find_repo(git_repo.root)))
    try:
        return {p: (r, f) for p, r, f in conn.execute(
            "SELECT f.path, r.role, r.facts FROM routes r JOIN files f ON f.id = r.file_id")}
    finally:
        conn.close()


@contextmanager
def no_compose() -> Iterator[None]:
    """Composing fails inside the block."""

    def fail(ws):
        raise AssertionError("the endpoints were composed again")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(compose_module, "compose", fail)
        yield


def test_the_index_holds_each_files_role_and_its_anchor_facts(git_repo) -> None:
    _site(git_repo)
    api.index(str(git_repo.root))
    routes = _index_routes(git_repo)
    assert routes["site/urls.py"][0] == ANCHOR
    # the facts the workers extracted from the tree they parsed are a fresh parse's
    data = (git_repo.root / "site/urls.py").read_bytes()
    assert json.loads(routes["site/urls.py"][1]) == extract_routes(data, "python")
    assert routes["reports/views.py"] == (REFERENCE, None)  # read only if a name leads there
    assert routes["reports/stats.py"] == (REFERENCE, None)
    # a script calling .get(key) declares nothing: a reference, never parsed for routes
    assert routes["static/bundle.js"] == (REFERENCE, None)


def test_codemap_index_composes_so_the_first_listing_only_reads(git_repo) -> None:
    _site(git_repo)
    api.index(str(git_repo.root))
    with no_compose():
        assert table(git_repo) == [("GET", "/reports/<int:pk>/", "reports.views.ReportView"),
                                   ("*", "/search/", "reports.views.search")]


def test_an_edit_the_answer_did_not_read_keeps_it_and_others_recompose(git_repo) -> None:
    _site(git_repo)
    first = table(git_repo)
    # nothing leads to stats.py: editing it (index, then list) composes nothing
    git_repo.write("reports/stats.py", STATS + "\n\ndef mean(rows):\n    return 0\n")
    git_repo.commit("a statistic")
    api.index(str(git_repo.root))
    with no_compose():
        assert table(git_repo) == first
    # the views were read (a class view's methods, the handlers' lines): composed again
    git_repo.write("reports/views.py", VIEWS.replace("TemplateView", "FormView"))
    git_repo.commit("reports take a form now")
    assert [row[:2] for row in table(git_repo)] == [
        ("GET", "/reports/<int:pk>/"), ("POST", "/reports/<int:pk>/"),
        ("PUT", "/reports/<int:pk>/"), ("*", "/search/")]
    # a new URL list is a new anchor (and a new module): composed again, and found
    git_repo.write("site/urls.py", URLS.replace(
        'path("search/", views.search),',
        'path("search/", views.search),\n    path("stats/", include("reports.urls")),'))
    git_repo.write("reports/urls.py", 'from django.urls import path\nfrom reports import views\n\n'
                   'urlpatterns = [path("week/", views.search)]\n')
    git_repo.commit("weekly stats")
    assert ("*", "/stats/week/", "reports.views.search") in table(git_repo)
    with no_compose():
        assert ("*", "/stats/week/", "reports.views.search") in table(git_repo)


def test_a_handler_moved_by_an_edit_is_found_where_it_is_now(git_repo) -> None:
    _site(git_repo)
    before = {e.route: e.handler for e in api.endpoints(str(git_repo.root)).endpoints}
    git_repo.write("reports/views.py", "\n\n\n" + VIEWS)
    git_repo.commit("room at the top")
    after = {e.route: e.handler for e in api.endpoints(str(git_repo.root)).endpoints}
    assert after["/search/"].start_line == before["/search/"].start_line + 3


def test_new_route_code_parses_only_the_route_languages_again(git_repo, monkeypatch) -> None:
    _site(git_repo)
    git_repo.write("native/fast.c", "int add(int a, int b) { return a + b; }\n")
    git_repo.commit("native code")
    first = api.index(str(git_repo.root))
    assert api.index(str(git_repo.root)).parsed == 0
    from codemap.endpoints import indexing

    was = indexing.fingerprint
    monkeypatch.setattr(indexing, "fingerprint", lambda lang: was(lang) and "new route code")
    again = api.index(str(git_repo.root))
    assert again.parsed == first.parsed - 1  # all but the C file (C has no routes.scm)


def test_routes_failing_to_compose_do_not_fail_the_index(git_repo, monkeypatch, capsys) -> None:
    _site(git_repo)

    def broken(ws):
        raise RuntimeError("a composer bug")

    monkeypatch.setattr(compose_module, "compose", broken)
    stats = api.index(str(git_repo.root))
    assert stats.files > 0
    err = capsys.readouterr().err
    assert "endpoints not composed ahead (RuntimeError: a composer bug)" in err
    monkeypatch.undo()
    assert ("*", "/search/", "reports.views.search") in table(git_repo)
