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

    def __init__(self) -> None:
        super().__init__()
        self._note_is_progress = True  # an empty bar may show the index note

    def compose(self) -> ComposeResult:
        yield Label(id="status-note")
        yield ProgressBar(show_eta=False, id="status-progress")

    def set_note(self, text: str | Text) -> None:
        self._note_is_progress = False
        self._show(text)

    def _show(self, text: str | Text) -> None:
        self.query_one("#status-note", Label).update(
            text if isinstance(text, Text) else Text(text, end=""))

    def set_progress(self, stage: str, done: int, total: int) -> None:
        """Show the index build's progress (the note returns when it is done)."""
        bar = self.query_one(ProgressBar)
        bar.add_class("-busy")
        bar.update(total=max(total, 1), progress=done)
        if self._note_is_progress:
            self._show(Text(f"indexing · {stage}: {done}/{total}", end=""))

    def clear_progress(self, note: str = "") -> None:
        """Hide the bar; ``note`` replaces the progress text, not a screen's own note."""
        self.query_one(ProgressBar).remove_class("-busy")
        if self._note_is_progress:
            self._show(note)
