"""CodeTour files: writing, reading, and following steps as their code moves or changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.codetour import check_tour, index_sources, parse_tour, read_tour, write_tour
from codemap.errors import InputError
from codemap.index.service import open_index
from codemap.repo import find_repo
from tests.conftest import GitRepoBuilder


def write_generated(project: GitRepoBuilder, out: Path) -> dict:
    res = CliRunner().invoke(cli, ["tour", "--codetour", str(out), "--repo", str(project.root)])
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text())


def check(project: GitRepoBuilder, tour: Path) -> dict[str, dict]:
    res = CliRunner().invoke(cli, ["tour", "--check", str(tour), "--json", "--repo",
                                   str(project.root)])
    assert res.exit_code == 0, res.output
    return {s["title"]: s for s in json.loads(res.stdout)["steps"]}


def test_generated_codetour_is_valid_and_anchored(project: GitRepoBuilder, tmp_path: Path) -> None:
    data = write_generated(project, tmp_path / "app.tour")
    assert data["$schema"] == "https://aka.ms/codetour-schema"
    assert data["title"] == "Tour of repo" and data["isPrimary"] is True
    steps = data["steps"]
    assert steps[0]["title"] == "Welcome" and "file" not in steps[0]
    for step in steps[1:]:
        assert step["file"] and step["description"] and step["title"]
        assert "line" not in step or step["line"] >= 1
    price = next(s for s in steps if s["title"] == "Function app.core.price")
    assert price["line"] == 9 and price["codemap"]["symbol"] == "app.core.price"
    assert price["codemap"]["line_text"] == "def price(order):"
    assert "**Why here:**" in price["description"]
    statuses = {s["status"] for s in check(project, tmp_path / "app.tour").values()}
    assert statuses == {"ok"}


def test_writing_inside_the_worktree_warns(project: GitRepoBuilder) -> None:
    target = project.root / ".tours" / "app.tour"
    target.parent.mkdir()
    res = CliRunner().invoke(cli, ["tour", "--codetour", str(target), "--repo", str(project.root)])
    assert res.exit_code == 0
    assert "inside the repository's working tree" in res.stderr
    assert target.is_file()


def test_steps_follow_moved_code_and_flag_changed_or_missing(project: GitRepoBuilder,
                                                             tmp_path: Path) -> None:
    tour = tmp_path / "app.tour"
    write_generated(project, tour)
    core = project.root / "app" / "core.py"
    text = core.read_text()
    # lines inserted above: price moves down; total's body changes; run vanishes
    text = text.replace("from app.models import Order\n",
                        "from app.models import Order\n\nRATE = 1\nFEE = 2\n")
    text = text.replace("    return round(sum(price(o) for o in orders), 2)",
                        "    return round(sum(price(o) for o in orders) + FEE, 2)")
    text = text[: text.index("def run(")]
    core.write_text(text)
    models = project.root / "app" / "models.py"
    models.write_text("\n\n" + models.read_text())
    steps = check(project, tour)
    price = steps["Function app.core.price"]
    assert price["status"] == "moved" and price["line"] == 12 and price["old_line"] == 9
    assert steps["Function app.core.total"]["status"] == "changed"
    assert steps["Function app.core.run"]["status"] == "missing"
    assert steps["Function app.core.run"]["path"] is None
    assert steps["Class app.models.Order"]["status"] == "moved"
    assert steps["Class app.models.Order"]["line"] == 6
    # the refreshed tour points at the new places, and checks clean (except what is gone)
    fresh = tmp_path / "fresh.tour"
    res = CliRunner().invoke(cli, ["tour", "--check", str(tour), "--codetour", str(fresh),
                                   "--repo", str(project.root)])
    assert res.exit_code == 0 and "wrote the re-anchored tour" in res.stdout
    again = check(project, fresh)
    assert again["Function app.core.price"]["status"] == "ok"
    assert again["Function app.core.total"]["status"] == "ok"
    assert again["Function app.core.run"]["status"] == "missing"


def test_step_follows_a_function_moved_to_another_file(project: GitRepoBuilder,
                                                       tmp_path: Path) -> None:
    tour = tmp_path / "app.tour"
    write_generated(project, tour)
    reports = project.root / "app" / "reports.py"
    body = reports.read_text()
    start = body.index("def daily(")
    end = body.index("def weekly(")
    moved = body[start:end]
    reports.write_text(body[:start] + body[end:])
    (project.root / "app" / "daily.py").write_text("from app.reports import summary\n\n\n" + moved)
    step = check(project, tour)["Function app.reports.daily"]
    assert step["status"] == "moved" and step["path"] == "app/daily.py" and step["line"] == 4


def test_hand_written_tour_with_a_commit_ref(project: GitRepoBuilder, tmp_path: Path) -> None:
    head = project.git("rev-parse", "HEAD").strip()
    hand = {"title": "Hand-written", "ref": head, "steps": [
        {"file": "app/core.py", "line": 10, "description": "How prices are computed."},
        {"directory": "app", "description": "The package."},
        {"description": "A content step."},
        {"file": "app/cli.py", "line": 99, "description": "Past the end."},
    ]}
    path = tmp_path / "hand.tour"
    path.write_text(json.dumps(hand))
    core = project.root / "app" / "core.py"
    core.write_text("# a new first line\n" + core.read_text())
    tour = read_tour(path)
    repo = find_repo(project.root)
    symbols_of, elsewhere = index_sources(repo, open_index(repo))
    checks = check_tour(repo, tour, symbols_of, elsewhere)
    assert [c.status for c in checks] == ["moved", "ok", "ok", "changed"]
    assert checks[0].line == 11 and checks[0].symbol.qualname == "app.core.price"
    # without the ref there is nothing to compare against
    del hand["ref"]
    checks = check_tour(repo, parse_tour(json.dumps(hand)), symbols_of, elsewhere)
    assert [c.status for c in checks] == ["unverified", "ok", "ok", "changed"]


def test_unusable_tour_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tour"
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        read_tour(bad)
    bad.write_text(json.dumps({"steps": []}))
    with pytest.raises(InputError, match="needs a 'title' and 'steps'"):
        read_tour(bad)
    bad.write_text(json.dumps({"title": "t", "steps": ["x"]}))
    with pytest.raises(InputError, match="step 1 is not a JSON object"):
        read_tour(bad)
    with pytest.raises(InputError, match="no such tour file"):
        read_tour(tmp_path / "missing.tour")
    with pytest.raises(InputError, match="is a directory"):
        write_tour(parse_tour('{"title": "t", "steps": []}'), tmp_path)


def test_round_trip_keeps_unknown_keys(tmp_path: Path) -> None:
    raw = {"$schema": "https://aka.ms/codetour-schema", "title": "T", "description": "d",
           "isPrimary": False, "nextTour": "Other", "steps": [
               {"file": "./a.py", "line": 3, "title": "s", "description": "x",
                "selection": {"start": {"line": 3, "character": 1},
                              "end": {"line": 4, "character": 2}}, "commands": ["c"]}]}
    tour = parse_tour(json.dumps(raw))
    assert tour.steps[0].file == "a.py"
    out = write_tour(tour, tmp_path / "t.tour")
    back = json.loads(out.read_text())
    assert back["nextTour"] == "Other" and back["isPrimary"] is False
    assert back["steps"][0]["selection"] == raw["steps"][0]["selection"]
    assert back["steps"][0]["commands"] == ["c"]
