"""Caret annotations in language fixture files, in the style of tree-sitter's tags tests.

A fixture is realistic source code with comment lines that state what the
index must extract. An annotation line is a line whose first non-blank text
is the language's line comment (``#`` or ``//``) followed by ``^``, ``<-``
or ``@``; every other line is source. A ``^`` annotation refers to the nearest
source line above it (annotations for one line stack up under it); the
caret sits under the defined or called name.

Definitions (every definition the extractor finds must be annotated)::

    def handle(self, request):
    #   ^ definition.method shop.views.Handler.handle 12-30

``definition.<kind>`` is the symbol kind (``function``, ``method``,
``class``, ``lambda``, ``module``), then the exact qualname, then the
1-based inclusive line range (decorators and annotations included). The
caret line must lie inside that range and, when the name appears on that
line, the caret must point at it.

Call sites (``reference.call``; ``reference.new`` for ``new X()``; other
``reference.<kind>`` rows the extractor stores, e.g. ``reference.attr``)::

        total = self.cart.total(items)
        #                 ^ reference.call total recv=self.cart in=shop.views.Handler.handle

The caret column must be the called name's column. ``recv=`` is the
receiver text (omit it for a call without receiver: the call must then
have none); ``in=`` the qualname of the innermost enclosing symbol.
Columns count characters (a tab is one). A name in column 0 is pointed at
with ``<-`` instead of a caret, meaning "the column where this comment
starts"::

    require "json"
    # <- reference.call require

Imports::

    from ..core import models as m
    # ^ import core name=models alias=m level=2

``import <module>`` then optional ``name=``, ``alias=``, ``level=``
(absent fields must be empty / 0), and optionally ``in=`` the enclosing
symbol's qualname. Only the line is checked for imports.

File directives (``@``, anywhere in the file)::

    # @module shop.views          the file's module symbol has this qualname
    # @exhaustive calls imports   every call / import found must be annotated

Values containing spaces go in double quotes.

Annotation lines are real lines of the file: ranges count them, and an
annotation indented inside a block after its last statement belongs to that
block (tree-sitter keeps trailing comments in the block), so it can extend
the range by a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(\^|@|<-)(.*)$")
_TOKEN = re.compile(r'"[^"]*"|\S+')
_KEY = re.compile(r"^(recv|in|name|alias|level)=")


@dataclass(frozen=True)
class Expectation:
    """One ``^`` annotation: what must be extracted at (line, column)."""

    what: str  # "definition", "reference.call", "reference.new", "import"
    kind: str  # definition kind ("" for others)
    subject: str  # qualname / called name / imported module
    line: int  # 1-based line of the source line above the annotation
    column: int  # 0-based column of the caret
    fields: dict[str, str]
    start: int = 0
    end: int = 0
    annotation_line: int = 0


@dataclass
class Fixture:
    """A parsed fixture: its annotations, directives and source lines."""

    lines: list[str]
    expectations: list[Expectation] = field(default_factory=list)
    module: str | None = None
    exhaustive: set[str] = field(default_factory=set)

    def of(self, what: str) -> list[Expectation]:
        return [e for e in self.expectations if e.what.startswith(what)]


def _tokens(text: str) -> list[str]:
    return [t[1:-1] if t.startswith('"') and t.endswith('"') else t for t in _TOKEN.findall(text)]


def parse_fixture(text: str) -> Fixture:
    """Parse the annotations of a fixture's text (raises ValueError on a malformed one)."""
    lines = text.split("\n")
    fixture = Fixture(lines)
    last_source = 0
    for number, line in enumerate(lines, 1):
        match = _ANNOTATION.match(line)
        if match is None:
            if line.strip():
                last_source = number
            continue
        mark, rest = match.groups()
        tokens = _tokens(rest)
        where = f"line {number}"
        if mark == "@":
            if not tokens:
                raise ValueError(f"{where}: empty directive")
            if tokens[0] == "module" and len(tokens) == 2:
                fixture.module = tokens[1]
            elif tokens[0] == "exhaustive" and len(tokens) > 1:
                fixture.exhaustive.update(tokens[1:])
            else:
                raise ValueError(f"{where}: unknown directive {rest.strip()!r}")
            continue
        if last_source == 0:
            raise ValueError(f"{where}: caret annotation before any source line")
        # "<-" points at the column of the comment marker itself (names in column 0)
        column = line.index("^") if mark == "^" else len(line) - len(line.lstrip())
        fixture.expectations.append(_expectation(tokens, last_source, column, number, where))
    return fixture


def _expectation(tokens: list[str], line: int, column: int, number: int,
                 where: str) -> Expectation:
    if not tokens:
        raise ValueError(f"{where}: caret without an annotation")
    head, args = tokens[0], tokens[1:]
    named = dict(a.split("=", 1) for a in args if _KEY.match(a))
    positional = [a for a in args if not _KEY.match(a)]
    if head.startswith("definition."):
        if len(positional) != 2 or named:
            raise ValueError(f"{where}: expected 'definition.<kind> <qualname> <start>-<end>'")
        qualname, span = positional
        start, _, end = span.partition("-")
        if not (start.isdigit() and end.isdigit()):
            raise ValueError(f"{where}: bad line range {span!r}")
        return Expectation("definition", head.split(".", 1)[1], qualname, line, column, {},
                           int(start), int(end), number)
    if head.startswith("reference.") or head == "import":
        if len(positional) != 1:
            raise ValueError(f"{where}: expected '{head} <name> [key=value ...]'")
        return Expectation(head, "", positional[0], line, column, named,
                           annotation_line=number)
    raise ValueError(f"{where}: unknown annotation {head!r}")

