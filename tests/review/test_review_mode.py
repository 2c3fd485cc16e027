"""Review mode in the UI: a range, its changed symbols riskiest first, code at HEAD or BASE."""

from __future__ import annotations

import asyncio

from textual.widgets import Input, OptionList, Static

from codemap.tui.launch import make_app
from codemap.tui.widgets.code_view import CodeView
from tests.conftest import GitRepoBuilder
from tests.review.test_signals import CALC, CALC_AI, CLI, TESTS
from tests.tui.scenarios import drive, frozen_clock, settle


def build(repo: GitRepoBuilder) -> GitRepoBuilder:
    repo.write("pkg/__init__.py", "")
    repo.write("pkg/calc.py", CALC)
    repo.write("pkg/cli.py", CLI)
    repo.write("tests/__init__.py", "")
    repo.write("tests/test_calc.py", TESTS)
    repo.commit("calc", author="Alice Able <alice@example.com>")
    repo.write("pkg/calc.py", CALC_AI)
    repo.commit("Guard add [bold]now[/]", author="Bob Builder <bob@example.com>")
    return repo


def test_review_mode_lists_changes_riskiest_first(git_repo: GitRepoBuilder) -> None:
    build(git_repo)

    async def scenario() -> None:
        app = make_app(str(git_repo.root), review_range="HEAD~1..HEAD")
        app.session.clock = frozen_clock
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.MODE == "review"
            names = [c.symbol.qualname for c in screen.items]
            assert names[0] == "pkg.calc.add"  # called from the CLI and the tests: riskiest
            assert {"pkg.calc.div", "pkg.calc.mul"} <= set(names)
            code = screen.query_one(CodeView)
            assert code.path == "pkg/calc.py" and code.target_line == 4
            assert code.rev == screen.result.head
            detail = str(screen.query_one("#review-detail", Static).render())
            assert "Risk" in detail and "Callers" in detail and "pkg.cli.main" in detail
            assert "Alice Able" in str(screen.query_one("#review-summary", Static).render())
            # a deleted symbol is shown as it was at BASE
            index = names.index("pkg.calc.mul")
            screen.query_one("#review-changed", OptionList).highlighted = index
            await settle(pilot)
            assert code.rev == screen.result.base
            assert code.lines[code.target_line - 1].startswith("def mul(")

    asyncio.run(scenario())


def test_review_mode_asks_for_a_range_and_reports_errors(git_repo: GitRepoBuilder) -> None:
    build(git_repo)

    async def scenario() -> None:
        app = make_app(str(git_repo.root))
        app.start_mode = "review"
        app.session.clock = frozen_clock
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.query_one("#review-range", Input).has_focus
            await drive(pilot, ["type:nope..HEAD", "enter"])
            assert screen.result is None  # the error became a notification, not a crash
            assert any("unknown revision" in str(n.message) for n in app._notifications)
            box = screen.query_one("#review-range", Input)
            box.value = ""
            await drive(pilot, ["type:HEAD~1..HEAD", "enter"])
            assert screen.result is not None and screen.items

    asyncio.run(scenario())
