"""Rank the changed symbols by how much could go wrong, and say why.

Each factor is a number between 0 and 1 with a weight; the score is their
weighted sum, and every factor that contributes names itself in
``reasons`` in plain words. The factors:

========== ====== =============================================================
reach      0.30   callers reached through the call graph's exact and likely
                  edges (log scale), more when an entry point or endpoint is
                  among them; callers found only by a name guess are named in
                  the reason but do not count
untested   0.25   changed statements no test runs (0.5 when there is no data)
size       0.15   lines added and removed in the symbol
ai         0.10   share of its added lines written by an AI assistant
churn      0.10   commits to its file in the last 90 days (a hot spot)
ownership  0.10   the code's main author made none of the change's commits
dangling   0.30   a deleted symbol whose name is still called in the code
========== ====== =============================================================

A symbol whose changed lines hold no code (only comments, docstrings, blank
lines or layout: see :mod:`codemap.review.trivia`) cannot break anything at
run time: it scores 0, ranks below every code change, and its one reason
says so ("comments only: no statement changed").

Test code (by path: a test directory or a test file name) is not expected to
be covered, and its score is halved: a mistake there fails a test, not
production, so production code ranks first.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

from codemap.model import Symbol
from codemap.review.changes import SymbolChange

WEIGHTS = {"reach": 0.30, "untested": 0.25, "size": 0.15, "ai": 0.10, "churn": 0.10,
           "ownership": 0.10, "dangling": 0.30}
REACH_SCALE = 50  # callers at which reach counts fully
SIZE_SCALE = 60  # changed lines at which size counts fully
CHURN_SCALE = 10  # commits in 90 days at which churn counts fully


@dataclass(frozen=True)
class RiskEntry:
    symbol: Symbol
    score: float
    reasons: list[str]
    change: str = ""
    factors: dict[str, float] = field(default_factory=dict)
    code_changed: bool | None = None  # False: only comments, docstrings or layout changed


@dataclass
class SymbolSignals:
    """Everything known about one changed symbol that bears on its risk."""

    reach: int = 0  # callers reached through exact or likely edges
    guess_reach: int = 0  # further callers found only by a name guess (never walked on from)
    entries: list[str] = field(default_factory=list)
    statements: int | None = None  # changed statements (None: no coverage data for it)
    covered: int = 0
    tests: list[str] = field(default_factory=list)
    coverage_known: bool = False
    ai_lines: int = 0
    ai_tool: str | None = None
    churn_90d: int | None = None
    base_authors: Counter[tuple[str, str]] = field(default_factory=Counter)
    change_authors: set[str] = field(default_factory=set)  # e-mails of the range's authors
    dangling_calls: int = 0
    code_changed: bool | None = None  # None: not known (added, deleted, or not parsed)
    no_code_reason: str = ""  # what changed instead, when code_changed is False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


TEST_DIRS = ("test", "tests", "__tests__", "spec", "specs", "testing")
TEST_NAMES = ("test_*", "*_test.*", "*.test.*", "*.spec.*", "*_spec.*", "*Test.java", "*Tests.*",
              "*Test.kt", "*Test.cs", "conftest.py")
TEST_DISCOUNT = 0.5  # a change in test code breaks a test, not production


def is_test_path(path: str) -> bool:
    """Test code by its path: a test directory, or a test file name in any language."""
    import fnmatch

    parts = path.split("/")
    if any(part in TEST_DIRS for part in parts[:-1]):
        return True
    return any(fnmatch.fnmatch(parts[-1], pattern) for pattern in TEST_NAMES)


def score(sc: SymbolChange, sig: SymbolSignals) -> RiskEntry:
    if sig.code_changed is False:
        return RiskEntry(sc.symbol, 0.0, [sig.no_code_reason or "no statement changed"],
                         sc.change, {}, False)
    f: dict[str, float] = {}
    reasons: list[str] = []
    test_code = is_test_path(sc.symbol.path)
    if sig.reach:
        f["reach"] = min(1.0, math.log1p(sig.reach) / math.log1p(REACH_SCALE))
        more = f" and {sig.guess_reach} more by name guesses" if sig.guess_reach else ""
        reasons.append(f"called, directly or not, by {_plural(sig.reach, 'symbol')}{more}")
    elif sig.guess_reach:
        reasons.append(f"maybe called by {_plural(sig.guess_reach, 'symbol')} "
                       "(name guesses only)")
    if sig.entries:
        f["reach"] = min(1.0, f.get("reach", 0.0) + 0.25)
        shown = ", ".join(sig.entries[:3]) + (f" and {len(sig.entries) - 3} more"
                                              if len(sig.entries) > 3 else "")
        reasons.append(f"reaches {shown}")
    if sc.change != "deleted" and not test_code:
        if not sig.coverage_known:
            f["untested"] = 0.5
        elif sig.statements:
            missed = sig.statements - sig.covered
            f["untested"] = missed / sig.statements
            if missed:
                reasons.append(f"{missed} of {_plural(sig.statements, 'changed statement')} "
                               "run by no test")
            else:
                reasons.append(f"every changed statement is run by tests "
                               f"({_plural(len(sig.tests), 'test')})")
        elif sig.statements is None:
            f["untested"] = 1.0
            reasons.append("its file is not in the coverage data")
    size = sc.lines_added + sc.lines_removed
    if size:
        f["size"] = min(1.0, size / SIZE_SCALE)
        if size >= 20:
            reasons.append(f"large change: +{sc.lines_added} -{sc.lines_removed}")
    if sig.ai_lines and sc.lines_added:
        f["ai"] = min(1.0, sig.ai_lines / sc.lines_added)
        tool = f" ({sig.ai_tool})" if sig.ai_tool else ""
        reasons.append(f"{sig.ai_lines} of {_plural(sc.lines_added, 'added line')} "
                       f"written by an AI assistant{tool}")
    if sig.churn_90d:
        f["churn"] = min(1.0, sig.churn_90d / CHURN_SCALE)
        if sig.churn_90d >= 3:
            reasons.append(f"hot spot: its file changed in {_plural(sig.churn_90d, 'commit')} "
                           "in the last 90 days")
    if sig.base_authors:
        (name, email), n = sig.base_authors.most_common(1)[0]
        total = sum(sig.base_authors.values())
        share = n / total
        if email.lower() not in sig.change_authors and share >= 0.5:
            f["ownership"] = share
            reasons.append(f"mostly written by {name} ({share:.0%}), who made none of "
                           "these commits")
    if sc.change == "deleted" and sig.dangling_calls:
        f["dangling"] = 1.0
        reasons.append(f"deleted, but {_plural(sig.dangling_calls, 'call site')} still call "
                       f"'{sc.symbol.name}'")
    total = sum(WEIGHTS[k] * v for k, v in f.items())
    if test_code:
        total *= TEST_DISCOUNT
        reasons.append("test code: a mistake here fails a test, not production")
    if not reasons:
        reasons.append("small, self-contained change")
    return RiskEntry(sc.symbol, round(min(1.0, total), 3), reasons, sc.change,
                     {k: round(v, 3) for k, v in f.items()}, sig.code_changed)


def rank(entries: list[RiskEntry]) -> list[RiskEntry]:
    """Riskiest first; a change of no code after every change of code."""
    return sorted(entries, key=lambda e: (e.code_changed is False, -e.score, e.symbol.path,
                                          e.symbol.start_line))
