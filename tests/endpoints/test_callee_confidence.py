"""An endpoint's call tree and the tour's centrality keep to exact and likely edges: a guess
by method name (every ``x.pk`` of a Django project linked to the one ``pk`` property the
repository defines) is not the request's path, nor what makes a definition central."""

from __future__ import annotations

from codemap import api
from codemap.repo import find_repo
from codemap.tour import build_tour
from tests.conftest import GitRepoBuilder
from tests.graph.conftest import read_edges

APP = '''\
from flask import Flask

from shop.store import fetch

app = Flask(__name__)


@app.route("/orders/<oid>")
def order(oid):
    item = fetch(oid)
    return item.describe_fully()
'''

STORE = '''\
import json


def fetch(oid):
    return json.loads(oid)


class Widget:
    def describe_fully(self):
        return render(self)


def render(widget):
    return str(widget)
'''


def test_a_guessed_callee_is_not_in_the_endpoint_call_tree(git_repo: GitRepoBuilder) -> None:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/web.py", APP)
    git_repo.write("shop/store.py", STORE)
    git_repo.commit("an app")
    root = str(git_repo.root)
    edges = read_edges(root)
    assert edges[("shop.web.order", "shop.store.Widget.describe_fully")] == "guess"
    hit = api.endpoint("GET /orders/7", root).matches[0]
    assert [s.qualname for s in hit.callees] == ["shop.store.fetch"]
    tour = build_tour(find_repo(root))
    described = [s for s in tour.stops if s.symbol and s.symbol.name == "describe_fully"]
    assert all(s.callers == 0 for s in described)
