"""The recent commits that changed a symbol's lines (``codemap history``), newest first.

COMPONENT_CLASSES:
    history-panel--title: the heading
    history-panel--sha: a short sha
    history-panel--ai: the AI-assisted mark
    history-panel--muted: author and age
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from codemap.tui.texts import age, line, short_name, short_sha
from codemap.tui.widgets.gutter import AI_MARK
from codemap.tui.widgets.styles import foreground

MAX_COMMITS = 6


class HistoryPanel(Static):
    """Commits of one file range."""

    COMPONENT_CLASSES = {"history-panel--title", "history-panel--sha", "history-panel--ai",
                         "history-panel--muted"}

    DEFAULT_CSS = """
    HistoryPanel {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .history-panel--title { color: $text; text-style: bold; }
        & > .history-panel--sha { color: $text-warning; }
        & > .history-panel--ai { color: $accent; text-style: bold; }
        & > .history-panel--muted { color: $text-muted; }
    }
    """

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def show_text(self, text: str) -> None:
        self.update(Text(text, style=self._style("history-panel--muted"), end=""))

    def show_history(self, title: str, result: Any, now: datetime) -> None:
        out = Text(end="")
        out.append_text(line(title, self._style("history-panel--title")))
        commits = list(result.commits)
        if not commits:
            out.append("\nno commits yet", self._style("history-panel--muted"))
        for c in commits[:MAX_COMMITS]:
            out.append("\n")
            out.append(short_sha(c.sha)[:7], self._style("history-panel--sha"))
            out.append(" ")
            if c.ai:
                out.append(f"{AI_MARK} ", self._style("history-panel--ai"))
            out.append_text(line(f"{age(c.date, now):>4} {short_name(c.author, 12)} ",
                                 self._style("history-panel--muted")))
            out.append_text(line(c.summary))
        if len(commits) > MAX_COMMITS:
            out.append(f"\n… {len(commits) - MAX_COMMITS} older", self._style("history-panel--muted"))
        self.update(out)
