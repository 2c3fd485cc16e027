"""The top line: which repository, and the modes (click one, or press its key).

COMPONENT_CLASSES:
    mode-bar--brand: the program name
    mode-bar--repo: the repository and revision
    mode-bar--mode: a mode
    mode-bar--current: the current mode
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from codemap.tui.texts import line
from codemap.tui.widgets.styles import foreground


class ModeBar(Static):
    """``codemap · repo@rev   1 Explore  2 Trace  3 Endpoint``."""

    COMPONENT_CLASSES = {"mode-bar--brand", "mode-bar--repo", "mode-bar--mode",
                         "mode-bar--current"}

    DEFAULT_CSS = """
    ModeBar {
        dock: top;
        height: 1;
        background: $panel;
        & > .mode-bar--brand { color: $primary; text-style: bold; }
        & > .mode-bar--repo { color: $text-muted; }
        & > .mode-bar--mode { color: $text-muted; }
        & > .mode-bar--current { color: $text; background: $primary 40%; text-style: bold; }
    }
    """

    def __init__(self, current: str, modes: list[tuple[str, str, str]], where: str) -> None:
        super().__init__()
        self.current = current
        self.modes = modes  # (name, title, key)
        self.where = where

    def on_mount(self) -> None:
        self.update(self._render_bar())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.update(self._render_bar())

    def _render_bar(self) -> Text:
        out = Text(end="")
        out.append(" codemap", foreground(self, "mode-bar--brand"))
        out.append_text(line(f" {self.where}", foreground(self, "mode-bar--repo")))
        out.append("  ")
        for name, title, key in self.modes:
            style = (self.get_component_rich_style("mode-bar--current") if name == self.current
                     else foreground(self, "mode-bar--mode"))
            out.append(f" {key} {title} ", style + Style.from_meta({"@click": f"app.mode('{name}')"}))
        return out
