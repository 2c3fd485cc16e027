"""Options every command shares and the one place errors become exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from codemap.errors import CodemapError
from codemap.safe import inert_line

F = TypeVar("F", bound=Callable[..., Any])


def repo_option(func: F) -> F:
    return click.option("--repo", "repo_path", type=click.Path(file_okay=False), default=None,
                        help="Repository (default: the current directory).")(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")(func)


def fail(message: str, code: int = 2) -> None:
    """Print ``codemap: message`` as one inert line on stderr and exit."""
    click.echo(f"codemap: {inert_line(message)}", err=True)
    sys.exit(code)


def run_guarded(func: Callable[[], Any]) -> Any:
    """Run ``func``; user errors become one stderr line and exit 2, never a traceback."""
    from codemap.config import reset_warnings

    reset_warnings()  # each command says each config warning once
    try:
        return func()
    except CodemapError as exc:
        fail(exc.message, exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; nothing was half-written", 130)
    except BrokenPipeError:
        sys.exit(0)
    except OSError as exc:
        fail(f"{exc.filename + ': ' if getattr(exc, 'filename', None) else ''}{exc.strerror or exc}")
    except RecursionError:
        fail("input too deeply nested to analyse")
    except Exception as exc:  # a bug: still one line, with a way to see more
        if os.environ.get("CODEMAP_DEBUG"):
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (set CODEMAP_DEBUG=1 for details)")
