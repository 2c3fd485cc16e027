"""The Textual application: it wires modes, global bindings and the index worker.

No analysis and no layout live here (layout is in ``app.tcss``, which uses
theme variables only, so light and dark themes both work). The app owns
three things: the modes (from :mod:`codemap.tui.screens`), the index worker
whose progress every screen shows, and the central handler that turns a
failed worker into a notification instead of a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from codemap.errors import CodemapError
from codemap.progress import Progress
from codemap.tui import loaders
from codemap.tui import messages as m
from codemap.tui.keys import key_groups
from codemap.tui.navigation import Location
from codemap.tui.palette import SymbolCommands
from codemap.tui.screens import MODES, available_modes, screen_class
from codemap.tui.screens.base import ModeScreen
from codemap.tui.session import Session

FIRST_PAINT_WAIT = 2.0  # seconds a warm index waits for the first screen before refreshing


class CodemapApp(App[None]):
    """codemap's terminal UI."""

    TITLE = "codemap"
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide")]
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {SymbolCommands}

    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False, id="app.theme"),
        *(Binding(spec.key, f"mode('{spec.name}')", spec.title, show=False,
                  id=f"app.mode.{spec.name}") for spec in MODES),
    ]

    def __init__(self, session: Session, *, mode: str = "explore",
                 build_index: bool = True) -> None:
        super().__init__()
        self.session = session
        self.start_mode = mode
        self.build_index = build_index
        self.mode_screens: dict[str, ModeScreen] = {}
        self.index_note: tuple[str, int, int] | None = None
        self.index_note_done = ""
        # set by the first screen once its main content shows: a warm index is refreshed
        # after that, so the refresh does not compete with the first paint
        self.first_paint = threading.Event()
        for spec in available_modes():
            self.add_mode(spec.name, partial(self._make_screen, spec.name))

    def _make_screen(self, name: str) -> Screen[Any]:
        spec = next(s for s in MODES if s.name == name)
        cls = screen_class(spec)
        screen = cls(self.session)
        self.mode_screens[name] = screen
        return screen

    def on_mount(self) -> None:
        self.switch_mode(self.start_mode)
        if self.build_index:
            self.run_worker(self._index, name="index", group="index", thread=True,
                            exit_on_error=False)

    # ------------------------------------------------------------------ the index

    def _index(self) -> None:
        """Open the last index at once when there is one, then refresh it, reporting progress."""
        session = self.session
        if loaders.index_exists(session):
            reader = loaders.open_reader(session, refresh=False)
            self.post_message(m.IndexOpened(reader, fresh=False))
            self.first_paint.wait(FIRST_PAINT_WAIT)

        def progress(p: Progress) -> None:
            self.post_message(m.IndexProgressed(p.stage, p.done, p.total))

        reader = loaders.open_reader(session, refresh=True, progress=progress)
        self.post_message(m.IndexOpened(reader, fresh=True, counts=reader.counts()))

    def on_index_progressed(self, message: m.IndexProgressed) -> None:
        self.index_note = (message.stage, message.done, message.total)
        for screen in self.mode_screens.values():
            screen.index_progressed(message.stage, message.done, message.total)

    def on_index_opened(self, message: m.IndexOpened) -> None:
        if message.fresh:
            self.index_note = None
        note = ""
        if message.counts:
            c = message.counts
            note = f"index: {c.get('files', 0)} files, {c.get('symbols', 0)} symbols, " \
                   f"{c.get('edges', 0)} call edges"
        self.index_note_done = note
        for screen in self.mode_screens.values():
            screen.index_opened(message.fresh)

    # ------------------------------------------------------------------ errors

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.worker_changed(event)

    def worker_changed(self, event: Worker.StateChanged) -> None:
        """The one place a failed worker becomes a message to the user (screens and
        widgets forward their workers' state changes here: they do not bubble)."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, CodemapError):
            text = error.message
        else:
            text = f"internal error in {event.worker.name}: {type(error).__name__}: {error}"
        from codemap.safe import inert_line

        self.notify(inert_line(text), title=event.worker.name or "error", severity="error",
                    timeout=8, markup=False)

    # ------------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "mode" and parameters:
            return parameters[0] in self.mode_screens or any(
                s.name == parameters[0] for s in available_modes())
        return True

    def action_mode(self, name: str) -> None:
        if any(s.name == name for s in available_modes()):
            self.switch_mode(name)
        else:
            self.notify(f"{name} mode is not available in this build", timeout=3)

    def action_help(self) -> None:
        from codemap.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def open_in_explore(self, loc: Location) -> None:
        """Switch to explore mode at ``loc`` (from a frame, a call tree node...)."""
        self.switch_mode("explore")
        screen = self.mode_screens.get("explore")
        if screen is not None:
            screen.call_after_refresh(screen.goto, loc)

    # ------------------------------------------------------------------ command palette

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action bound on this screen, by name, plus Textual's own commands."""
        yield from super().get_system_commands(screen)
        for group in key_groups(screen):
            for keys, binding in group.entries:
                if binding.action in ("help", "quit") and group.title == "Global":
                    continue
                yield SystemCommand(f"{group.title}: {binding.description}", f"key: {keys}",
                                    partial(self.run_action, binding.action, group.node))
        yield SystemCommand("Global: Help", "key: ?", self.action_help)
