"""Printing answers: one JSON document on stdout, or inert plain text.

JSON keeps repository text verbatim (escaped by the JSON encoder); plain
text goes through :func:`codemap.safe.inert` so no escape sequence from a
repository reaches the terminal. Nothing here parses markup.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from codemap.model import Symbol, to_json
from codemap.safe import inert, inert_line


def emit_json(value: Any) -> None:
    """Print exactly one JSON document on stdout."""
    data = to_json(value)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    try:
        sys.stdout.write(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace") + "\n")
    except UnicodeEncodeError:
        sys.stdout.write(json.dumps(data, ensure_ascii=True, indent=2) + "\n")
    sys.stdout.flush()


def echo(text: str = "") -> None:
    """Print a line of human text, made inert."""
    click.echo(inert(text))


def echo_line(text: str) -> None:
    click.echo(inert_line(text))


def symbol_line(sym: Symbol | None) -> str:
    if sym is None:
        return "(no symbol)"
    return f"{sym.kind:<8} {sym.qualname}  {sym.path}:{sym.start_line}-{sym.end_line}"
