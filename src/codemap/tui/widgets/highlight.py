"""Syntax colouring for the code view, computed lazily in chunks.

Colouring a 100k-line file up front would block the screen, so lines are
lexed (Pygments) in fixed chunks when first drawn. A construct that spans a
chunk boundary (a long docstring) may be coloured as plain text on one
side: a price paid for a constant cost per screenful. Only foreground
colours and weights of the theme are used, so the app's theme provides the
background. Untrusted text is made inert before lexing (see
:mod:`codemap.tui.texts`), so what is coloured is exactly what is shown.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rich.style import Style
from rich.text import Text

from codemap.safe import inert

CHUNK = 200
MAX_LINE = 2000  # characters of one line that are shown (minified code)
DARK_THEME = "monokai"
LIGHT_THEME = "friendly"


# codemap language name -> Pygments lexer alias, where they differ
PYGMENTS_ALIAS = {"c_sharp": "csharp", "csharp": "csharp", "tsx": "tsx"}


@lru_cache(maxsize=64)
def _lexer(path: str) -> Any:
    """The Pygments lexer for ``path``, found without importing every lexer module
    (Pygments' own filename lookup does, and costs a quarter of a second)."""
    import fnmatch

    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    from codemap.lang.registry import language_for_path

    options = {"stripnl": False, "ensurenl": False, "tabsize": 0}
    spec = language_for_path(path)
    names: list[str] = []
    if spec is not None:
        names.append(PYGMENTS_ALIAS.get(spec.name, spec.name))
    base = path.rsplit("/", 1)[-1]
    try:
        from pygments.lexers._mapping import LEXERS
    except ImportError:  # pragma: no cover - a Pygments without its mapping table
        LEXERS = {}
    for _module, _name, aliases, patterns, _mimes in LEXERS.values():
        if aliases and any(fnmatch.fnmatchcase(base, p) for p in patterns):
            names.append(aliases[0])
            break
    for name in names:
        try:
            return get_lexer_by_name(name, **options)
        except ClassNotFound:
            continue
    return None


def prepare_lexer(path: str) -> None:
    """Find (and import) ``path``'s lexer now, e.g. in a worker thread, so that the
    first paint of the file does not wait for it."""
    _lexer(path)


@lru_cache(maxsize=4)
def _theme(name: str) -> Any:
    from rich.syntax import Syntax

    return Syntax.get_theme(name)


@lru_cache(maxsize=512)
def _token_style(theme_name: str, token_type: Any) -> Style:
    full = _theme(theme_name).get_style_for_token(token_type)
    return Style(color=full.color, bold=full.bold, italic=full.italic, underline=full.underline)


def display_line(raw: str) -> str:
    """A source line as shown: inert, tabs expanded, very long lines cut."""
    text = raw.rstrip("\r\n")
    if "\t" in text:  # before inert(), which would show a tab as the escape \x09
        text = text.expandtabs(4)
    text = inert(text, keep_newlines=False)
    if len(text) > MAX_LINE:
        text = text[:MAX_LINE] + "…"
    return text


class Highlighter:
    """Coloured ``Text`` per line of one file, lexed chunk by chunk on demand."""

    def __init__(self, path: str, lines: list[str], dark: bool = True) -> None:
        self.lines = lines
        self.lexer = _lexer(path)
        self.theme = DARK_THEME if dark else LIGHT_THEME
        self._chunks: dict[int, list[Text]] = {}

    def set_dark(self, dark: bool) -> None:
        theme = DARK_THEME if dark else LIGHT_THEME
        if theme != self.theme:
            self.theme = theme
            self._chunks.clear()

    def line(self, index: int) -> Text:
        """The coloured text of line ``index`` (0-based)."""
        chunk = index // CHUNK
        texts = self._chunks.get(chunk)
        if texts is None:
            texts = self._chunks[chunk] = self._lex(chunk)
            if len(self._chunks) > 64:
                self._chunks.pop(next(iter(self._chunks)))
        return texts[index - chunk * CHUNK]

    def _lex(self, chunk: int) -> list[Text]:
        shown = [display_line(s) for s in self.lines[chunk * CHUNK:(chunk + 1) * CHUNK]]
        if self.lexer is None:
            return [Text(s, end="") for s in shown]
        source = "\n".join(shown)
        out: list[Text] = []
        current = Text(end="")
        try:
            tokens = list(self.lexer.get_tokens(source))
        except Exception:  # a lexer bug must not break the view
            return [Text(s, end="") for s in shown]
        for token_type, value in tokens:
            style = _token_style(self.theme, token_type)
            parts = value.split("\n")
            for k, part in enumerate(parts):
                if k:
                    out.append(current)
                    current = Text(end="")
                if part:
                    current.append(part, style)
        out.append(current)
        # the lexer may add or drop a trailing newline: align to the shown lines
        if len(out) < len(shown):
            out.extend(Text(s, end="") for s in shown[len(out):])
        return out[: len(shown)]
