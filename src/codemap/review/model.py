"""The answer of ``codemap review`` as dataclasses whose fields are the contract's JSON keys.

Contract fields (``shared/cli-contract.md``): ``base``, ``head``,
``changed[]`` (``symbol``, ``change``, ``lines_added``, ``lines_removed``),
``blast_radius[]`` (``symbol``, ``via``, ``depth``), ``diff_coverage``
(``lines``, ``covered``, ``percent``), ``tests``, ``provenance``
(``ai_lines``, ``generated_files``), ``owners[]`` (``name``, ``email``,
``share``), ``risk[]`` (``symbol``, ``score``, ``reasons``). Everything else
is an addition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.model import Symbol
from codemap.review.blast import BlastEntry
from codemap.review.diffcov import DiffCoverage
from codemap.review.risk import RiskEntry
from codemap.review.signals import CommitSummary, Provenance
from codemap.tour.model import Owner


@dataclass(frozen=True)
class ChangedSymbol:
    symbol: Symbol  # at HEAD; at BASE when deleted
    change: str  # added / modified / deleted
    lines_added: int
    lines_removed: int
    direct: bool = True  # a changed line is its own (not only a nested symbol's)
    at: str = "head"  # which side's line numbers ``symbol`` carries
    base_symbol: Symbol | None = None  # a modified symbol at BASE
    tests: list[str] = field(default_factory=list)  # tests that run its changed lines
    coverage_percent: float | None = None  # the whole symbol at HEAD
    callers: int = 0  # symbols in its blast radius
    # no changed line of it is a statement: the tests that run the rest of the symbol
    symbol_tests: list[str] = field(default_factory=list)
    code_changed: bool | None = None  # False: only comments, docstrings or layout changed


@dataclass(frozen=True)
class ChangedFile:
    path: str
    old_path: str | None
    status: str  # added / deleted / modified / renamed / copied / type changed
    lines_added: int
    lines_removed: int
    binary: bool = False
    language: str | None = None
    generated: bool = False
    similarity: int | None = None
    symbols: int = 0  # changed symbols in it


@dataclass(frozen=True)
class ReviewResult:
    base: str
    head: str
    changed: list[ChangedSymbol]
    blast_radius: list[BlastEntry]
    diff_coverage: DiffCoverage
    tests: list[str]
    provenance: Provenance
    owners: list[Owner]
    risk: list[RiskEntry]
    base_label: str = ""
    head_label: str = ""
    merge_base: bool = False
    commits: list[CommitSummary] = field(default_factory=list)
    files: list[ChangedFile] = field(default_factory=list)
    declared_owners: list[str] = field(default_factory=list)
    blast_truncated: bool = False
    notes: list[str] = field(default_factory=list)
    # tests that run changed symbols none of whose changed lines is a statement (not in
    # ``tests``: they do not run the change itself)
    symbol_tests: list[str] = field(default_factory=list)
