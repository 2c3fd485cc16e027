"""Tour mode in the UI: a generated tour and a drifted CodeTour file, walked with Pilot."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from textual.widgets import OptionList, Static

from codemap.tui.launch import make_app
from codemap.tui.widgets.code_view import CodeView
from tests.conftest import GitRepoBuilder
from tests.tui.scenarios import frozen_clock, settle


def run(coro) -> None:
    asyncio.run(coro)


def test_generated_tour_walks_step_by_step(project: GitRepoBuilder, tmp_path: Path) -> None:
    async def scenario() -> None:
        app = make_app(str(project.root))
        app.start_mode = "tour"
        app.session.clock = frozen_clock
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.MODE == "tour"
            walk = screen.walk
            assert walk is not None and walk.source == "generated"
            first = walk.steps[0]
            code = screen.query_one(CodeView)
            assert code.path == first.path == "app/cli.py" and code.target_line == first.line
            assert "Print the total of two orders." in str(
                screen.query_one("#tour-step", Static).render())
            await pilot.press("n")
            await settle(pilot)
            assert screen.current == 1
            assert screen.query_one("#tour-steps", OptionList).highlighted == 1
            await pilot.press("n", "n", "n", "n")
            await settle(pilot)
            step = walk.steps[screen.current]
            assert code.path == step.path
            await pilot.press("p")
            await settle(pilot)
            assert walk.steps[screen.current].path == code.path

    run(scenario())


def test_walks_a_tour_file_and_flags_drift(project: GitRepoBuilder, tmp_path: Path) -> None:
    head = project.git("rev-parse", "HEAD").strip()
    tour = tmp_path / "hand.tour"
    tour.write_text(json.dumps({"title": "Prices", "ref": head, "steps": [
        {"file": "app/core.py", "line": 9, "title": "price", "description": "Prices [bold]x[/]"},
        {"file": "app/core.py", "line": 20, "title": "run", "description": "Runs it."},
        {"directory": "app", "description": "The package."},
    ]}))
    core = project.root / "app" / "core.py"
    text = core.read_text()
    core.write_text("# moved down by one line\n" + text[: text.index("def run(")])

    async def scenario() -> None:
        app = make_app(str(project.root), tour_file=str(tour))
        app.session.clock = frozen_clock
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.MODE == "tour"
            statuses = [s.status for s in screen.walk.steps]
            assert statuses == ["moved", "missing", "ok"]
            code = screen.query_one(CodeView)
            assert code.path == "app/core.py" and code.target_line == 10  # followed its code
            detail = str(screen.query_one("#tour-step", Static).render())
            assert "moved" in detail and "Prices [bold]x[/]" in detail  # literal, not markup
            await pilot.press("n")
            await settle(pilot)
            detail = str(screen.query_one("#tour-step", Static).render())
            assert "missing" in detail and "gone" in detail
            assert "1 of 3" not in str(screen.walk.notes) and "2 of 3 steps drifted" in \
                screen.walk.notes[0]

    run(scenario())
