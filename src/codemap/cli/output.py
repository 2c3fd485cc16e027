"""Printing answers: one JSON document on stdout, or inert plain text.

JSON keeps repository text verbatim (escaped by the JSON encoder); plain
text goes through :func:`codemap.safe.inert` so no escape sequence from a
repository reaches the terminal. Nothing here parses markup.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import click

from codemap.model import Symbol, to_json
from codemap.safe import inert, inert_line

_INDENT_LIMIT = 2_000_000  # characters of compact JSON above which the document is not indented

# Characters JSON may carry raw but a terminal acts on (C1 controls such as the
# one-byte CSI U+009B) or that reorder text (bidi overrides): written as \uXXXX
# escapes, which decode to the very same strings.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def emit_json(value: Any) -> None:
    """Print exactly one JSON document on stdout (safe to show in a terminal too)."""
    data = to_json(value)
    # the C encoder does not indent; the pure-Python one takes seconds on the answers of a
    # big repository (80,000 transitive callers), which are read by programs, not eyes
    text = json.dumps(data, ensure_ascii=False)
    indent = 2 if len(text) <= _INDENT_LIMIT else None
    if indent:
        text = json.dumps(data, ensure_ascii=False, indent=indent)
    text = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    try:
        sys.stdout.write(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") + "\n")
    except UnicodeEncodeError:
        sys.stdout.write(json.dumps(data, ensure_ascii=True, indent=indent) + "\n")
    sys.stdout.flush()


def echo(text: str = "") -> None:
    """Print a line of human text, made inert."""
    click.echo(inert(text))


def echo_line(text: str) -> None:
    """Print one line of human text, made inert; tabs (a diff's indentation) are
    expanded as a terminal would, not shown as the escape ``\\x09``."""
    click.echo(inert_line(text.expandtabs(8) if "\t" in text else text))


def symbol_line(sym: Symbol | None) -> str:
    if sym is None:
        return "(no symbol)"
    return f"{sym.kind:<8} {sym.qualname}  {sym.path}:{sym.start_line}-{sym.end_line}"
