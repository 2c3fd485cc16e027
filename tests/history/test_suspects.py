"""Suspect commits ranked for a real trace: code committed in steps, the trace
made by running the deployed revision, frames mapped back to the repository."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from codemap.errors import UsageError
from codemap.history.linelog import range_history, track_line
from codemap.history.suspects import SuspectFrame, parse_since, rank_suspects, suspect_frames
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

ORDERS_V1 = '''\
def average_price(items):
    if not items:
        return 0.0
    return sum(item["price"] for item in items) / len(items)


def summarize(order):
    return {"id": order["id"], "average": average_price(order["items"])}
'''

MAIN = '''\
from app.orders import summarize


def handle(order):
    result = summarize(order)
    return result
'''

# Run inside the deployed copy: raise, then print the frames as the traceback has them.
RUNNER = '''\
import json, sys, traceback
sys.path.insert(0, sys.argv[1])
from app.main import handle
try:
    handle({"id": 7, "items": []})
except Exception as exc:
    frames = [(f.filename, f.lineno, f.name) for f in traceback.extract_tb(exc.__traceback__)]
    print(json.dumps({"type": type(exc).__name__, "frames": frames}))
'''


class Frame:
    """A mapped trace frame as codemap trace produces it (the attributes suspects reads)."""

    def __init__(self, path: str | None, line: int, function: str, symbol: object) -> None:
        self.in_repo = path is not None
        self.path, self.line, self.function, self.symbol = path, line, function, symbol


class Span:
    def __init__(self, name: str, start: int, end: int) -> None:
        self.name, self.start_line, self.end_line = name, start, end


def enclosing(source: str, line: int) -> Span | None:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.lineno <= line <= node.end_lineno:
            return Span(node.name, node.lineno, node.end_lineno)
    return None


@pytest.fixture
def incident(git_repo: GitRepoBuilder, tmp_path: Path):
    b = git_repo
    b.write("app/__init__.py", "")
    b.write("app/orders.py", ORDERS_V1)
    b.write("app/main.py", MAIN)
    alice = b.commit("Orders summary", author="Alice Able <alice@example.com>",
                     date="2026-01-05T10:00:00+00:00")
    b.write("app/orders.py", ORDERS_V1 + "\n\ndef currency():\n    return 'EUR'\n")
    bob = b.commit("Add currency()", author="Bob Baker <bob@example.com>",
                   date="2026-01-10T10:00:00+00:00")
    b.write("app/orders.py", ORDERS_V1.replace("    if not items:\n        return 0.0\n", "")
            + "\n\ndef currency():\n    return 'EUR'\n")
    carol = b.commit("Simplify average_price\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n",
                     author="Carol Chen <carol@example.com>", date="2026-01-20T10:00:00+00:00")
    b.write("app/main.py", "# entry points\n" + MAIN)
    dan = b.commit("Comment main", author="Dan Dee <dan@example.com>",
                   date="2026-01-25T10:00:00+00:00")
    deployed = dan
    b.write("app/orders.py", "# orders\n" + (b.root / "app/orders.py").read_text())
    b.commit("Header comment", author="Eve Evans <eve@example.com>",
             date="2026-02-10T10:00:00+00:00")
    # the deployment: the tree of `deployed`, somewhere else, run for real
    deploy = tmp_path / "srv" / "app-release"
    deploy.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", deployed], cwd=b.root, capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "x", "-C", str(deploy)], input=archive, check=True)
    out = subprocess.run([sys.executable, "-c", RUNNER, str(deploy)], capture_output=True,
                         text=True, check=True).stdout
    trace = json.loads(out)
    assert trace["type"] == "ZeroDivisionError"
    frames = []
    for filename, line, name in trace["frames"]:
        path = Path(filename)
        rel = path.relative_to(deploy).as_posix() if deploy in path.parents else None
        sym = enclosing((deploy / rel).read_text(), line) if rel else None
        frames.append(Frame(rel, line, name, sym))
    return b, {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "deployed": deployed}, frames


def test_the_change_that_removed_the_guard_ranks_first(incident):
    b, shas, trace_frames = incident
    frames = suspect_frames(trace_frames)
    assert [(f.path, f.function, f.depth) for f in frames] == [
        ("app/orders.py", "average_price", 0), ("app/orders.py", "summarize", 1),
        ("app/main.py", "handle", 2)]
    raising = frames[0]
    suspects = rank_suspects(find_repo(b.root), frames, since="2026-02-01T00:00:00Z",
                             rev=shas["deployed"])
    order = [s.sha for s in suspects]
    # Carol removed the guard right above the raising line; plain blame of that
    # line names Alice, who wrote it (and it worked for two weeks).
    assert order[0] == shas["carol"] and order[1] == shas["alice"]
    top = suspects[0]
    assert f"changed code right next to line {raising.line} of app/orders.py (raising frame)" \
        in top.reasons
    assert "the latest change to average_price (raising frame)" in top.reasons
    assert top.ai and top.ai_tool == "claude"
    assert top.ai_sources == ["Co-authored-by: Claude <noreply@anthropic.com>"]
    assert f"changed line {raising.line} of app/orders.py (raising frame)" in suspects[1].reasons
    assert all(0 <= s.score <= 1 for s in suspects)
    assert [s.score for s in suspects] == sorted((s.score for s in suspects), reverse=True)
    assert top.summary == "Simplify average_price" and top.author == "Carol Chen"
    assert top.date == "2026-01-20T10:00:00+00:00"


def test_commits_after_the_incident_are_not_suspects(incident):
    b, shas, trace_frames = incident
    frames = suspect_frames(trace_frames)
    repo = find_repo(b.root)
    before_carol = rank_suspects(repo, frames, since="2026-01-15T00:00:00+00:00",
                                 rev=shas["deployed"])
    assert shas["carol"] not in {s.sha for s in before_carol}
    assert before_carol[0].sha == shas["alice"]
    reasons = " ".join(before_carol[0].reasons)
    assert "days before the incident" in reasons


def test_warm_ranking_is_stable(incident):  # speed: benchmarks/suspects_bench.py
    b, shas, trace_frames = incident
    frames = suspect_frames(trace_frames)
    repo = find_repo(b.root)
    first = rank_suspects(repo, frames, rev=shas["deployed"])
    again = rank_suspects(repo, frames, rev=shas["deployed"])
    assert again == first


def test_frames_git_does_not_know_give_no_evidence(incident):
    b, shas, _ = incident
    repo = find_repo(b.root)
    frames = [SuspectFrame("app/missing.py", 3, 0), SuspectFrame("app/orders.py", 500, 1)]
    assert rank_suspects(repo, frames, rev=shas["deployed"]) == []
    assert rank_suspects(repo, [], rev=shas["deployed"]) == []


def test_track_line_through_a_real_line_log(incident):
    b, shas, _ = incident
    repo = find_repo(b.root)
    changes = range_history(repo, "app/orders.py", 1, 2, rev=shas["deployed"])
    assert [c.commit.sha for c in changes] == [shas["carol"], shas["alice"]]
    # line 2 at the deployed revision is `return sum(...)`: Carol removed the two
    # lines right above it; Alice wrote it
    assert track_line(changes, 1, 2) == [0.5, 0]
    assert track_line(changes, 1, 1) == [0.5, 0]


def test_parse_since():
    assert parse_since("2026-01-01T00:00:00Z") == 1767225600.0
    assert parse_since("2026-01-01") == 1767225600.0
    assert parse_since(1767225600) == 1767225600.0
    assert parse_since(None) is None
    with pytest.raises(UsageError, match="incident time"):
        parse_since("yesterday-ish")

