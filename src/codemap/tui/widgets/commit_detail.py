"""One commit: who, when, whether an AI tool took part, its message and its patch.

Shown for the suspect or the blamed line the user picked. Everything here
comes from the repository (message, names, patch) and is shown literally.

COMPONENT_CLASSES:
    commit-detail--sha / --author / --date: the header
    commit-detail--ai: the AI-provenance line
    commit-detail--message: the commit message
    commit-detail--added / --removed / --hunk / --file: the patch
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.style import Style
from rich.text import Text

from codemap.tui.texts import age, line
from codemap.tui.widgets.gutter import AI_MARK
from codemap.tui.widgets.styles import foreground
from codemap.tui.widgets.text_lines import TextLines


class CommitDetail(TextLines):
    """The selected commit's header, message and diff."""

    COMPONENT_CLASSES = {
        "commit-detail--sha", "commit-detail--author", "commit-detail--date",
        "commit-detail--ai", "commit-detail--message", "commit-detail--added",
        "commit-detail--removed", "commit-detail--hunk", "commit-detail--file",
    }

    DEFAULT_CSS = """
    CommitDetail {
        & > .commit-detail--sha { color: $secondary; text-style: bold; }
        & > .commit-detail--author { color: $text; text-style: bold; }
        & > .commit-detail--date { color: $text-muted; }
        & > .commit-detail--ai { color: $accent; text-style: bold; }
        & > .commit-detail--message { color: $text; }
        & > .commit-detail--added { color: $success; }
        & > .commit-detail--removed { color: $error; }
        & > .commit-detail--hunk { color: $secondary; }
        & > .commit-detail--file { color: $text; text-style: bold; }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.sha: str | None = None

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def show_message(self, text: str) -> None:
        self.sha = None
        self.set_lines([Text(text, style="italic", end="")])

    def show_commit(self, detail: Any, now: datetime) -> None:
        """Render a :class:`codemap.tui.loaders.CommitDetail`."""
        info = detail.info
        self.sha = info.sha
        out: list[Text] = []
        head = Text(end="")
        head.append(info.sha[:12], self._style("commit-detail--sha"))
        head.append("  ")
        head.append_text(line(info.author, self._style("commit-detail--author")))
        head.append(" ")
        head.append_text(line(f"<{info.email}>", self._style("commit-detail--date")))
        out.append(head)
        out.append(line(f"{info.date}  ({age(info.date, now)} ago)",
                        self._style("commit-detail--date")))
        if detail.ai:
            ai = Text(f"{AI_MARK} AI-assisted", self._style("commit-detail--ai"), end="")
            if detail.ai_tool:
                ai.append_text(line(f" ({detail.ai_tool})", self._style("commit-detail--ai")))
            out.append(ai)
            for source in detail.ai_sources[:3]:
                out.append(line(f"  evidence: {source}", self._style("commit-detail--date")))
        out.append(Text(end=""))
        for text in info.message.rstrip("\n").splitlines() or [info.summary]:
            out.append(line(f"    {text}", self._style("commit-detail--message")))
        out.append(Text(end=""))
        for raw in detail.diff:
            out.append(line(raw, self._diff_style(raw)))
        if detail.diff_truncated:
            out.append(Text("… patch truncated", style="italic", end=""))
        self.set_lines(out)

    def _diff_style(self, raw: str) -> Style:
        if raw.startswith(("+++", "---", "diff --git")):
            return self._style("commit-detail--file")
        if raw.startswith("+"):
            return self._style("commit-detail--added")
        if raw.startswith("-"):
            return self._style("commit-detail--removed")
        if raw.startswith("@@"):
            return self._style("commit-detail--hunk")
        return Style()
