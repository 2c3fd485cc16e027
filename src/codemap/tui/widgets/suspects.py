"""Suspect commits of a trace, best first, each with its score and reasons.

Commit summaries, author names and reasons are untrusted text, shown
literally. Moving the highlight posts ``SuspectSelected`` so the commit
panel can load that commit.

COMPONENT_CLASSES:
    suspects--score: the score
    suspects--sha: the short sha
    suspects--ai: the AI-assisted mark
    suspects--reason: the reasons under a suspect
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from codemap.tui.texts import line, short_name, short_sha
from codemap.tui.widgets.gutter import AI_MARK
from codemap.tui.widgets.styles import foreground

MAX_REASONS = 3


class SuspectsPanel(OptionList):
    """The ranked suspects of a trace."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {
        "suspects--score", "suspects--sha", "suspects--ai", "suspects--reason"}

    DEFAULT_CSS = """
    SuspectsPanel {
        height: 1fr;
        & > .suspects--score { color: $text-warning; text-style: bold; }
        & > .suspects--sha { color: $text-warning; }
        & > .suspects--ai { color: $accent; text-style: bold; }
        & > .suspects--reason { color: $text-muted; }
    }
    """

    class SuspectSelected(Message):
        def __init__(self, panel: SuspectsPanel, suspect: Any) -> None:
            super().__init__()
            self.panel = panel
            self.suspect = suspect

        @property
        def control(self) -> SuspectsPanel:
            return self.panel

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.suspects: list[Any] = []

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def show_loading(self, text: str = "ranking suspect commits…") -> None:
        self.suspects = []
        self.set_options([Option(Text(text, style="italic"), disabled=True)])

    def show_suspects(self, suspects: list[Any]) -> None:
        self.suspects = list(suspects)
        if not self.suspects:
            self.set_options([Option(Text("no suspect commits (no history for these lines)",
                                          style="italic"), disabled=True)])
            return
        self.set_options([Option(self._prompt(s), id=s.sha) for s in self.suspects])
        self.highlighted = 0

    def _prompt(self, s: Any) -> Text:
        text = Text(end="")
        text.append(f"{s.score:.2f} ", self._style("suspects--score"))
        text.append(short_sha(s.sha), self._style("suspects--sha"))
        text.append(" ")
        if s.ai:
            text.append(f"{AI_MARK} ", self._style("suspects--ai"))
        text.append_text(line(s.summary))
        text.append("\n")
        text.append_text(line(f"{short_name(s.author, 20)} · {s.date[:10]}",
                              self._style("suspects--reason")))
        for reason in list(s.reasons)[:MAX_REASONS]:
            text.append("\n· ", self._style("suspects--reason"))
            text.append_text(line(reason, self._style("suspects--reason")))
        return text

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.control is not self or event.option_index >= len(self.suspects):
            return
        event.stop()
        self.post_message(self.SuspectSelected(self, self.suspects[event.option_index]))
