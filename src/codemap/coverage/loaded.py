"""Coverage data loaded for one repository: per-line and per-file answers.

:class:`CoverageSet` owns the recordings read for a repository, the map
from their measured names to repository files, and a cache of resolved
:class:`FileCoverage` (repository line numbers, test ids instead of raw
contexts, staleness). Files are resolved lazily, on the first question
about them, so loading the data for a large project stays cheap; the trace
view and the TUI gutter ask :meth:`CoverageSet.line` for single lines.
"""

from __future__ import annotations

import datetime as _dt
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from codemap.coverage.contexts import TestNamer
from codemap.coverage.mapping import go_modules, map_recording
from codemap.coverage.model import (
    BranchCounts,
    CoverageSource,
    FileSummary,
    LineCoverage,
    Staleness,
    percent,
)
from codemap.coverage.recording import RecordedFile, Recording
from codemap.coverage.staleness import StalenessChecker, dead_lines
from codemap.pathmap import PathMapper
from codemap.repo import Repo

SAME_RUN_SECONDS = 120  # recordings this close in time are exports of one run: the richer wins
_BRACES_ONLY = frozenset({"}", "})", "});", ")", "{", "};", "})()"})


@dataclass
class FileCoverage:
    """One repository file's coverage, in the file's current line numbers."""

    path: str
    recording: Recording
    measured_as: str
    hits: dict[int, int]
    branches: dict[int, tuple[int, int]] = field(default_factory=dict)
    missing_arcs: dict[int, list[int]] = field(default_factory=dict)
    tests: dict[int, list[str]] = field(default_factory=dict)
    aliases: dict[int, int] = field(default_factory=dict)
    statements_known: bool = True
    staleness: Staleness = field(default_factory=lambda: Staleness(False))
    note: str | None = None

    def statement_line(self, line: int) -> int:
        return self.aliases.get(line, line)

    def branch_counts(self, lines: Iterable[int]) -> BranchCounts | None:
        """Branch totals over ``lines`` (None when the data has no branches there)."""
        total = covered = 0
        missing: list[str] = []
        seen = False
        for ln in sorted(set(lines)):
            stats = self.branches.get(ln)
            if stats is None:
                continue
            seen = True
            total += stats[0]
            covered += stats[1]
            arcs = self.missing_arcs.get(ln)
            if arcs:
                missing.extend(f"{ln}->{b if b > 0 else 'exit'}" for b in arcs)
            elif stats[1] < stats[0]:
                missing.append(str(ln))
        if not seen:
            return None
        return BranchCounts(total, covered, percent(covered, total), missing)


def _iso(ts: float | None) -> str | None:
    if ts is None:
        return None
    return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).isoformat(timespec="seconds")


def _read_lines(repo: Repo, path: str) -> list[str] | None:
    try:
        data = repo.abspath(path).read_bytes()
    except OSError:
        return None
    return data.decode("utf-8", "replace").splitlines()


