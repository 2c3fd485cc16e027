"""Fuzzy symbol search: type, and the best matches of the index appear.

The search itself is the engine's (``codemap find``); this widget only
debounces typing and runs the search in a thread worker, so typing never
waits for it. Qualnames and paths are untrusted and shown literally.

COMPONENT_CLASSES:
    symbol-finder--kind: the symbol's kind
    symbol-finder--path: where it is
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from codemap.tui.texts import line
from codemap.tui.widgets.styles import foreground

DEBOUNCE = 0.12
KIND_MARK = {"function": "ƒ", "method": "m", "class": "C", "module": "M", "lambda": "λ"}


class SymbolFinder(Vertical):
    """An input and a result list; posts ``SymbolChosen``."""

    COMPONENT_CLASSES = {"symbol-finder--kind", "symbol-finder--path"}

    DEFAULT_CSS = """
    SymbolFinder {
        height: auto;
        max-height: 60%;
        & > .symbol-finder--kind { color: $accent; text-style: bold; }
        & > .symbol-finder--path { color: $text-muted; }
        & > OptionList { height: auto; max-height: 100%; border: none; display: none; }
        & > OptionList.-shown { display: block; }
    }
    """

    class SymbolChosen(Message):
        def __init__(self, finder: SymbolFinder, symbol: Any) -> None:
            super().__init__()
            self.finder = finder
            self.symbol = symbol

        @property
        def control(self) -> SymbolFinder:
            return self.finder

    def __init__(self, search: Callable[[str], Any], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.search = search  # query -> FindResult; runs in a thread worker
        self.matches: list[Any] = []
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Input(placeholder="find a symbol  (/)", id="finder-input")
        yield OptionList(id="finder-results")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    def on_descendant_focus(self) -> None:
        if self.matches and self.input.value.strip():
            self.query_one(OptionList).add_class("-shown")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, lambda: self._search(event.value))

    def _search(self, query: str) -> None:
        results = self.query_one(OptionList)
        if not query.strip():
            self.matches = []
            results.clear_options()
            results.remove_class("-shown")
            return

        def work() -> None:
            found = self.search(query)
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show, query, found)

        self.run_worker(work, name="find", group="find", thread=True, exclusive=True,
                        exit_on_error=False)

    def _show(self, query: str, found: Any) -> None:
        if query != self.input.value:
            return
        results = self.query_one(OptionList)
        self.matches = [m.symbol for m in found.matches]
        if not self.matches:
            results.set_options([Option(Text("no matching symbol", style="italic"),
                                        disabled=True)])
        else:
            results.set_options([Option(self._prompt(s)) for s in self.matches])
            results.highlighted = 0
        results.add_class("-shown")

    def _prompt(self, sym: Any) -> Text:
        kind = foreground(self, "symbol-finder--kind")
        muted = foreground(self, "symbol-finder--path")
        out = Text(end="")
        out.append(f"{KIND_MARK.get(sym.kind, '·')} ", kind)
        out.append_text(line(sym.qualname))
        out.append("\n  ")
        out.append_text(line(f"{sym.path}:{sym.start_line}", muted))
        return out

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one(OptionList).highlighted
        if index is None and self.matches:
            index = 0
        if index is not None:
            self._choose(index)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int) -> None:
        if index < len(self.matches):
            self.query_one(OptionList).remove_class("-shown")
            self.post_message(self.SymbolChosen(self, self.matches[index]))

    def on_worker_state_changed(self, event: Any) -> None:
        handler = getattr(self.app, "worker_changed", None)
        if handler is not None:
            handler(event)

    def on_key(self, event: Any) -> None:
        """Up/down in the input move through the results."""
        results = self.query_one(OptionList)
        if not self.input.has_focus or not self.matches:
            return
        if event.key == "down":
            results.action_cursor_down()
            event.stop()
        elif event.key == "up":
            results.action_cursor_up()
            event.stop()
