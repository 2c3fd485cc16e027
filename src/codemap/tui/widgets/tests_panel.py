"""The tests that execute the selected line, and the line's coverage verdict.

Test ids come from coverage data recorded with per-test contexts
(coverage.py ``dynamic_context = test_function`` or ``--context``).

COMPONENT_CLASSES:
    tests-panel--title: the heading
    tests-panel--covered / --missed: the verdict
    tests-panel--test: a test id
    tests-panel--muted: notes
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from codemap.tui.texts import line
from codemap.tui.widgets.gutter import COVERED_MARK, MISSED_MARK
from codemap.tui.widgets.styles import foreground

MAX_TESTS = 6


class LineTestsPanel(Static):
    """Coverage of one line: covered or not, and by which tests."""

    COMPONENT_CLASSES = {"tests-panel--title", "tests-panel--covered", "tests-panel--missed",
                         "tests-panel--test", "tests-panel--muted"}

    DEFAULT_CSS = """
    LineTestsPanel {
        height: auto;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .tests-panel--title { color: $text; text-style: bold; }
        & > .tests-panel--covered { color: $success; }
        & > .tests-panel--missed { color: $error; }
        & > .tests-panel--test { color: $text; }
        & > .tests-panel--muted { color: $text-muted; }
    }
    """

    def _style(self, name: str) -> Style:
        return foreground(self, name)

    def show_text(self, text: str) -> None:
        self.update(Text(text, style=self._style("tests-panel--muted"), end=""))

    def show_line(self, path: str, number: int, coverage: Any | None, has_data: bool) -> None:
        out = Text(end="")
        out.append_text(line(f"Tests of {path}:{number}", self._style("tests-panel--title")))
        covered = getattr(coverage, "covered", None) if coverage is not None else None
        if not has_data:
            out.append("\nno coverage data for this repository", self._style("tests-panel--muted"))
        elif covered is None:
            out.append("\nnot a measured statement", self._style("tests-panel--muted"))
        elif not covered:
            out.append(f"\n{MISSED_MARK} no test executes this line",
                       self._style("tests-panel--missed"))
        else:
            tests = list(getattr(coverage, "tests", []) or [])
            out.append(f"\n{COVERED_MARK} executed by ", self._style("tests-panel--covered"))
            out.append(f"{len(tests)} test{'s' if len(tests) != 1 else ''}" if tests
                       else "the test run (no per-test contexts recorded)",
                       self._style("tests-panel--covered"))
            for test in tests[:MAX_TESTS]:
                out.append("\n  ")
                out.append_text(line(test, self._style("tests-panel--test")))
            if len(tests) > MAX_TESTS:
                out.append(f"\n  and {len(tests) - MAX_TESTS} more", self._style("tests-panel--muted"))
        self.update(out)

    def show_symbol(self, sym: Any, row: Any | None, has_data: bool) -> None:
        """Coverage of a whole symbol: percent of its statements and the tests that run it."""
        out = Text(end="")
        out.append_text(line(f"Tests of {sym.qualname}", self._style("tests-panel--title")))
        if row is None:
            out.append("\nno coverage data for this file" if has_data else
                       "\nno coverage data for this repository", self._style("tests-panel--muted"))
            self.update(out)
            return
        pct = "n/a" if row.percent is None else f"{row.percent:.0f}%"
        style = "tests-panel--covered" if row.covered == row.statements else "tests-panel--missed"
        out.append(f"\n{pct} of {row.statements} statements executed", self._style(style))
        if row.missing_lines:
            shown = ", ".join(str(n) for n in row.missing_lines[:8])
            out.append(f"\nmissed lines: {shown}", self._style("tests-panel--muted"))
        tests = list(row.tests or [])
        for test in tests[:MAX_TESTS]:
            out.append("\n  ")
            out.append_text(line(test, self._style("tests-panel--test")))
        if len(tests) > MAX_TESTS:
            out.append(f"\n  and {len(tests) - MAX_TESTS} more", self._style("tests-panel--muted"))
        self.update(out)
