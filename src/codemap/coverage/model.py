"""The answers of ``codemap coverage`` as frozen dataclasses.

Field names equal the JSON keys of the contract (``symbols[].symbol``,
``statements``, ``covered``, ``percent``, ``missing_lines``, ``tests``);
the other fields are additions the contract allows (branches, staleness,
per-line detail, where the data came from).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.model import Symbol


@dataclass(frozen=True)
class BranchCounts:
    """Branch outcomes of a line, a symbol or a file.

    ``missing`` lists untaken branches as ``"12->15"`` (``"12->exit"`` for
    leaving the function) where the format says which ones (coverage.py),
    else ``"12"`` per line with an untaken branch.
    """

    total: int
    covered: int
    percent: float | None
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LineCoverage:
    """One line: ``covered`` is None when the line is not a statement (or unmeasured)."""

    covered: bool | None
    tests: list[str] = field(default_factory=list)
    hits: int | None = None
    branches: BranchCounts | None = None


@dataclass(frozen=True)
class LineDetail:
    """One statement line of a per-line listing."""

    line: int
    covered: bool
    hits: int | None
    tests: list[str] = field(default_factory=list)
    branches: BranchCounts | None = None


@dataclass(frozen=True)
class Staleness:
    """Whether a file changed after its coverage data was recorded, and why we think so."""

    stale: bool
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileSummary:
    """Totals of one repository file."""

    path: str
    statements: int
    covered: int
    percent: float | None
    missing_lines: list[int]
    branches: BranchCounts | None
    stale: bool
    stale_reasons: list[str]
    source: str  # the data file, repo-relative when inside the repository
    format: str
    measured_as: str  # the file name as the data recorded it
    statements_known: bool = True  # False: only executed lines were known


@dataclass(frozen=True)
class SymbolCoverage:
    """The contract's ``symbols[]`` entry."""

    symbol: Symbol
    statements: int
    covered: int
    percent: float | None
    missing_lines: list[int]
    tests: list[str]
    branches: BranchCounts | None = None
    stale: bool = False
    stale_reasons: list[str] = field(default_factory=list)
    lines: list[LineDetail] | None = None


@dataclass(frozen=True)
class CoverageSource:
    """One data file that was read."""

    path: str
    format: str
    tool: str | None
    recorded: str | None  # ISO-8601 time the data was recorded, when known
    files: int  # measured files in the data
    mapped: int  # of which are repository files
    branches: bool
    contexts: bool


@dataclass(frozen=True)
class TargetRange:
    path: str
    start_line: int
    end_line: int


@dataclass(frozen=True)
class RangeSummary:
    """Totals of exactly the target's lines (for ``path:line`` / ``path:start-end``)."""

    statements: int
    covered: int
    percent: float | None
    missing_lines: list[int]
    tests: list[str]
    lines: list[LineDetail] | None = None


@dataclass(frozen=True)
class CoverageReport:
    """The answer of ``codemap coverage``."""

    symbols: list[SymbolCoverage]
    target: TargetRange | None = None
    range: RangeSummary | None = None
    files: list[FileSummary] = field(default_factory=list)
    sources: list[CoverageSource] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def percent(covered: int, total: int) -> float | None:
    """``covered/total`` in percent, two decimals; None when there is nothing to cover."""
    if total <= 0:
        return None
    return round(100.0 * covered / total, 2)
