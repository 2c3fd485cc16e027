"""Source code with a gutter of blame, provenance and coverage, for files of any size.

A Line API widget: only the rows on screen are rendered, each from the
file's line list, so a 100,000-line file costs what a screenful costs.
Colouring is lazy too (:mod:`.highlight`). Attributes go down (``show``,
``set_blame``, ``set_coverage``); messages go up (``CursorMoved``,
``LineActivated``). Source text is untrusted and is shown inert, as
``Text`` objects, never through markup.

COMPONENT_CLASSES:
    code-view--lineno: line numbers and blank gutter cells
    code-view--cursor: the cursor line
    code-view--target: the line of interest (a trace frame's line)
    code-view--age-new / --age-mid / --age-old: blame age, by recency
    code-view--author: blame author
    code-view--ai: the AI-written mark
    code-view--generated: the generated-file mark
    code-view--covered / --partial / --missed: coverage marks
    code-view--separator: the bar between gutter and code
    code-view--cursor-mark: the mark in the separator column on the cursor line
    code-view--note: the message shown when there is no source to show
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from codemap.tui.widgets.gutter import GutterLayout, gutter_cells, layout_for
from codemap.tui.widgets.highlight import MAX_LINE, Highlighter, display_line

_WORD = re.compile(r"[A-Za-z_$][\w$]*")
_BACKGROUND_CLASSES = frozenset({"code-view--cursor", "code-view--target"})


def _overlay(strip: Strip, style: Style) -> Strip:
    """``style`` applied over every segment (its background wins)."""
    return Strip(list(Segment.apply_style(list(strip), None, style)), strip.cell_length)


class CodeView(ScrollView, can_focus=True):
    """A read-only, virtualised source view with an informative gutter."""

    COMPONENT_CLASSES = {
        "code-view--lineno", "code-view--cursor", "code-view--target", "code-view--age-new",
        "code-view--age-mid", "code-view--age-old", "code-view--author", "code-view--ai",
        "code-view--generated", "code-view--covered", "code-view--partial",
        "code-view--missed", "code-view--separator", "code-view--note", "code-view--cursor-mark",
    }

    DEFAULT_CSS = """
    CodeView {
        background: $surface;
        overflow: auto auto;
        border-top: hkey $panel-lighten-2;
        border-title-color: $text-muted;
        &:focus { border-top: hkey $primary; border-title-color: $text; }
        & > .code-view--lineno { color: $text-disabled; }
        & > .code-view--cursor { background: $boost; }
        & > .code-view--target { background: $error 20%; }
        & > .code-view--age-new { color: $warning; }
        & > .code-view--age-mid { color: $secondary; }
        & > .code-view--age-old { color: $text-muted; }
        & > .code-view--author { color: $text-muted; }
        & > .code-view--ai { color: $accent; text-style: bold; }
        & > .code-view--generated { color: $secondary; }
        & > .code-view--covered { color: $success; }
        & > .code-view--partial { color: $warning; }
        & > .code-view--missed { color: $error; }
        & > .code-view--separator { color: $panel-lighten-2; }
        & > .code-view--note { color: $text-muted; text-style: italic; }
        & > .code-view--cursor-mark { color: $accent; }
    }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="code.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="code.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="code.page_up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="code.page_down"),
        Binding("home", "edge(0)", "Top", show=False, id="code.top"),
        Binding("end", "edge(1)", "Bottom", show=False, id="code.bottom"),
        Binding("enter", "activate", "Open", show=False, id="code.activate"),
    ]

    cursor_line: reactive[int] = reactive(1, init=False)

    class CursorMoved(Message):
        """The cursor moved to ``line`` (1-based)."""

        def __init__(self, code_view: CodeView, line: int) -> None:
            super().__init__()
            self.code_view = code_view
            self.line = line

        @property
        def control(self) -> CodeView:
            return self.code_view

    class LineActivated(Message):
        """Enter or a double click on ``line``; ``word`` is the identifier clicked, if any."""

        def __init__(self, code_view: CodeView, line: int, word: str | None) -> None:
            super().__init__()
            self.code_view = code_view
            self.line = line
            self.word = word

        @property
        def control(self) -> CodeView:
            return self.code_view

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.path: str | None = None
        self.rev: str | None = None
        self.lines: list[str] = []
        self.target_line: int | None = None
        self.note: str | None = None
        self.generated = False
        self.word: str | None = None
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._blame: dict[int, Any] = {}
        self._coverage: Callable[[int], Any] | None = None
        self._coverage_cache: dict[int, Any] = {}
        self._highlighter: Highlighter | None = None
        self._code_cache: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[str, Style] = {}
        self._pending_center: int | None = None
        self._max_width = 0

    # ------------------------------------------------------------------ attributes down

    def show(self, path: str, lines: list[str], *, line: int = 1, rev: str | None = None,
             target: int | None = None, generated: bool = False, note: str | None = None,
             title: Text | None = None) -> None:
        """Display ``lines`` of ``path`` with the cursor on ``line``, centred."""
        self.path, self.rev, self.lines = path, rev, lines
        self.target_line, self.generated, self.note = target, generated, note
        self._blame = {}
        self._coverage_cache = {}
        self._code_cache.clear()
        self._highlighter = Highlighter(path, lines, self._dark())
        self._max_width = min(max((len(s) for s in lines), default=0), MAX_LINE + 1)
        self.border_title = title if title is not None else Text(path, end="")
        self._update_virtual_size()
        self.set_reactive(CodeView.cursor_line, self._clamp(line))
        # the new virtual size is known to the scroll limits only after a refresh
        self._pending_center = self.cursor_line
        self.call_after_refresh(self._center_pending)
        self.refresh()

    def set_blame(self, blame: list[Any] | None, *, generated: bool | None = None) -> None:
        """Per-line blame (``BlameLine`` objects, matched by their ``line``); ``generated``
        marks every line as machine-written when the file is a generated one."""
        self._blame = {bl.line: bl for bl in (blame or [])}
        if generated is not None:
            self.generated = generated
        self._update_virtual_size()
        self.refresh()

    def set_coverage(self, lookup: Callable[[int], Any] | None) -> None:
        """``lookup(line)`` answers a ``LineCoverage`` for the shown file (None: no data)."""
        self._coverage = lookup
        self._coverage_cache = {}
        self.refresh()

    def blame_at(self, line: int) -> Any | None:
        return self._blame.get(line)

    @property
    def has_blame(self) -> bool:
        return bool(self._blame)

    def _center_pending(self) -> None:
        if self._pending_center is not None:
            self.center_on(self._pending_center)

    def center_on(self, line: int) -> None:
        """Scroll so that ``line`` sits in the middle of the view (now or after layout)."""
        if self.size.height <= 0:
            self._pending_center = line
            return
        self._pending_center = None
        y = max(line - 1 - self.size.height // 2, 0)
        self.scroll_to(y=y, animate=False, immediate=True)

    # ------------------------------------------------------------------ geometry

    def _layout(self) -> GutterLayout:
        return layout_for(len(self.lines), self.size.width, bool(self._blame))

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self._layout().width + self._max_width + 1, len(self.lines))

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        if self._pending_center is not None:
            # read the pending line when the callback runs: a show() in between
            # replaces it, and a captured value would scroll to the old file's line
            self.call_after_refresh(self._center_pending)
        else:
            self._scroll_cursor_into_view()

    def _clamp(self, line: int) -> int:
        return min(max(line, 1), max(len(self.lines), 1))

    # ------------------------------------------------------------------ rendering

    def _dark(self) -> bool:
        try:
            return self.app.current_theme.dark
        except Exception:
            return True

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._code_cache.clear()
        if self._highlighter is not None:
            self._highlighter.set_dark(self._dark())

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            full = self.get_component_rich_style(name)  # alpha colours blended
            if name in _BACKGROUND_CLASSES:
                style = Style(bgcolor=full.bgcolor)
            else:
                style = Style(color=full.color, bold=full.bold, italic=full.italic)
            self._styles[name] = style
        return style

    def _coverage_at(self, line: int) -> Any | None:
        if self._coverage is None:
            return None
        if line not in self._coverage_cache:
            try:
                self._coverage_cache[line] = self._coverage(line)
            except Exception:
                self._coverage_cache[line] = None
        return self._coverage_cache[line]

    def _code_strip(self, index: int) -> Strip:
        strip = self._code_cache.get(index)
        if strip is None:
            text = (self._highlighter.line(index) if self._highlighter is not None
                    else Text(display_line(self.lines[index]), end=""))
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            self._code_cache[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        if not self.lines:
            wrapped = textwrap.wrap(self.note or "", max(width - 2, 10))
            if y < len(wrapped):
                return Strip([Segment(f" {wrapped[y]}", base + self._style("code-view--note"))]
                             ).crop_extend(0, width, base)
            return Strip.blank(width, base)
        index = scroll_y + y
        if index >= len(self.lines):
            return Strip.blank(width, base)
        number = index + 1
        layout = self._layout()
        cells = gutter_cells(number, layout, self._blame.get(number), self._coverage_at(number),
                             self.generated, self._now())
        if number == self.cursor_line:
            cells[-1] = ("▶", "code-view--cursor-mark")
        gutter = Strip([Segment(text, base + self._style(cls)) for text, cls in cells])
        code_width = max(width - layout.width, 0)
        code = self._code_strip(index).crop_extend(scroll_x, scroll_x + code_width, None)
        strip = Strip.join([gutter, code.apply_style(base)])
        if number == self.target_line:
            strip = _overlay(strip, self._style("code-view--target"))
        elif number == self.cursor_line:
            cursor = self._style("code-view--cursor")
            if self.has_focus:
                strip = _overlay(strip, cursor)
            else:  # keep the place visible, quietly
                strip = Strip.join([_overlay(strip.crop(0, layout.width), cursor),
                                    strip.crop(layout.width)])
        return strip.crop_extend(0, width, base)

    # ------------------------------------------------------------------ interaction

    def watch_cursor_line(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.CursorMoved(self, new))

    def _scroll_cursor_into_view(self) -> None:
        height = self.size.height
        if height <= 0:
            return
        top = int(self.scroll_y)
        index = self.cursor_line - 1
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def move_to(self, line: int, *, center: bool = False) -> None:
        """Put the cursor on ``line`` (posting ``CursorMoved`` when it changes)."""
        self.word = None
        self.cursor_line = self._clamp(line)
        if center:
            self.center_on(self.cursor_line)

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_line + delta)

    def action_page(self, direction: int) -> None:
        step = max(self.size.height - 1, 1)
        self.move_to(self.cursor_line + direction * step)
        self.scroll_to(y=self.scroll_y + direction * step, animate=False, immediate=True)

    def action_edge(self, end: int) -> None:
        self.move_to(len(self.lines) if end else 1)

    def action_activate(self) -> None:
        if self.lines:
            self.post_message(self.LineActivated(self, self.cursor_line, self.word))

    def _word_at(self, line: int, x: int) -> str | None:
        index = line - 1
        if not 0 <= index < len(self.lines):
            return None
        column = x - self._layout().width + int(self.scroll_x)
        text = display_line(self.lines[index])
        for match in _WORD.finditer(text):
            if match.start() <= column < match.end():
                return match.group(0)
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if not self.lines or offset is None:
            return
        line = self._clamp(int(self.scroll_y) + offset.y + 1)
        word = self._word_at(line, offset.x)
        self.move_to(line)
        self.word = word
        if event.chain >= 2:
            self.post_message(self.LineActivated(self, line, word))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
