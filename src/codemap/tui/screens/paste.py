"""A dialog to paste a stack trace (log noise around it is fine)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea


class PasteTraceScreen(ModalScreen[str | None]):
    """Returns the pasted text, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="paste.cancel"),
        Binding("ctrl+s", "submit", "Open trace", id="paste.submit"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="paste-box"):
            yield Label("Paste a stack trace (any language; log lines around it are fine). "
                        "ctrl+s opens it.")
            yield TextArea(id="paste-text", soft_wrap=False, show_line_numbers=False)
            with Horizontal(id="paste-buttons"):
                yield Button("Open trace", variant="primary", id="paste-open")
                yield Button("Cancel", id="paste-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "paste-open":
            self.action_submit()
        else:
            self.action_cancel()

    def action_submit(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
