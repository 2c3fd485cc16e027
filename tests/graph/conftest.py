"""Fixtures for call-graph tests: index a real git repository and read its edges."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from codemap.index.service import open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder

Edges = dict[tuple[str, str], str]


def read_edges(root: str) -> Edges:
    """(caller qualname, callee qualname) -> best confidence, for every resolved edge."""
    reader = open_index(find_repo(root))
    rank = {"exact": 0, "likely": 1, "guess": 2}
    out: Edges = {}
    for caller, callee, conf in reader.conn.execute(
            "SELECT a.qualname, b.qualname, e.confidence FROM edges e "
            "JOIN symbols a ON a.id = e.caller_id JOIN symbols b ON b.id = e.callee_id"):
        if (caller, callee) not in out or rank[conf] < rank[out[(caller, callee)]]:
            out[(caller, callee)] = conf
    return out


def line_edges(root: str) -> set[tuple[str, str, int, str]]:
    """(caller qualname, callee qualname, callee start line, confidence) of every edge."""
    reader = open_index(find_repo(root))
    return set(reader.conn.execute(
        "SELECT a.qualname, b.qualname, b.start_line, e.confidence FROM edges e "
        "JOIN symbols a ON a.id = e.caller_id JOIN symbols b ON b.id = e.callee_id"))


@pytest.fixture
def build_graph(git_repo: GitRepoBuilder) -> Callable[[dict[str, str]], Edges]:
    """Write files, commit them, index the repository and return its edges."""

    def build(files: dict[str, str]) -> Edges:
        for rel, text in files.items():
            git_repo.write(rel, text)
        git_repo.commit("fixture")
        return read_edges(str(git_repo.root))

    return build
