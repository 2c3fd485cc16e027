"""Back / forward through the places the user looked at, as in a browser.

A :class:`Location` is a file position (optionally at a revision, for blame
walks); screens push one whenever they jump (go to definition, open a
frame, re-blame from a parent) and ``back``/``forward`` move along the list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    path: str
    line: int = 1
    rev: str | None = None
    label: str = ""


class NavHistory:
    """A browser-style history: visiting a new place drops the forward list."""

    def __init__(self, limit: int = 200) -> None:
        self._items: list[Location] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._items[self._index] if self._index >= 0 else None

    def visit(self, loc: Location) -> None:
        if self.current == loc:
            return
        del self._items[self._index + 1:]
        self._items.append(loc)
        if len(self._items) > self._limit:
            del self._items[0]
        self._index = len(self._items) - 1

    def replace(self, loc: Location) -> None:
        """Update the current place (e.g. the cursor moved) without a new entry."""
        if self._index < 0:
            self.visit(loc)
        else:
            self._items[self._index] = loc

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._items) - 1

    def back(self) -> Location | None:
        if not self.can_go_back:
            return None
        self._index -= 1
        return self.current

    def forward(self) -> Location | None:
        if not self.can_go_forward:
            return None
        self._index += 1
        return self.current

    def __len__(self) -> int:
        return len(self._items)
