"""Roll a file's line coverage up per symbol (and per line range).

Which statements belong to which symbol is :mod:`.regions`' business; this
module counts them: statements, covered, missing lines, branch outcomes,
and the tests that ran any of the symbol's lines.
"""

from __future__ import annotations

from collections.abc import Sequence

from codemap.coverage.loaded import FileCoverage
from codemap.coverage.model import LineDetail, RangeSummary, SymbolCoverage, percent
from codemap.coverage.regions import own_lines
from codemap.model import Symbol


def line_details(fc: FileCoverage, lines: Sequence[int]) -> list[LineDetail]:
    """Hit or miss, by which tests, for each statement among ``lines``."""
    out: list[LineDetail] = []
    for ln in lines:
        hits = fc.hits.get(ln)
        if hits is None:
            continue
        out.append(LineDetail(ln, hits > 0, hits, list(fc.tests.get(ln, [])),
                              fc.branch_counts([ln]) if ln in fc.branches else None))
    return out


def _tests(fc: FileCoverage, lines: Sequence[int]) -> list[str]:
    found: set[str] = set()
    for ln in lines:
        found.update(fc.tests.get(ln, ()))
    return sorted(found)


def symbol_coverage(fc: FileCoverage, symbols: Sequence[Symbol], source: str | None, *,
                    detail: bool = False) -> list[SymbolCoverage]:
    """The figures of each symbol of one file, in the order given."""
    own = own_lines(symbols, source)
    all_statements = sorted(fc.hits)
    out: list[SymbolCoverage] = []
    for sym, region in zip(symbols, own, strict=True):
        stmts = all_statements if region is None else [ln for ln in all_statements if ln in region]
        covered = [ln for ln in stmts if fc.hits[ln] > 0]
        missing = [ln for ln in stmts if fc.hits[ln] <= 0]
        out.append(SymbolCoverage(
            symbol=sym,
            statements=len(stmts),
            covered=len(covered),
            percent=percent(len(covered), len(stmts)),
            missing_lines=missing,
            tests=_tests(fc, covered),
            branches=fc.branch_counts(stmts),
            stale=fc.staleness.stale,
            stale_reasons=list(fc.staleness.reasons),
            lines=line_details(fc, stmts) if detail else None,
        ))
    return out


def symbol_lines(symbols: Sequence[Symbol], source: str | None,
                 target: Symbol) -> set[int] | None:
    """The lines that run when ``target`` runs: its own region and those of the
    definitions nested in it, without the ``def`` line and decorators (which
    run in the enclosing scope). The same regions as the per-symbol rows, so a
    whole-symbol range reports the figures of its rows. None: no region known."""
    own = own_lines(symbols, source)
    lines: set[int] = set()
    found = False
    for sym, region in zip(symbols, own, strict=True):
        inside = target.start_line <= sym.start_line and sym.end_line <= target.end_line
        if region is None or sym.kind == "module" or not inside:
            continue
        found = found or sym is target
        lines |= region
    return lines if found else None


def range_summary(fc: FileCoverage, start: int, end: int, *, detail: bool = False,
                  only: set[int] | None = None) -> RangeSummary:
    """Totals of the statements between ``start`` and ``end`` (inclusive); ``only``
    narrows them to a symbol's own lines (see :func:`symbol_lines`)."""
    stmts = [ln for ln in sorted(fc.hits) if start <= ln <= end and (only is None or ln in only)]
    if not stmts and start == end:  # a continuation line of a multi-line statement
        first = fc.statement_line(start)
        stmts = [first] if first in fc.hits else []
    covered = [ln for ln in stmts if fc.hits[ln] > 0]
    missing = [ln for ln in stmts if fc.hits[ln] <= 0]
    return RangeSummary(len(stmts), len(covered), percent(len(covered), len(stmts)), missing,
                        _tests(fc, covered), line_details(fc, stmts) if detail else None)
