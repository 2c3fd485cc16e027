"""Diff coverage: how many of the lines a change added are run by the tests, and by which.

Coverage data describes the working tree, so a changed file is measured
only when its working-tree content equals its HEAD version (otherwise its
line numbers could point at other code); such files are named in
``skipped``. A line counts when the data knows it as a statement; blank
lines, comments and other non-statements count neither way.

The tests that run a change are the tests that ran its changed statement
lines (coverage.py contexts: ``--contexts`` / ``dynamic_context =
test_function``), so they agree with the diff coverage: a changed line no
test runs brings no test. Only a symbol none of whose changed lines is a
statement (a comment, a docstring, only removed lines) falls back to the
tests that run the rest of the symbol, kept apart in ``symbol_tests``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from codemap.model import Symbol
from codemap.repo import Repo
from codemap.review.changes import SymbolChange
from codemap.review.diff import FileChange


@dataclass(frozen=True)
class DiffCoverage:
    lines: int
    covered: int
    percent: float | None
    available: bool = True
    missing: dict[str, list[int]] = field(default_factory=dict)  # path -> uncovered added lines
    unmeasured: list[str] = field(default_factory=list)  # changed code files the data lacks
    skipped: list[str] = field(default_factory=list)  # working tree differs from HEAD
    sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SymbolTesting:
    """The coverage of one changed symbol's added lines and the tests that run it."""

    statements: int
    covered: int
    tests: list[str]  # the tests that ran its changed statements
    percent: float | None = None  # the whole symbol's statements, not only the changed ones
    symbol_tests: list[str] = field(default_factory=list)  # with no changed statement: the
    # tests that ran the rest of the symbol
    contexts: bool = False  # the data records which test ran each line


def _same_as_worktree(repo: Repo, path: str, data: bytes | None) -> bool:
    if data is None:
        return False
    try:
        return repo.abspath(path).read_bytes() == data
    except OSError:
        return False


def diff_coverage(repo: Repo, cov: object | None, changes: list[FileChange],
                  changed: list[SymbolChange], head_data: dict[str, bytes],
                  head_symbols: dict[str, list[Symbol]], generated: Collection[str] = ()
                  ) -> tuple[DiffCoverage, dict[str, SymbolTesting]]:
    """Diff coverage over added lines (generated files left out: nobody reviews or
    tests them line by line), and per changed symbol id its own figures."""
    if cov is None:
        return DiffCoverage(0, 0, None, available=False), {}
    from codemap.coverage.loaded import CoverageSet
    from codemap.coverage.rollup import symbol_coverage

    assert isinstance(cov, CoverageSet)
    total = covered = 0
    missing: dict[str, list[int]] = {}
    unmeasured: list[str] = []
    skipped: list[str] = []
    usable: set[str] = set()
    for fc in changes:
        path = fc.new_path
        if not path or fc.binary or not fc.added or path in generated:
            continue
        if not cov.has(path):
            if head_symbols.get(path):
                unmeasured.append(path)
            continue
        if not _same_as_worktree(repo, path, head_data.get(fc.new_blob or "")):
            skipped.append(path)
            continue
        usable.add(path)
        for line in sorted(fc.added):
            state = cov.line(path, line)
            if state.covered is None:
                continue
            total += 1
            if state.covered:
                covered += 1
            else:
                missing.setdefault(path, []).append(line)
    per_symbol: dict[str, SymbolTesting] = {}
    by_path: dict[str, list[SymbolChange]] = {}
    for sc in changed:
        if sc.change != "deleted" and sc.symbol.path in usable:
            by_path.setdefault(sc.symbol.path, []).append(sc)
    for path, scs in by_path.items():
        fcov = cov.file(path)
        symbols = head_symbols.get(path, [])
        if fcov is None or not symbols:
            continue
        source = _text(repo, path)
        rows = {r.symbol.id: r for r in symbol_coverage(fcov, symbols, source)}
        for sc in scs:
            row = rows.get(sc.symbol.id)
            states = [cov.line(path, ln) for ln in sc.changed_lines]
            stmts = [st for st in states if st.covered is not None]
            line_tests = sorted({t for st in stmts if st.covered for t in st.tests})
            fallback = list(row.tests) if row and not stmts else []
            per_symbol[sc.symbol.id] = SymbolTesting(
                len(stmts), sum(1 for st in stmts if st.covered), line_tests,
                row.percent if row else None, fallback, fcov.recording.has_contexts)
    pct = round(100.0 * covered / total, 1) if total else None
    return DiffCoverage(total, covered, pct, True, missing, unmeasured, skipped,
                        [s.path for s in cov.sources()]), per_symbol


def _text(repo: Repo, path: str) -> str | None:
    try:
        return repo.abspath(path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
