"""``codemap demo``: the built repository has what the demo promises, for real."""

from __future__ import annotations

import json
import sqlite3
import subprocess

from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.demo.builder import load_steps


def git(repo: str, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def test_history_has_several_authors_an_ai_commit_and_a_clean_tree(demo):
    log = git(demo.repo, "log", "--format=%H%x09%an%x09%aI%x09%s").strip().splitlines()
    assert len(log) == len(load_steps()) == len(demo.commits)
    authors = {line.split("\t")[1] for line in log}
    assert len(authors) >= 4
    culprit = git(demo.repo, "show", "-s", "--format=%B", demo.culprit)
    assert "Co-Authored-By: Claude <noreply@anthropic.com>" in culprit
    assert "Generated with [Claude Code]" in culprit
    assert git(demo.repo, "status", "--porcelain") == ""
    # the bug: the culprit commit is the one that wrote the raising line
    blame = git(demo.repo, "blame", "--porcelain", "-L", "17,17", "shop/pricing.py")
    assert blame.startswith(demo.culprit)


def test_two_languages_and_a_generated_file(demo):
    files = git(demo.repo, "ls-files").split()
    assert any(f.endswith(".py") for f in files) and any(f.endswith(".js") for f in files)
    from codemap.history.generated import generated_verdict
    from codemap.repo import find_repo

    verdict = generated_verdict(find_repo(demo.repo), "shop/order_schema.py")
    assert verdict is not None and verdict.generated


def test_coverage_was_recorded_per_test(demo):
    conn = sqlite3.connect(demo.coverage_file)
    contexts = {row[0] for row in conn.execute("SELECT context FROM context")}
    assert any(c.endswith("test_bulk_tiers") for c in contexts)


def test_crash_trace_is_a_real_chained_traceback(demo):
    text = open(demo.trace_file, encoding="utf-8").read()
    assert "KeyError: 75" in text and "The above exception was the direct cause" in text
    assert 'shop/pricing.py", line 17, in bulk_rate' in text
    assert "PricingError: cannot price 75 x MUG-01 in order 42" in text


def test_builds_are_reproducible(demo, tmp_path):
    from codemap.demo.builder import build_demo
    from tests.tui.scenarios import FROZEN_NOW

    again = build_demo(tmp_path / "again", now=FROZEN_NOW)
    assert again.commits == demo.commits  # same content, authors and dates: same shas


def test_cli_no_ui_and_json(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["demo", "--no-ui", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    repo = result.output.strip()
    assert repo.endswith("shopfront") and git(repo, "rev-parse", "--is-inside-work-tree")
    result = runner.invoke(cli, ["demo", "--json", "--dir", str(tmp_path / "e")])
    data = json.loads(result.output)
    assert data["endpoint"] == "GET /orders/42" and data["culprit"] in data["commits"]
    result = runner.invoke(cli, ["demo", "--no-ui", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 2 and "not an empty directory" in result.output


def test_cli_demo_without_terminal_refuses_before_building(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "x")])
    assert result.exit_code == 2 and "needs a terminal" in result.output
    assert not (tmp_path / "x").exists()


def test_history_keeps_its_ages_whenever_the_demo_is_built():
    """Built a year later, the demo's commits are still days and months old, not a year."""
    from datetime import datetime, timedelta

    from tests.tui.scenarios import FROZEN_NOW

    pinned = load_steps(FROZEN_NOW)
    later = load_steps(FROZEN_NOW + timedelta(days=400))
    for a, b in zip(pinned, later):
        assert datetime.fromisoformat(b.date) - datetime.fromisoformat(a.date) == timedelta(days=400)
    last = datetime.fromisoformat(pinned[-1].date)
    assert timedelta(days=1) < FROZEN_NOW - last < timedelta(days=60)
