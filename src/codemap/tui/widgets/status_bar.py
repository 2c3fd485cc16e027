"""The line above the footer: what is loading, and a progress bar while the index builds.

The screen paints before any engine work finishes; this bar says what is
still coming (index build, blame, suspects) so the user never wonders.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class StatusBar(Horizontal):
    """A status line with an optional progress bar."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text-muted;
        & > #status-note { width: 1fr; padding: 0 1; }
        & > ProgressBar { width: 40; display: none; }
        & > ProgressBar.-busy { display: block; }
        & > ProgressBar Bar { width: 20; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Label(id="status-note")
        yield ProgressBar(show_eta=False, id="status-progress")

    def set_note(self, text: str | Text) -> None:
        self.query_one("#status-note", Label).update(
            text if isinstance(text, Text) else Text(text, end=""))

    def set_progress(self, stage: str, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.add_class("-busy")
        bar.update(total=max(total, 1), progress=done)
        self.set_note(Text(f"{stage}: {done}/{total}", end=""))

    def clear_progress(self, note: str = "") -> None:
        self.query_one(ProgressBar).remove_class("-busy")
        self.set_note(note)
