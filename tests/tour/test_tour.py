"""``codemap tour`` on a small real project: entry points, stops, facts, outputs."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.repo import find_repo
from codemap.tour import build_tour
from tests.conftest import GitRepoBuilder
from tests.tour.conftest import build_project

NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)


def stop_by(result, qualname: str):
    return next(s for s in result.stops if s.symbol is not None and s.symbol.qualname == qualname)


def test_entry_points_of_every_kind(project: GitRepoBuilder) -> None:
    result = build_tour(find_repo(project.root), now=NOW)
    kinds = {(ep.kind, ep.symbol.qualname if ep.symbol else None) for ep in result.entry_points}
    assert ("console_script", "app.cli.main") in kinds
    assert ("cli", "app.cli.main") in kinds and ("cli", "app.cli.report") in kinds
    assert ("main", "app.__main__") in kinds
    assert ("test", "tests.test_core.test_price") in kinds
    script = next(ep for ep in result.entry_points if ep.kind == "console_script")
    assert script.name == "app" and script.path == "app/cli.py"
    # the tour starts where the program starts
    assert result.stops[0].section == "entry point"
    assert result.stops[0].symbol.qualname == "app.cli.main"
    assert result.stops[0].summary == "Print the total of two orders."


def test_stops_are_ranked_and_exclude_tests_generated_and_vendored(project: GitRepoBuilder) -> None:
    result = build_tour(find_repo(project.root), now=NOW)
    paths = {s.path for s in result.stops}
    assert not any(p.startswith(("tests/", "vendor/")) or p.endswith("_pb2.py") for p in paths)
    modules = [s.path for s in result.stops if s.section == "core module"]
    assert "app/core.py" in modules[:2] and "app/models.py" in modules[:2]
    functions = [s.symbol.qualname for s in result.stops if s.section == "core function"]
    assert {"app.core.price", "app.core.total", "app.models.Order"} <= set(functions[:4])
    assert [s.step for s in result.stops] == list(range(1, len(result.stops) + 1))
    core = next(s for s in result.stops if s.path == "app/core.py" and s.section == "core module")
    assert core.summary == "The engine: turns orders into invoices."
    assert core.description.startswith("The engine") and "Everything else" in core.description
    assert [k.name for k in core.key_symbols][:2] == ["price", "total"] or \
        {"price", "total"} <= {k.name for k in core.key_symbols}
    total = stop_by(result, "app.core.total")
    assert total.why.startswith("#") and "called from 4 places in 4 files" in total.why
    assert total.centrality > 0 and total.rank >= 1
    assert [k.name for k in total.key_symbols] == ["price"]


def test_stop_facts(project: GitRepoBuilder) -> None:
    result = build_tour(find_repo(project.root), now=NOW, months=6)
    total = stop_by(result, "app.core.total")
    owners = {o.name: o for o in total.owners}
    assert set(owners) == {"Alice Able", "Carol Chen"}
    assert abs(sum(o.share for o in total.owners) - 1.0) < 1e-6
    assert owners["Alice Able"].share > owners["Carol Chen"].share
    assert total.bus_factor == 1
    assert total.ai_share == round(owners["Carol Chen"].lines / sum(o.lines for o in total.owners), 4)
    assert total.coverage_percent == 100.0
    # churn: core.py changed on 2025-09-01 (outside 90 days of NOW) and 2026-01-10 (inside)
    assert total.commits_90d == 1 and total.commits == 2
    summary = stop_by(result, "app.reports.summary")
    assert summary.ai_share == 1.0 and summary.coverage_percent == 0.0
    assert result.coverage_sources == [".coverage"]
    assert not result.notes


def test_tour_json_contract(project: GitRepoBuilder) -> None:
    out = CliRunner().invoke(cli, ["tour", "--json", "--repo", str(project.root)])
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert {ep["kind"] for ep in doc["entry_points"]} <= {
        "console_script", "main", "route", "cli", "test", "package_main"}
    for ep in doc["entry_points"]:
        assert set(ep) >= {"kind", "name", "symbol"}
    for stop in doc["stops"]:
        assert set(stop) >= {"title", "path", "symbol", "why", "centrality", "owners",
                             "coverage_percent", "ai_share", "commits_90d"}
        assert isinstance(stop["centrality"], float)
        for owner in stop["owners"]:
            assert set(owner) >= {"name", "email", "share"}


def test_markdown_and_text(project: GitRepoBuilder) -> None:
    md = CliRunner().invoke(cli, ["tour", "--markdown", "--repo", str(project.root)])
    assert md.exit_code == 0, md.output
    assert md.stdout.startswith("# A tour of repo")
    assert "## Entry points" in md.stdout and "## Core modules" in md.stdout
    assert "### 1. Entry point: app (console script)" in md.stdout
    assert "The engine: turns orders into invoices." in md.stdout
    text = CliRunner().invoke(cli, ["tour", "--repo", str(project.root), "--stops", "5"])
    assert text.exit_code == 0 and " 5. " in text.stdout and " 6. " not in text.stdout
    both = CliRunner().invoke(cli, ["tour", "--json", "--markdown", "--repo", str(project.root)])
    assert both.exit_code == 2 and both.stderr.startswith("codemap: choose one of")


def test_tour_without_git(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    build_project(git_repo)
    plain = tmp_path / "plain"
    shutil.copytree(git_repo.root, plain, ignore=shutil.ignore_patterns(".git"))
    result = build_tour(find_repo(plain))
    assert any("not a git repository" in n for n in result.notes)
    assert result.head is None and result.stops
    for stop in result.stops:
        assert stop.owners == [] and stop.commits_90d is None and stop.bus_factor is None
    assert any(ep.kind == "console_script" for ep in result.entry_points)
    out = CliRunner().invoke(cli, ["tour", "--repo", str(plain)])
    assert out.exit_code == 0 and "not a git repository" in out.stdout


def test_bad_options(project: GitRepoBuilder) -> None:
    out = CliRunner().invoke(cli, ["tour", "--months", "0", "--repo", str(project.root)])
    assert out.exit_code == 2 and out.stderr.strip() == "codemap: --months must be more than 0"
    out = CliRunner().invoke(cli, ["tour", "--check", "nope.tour", "--repo", str(project.root)])
    assert out.exit_code == 2 and "no such tour file" in out.stderr
