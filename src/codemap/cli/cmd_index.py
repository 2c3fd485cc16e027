"""``codemap index``, ``codemap at`` and ``codemap find``: the index commands."""

from __future__ import annotations

import sys
import threading

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json, symbol_line
from codemap.progress import Progress


class StderrProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._last = ""

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * p.done / p.total) if p.total else width
        line = f"\r{p.stage:<16} [{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total}"
        if line != self._last:
            sys.stderr.write(line)
            sys.stderr.flush()
            self._last = line

    def close(self) -> None:
        if self.enabled and self._last:
            sys.stderr.write("\r" + " " * len(self._last) + "\r")
            sys.stderr.flush()


@click.command("index")
@repo_option
@json_option
@click.option("--full", is_flag=True, help="Re-parse every file.")
@click.option("--export", "export_file", type=click.Path(dir_okay=False), default=None,
              help="Also write the index to FILE, to reuse it on another machine.")
@click.option("--import", "import_file", type=click.Path(dir_okay=False), default=None,
              help="Start from an index exported elsewhere; re-parse only what differs.")
def index_cmd(repo_path: str | None, as_json: bool, full: bool, export_file: str | None,
              import_file: str | None) -> None:
    """Build or refresh the index."""
    from codemap import api

    bar = StderrProgress()
    cancel = threading.Event()

    def run() -> None:
        if export_file and import_file:
            from codemap.errors import UsageError

            raise UsageError("--export and --import cannot be used together")
        try:
            if export_file or import_file:
                from codemap.index.service import export_index, import_index

                repo = api.open_repo(repo_path)
                stats = (export_index(repo, export_file, progress=bar) if export_file
                         else import_index(repo, import_file, progress=bar))
            else:
                stats = api.index(repo_path, progress=bar, cancel=cancel, full=full)
        finally:
            bar.close()
        if stats.rebuilt:
            click.echo(f"codemap: {stats.rebuilt}", err=True)
        if as_json:
            emit_json(stats)
            return
        langs = ", ".join(f"{k} {v}" for k, v in stats.languages.items()) or "none"
        echo_line(f"{stats.files} files indexed ({stats.parsed} parsed, {stats.reused} reused, "
                  f"{stats.removed} removed) in {stats.seconds:.2f}s")
        echo_line(f"languages: {langs}")
        echo_line(f"{stats.symbols} symbols, {stats.calls} call sites, {stats.imports} imports, "
                  f"{stats.edges} call edges")
        if stats.skipped:
            echo_line("skipped: " + ", ".join(f"{v} {k}" for k, v in sorted(stats.skipped.items())))

    run_guarded(run)


@click.command("at")
@click.argument("location")
@repo_option
@json_option
def at_cmd(location: str, repo_path: str | None, as_json: bool) -> None:
    """The innermost symbol enclosing PATH:LINE, and its parents."""
    from codemap import api

    def run() -> None:
        result = api.at(location, repo_path)
        if as_json:
            emit_json(result)
            return
        echo_line(symbol_line(result.symbol))
        for parent in result.parents:
            echo_line("  in " + symbol_line(parent))

    run_guarded(run)


@click.command("find")
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=int, help="How many matches at most.")
@repo_option
@json_option
def find_cmd(query: str, limit: int, repo_path: str | None, as_json: bool) -> None:
    """Fuzzy search over symbol names and qualnames, best first."""
    from codemap import api

    def run() -> None:
        result = api.find(query, limit, repo_path)
        if as_json:
            emit_json(result)
            return
        if not result.matches:
            echo_line(f"no symbol matches {query!r}")
        for m in result.matches:
            echo_line(f"{m.score:5.1f}  {symbol_line(m.symbol)}")

    run_guarded(run)
