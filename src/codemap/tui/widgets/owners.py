"""Who wrote the selected function: people, AI tools and generators, with shares.

Built from a ``who`` answer (:func:`codemap.history.service.who`); names,
e-mails and evidence strings are untrusted and shown literally.

COMPONENT_CLASSES:
    owners--title: the heading
    owners--name: an author's name
    owners--share: shares and counts
    owners--ai: the AI line
    owners--muted: secondary facts
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from codemap.tui.texts import age, line, percent
from codemap.tui.widgets.gutter import AI_MARK, GENERATED_MARK
from codemap.tui.widgets.styles import foreground

MAX_AUTHORS = 4


class OwnersPanel(Static):
    """Owners of a file range (a function, usually)."""

    COMPONENT_CLASSES = {"owners--title", "owners--name", "owners--share", "owners--ai",
                         "owners--muted"}

    DEFAULT_CSS = """
    OwnersPanel {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .owners--title { color: $text; text-style: bold; }
        & > .owners--name { color: $text; }
        & > .owners--share { color: $warning; }
        & > .owners--ai { color: $accent; text-style: bold; }
        & > .owners--muted { color: $text-muted; }
    }
    """

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def show_text(self, text: str) -> None:
        self.update(Text(text, style=self._style("owners--muted"), end=""))

    def show_who(self, who: Any, title: str, now: datetime) -> None:
        out = Text(end="")
        out.append_text(line(title, self._style("owners--title")))
        for author in who.authors[:MAX_AUTHORS]:
            out.append("\n")
            out.append(f"{percent(author.share):>4} ", self._style("owners--share"))
            out.append_text(line(author.name, self._style("owners--name")))
            out.append_text(line(f"  {age(author.last_date, now)} ago",
                                 self._style("owners--muted")))
        if len(who.authors) > MAX_AUTHORS:
            out.append(f"\n     and {len(who.authors) - MAX_AUTHORS} more",
                       self._style("owners--muted"))
        if who.ai.lines:
            out.append("\n")
            out.append(f"{AI_MARK} {percent(who.ai.share)} AI-written", self._style("owners--ai"))
            tools = ", ".join(getattr(who.ai, "tools", {}) or {})
            if tools:
                out.append_text(line(f" ({tools})", self._style("owners--ai")))
        if who.generated:
            out.append(f"\n{GENERATED_MARK} generated file", self._style("owners--ai"))
            for source in list(getattr(who, "generated_sources", []))[:1]:
                out.append_text(line(f": {source}", self._style("owners--muted")))
        declared = list(getattr(who, "declared_owners", []) or [])
        if declared:
            out.append("\nCODEOWNERS: ", self._style("owners--muted"))
            out.append_text(line(" ".join(declared), self._style("owners--name")))
        if not who.authors and not who.generated:
            out.append("\nno committed lines yet", self._style("owners--muted"))
        self.update(out)
