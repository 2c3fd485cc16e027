"""``codemap tour``: a generated onboarding walkthrough, as text, JSON, Markdown or CodeTour.

``--codetour FILE`` writes where the user says (a warning when that is
inside the repository's working tree: codemap never writes there unasked).
``--check TOUR`` follows the steps of an existing ``.tour`` file to their
code and says which moved, changed or vanished; with ``--codetour FILE`` it
also writes the re-anchored tour. Repository text is printed inert.
"""

from __future__ import annotations

import threading
from pathlib import Path

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo, echo_line, emit_json
from codemap.safe import inert_line


def _warn(message: str) -> None:
    click.echo(f"codemap: warning: {inert_line(message)}", err=True)


def _inside_worktree(repo_root: Path, target: str) -> bool:
    try:
        path = Path(target).expanduser().resolve()
        root = repo_root.resolve()
    except OSError:
        return False
    return path == root or root in path.parents


def _print_tour(result: object) -> None:
    from codemap.tour.markdown import facts_line
    from codemap.tour.model import ENTRY_LABEL, TourResult

    assert isinstance(result, TourResult)
    head = f" at {result.head[:12]}" if result.head else ""
    echo_line(f"Tour of {result.repository}{head}: {result.files} files, {result.symbols} "
              f"definitions, {result.edges} call edges")
    for note in result.notes:
        echo_line(f"note: {note}")
    shown = [ep for ep in result.entry_points if ep.kind != "test"]
    tests = len(result.entry_points) - len(shown)
    echo()
    echo_line(f"Entry points ({len(shown)}{f', plus {tests} tests' if tests else ''}):")
    for ep in shown[:25]:
        where = f"{ep.symbol.qualname}  {ep.symbol.path}:{ep.symbol.start_line}" \
            if ep.symbol else (ep.path or "")
        echo_line(f"  {ENTRY_LABEL.get(ep.kind, ep.kind):<15} {ep.name}  -> {where}")
    if len(shown) > 25:
        echo_line(f"  ... and {len(shown) - 25} more (--json lists them all)")
    for stop in result.stops:
        loc = stop.path if stop.line is None else f"{stop.path}:{stop.line}"
        echo()
        echo_line(f"{stop.step:>2}. {stop.title}  [{stop.section}]")
        echo_line(f"    {loc}")
        if stop.summary:
            echo_line(f"    {stop.summary}")
        echo_line(f"    why: {stop.why}")
        if stop.key_symbols:
            echo_line("    key symbols: " + ", ".join(s.name for s in stop.key_symbols))
        echo_line(f"    {facts_line(stop)}")


def _check(repo_path: str | None, tour_file: str, out_file: str | None, as_json: bool) -> None:
    from codemap import api
    from codemap.codetour import check_tour, index_sources, read_tour, reanchored, write_tour
    from codemap.index.service import open_index
    from codemap.model import to_json

    repo = api.open_repo(repo_path)
    tour = read_tour(tour_file)
    reader = open_index(repo)
    symbols_of, find_elsewhere = index_sources(repo, reader)
    checks = check_tour(repo, tour, symbols_of, find_elsewhere)
    if out_file:
        if _inside_worktree(repo.root, out_file):
            _warn(f"writing {out_file} inside the repository's working tree, as asked")
        write_tour(reanchored(tour, checks, repo, symbols_of), out_file)
    if as_json:
        emit_json({"tour": tour_file, "title": tour.title, "steps": to_json(checks),
                   "written": out_file})
        return
    echo_line(f"{tour.title}: {len(checks)} steps")
    for c in checks:
        now = c.path if c.line is None else f"{c.path}:{c.line}"
        was = c.old_path if c.old_line is None else f"{c.old_path}:{c.old_line}"
        where = now if c.status == "ok" else f"{was} -> {now or 'gone'}"
        echo_line(f"  {c.index:>3}. {c.status:<10} {c.title or ''}  {where or ''}  ({c.reason})")
    if out_file:
        echo_line(f"wrote the re-anchored tour to {out_file}")


@click.command("tour")
@repo_option
@json_option
@click.option("--markdown", "as_markdown", is_flag=True, help="Print the tour as Markdown.")
@click.option("--codetour", "codetour_file", type=click.Path(dir_okay=False), default=None,
              help="Write the tour as a VS Code CodeTour file (with --check: the re-anchored tour).")
@click.option("--months", type=float, default=3.0, show_default=True,
              help="Churn window: commits over the last N months.")
@click.option("--stops", "max_stops", type=int, default=20, show_default=True,
              help="How many stops at most.")
@click.option("--coverage", "coverage_file", type=click.Path(dir_okay=False), default=None,
              help="Coverage data to read (default: found in the repository).")
@click.option("--check", "check_file", type=click.Path(dir_okay=False), default=None,
              help="Check an existing .tour file: which steps moved, changed or vanished.")
def tour_cmd(repo_path: str | None, as_json: bool, as_markdown: bool, codetour_file: str | None,
             months: float, max_stops: int, coverage_file: str | None,
             check_file: str | None) -> None:
    """A generated walkthrough: entry points, then the most central modules and functions.

    Each stop says what it is (docstring or leading comment), why it is on the
    tour, its key symbols, owners and bus factor, coverage, AI / generated
    share and churn.
    """
    from codemap.cli.cmd_index import StderrProgress

    bar = StderrProgress()
    cancel = threading.Event()

    def run() -> None:
        from codemap.errors import UsageError

        if check_file:
            if as_markdown:
                raise UsageError("--check prints a report; --markdown does not apply")
            _check(repo_path, check_file, codetour_file, as_json)
            return
        if sum((as_json, as_markdown, codetour_file is not None)) > 1:
            raise UsageError("choose one of --json, --markdown and --codetour")
        from codemap import api
        from codemap.tour import build_tour

        repo = api.open_repo(repo_path)
        try:
            result = build_tour(repo, months=months, max_stops=max_stops,
                                coverage_file=coverage_file, progress=bar, cancel=cancel)
        finally:
            bar.close()
        if codetour_file:
            from codemap.codetour import write_tour
            from codemap.tour.export import to_codetour

            if _inside_worktree(repo.root, codetour_file):
                _warn(f"writing {codetour_file} inside the repository's working tree, as asked")
            written = write_tour(to_codetour(repo, result), codetour_file)
            echo_line(f"wrote {written} ({len(result.stops) + 1} steps)")
        elif as_json:
            emit_json(result)
        elif as_markdown:
            from codemap.tour.markdown import render_markdown

            echo(render_markdown(result))
        else:
            _print_tour(result)

    try:
        run_guarded(run)
    except KeyboardInterrupt:
        cancel.set()
        raise
