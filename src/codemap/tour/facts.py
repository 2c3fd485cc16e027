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

    def prepare(self, stops: Iterable[tuple[str, Symbol | None]]) -> None:
        """Blame what every stop covers (in parallel: a whole file for a module, the
        lines of a definition otherwise) and ask git for generated-file attributes once."""
        todo = [(p, None if s is None or s.kind == "module" else s) for p, s in stops if p]
        todo = [t for t in dict.fromkeys(todo) if self._key(*t) not in self._blame]
        if not todo:
            return
        from codemap.history.generated import attribute_values, generated_verdict

        paths = sorted({p for p, _ in todo})
        attrs = attribute_values(self.repo, paths) if self.repo.is_git else {}
        for path in paths:
            verdict = generated_verdict(self.repo, path,
                                        attribute=attrs.get(path, "unspecified"))
            self._generated[path] = bool(verdict and verdict.generated)
        if not self.repo.is_git:
            self._blame.update({self._key(*t): None for t in todo})
            return
        from codemap.history.blame import blame_file, blame_lines

        def one(item: tuple[str, Symbol | None]) -> list[Any] | None:
            path, sym = item
            try:
                if sym is None:
                    return blame_file(self.repo, path)
                found = blame_lines(self.repo, path, range(sym.start_line, sym.end_line + 1))
                return [found[n] for n in sorted(found)]
            except CodemapError:
                return None

        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for item, lines in zip(todo, pool.map(one, todo)):
                self._blame[self._key(*item)] = lines

    @staticmethod
    def _key(path: str, sym: Symbol | None) -> str:
        return path if sym is None else f"{path}:{sym.start_line}-{sym.end_line}"

    def _blamed(self, path: str, sym: Symbol | None) -> list[Any] | None:
        key = self._key(path, sym)
        if key not in self._blame:
            self.prepare([(path, sym)])
        return self._blame.get(key)

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
        whole = symbol is None or symbol.kind == "module"
        blamed = self._blamed(path, None if whole else symbol)
        owners: list[Owner] = []
        factor = ai_share = None
        if blamed is not None:
            lines = blamed
            counts: Counter[tuple[str, str]] = Counter()
            ai = 0
            for bl in lines:
                if bl.uncommitted:  # not written by anyone yet: no owner to ask
                    continue
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
