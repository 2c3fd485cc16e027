"""The help screen, rendered from the bindings that work on the screen below it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from codemap.tui.keys import key_groups

LEGEND = (
    ("✦", "written with an AI tool (commit trailer, bot identity, git-ai note, Agent Trace)"),
    ("⚙", "machine-generated file"),
    ("●", "executed by the tests"),
    ("◐", "executed, but some branches never taken"),
    ("○", "a statement no test executed"),
    ("7mo", "time since the line last changed (blame)"),
)


class HelpScreen(ModalScreen[None]):
    """Keys of the current mode, grouped, and what the gutter marks mean."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def __init__(self, below: Screen[Any]) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._render_help(), id="help-text")

    def _render_help(self) -> Text:
        out = Text(end="")
        title = getattr(self.below, "TITLE", "") or "codemap"
        out.append(f"codemap · {title}\n", "bold")
        for group in key_groups(self.below):
            out.append(f"\n{group.title}\n", "bold underline")
            for keys, binding in group.entries:
                out.append(f"  {keys:<14}", "bold")
                out.append(f"{binding.description}\n")
        out.append("\nGutter\n", "bold underline")
        for mark, meaning in LEGEND:
            out.append(f"  {mark:<14}", "bold")
            out.append(f"{meaning}\n")
        out.append("\nThe command palette (ctrl+p) runs every action by name; "
                   "the mouse works everywhere.\n", "italic")
        return out

    def on_click(self) -> None:
        self.dismiss()
