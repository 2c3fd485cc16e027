"""Edges follow edits (re-resolved on refresh), and route handlers become entry points."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass

from codemap.graph import call_paths, callers, entry_points
from codemap.index.service import open_index
from codemap.model import Symbol
from codemap.repo import find_repo


def test_edges_follow_edits(git_repo) -> None:
    git_repo.write("m/a.py", "def target():\n    return 1\ndef one():\n    return target()\n")
    git_repo.commit("one caller")
    repo = find_repo(str(git_repo.root))
    assert [c.symbol.name for c in callers(repo, "target").callers] == ["one"]
    git_repo.write("m/b.py", "from m.a import target\ndef two():\n    return target()\n")
    git_repo.write("m/a.py", "def target():\n    return 1\ndef one():\n    return 2\n")
    repo = find_repo(str(git_repo.root))
    assert [c.symbol.name for c in callers(repo, "target").callers] == ["two"]


@dataclass(frozen=True)
class _Endpoint:  # the shape codemap.endpoints answers with: method, route, handler
    method: str
    route: str
    handler: Symbol


def test_route_handlers_are_entry_points(git_repo, monkeypatch) -> None:
    git_repo.write("web/views.py", "def show(uid):\n    return load(uid)\ndef load(uid):\n    return uid\n")
    git_repo.commit("views")
    repo = find_repo(str(git_repo.root))
    handler = open_index(repo).lookup("web.views.show")[0]
    fake = types.ModuleType("codemap.endpoints.service")
    fake.list_endpoints = lambda _repo: types.SimpleNamespace(  # type: ignore[attr-defined]
        endpoints=[_Endpoint("GET", "/users/<uid>", handler)])
    monkeypatch.setitem(sys.modules, "codemap.endpoints.service", fake)
    found = [e for e in entry_points(repo) if e.kind == "route"]
    assert [(e.name, e.symbol.qualname) for e in found] == [("GET /users/<uid>", "web.views.show")]
    path = call_paths(repo, "web.views.load").paths[0]
    assert path.entry is not None and path.entry.kind == "route"
    assert [s.name for s in path.symbols] == ["show", "load"]


