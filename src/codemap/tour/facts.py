"""The facts a tour shows for each stop: owners, bus factor, coverage, AI share, churn.

Owners and AI share come from blame (one cached ``git blame`` per file, run
in a few threads, sliced to the stop's lines), churn from one ``git log``
(:mod:`codemap.tour.churn`), coverage from the repository's coverage data
through the per-symbol roll-up. Outside git the history facts are None,
and the tour says so once instead of showing zeros.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from codemap.errors import CodemapError
from codemap.model import Symbol
from codemap.repo import Repo
from codemap.tour.churn import Churn
from codemap.tour.model import Owner

WORKERS = 4
MAX_OWNERS = 5
NINETY_DAYS = 90 * 86400


@dataclass(frozen=True)
class StopFacts:
    owners: list[Owner] = field(default_factory=list)
    bus_factor: int | None = None
    declared_owners: list[str] = field(default_factory=list)
    coverage_percent: float | None = None
    ai_share: float | None = None
    generated: bool = False
    commits_90d: int | None = None
    commits: int | None = None


def bus_factor(shares: Iterable[float]) -> int:
    """How many authors, biggest first, together wrote more than half of the lines."""
    total = 0.0
    n = 0
    for share in sorted(shares, reverse=True):
        total += share
        n += 1
        if total > 0.5:
            return n
    return n


class FactGatherer:
    """Collects stop facts for one tour (each file blamed and read once)."""

    def __init__(self, repo: Repo, churn: Churn, coverage: Any | None, now: float) -> None:
        self.repo = repo
        self.churn = churn
        self.coverage = coverage
        self.now = now
        self._blame: dict[str, list[Any] | None] = {}
        self._rows: dict[str, dict[str, Any]] = {}
        self._generated: dict[str, bool] = {}
        self._codeowners: Any = None

    # -- bulk preparation ------------------------------------------------------

    def prepare(self, paths: Iterable[str]) -> None:
        """Blame every file (in parallel) and ask git for generated-file attributes once."""
        todo = sorted({p for p in paths if p not in self._blame})
        if not todo:
            return
        from codemap.history.generated import attribute_values, generated_verdict

        attrs = attribute_values(self.repo, todo) if self.repo.is_git else {}
        for path in todo:
            verdict = generated_verdict(self.repo, path,
                                        attribute=attrs.get(path, "unspecified"))
            self._generated[path] = bool(verdict and verdict.generated)
        if not self.repo.is_git:
            self._blame.update({p: None for p in todo})
            return
        from codemap.history.blame import blame_file

        def one(path: str) -> list[Any] | None:
            try:
                return blame_file(self.repo, path)
            except CodemapError:
                return None

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for path, lines in zip(todo, pool.map(one, todo)):
                self._blame[path] = lines

    # -- per stop --------------------------------------------------------------

    def _declared(self, path: str) -> list[str]:
        if self._codeowners is None:
            from codemap.history.codeowners import load_codeowners

            self._codeowners = load_codeowners(self.repo) or False
        return self._codeowners.owners_of(path) if self._codeowners else []

    def _coverage(self, path: str, symbol: Symbol | None, file_symbols: list[Symbol]) -> float | None:
        cov = self.coverage
        if cov is None or not cov.has(path):
            return None
        if symbol is None or symbol.kind == "module":
            summary = cov.file_summary(path)
            return summary.percent if summary is not None else None
        rows = self._rows.get(path)
        if rows is None:
            from codemap.coverage.rollup import symbol_coverage

            fc = cov.file(path)
            if fc is None:
                return None
            try:
                source = self.repo.abspath(path).read_bytes().decode("utf-8", "replace")
            except OSError:
                source = None
            rows = {r.symbol.id: r for r in symbol_coverage(fc, file_symbols, source)}
            self._rows[path] = rows
        row = rows.get(symbol.id)
        return row.percent if row is not None else None

    def facts(self, path: str, symbol: Symbol | None, file_symbols: list[Symbol]) -> StopFacts:
        self.prepare([path])
        blamed = self._blame.get(path)
        owners: list[Owner] = []
        factor = ai_share = None
        if blamed is not None:
            lines = blamed
            if symbol is not None and symbol.kind != "module":
                lines = blamed[symbol.start_line - 1: symbol.end_line]
            counts: Counter[tuple[str, str]] = Counter()
            ai = 0
            for bl in lines:
                counts[(bl.author, bl.email)] += 1
                ai += bool(bl.ai)
            total = sum(counts.values())
            if total:
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                owners = [Owner(name, email, round(n / total, 4), n)
                          for (name, email), n in ranked[:MAX_OWNERS]]
                factor = bus_factor(n / total for _, n in ranked)
                ai_share = round(ai / total, 4)
        commits_90d = commits = None
        if self.churn.available:
            commits_90d = self.churn.commits(path, self.now - NINETY_DAYS)
            commits = self.churn.commits(path)
        return StopFacts(owners, factor, self._declared(path),
                         self._coverage(path, symbol, file_symbols), ai_share,
                         self._generated.get(path, False), commits_90d, commits)
