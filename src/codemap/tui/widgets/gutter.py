"""What the code view's gutter says about one line, as styled cells.

Columns: line number; blame age and author (who last changed the line and
how long ago); a provenance mark (``✦`` written with an AI tool, ``⚙``
machine-generated file); a coverage mark (``●`` executed by the tests,
``○`` a statement no test executed). The cells name component classes of
:class:`~codemap.tui.widgets.code_view.CodeView`, which owns the colours.
Kept free of Textual so the layout can be tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from codemap.tui.texts import age, age_days, short_name

AI_MARK = "✦"
GENERATED_MARK = "⚙"
COVERED_MARK = "●"
MISSED_MARK = "○"
PARTIAL_MARK = "◐"
UNCOMMITTED = "new"
AUTHOR_WIDTH = 9


@dataclass(frozen=True)
class GutterLayout:
    """Which columns are shown, and how wide."""

    number_width: int
    blame: bool  # the age column
    author: bool  # the author column (dropped first when the view is narrow)

    @property
    def width(self) -> int:
        w = self.number_width + 1
        if self.blame:
            w += 4
            if self.author:
                w += AUTHOR_WIDTH + 1
        return w + 3  # marks + separator


def layout_for(line_count: int, view_width: int, has_blame: bool) -> GutterLayout:
    digits = max(3, len(str(max(line_count, 1))))
    return GutterLayout(digits, has_blame, has_blame and view_width >= 60)


def age_class(days: float | None) -> str:
    if days is None:
        return "code-view--age-old"
    if days < 30:
        return "code-view--age-new"
    if days < 180:
        return "code-view--age-mid"
    return "code-view--age-old"


def gutter_cells(number: int, layout: GutterLayout, blame: Any | None, coverage: Any | None,
                 generated: bool, now: datetime) -> list[tuple[str, str]]:
    """(text, component class) cells for line ``number``.

    ``blame`` is a :class:`~codemap.history.blame.BlameLine` (or None while
    it loads), ``coverage`` a :class:`~codemap.coverage.model.LineCoverage`.
    """
    cells: list[tuple[str, str]] = [
        (f"{number:>{layout.number_width}} ", "code-view--lineno")]
    if layout.blame:
        if blame is None:
            cells.append(("   " + " ", "code-view--age-old"))
            if layout.author:
                cells.append((" " * (AUTHOR_WIDTH + 1), "code-view--author"))
        elif blame.uncommitted:
            cells.append((f"{UNCOMMITTED:>3} ", "code-view--age-new"))
            if layout.author:
                cells.append((f"{'(you)':<{AUTHOR_WIDTH}} ", "code-view--author"))
        else:
            cells.append((f"{age(blame.date, now):>3} ", age_class(age_days(blame.date, now))))
            if layout.author:
                cells.append((f"{short_name(blame.author, AUTHOR_WIDTH):<{AUTHOR_WIDTH}} ",
                              "code-view--author"))
    if blame is not None and getattr(blame, "ai", False):
        cells.append((AI_MARK, "code-view--ai"))
    elif generated:
        cells.append((GENERATED_MARK, "code-view--generated"))
    else:
        cells.append((" ", "code-view--lineno"))
    covered = getattr(coverage, "covered", None) if coverage is not None else None
    if covered is None:
        cells.append((" ", "code-view--lineno"))
    elif covered:
        branches = getattr(coverage, "branches", None)
        partial = branches is not None and branches.covered < branches.total
        cells.append((PARTIAL_MARK if partial else COVERED_MARK,
                      "code-view--partial" if partial else "code-view--covered"))
    else:
        cells.append((MISSED_MARK, "code-view--missed"))
    cells.append(("▏", "code-view--separator"))
    return cells
