"""An edit that only moves lines keeps the call graph (codemap.index.keepedges).

Each test edits a real git repository after a first index, refreshes, and
compares the edges with a cold index of a copy of the same tree: they must be
equal, whether the refresh kept the edges (lines moved) or had to resolve again.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from codemap import api
from codemap.index import build
from codemap.index.service import db_path
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

MODELS = '''\
"""Orders."""
from shop.util import fmt, log


class Order:
    def __init__(self, items):
        self.items = items

    def total(self):
        return sum(i.price for i in self.items) + self.fee()

    def fee(self):
        return 2

    def describe(self):
        log("describe")
        return fmt(self.total()); self.fee()


def make(items):
    order = Order(items)
    return order.describe()
'''

UTIL = '''\
def fmt(value):
    return f"{value:.2f}"


def log(msg):
    print(msg)
'''

VIEWS = '''\
from shop.models import make, Order


def view(items):
    return make(items)


def other(items):
    return Order(items).total()
'''


def edges(root: Path) -> set[tuple[str, str, int, str]]:
    conn = sqlite3.connect(db_path(find_repo(str(root))))
    try:
        return set(conn.execute(
            "SELECT a.qualname, b.qualname, e.line, e.confidence FROM edges e "
            "JOIN symbols a ON a.id = e.caller_id JOIN symbols b ON b.id = e.callee_id"))
    finally:
        conn.close()


def cold_edges(root: Path, tmp_path: Path) -> set[tuple[str, str, int, str]]:
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("codemap"))
    api.index(str(copy))
    return edges(copy)


@pytest.fixture
def shop(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/models.py", MODELS)
    git_repo.write("shop/util.py", UTIL)
    git_repo.write("shop/views.py", VIEWS)
    git_repo.commit("shop")
    api.index(str(git_repo.root))
    return git_repo


@pytest.fixture
def resolutions(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts full resolutions of the call graph."""
    calls: list[int] = []
    real = build._resolve

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(build, "_resolve", counting)
    return calls


def test_comments_blank_lines_and_literals_keep_the_graph_with_lines_moved(
        shop: GitRepoBuilder, resolutions: list[int], tmp_path: Path) -> None:
    before = edges(shop.root)
    text = MODELS.replace('"""Orders."""\n', '"""Orders."""\n# a comment\n\n\n')
    text = text.replace("return 2", "return 3  # fee raised\n\n")
    shop.write("shop/models.py", text)
    stats = api.index(str(shop.root))
    assert stats.parsed == 1 and resolutions == []  # kept, not resolved again
    after = edges(shop.root)
    assert after == cold_edges(shop.root, tmp_path)
    # the lines moved: describe's calls sit three lines lower (plus the fee's two)
    assert ("shop.models.Order.describe", "shop.models.Order.fee", 17, "exact") in before
    assert ("shop.models.Order.describe", "shop.models.Order.fee", 22, "exact") in after
    # edges into the edited file from another file are kept as they were
    assert ("shop.views.view", "shop.models.make", 5, "exact") in after


def test_a_symbol_query_after_such_an_edit_leaves_the_graph_fresh(
        shop: GitRepoBuilder, resolutions: list[int], tmp_path: Path) -> None:
    shop.write("shop/util.py", "# utilities\n" + UTIL.replace(".2f", ".3f"))
    assert api.at("shop/util.py:6", str(shop.root)).symbol.qualname == "shop.util.log"
    conn = sqlite3.connect(db_path(find_repo(str(shop.root))))
    assert dict(conn.execute("SELECT key, value FROM meta"))["edges_fresh"] == "1"
    conn.close()
    api.index(str(shop.root))
    assert resolutions == []
    assert edges(shop.root) == cold_edges(shop.root, tmp_path)


@pytest.mark.parametrize("edit", [
    # a new call
    lambda t: t.replace("return 2", "return int(fmt(2))"),
    # a call removed
    lambda t: t.replace('log("describe")\n', ""),
    # a renamed method: the facts differ, callers elsewhere must be resolved again
    lambda t: t.replace("def fee(", "def charge(").replace("self.fee()", "self.charge()"),
    # two calls on one line split onto two lines: which edge moved where is unknown
    lambda t: t.replace("return fmt(self.total()); self.fee()",
                        "return fmt(self.total())\n        self.fee()"),
    # a new import
    lambda t: t.replace("from shop.util import fmt, log", "from shop.util import fmt, log\nimport os"),
], ids=["call-added", "call-removed", "rename", "line-split", "import-added"])
def test_edits_that_change_the_facts_resolve_again_and_match_a_cold_index(
        shop: GitRepoBuilder, resolutions: list[int], tmp_path: Path, edit) -> None:
    shop.write("shop/models.py", edit(MODELS))
    api.index(str(shop.root))
    assert resolutions == [1]
    assert edges(shop.root) == cold_edges(shop.root, tmp_path)


def test_two_lines_joined_keep_one_edge_per_line(
        shop: GitRepoBuilder, resolutions: list[int], tmp_path: Path) -> None:
    text = MODELS.replace('        log("describe")\n        return fmt(self.total()); self.fee()',
                          '        log("describe"); return fmt(self.total()); self.fee()')
    shop.write("shop/models.py", text)
    api.index(str(shop.root))
    assert resolutions == []
    assert edges(shop.root) == cold_edges(shop.root, tmp_path)


def test_an_edited_file_keeps_its_id_and_its_symbols_theirs(shop: GitRepoBuilder) -> None:
    def ids() -> dict[str, int]:
        conn = sqlite3.connect(db_path(find_repo(str(shop.root))))
        try:
            return dict(conn.execute("SELECT qualname, id FROM symbols"))
        finally:
            conn.close()

    before = ids()
    shop.write("shop/models.py", MODELS.replace("return 2", "return 4"))
    shop.write("shop/extra.py", "def extra():\n    return 1\n")  # a new file: numbered last
    api.index(str(shop.root))
    after = ids()
    assert {q: after[q] for q in before} == before
    assert after["shop.extra.extra"] > max(before.values())


def test_a_file_touched_but_unchanged_beside_an_edited_one_keeps_its_edges(
        shop: GitRepoBuilder, resolutions: list[int], tmp_path: Path) -> None:
    (shop.root / "shop" / "views.py").write_text(VIEWS)  # same bytes, new mtime
    shop.write("shop/models.py", MODELS.replace("return 2", "return 5"))
    api.index(str(shop.root))
    assert resolutions == []
    assert edges(shop.root) == cold_edges(shop.root, tmp_path)
