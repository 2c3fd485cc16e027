"""Conventions: modes, help from the bindings, command palette, themes, mouse, progress."""

from __future__ import annotations

from codemap.tui.app import CodemapApp
from codemap.tui.keys import key_groups
from codemap.tui.screens.help import HelpScreen
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.mode_bar import ModeBar
from tests.tui.scenarios import Scenario, drive, settle


async def test_mode_keys_and_mode_bar_clicks(demo):
    app = Scenario("t", "", trace=True).make_app(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.MODE == "trace"
        await drive(pilot, ["1"])
        assert app.screen.MODE == "explore"
        await drive(pilot, ["escape", "3"])
        assert app.screen.MODE == "endpoint"
        await drive(pilot, ["escape", "2"])
        assert app.screen.MODE == "trace"
        # the mode bar is clickable: " codemap shopfront    1 Explore ..."
        bar = app.screen.query_one(ModeBar)
        x = bar.render().plain.index("1 Explore")
        await pilot.click(ModeBar, offset=(x + 1, 0))
        await settle(pilot)
        assert app.screen.MODE == "explore"


async def test_help_is_rendered_from_the_bindings(demo):
    app = Scenario("t", "", trace=True).make_app(demo)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        groups = key_groups(app.screen)
        descriptions = {b.description for g in groups for _, b in g.entries}
        assert {"Blame parent", "Paste trace", "Back", "Help", "Quit"} <= descriptions
        await drive(pilot, ["question_mark"])
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for description in ("Blame parent", "Paste trace", "Side panel", "Explore"):
            assert description in text
        await drive(pilot, ["escape"])
        assert app.screen.MODE == "trace"


async def test_command_palette_runs_every_bound_action(demo):
    app = Scenario("t", "", trace=True).make_app(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Trace: Blame parent", "Trace: Paste trace", "Global: Explore",
                       "Global: Light/dark", "Global: Help"):
            assert wanted in titles
        await drive(pilot, ["ctrl+p", "type:Global: Explore", "enter"])
        await settle(pilot)
        assert app.screen.MODE == "explore"


async def test_light_and_dark_themes(demo):
    app = Scenario("t", "", trace=True).make_app(demo)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.current_theme.dark
        await drive(pilot, ["ctrl+t"])
        assert not app.current_theme.dark
        code = app.screen.query_one(CodeView)
        assert code._highlighter.theme == "friendly"
        await drive(pilot, ["ctrl+t"])
        assert app.current_theme.dark


async def test_index_progress_is_shown_while_building(git_repo):
    for i in range(1200):  # enough that the build outlasts the first paint, even on a busy machine
        git_repo.write(f"pkg/m{i}.py", f"def f{i}(x):\n    return x + {i}\n")
    git_repo.commit("many files")
    from codemap.repo import find_repo
    from codemap.tui.session import Session

    seen: list[tuple[str, int, int]] = []
    notes: list[str] = []

    class SpyApp(CodemapApp):
        def on_index_progressed(self, message):
            # progress arrives while the explore screen is up, and is shown on it
            mode = getattr(self.screen, "MODE", None)
            seen.append((mode, message.done, message.total))
            super().on_index_progressed(message)
            if mode is not None:
                notes.append(str(self.screen.query_one("#status-note").render()))

    app = SpyApp(Session(find_repo(git_repo.root)), mode="explore")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.session.index_ready.is_set()
        assert not app.screen.query_one("#status-progress").has_class("-busy")
    assert seen and any(mode == "explore" for mode, _, _ in seen), seen
    assert any("parsing" in note for note in notes), (seen, notes)


async def test_quit(demo):
    app = Scenario("t", "").make_app(demo)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_command_palette_goes_to_a_symbol(demo):
    app = Scenario("t", "", trace=True).make_app(demo)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await drive(pilot, ["ctrl+p", "type:apply_coupon"])
        await pilot.pause(0.5)
        await drive(pilot, ["enter"])
        await settle(pilot)
        assert app.screen.MODE == "explore"
        code = app.screen.query_one(CodeView)
        assert code.path == "shop/pricing.py"
        assert code.lines[code.cursor_line - 1].startswith("def apply_coupon")
