"""A scrollable, virtualised list of ``Text`` lines (diffs, commit messages).

Like :class:`~codemap.tui.widgets.code_view.CodeView` but without a gutter:
only visible rows are rendered, so a 4,000-line patch scrolls freely.
Callers build the ``Text`` (untrusted parts through :mod:`codemap.tui.texts`).
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class TextLines(ScrollView, can_focus=True):
    """Read-only lines of styled text."""

    DEFAULT_CSS = """
    TextLines { background: $surface; overflow: auto auto; }
    """

    BINDINGS = [
        Binding("up,k", "scroll_up", "Up", show=False),
        Binding("down,j", "scroll_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.lines: list[Text] = []
        self._cache: LRUCache[int, Strip] = LRUCache(512)

    def set_lines(self, lines: list[Text]) -> None:
        self.lines = lines
        self._cache.clear()
        width = max((t.cell_len for t in lines[:5000]), default=0)
        self.virtual_size = Size(width, len(lines))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, base)
        strip = self._cache.get(index)
        if strip is None:
            text = self.lines[index]
            strip = Strip(list(text.render(self.app.console)), text.cell_len)
            self._cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, None).apply_style(base)
