"""``codemap endpoints`` and ``codemap endpoint``: routes, and which one a request reaches."""

from __future__ import annotations

from collections.abc import Sequence

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json
from codemap.model import Symbol
from codemap.safe import inert_line

MAX_CELL = 80
CALLEES_SHOWN = 12
DETAILED = 3  # matches whose call tree is shown (--json gives every match's)


def _cell(text: str) -> str:
    text = inert_line(text)  # escape first, so widths are those of what is printed
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _table(header: Sequence[str], rows: list[Sequence[str]]) -> None:
    """Plain columns of inert cells (escaped before widths are measured)."""
    cells = [[_cell(c) for c in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    echo_line("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    for row in cells:
        echo_line("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def _handler(sym: Symbol | None) -> str:
    return sym.qualname if sym is not None else "(unknown)"


def _route(route: str, unknown: list[str]) -> str:
    return f"{route}  [unknown: {', '.join(unknown)}]" if unknown else route


@click.command("endpoints")
@repo_option
@json_option
def endpoints_cmd(repo_path: str | None, as_json: bool) -> None:
    """Every HTTP route of the repository and its handler, in registration order."""
    from codemap import api

    def run() -> None:
        result = api.endpoints(repo_path)
        if as_json:
            emit_json(result)
            return
        tests = len(result.test_endpoints)
        if not result.endpoints:
            echo_line("no endpoints found" + (
                f" outside test files ({tests} declared in tests: --json lists them)" if tests
                else f"; the frameworks codemap reads: {', '.join(result.frameworks)}"))
            return
        _table(("METHOD", "ROUTE", "FRAMEWORK", "HANDLER", "DECLARED"),
               [(e.method, _route(e.route, e.unknown), e.framework, _handler(e.handler),
                 f"{e.path}:{e.line}") for e in result.endpoints])
        if tests:
            echo_line(f"(and {tests} route{'s' if tests != 1 else ''} declared in test files, "
                      "not shown: --json lists them under test_endpoints)")

    run_guarded(run)


@click.command("endpoint")
@click.argument("request")
@repo_option
@json_option
def endpoint_cmd(request: str, repo_path: str | None, as_json: bool) -> None:
    """Match REQUEST to its routes, handlers and call trees.

    REQUEST is a request line ("GET /users/42?x=1"), a URL, an access-log
    line ('"POST /checkout HTTP/1.1" 500'), a curl command or a route pattern
    ("GET /users/{id}").
    """
    from codemap import api

    def run() -> None:
        result = api.endpoint(request, repo_path)
        if as_json:
            emit_json(result)
            return
        req = result.request
        echo_line(f"request: {req.method or 'any method'} {req.path}"
                  + (" (route pattern)" if req.pattern else ""))
        if not result.matches:
            echo_line("no endpoint matches")
            return
        _table(("#", "METHOD", "ROUTE", "FRAMEWORK", "HANDLER", "DECLARED", "PARAMS"),
               [(str(m.rank), m.method, _route(m.route, m.unknown), m.framework,
                 _handler(m.handler), f"{m.path}:{m.line}",
                 " ".join(f"{k}={v}" for k, v in m.params.items())
                 + (" (redirect)" if m.redirect else ""))
                for m in result.matches])
        for m in result.matches[:DETAILED]:
            if m.handler is None:
                continue
            echo_line("")
            echo_line(f"#{m.rank} {m.handler.qualname}  {m.handler.path}:{m.handler.start_line}"
                      f"-{m.handler.end_line}")
            for sym in m.dependencies:  # FastAPI-style dependencies run before the handler
                echo_line(f"  runs first: {sym.qualname}  {sym.path}:{sym.start_line}")
            if not m.callees:
                echo_line("  calls nothing the call graph knows of")
            for sym in m.callees[:CALLEES_SHOWN]:
                echo_line(f"  -> {sym.qualname}  {sym.path}:{sym.start_line}")
            if len(m.callees) > CALLEES_SHOWN:
                echo_line(f"  ... and {len(m.callees) - CALLEES_SHOWN} more (--json lists all)")

    run_guarded(run)
