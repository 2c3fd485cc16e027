"""Command palette providers beyond the bound actions (those come from the bindings,
see :meth:`codemap.tui.app.CodemapApp.get_system_commands`).

``SymbolCommands`` finds symbols in the index (the engine's fuzzy search,
run off the UI thread) and opens the chosen one in explore mode, as
"Go to symbol: ..." commands. Names and paths are untrusted and shown as
``Text``.
"""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.command import Hit, Hits, Provider

from codemap.tui import loaders
from codemap.tui.navigation import Location
from codemap.tui.texts import line

MAX_HITS = 12
MIN_QUERY = 2


class SymbolCommands(Provider):
    """``Go to symbol: <qualname>`` for the best matches of the index."""

    async def search(self, query: str) -> Hits:
        session = getattr(self.app, "session", None)
        text = query.strip()
        for prefix in ("go to symbol:", "symbol:", "go to"):
            if text.lower().startswith(prefix):
                text = text[len(prefix):].strip()
        if session is None or len(text) < MIN_QUERY or session.reader is None:
            return
        try:
            found = await asyncio.to_thread(loaders.find_symbols, session, text, MAX_HITS)
        except Exception:  # a search problem must not break the palette
            return
        for match in found.matches:
            sym = match.symbol
            prompt = Text("Go to symbol: ", end="")
            prompt.append_text(line(sym.qualname))
            yield Hit(match.score / 100.0, prompt,
                      partial(self.app.open_in_explore,  # type: ignore[attr-defined]
                              Location(sym.path, sym.start_line, label=sym.qualname)),
                      text=f"Go to symbol: {sym.qualname}",
                      help=f"{sym.kind} in {sym.path}:{sym.start_line}")
