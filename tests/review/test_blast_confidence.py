"""Blast radius and reach follow the weakest edge of each path: a name-only guess is
listed once, as a direct caller, and never walked on from (a real Java 17 project)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.model import Symbol
from codemap.review.changes import SymbolChange
from codemap.review.risk import SymbolSignals, score
from tests.conftest import GitRepoBuilder

ITEM = '''package shop;

public class Item implements Comparable<Item>, Scored {
    private final int rank;

    public Item(int rank) {
        this.rank = rank;
    }

    @Override
    public int score() {
        return rank;
    }

    @Override
    public int compareTo(Item other) {
        return Integer.compare(rank, other.rank);
    }
}
'''

SOURCES = {
    "src/shop/Scored.java": '''package shop;

public interface Scored {
    int score();
}
''',
    # T's compareTo is unknown: a name-only guess edge to Item.compareTo
    "src/shop/Names.java": '''package shop;

public class Names {
    static <T extends Comparable<T>> int order(T a, T b) {
        return a.compareTo(b);
    }

    static int byName(String a, String b) {
        return order(a, b);
    }
}
''',
    "src/shop/Report.java": '''package shop;

public class Report {
    static int header() {
        return Names.byName("a", "b");
    }

    public static void main(String[] args) {
        System.out.println(header());
    }
}
''',
    "src/shop/Shelf.java": '''package shop;

public class Shelf {
    static boolean before(Item a, Item b) {
        return a.compareTo(b) < 0;
    }

    static boolean sorted(Item[] items) {
        for (int i = 1; i < items.length; i++) {
            if (!before(items[i - 1], items[i])) {
                return false;
            }
        }
        return true;
    }
}
''',
    # through the interface: a likely edge to Item.score, then an exact one to it
    "src/shop/Tally.java": '''package shop;

public class Tally {
    static int total(Scored s) {
        return s.score();
    }

    static int twice(Scored s) {
        return 2 * total(s);
    }
}
''',
}


def _project(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    git_repo.write("src/shop/Item.java", ITEM)
    for rel, text in SOURCES.items():
        git_repo.write(rel, text)
    javac = shutil.which("javac")
    if javac:  # the sources are real Java 17
        out = tmp_path / "classes"
        subprocess.run([javac, "--release", "17", "-d", str(out),
                        *sorted(str(p) for p in (git_repo.root / "src/shop").glob("*.java"))],
                       check=True, capture_output=True)
    git_repo.commit("shop", author="Ann Archer <ann@example.com>", date="2024-03-01T10:00:00")
    git_repo.write("src/shop/Item.java", ITEM.replace("return rank;", "return rank + 1;")
                   .replace("Integer.compare(rank, other.rank)", "Integer.compare(other.rank, rank)"))
    git_repo.commit("flip order", author="Bo Brown <bo@example.com>", date="2024-03-02T10:00:00")


def _review(git_repo: GitRepoBuilder, tmp_path: Path, monkeypatch) -> dict:
    monkeypatch.setenv("CODEMAP_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["review", "HEAD~1..HEAD", "--repo", str(git_repo.root),
                                      "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_guess_callers_are_listed_but_not_walked(git_repo, tmp_path, monkeypatch):
    _project(git_repo, tmp_path)
    data = _review(git_repo, tmp_path, monkeypatch)
    blast = {b["symbol"]["qualname"]: b for b in data["blast_radius"]}
    assert blast["shop.Names.order"]["depth"] == 1
    assert blast["shop.Names.order"]["confidence"] == "guess"
    # what calls a guessed caller is not the change's blast radius
    assert "shop.Names.byName" not in blast
    assert "shop.Report.header" not in blast
    assert "shop.Report.main" not in blast
    # exact all the way: exact, with its whole chain
    assert blast["shop.Shelf.before"]["confidence"] == "exact"
    assert blast["shop.Shelf.sorted"]["depth"] == 2
    assert blast["shop.Shelf.sorted"]["confidence"] == "exact"
    assert blast["shop.Shelf.sorted"]["via"] == ["src/shop/Shelf.java:4", "src/shop/Item.java:15"]


def test_deep_entry_is_as_weak_as_its_weakest_hop(git_repo, tmp_path, monkeypatch):
    _project(git_repo, tmp_path)
    blast = {b["symbol"]["qualname"]: b
             for b in _review(git_repo, tmp_path, monkeypatch)["blast_radius"]}
    assert blast["shop.Tally.total"]["confidence"] == "likely"
    # Tally.twice -> Tally.total is exact, but the path goes through a likely edge
    assert blast["shop.Tally.twice"]["depth"] == 2
    assert blast["shop.Tally.twice"]["confidence"] == "likely"


def test_risk_reach_counts_no_guesses(git_repo, tmp_path, monkeypatch):
    _project(git_repo, tmp_path)
    risk = {r["symbol"]["qualname"]: r for r in _review(git_repo, tmp_path, monkeypatch)["risk"]}
    reasons = risk["shop.Item.compareTo"]["reasons"]
    # Shelf.before and Shelf.sorted; not the guessed Names.order nor what calls it
    assert any(r.startswith("called, directly or not, by 2 symbols") for r in reasons), reasons


def test_risk_reason_names_guesses_apart():
    sym = Symbol("src/shop/Item.java:15", "compareTo", "shop.Item.compareTo", "method", "java",
                 "src/shop/Item.java", 15, 18)
    change = SymbolChange(sym, "modified", 1, 1, True)
    both = score(change, SymbolSignals(reach=2, guess_reach=3))
    assert "called, directly or not, by 2 symbols and 3 more by name guesses" in both.reasons
    only = score(change, SymbolSignals(guess_reach=1))
    assert "maybe called by 1 symbol (name guesses only)" in only.reasons
    assert "reach" not in only.factors  # a guess does not make a change riskier
    assert both.factors["reach"] == score(change, SymbolSignals(reach=2)).factors["reach"]
