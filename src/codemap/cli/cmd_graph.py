"""``codemap graph``, ``callers``, ``callees`` and ``paths``: thin wrappers over codemap.graph."""

from __future__ import annotations

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json, symbol_line
from codemap.model import Symbol


def _unmatched(text: str, matches: list[Symbol], near: list[Symbol]) -> None:
    if matches:
        echo_line(f"{text!r} matches {len(matches)} symbols; give a qualname or PATH:LINE:")
        for sym in matches:
            echo_line("  " + symbol_line(sym))
        return
    hint = f"; did you mean: {', '.join(s.qualname for s in near)}" if near else ""
    echo_line(f"no symbol matches {text!r}{hint}")


@click.command("graph")
@repo_option
@json_option
def graph_cmd(repo_path: str | None, as_json: bool) -> None:
    """The whole static call graph (symbols and resolved call edges)."""
    from codemap import api

    def run() -> None:
        result = api.graph(repo_path)
        if as_json:
            emit_json(result)
            return
        by_id = {s.id: s for s in result.symbols}
        for edge in result.edges:
            caller, callee = by_id[edge.caller], by_id[edge.callee]
            echo_line(f"{caller.qualname} -> {callee.qualname}  "
                      f"{caller.path}:{edge.line}  [{edge.confidence}]")
        echo_line(f"{len(result.symbols)} symbols, {len(result.edges)} edges")

    run_guarded(run)


def _related_cmd(name: str, direction: str) -> click.Command:
    @click.command(name)
    @click.argument("symbol")
    @click.option("--depth", default=1, show_default=True, type=int,
                  help="How many calls away to follow.")
    @repo_option
    @json_option
    def cmd(symbol: str, depth: int, repo_path: str | None, as_json: bool) -> None:
        from codemap import api

        def run() -> None:
            result = getattr(api, direction)(symbol, depth, repo_path)
            if as_json:
                emit_json(result)
                return
            if result.symbol is None:
                _unmatched(symbol, result.matches, result.near)
                return
            refs = getattr(result, direction)
            echo_line(f"{direction} of {symbol_line(result.symbol)}")
            if not refs:
                echo_line(f"  (no {direction} found)")
            for ref in refs:
                pad = "  " * ref.depth
                at = f"{ref.symbol.path if direction == 'callers' else ''}"
                where = f"line {ref.line}" if not at else f"{at}:{ref.line}"
                echo_line(f"{pad}{ref.depth} {ref.symbol.kind:<8} {ref.symbol.qualname}  "
                          f"{where}  [{ref.confidence}]")

        run_guarded(run)

    cmd.help = ("What SYMBOL calls (a qualname, a name or PATH:LINE), --depth calls deep."
                if direction == "callees" else
                "Who calls SYMBOL (a qualname, a name or PATH:LINE), --depth calls deep.")
    return cmd


callers_cmd = _related_cmd("callers", "callers")
callees_cmd = _related_cmd("callees", "callees")


@click.command("paths")
@click.option("--from", "source", default=None,
              help="Start symbol (default: every detected entry point).")
@click.option("--to", "target", required=True, help="The symbol the paths lead to.")
@click.option("--max", "max_paths", default=10, show_default=True, type=int,
              help="How many paths at most.")
@click.option("--max-length", default=12, show_default=True, type=int,
              help="How many calls a path may have at most.")
@repo_option
@json_option
def paths_cmd(source: str | None, target: str, max_paths: int, max_length: int,
              repo_path: str | None, as_json: bool) -> None:
    """Call paths from an entry point (or --from) to --to, shortest first."""
    from codemap.graph import call_paths
    from codemap.repo import find_repo

    def run() -> None:
        result = call_paths(find_repo(repo_path), target, source=source, max_paths=max_paths,
                            max_length=max_length)
        if as_json:
            emit_json(result)
            return
        if result.to is None:
            _unmatched(target, result.matches, result.near)
            return
        if source is not None and result.source is None:
            _unmatched(source, result.matches, result.near)
            return
        if not result.paths:
            start = "any entry point" if source is None else repr(source)
            echo_line(f"no call path from {start} to {result.to.qualname}")
            return
        for i, path in enumerate(result.paths, 1):
            head = f" (entry: {path.entry.kind} {path.entry.name})" if path.entry else ""
            echo_line(f"path {i}, {len(path.edges)} calls{head}")
            echo_line("  " + symbol_line(path.symbols[0]))
            for edge, sym in zip(path.edges, path.symbols[1:]):
                echo_line(f"    -> {sym.qualname}  (line {edge.line}, {edge.confidence})")

    run_guarded(run)
