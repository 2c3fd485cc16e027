"""``codemap coverage [TARGET]``: line and test coverage per symbol."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json

TESTS_SHOWN = 2


def line_ranges(lines: Iterable[int]) -> str:
    """``[3, 4, 5, 9, 11, 12]`` -> ``"3-5, 9, 11-12"``."""
    out: list[str] = []
    start = prev = None
    for ln in sorted(set(lines)):
        if start is None:
            start = prev = ln
        elif ln == prev + 1:  # type: ignore[operator]
            prev = ln
        else:
            out.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = ln
    if start is not None:
        out.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(out)


def _pct(value: float | None) -> str:
    return "     -" if value is None else f"{value:5.1f}%"


def _tests(tests: Sequence[str]) -> str:
    if not tests:
        return ""
    shown = ", ".join(tests[:TESTS_SHOWN])
    more = len(tests) - TESTS_SHOWN
    return shown + (f" (+{more} more)" if more > 0 else "")


def _print_report(report: Any) -> None:
    for source in report.sources:
        when = f", recorded {source.recorded}" if source.recorded else ""
        tool = f" ({source.tool})" if source.tool else ""
        echo_line(f"data: {source.path}: {source.format}{tool}{when}; "
                  f"{source.mapped} of {source.files} measured files are in the repository")
    by_path: dict[str, list[Any]] = {}
    for row in report.symbols:
        by_path.setdefault(row.symbol.path, []).append(row)
    for summary in report.files:
        echo_line("")
        branch = ""
        if summary.branches is not None:
            branch = f", branches {summary.branches.covered}/{summary.branches.total}"
        echo_line(f"{summary.path}  {_pct(summary.percent).strip()}  "
                  f"({summary.covered}/{summary.statements} statements{branch})")
        if summary.stale:
            for reason in summary.stale_reasons:
                echo_line(f"  STALE: {reason}")
        if not summary.statements_known:
            echo_line("  note: only executed lines are known for this file")
        rows = [r for r in by_path.get(summary.path, []) if r.symbol.kind != "module"]
        if not rows:
            continue
        echo_line(f"  {'cover':>6}  {'stmts':>5}  {'miss':>4}  symbol  |  missing lines  |  tests")
        for row in rows:
            sym = row.symbol
            missing = line_ranges(row.missing_lines)
            extra = ""
            if row.branches is not None and row.branches.total:
                extra = f" [branches {row.branches.covered}/{row.branches.total}]"
            echo_line(f"  {_pct(row.percent)}  {row.statements:5d}  {len(row.missing_lines):4d}  "
                      f"{sym.kind} {sym.qualname} ({sym.start_line}-{sym.end_line}){extra}"
                      f"  |  {missing or '-'}  |  {_tests(row.tests) or '-'}")
    if report.range is not None and report.target is not None:
        t, r = report.target, report.range
        echo_line("")
        echo_line(f"lines {t.path}:{t.start_line}-{t.end_line}: {_pct(r.percent).strip()} "
                  f"({r.covered}/{r.statements} statements)"
                  + (f"; missing {line_ranges(r.missing_lines)}" if r.missing_lines else ""))
        for detail in r.lines or []:
            state = "hit " if detail.covered else "MISS"
            echo_line(f"  {detail.line:6d} {state} {_tests(detail.tests)}".rstrip())
        if r.tests:
            echo_line(f"  run by: {', '.join(r.tests)}")
    if report.unmapped:
        echo_line("")
        shown = ", ".join(report.unmapped[:5])
        more = f" and {len(report.unmapped) - 5} more" if len(report.unmapped) > 5 else ""
        echo_line(f"not in the repository: {shown}{more}")


@click.command("coverage")
@click.argument("target", required=False)
@click.option("--coverage", "coverage_file", type=click.Path(dir_okay=False), default=None,
              help="Coverage data file (default: found in the repository).")
@repo_option
@json_option
def coverage_cmd(target: str | None, coverage_file: str | None, repo_path: str | None,
                 as_json: bool) -> None:
    """Line and test coverage per symbol of TARGET (a path, PATH:LINE,
    PATH:START-END or a symbol; every covered file when left out).

    Reads coverage.py data, Cobertura XML, LCOV, Go cover profiles and
    JaCoCo XML.
    """
    from codemap import api

    def run() -> None:
        report = api.coverage(target, coverage_file=coverage_file, repo_path=repo_path)
        for warning in report.warnings:
            click.echo(f"codemap: warning: {_inert(warning)}", err=True)
        if as_json:
            emit_json(report)
        else:
            _print_report(report)

    run_guarded(run)


def _inert(text: str) -> str:
    from codemap.safe import inert_line

    return inert_line(text)
