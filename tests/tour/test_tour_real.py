"""``codemap tour`` on a ~1,000-file repository built from real releases (networkx + pip)."""

from __future__ import annotations

from pathlib import Path

import pytest

from codemap.index.service import open_index
from codemap.repo import find_repo
from codemap.tour import build_tour


@pytest.mark.slow
def test_tour_of_a_thousand_files_is_sensible(big_history: tuple[Path, list[str]]) -> None:
    # speed is measured by benchmarks/tour_review_bench.py, not here
    root, _ = big_history
    repo = find_repo(root)
    reader = open_index(repo)  # warm index
    assert len(reader.all_paths()) >= 1000
    result = build_tour(repo)
    stops = result.stops
    assert 10 <= len(stops) <= 20
    # no stop in tests or vendored code
    assert not any("/tests/" in s.path or "/_vendor/" in s.path for s in stops)
    modules = [s.symbol.qualname for s in stops if s.section == "core module" and s.symbol]
    assert "networkx.classes.graph" in modules  # everything builds graphs
    functions = [s.symbol.qualname for s in stops if s.section == "core function"]
    assert "networkx.classes.graph.Graph" in functions
    assert any(ep.kind == "main" and ep.path == "pip/__main__.py" for ep in result.entry_points)
    assert sum(ep.kind == "test" for ep in result.entry_points) > 1000
    assert all(s.owners and s.bus_factor for s in stops)
