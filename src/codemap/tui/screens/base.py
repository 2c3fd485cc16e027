"""What every mode screen shares: the frame (mode bar, status bar, footer),
loading through named thread workers, back/forward history, the side panel.

``load`` is the only way a screen gets engine data: it runs a function of
:mod:`codemap.tui.loaders` in a thread worker named after what it loads and
posts the answer as a message; errors go to the app's central handler,
which turns them into notifications. Workers of one group are exclusive:
a newer request (the user moved on) cancels the older one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import Worker, get_current_worker

from codemap.tui.navigation import Location, NavHistory
from codemap.tui.session import Session
from codemap.tui.widgets.mode_bar import ModeBar
from codemap.tui.widgets.status_bar import StatusBar


class ModeScreen(Screen[None]):
    """Base class of the top-level screens (one per mode)."""

    MODE: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""

    BINDINGS = [
        Binding("left_square_bracket,alt+left", "back", "Back", key_display="[",
                id="nav.back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", key_display="]",
                show=False, id="nav.forward"),
        Binding("s", "toggle_side", "Side panel", id="screen.side"),
        Binding("escape", "leave_input", "Leave the input", show=False, id="screen.leave_input"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(classes=f"mode-{self.MODE}")
        self.session = session
        self.nav = NavHistory()

    # ------------------------------------------------------------------ frame

    def compose(self) -> ComposeResult:
        from codemap.tui.screens import available_modes

        repo = self.session.repo
        where = repo.root.name + (f" @ {self.session.rev}" if self.session.rev else "")
        if not repo.is_git:
            where += " (no git)"
        yield ModeBar(self.MODE, [(m.name, m.title, m.key) for m in available_modes()], where)
        yield from self.compose_body()
        yield StatusBar()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        """The mode's own widgets (between the mode bar and the status bar)."""
        yield from ()

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    @on(events.Mount)
    def _show_index_state(self) -> None:
        """Show where the index build is (it may have moved on before this screen existed)."""
        app = self.app
        progress = getattr(app, "index_note", None)
        if self.session.index_ready.is_set():
            self.status.clear_progress(getattr(app, "index_note_done", ""))
        elif progress is not None:
            self.status.set_progress(*progress)

    # ------------------------------------------------------------------ loading

    def load(self, group: str, fn: Callable[..., Any], *args: Any,
             message: Callable[[Any], Message] | None = None, exclusive: bool = True,
             **kwargs: Any) -> Worker[Any]:
        """Run ``fn(*args, **kwargs)`` in a thread worker named ``group``; post
        ``message(result)`` to this screen unless the worker was cancelled."""

        def work() -> Any:
            result = fn(*args, **kwargs)
            if message is not None and not get_current_worker().is_cancelled:
                self.post_message(message(result))
            return result

        return self.run_worker(work, name=group, group=group, thread=True,
                               exclusive=exclusive, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.app.worker_changed(event)  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ hooks from the app

    def index_progressed(self, stage: str, done: int, total: int) -> None:
        if self.is_mounted:
            self.status.set_progress(stage, done, total)

    def index_opened(self, fresh: bool) -> None:
        """The index reader is available (``fresh``: refreshed, symbols complete)."""
        if self.is_mounted and fresh:
            self.status.clear_progress(getattr(self.app, "index_note_done", ""))

    # ------------------------------------------------------------------ navigation

    def goto(self, loc: Location, *, record: bool = True) -> None:
        """Show ``loc`` (screens with a code view implement this)."""

    def visit(self, loc: Location) -> None:
        self.nav.visit(loc)

    def action_back(self) -> None:
        loc = self.nav.back()
        if loc is None:
            self.notify("nothing to go back to", timeout=2)
            return
        self.goto(loc, record=False)

    def action_forward(self) -> None:
        loc = self.nav.forward()
        if loc is None:
            self.notify("nothing to go forward to", timeout=2)
            return
        self.goto(loc, record=False)

    def action_leave_input(self) -> None:
        """Escape from a text box, so single-key bindings work again."""
        from textual.widgets import Input

        if isinstance(self.focused, Input):
            main = self.query("#code")
            if main:
                main.first().focus()
            else:
                self.focus_next()

    def action_toggle_side(self) -> None:
        """Show or hide the side panel (shown by default on wide terminals only)."""
        self.toggle_class("-side-toggled")
