"""A small dialog to choose one symbol among several (go to definition, ambiguous names)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from codemap.tui.texts import line


class PickSymbolScreen(ModalScreen[Any]):
    """Returns the chosen symbol, or None."""

    DEFAULT_CSS = """
    PickSymbolScreen { align: center middle; background: $background 60%; }
    PickSymbolScreen > Vertical {
        width: 80; max-width: 95%; height: auto; max-height: 80%;
        background: $panel; border: round $primary; padding: 0 1;
    }
    PickSymbolScreen OptionList { height: auto; max-height: 20; border: none; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pick.cancel")]

    def __init__(self, title: str, symbols: list[Any]) -> None:
        super().__init__()
        self.title_text = title
        self.symbols = symbols

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(line(self.title_text, "bold"))
            yield OptionList(*[Option(self._prompt(s)) for s in self.symbols])

    def _prompt(self, sym: Any) -> Text:
        out = line(sym.qualname)
        out.append_text(line(f"  {sym.path}:{sym.start_line}", "dim"))
        return out

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.symbols[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