class CoverageSet:
    """The coverage data of one repository, mapped onto its files."""

    def __init__(self, repo: Repo, recordings: Sequence[Recording], repo_files: Iterable[str], *,
                 prefix_map: Sequence[tuple[str, str]] = (), warnings: Sequence[str] = ()) -> None:
        self.repo = repo
        self.recordings = list(recordings)
        self.warnings: list[str] = list(warnings)
        files = list(repo_files)
        self._namer = TestNamer(files)
        self._checker = StalenessChecker(repo)
        self._lock = threading.RLock()
        self._cache: dict[str, FileCoverage] = {}
        self._owner: dict[str, tuple[Recording, str]] = {}
        self.unmapped: list[str] = []
        self._stats: list[tuple[Recording, int, int]] = []
        mapper = PathMapper(files, prefix_map, repo_root=str(repo.root))
        fileset = set(files)
        mods = go_modules(repo, files) if any(r.format == "go" for r in self.recordings) else []
        for rec in self.recordings:
            self.warnings.extend(rec.warnings)
            names = rec.names()
            mapped, unmapped = map_recording(repo, rec, mapper, fileset, mods)
            self._stats.append((rec, len(names), len(mapped)))
            self.unmapped.extend(unmapped)
            if names and not mapped:
                self.warnings.append(f"{self._show(rec)}: none of its {len(names)} measured files "
                                     f"is a file of this repository (data from another project?)")
            elif not names:
                self.warnings.append(f"{self._show(rec)}: the coverage data is empty")
            for name, path in mapped.items():
                self._claim(path, rec, name)

    # -- building ----------------------------------------------------------

    def _claim(self, path: str, rec: Recording, name: str) -> None:
        old = self._owner.get(path)
        if old is None:
            self._owner[path] = (rec, name)
            return
        other = old[0]
        if other is rec:
            return  # two names for one file in one recording: keep the first
        t_new, t_old = rec.timestamp or 0.0, other.timestamp or 0.0
        if abs(t_new - t_old) > SAME_RUN_SECONDS:
            better = t_new > t_old
        else:
            better = rec.rank > other.rank
        if better:
            self._owner[path] = (rec, name)

    def _show(self, rec: Recording) -> str:
        try:
            return self.repo.rel(rec.path)
        except Exception:
            return str(rec.path)

    # -- queries -------------------------------------------------------------

    def paths(self) -> list[str]:
        """Repository files the data covers."""
        return sorted(self._owner)

    def has(self, path: str) -> bool:
        return path in self._owner

    def sources(self) -> list[CoverageSource]:
        return [CoverageSource(self._show(rec), rec.format, rec.tool, _iso(rec.timestamp), total,
                               mapped, rec.has_branches, rec.has_contexts)
                for rec, total, mapped in self._stats]

    def file(self, path: str) -> FileCoverage | None:
        """The coverage of a repository file (None when the data does not cover it)."""
        with self._lock:
            found = self._cache.get(path)
            if found is not None:
                return found
            owner = self._owner.get(path)
            if owner is None:
                return None
            found = self._resolve(path, *owner)
            self._cache[path] = found
            return found

    def _resolve(self, path: str, rec: Recording, name: str) -> FileCoverage:
        full = self.repo.abspath(path)
        raw: RecordedFile = rec.file(name, full if full.is_file() else None)
        text = _read_lines(self.repo, path)
        hits = dict(raw.hits)
        if raw.block_lines and text is not None:
            drop = set(dead_lines(sorted(hits), text))
            drop.update(ln for ln in hits
                        if ln <= len(text) and text[ln - 1].strip() in _BRACES_ONLY)
            for ln in drop:
                hits.pop(ln, None)
        tests: dict[int, list[str]] = {}
        if raw.contexts:
            for ln, ctxs in raw.contexts.items():
                names = self._namer.names(ctxs)
                if names:
                    tests[ln] = names
        staleness = self._checker.check(path, raw, rec.timestamp, text)
        return FileCoverage(path, rec, name, hits, dict(raw.branches), dict(raw.missing_arcs), tests,
                            dict(raw.aliases), raw.statements_known, staleness, raw.note)

    def line(self, path: str, line: int) -> LineCoverage:
        """Is ``line`` of ``path`` covered, and by which tests (covered None: not a statement)."""
        fc = self.file(path)
        if fc is None:
            return LineCoverage(None)
        ln = fc.statement_line(line)
        hits = fc.hits.get(ln)
        if hits is None:
            return LineCoverage(None)
        stats = fc.branches.get(ln)
        return LineCoverage(hits > 0, list(fc.tests.get(ln, [])), hits,
                            fc.branch_counts([ln]) if stats else None)

    def stale(self, path: str) -> Staleness | None:
        fc = self.file(path)
        return fc.staleness if fc is not None else None

    def file_summary(self, path: str) -> FileSummary | None:
        fc = self.file(path)
        if fc is None:
            return None
        statements = sorted(fc.hits)
        covered = [ln for ln in statements if fc.hits[ln] > 0]
        missing = [ln for ln in statements if fc.hits[ln] <= 0]
        return FileSummary(path, len(statements), len(covered),
                           percent(len(covered), len(statements)), missing,
                           fc.branch_counts(fc.branches), fc.staleness.stale,
                           list(fc.staleness.reasons), self._show(fc.recording),
                           fc.recording.format, fc.measured_as, fc.statements_known)
