"""Add what other packages know to a mapped trace: blame, suspects, coverage.

Mapping (:mod:`codemap.traces.service`) answers "where"; this module adds
"who changed it last" (``last_commit`` per in-repo frame, from blame at the
deployed revision), "which commit most likely broke it" (``suspects``, from
:mod:`codemap.history.suspects`) and "is this line tested, and by what"
(``coverage`` per frame). Each is left out when its source is missing: no
git, no coverage data. A failing enricher never hides the mapping itself;
it becomes a warning on the report (``warnings``).
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from codemap.errors import CodemapError, InputError, UsageError
from codemap.repo import Repo
from codemap.traces.report import TraceFrame, TraceReport


def _in_repo(frames: Iterable[TraceFrame]) -> list[TraceFrame]:
    return [f for f in frames if f.in_repo and f.path and f.line]


def add_git(repo: Repo, report: TraceReport, *, rev: str | None, since: str | None) -> None:
    """``last_commit`` on every in-repo frame and ``suspects`` on the report."""
    if not repo.is_git:
        return
    from codemap.history.blame import commit_ref
    from codemap.history.suspects import (
        cause_levels,
        prefetch_histories,
        rank_suspects,
        suspect_frames,
    )

    by_path: dict[str, set[int]] = {}
    frames = _in_repo(report.frames())
    for f in frames:
        by_path.setdefault(f.path, set()).add(f.line)  # type: ignore[arg-type]
    suspect_input = []
    levels = cause_levels([exc.relation for exc in report.exceptions])
    for i, (exc, level) in enumerate(zip(report.exceptions, levels, strict=True)):
        suspect_input.extend(suspect_frames(exc.frames, above=level, exception=i))
    blamed: dict[tuple[str, int], object] = {}
    with ThreadPoolExecutor(max_workers=1) as side:
        # the suspects' line histories do not need the blame: read them meanwhile
        histories = side.submit(prefetch_histories, repo, suspect_input, rev)
        for path, found in _blame_all(repo, by_path, rev):
            for line, bl in found.items():
                if not bl.uncommitted:
                    blamed[(path, line)] = commit_ref(bl)
        histories.result()
    for f in frames:
        ref = blamed.get((f.path, f.line))  # type: ignore[arg-type]
        if ref is not None:
            f.last_commit = ref
    # blame and histories are in the history cache now: ranking reads them back
    report.suspects = rank_suspects(repo, suspect_input, since=since, rev=rev) if suspect_input else []


def _blame_all(repo: Repo, by_path: dict[str, set[int]],
               rev: str | None) -> list[tuple[str, dict[int, Any]]]:
    """Blame the frame lines of every path: one git process per path, all at once,
    and one commit lookup for all of them (:func:`codemap.history.blame.blame_lines_many`).

    Run one after the other, a blame plus a ``git log`` per file made the first
    trace after an index cost about 0.2 s more than the next one in a large
    repository. The answers land in the history cache, where
    :func:`rank_suspects` reads them back. Paths git cannot blame (not
    committed, binary) are left out.
    """
    from codemap.history.blame import blame_lines_many

    found = blame_lines_many(repo, by_path, rev=rev)
    return [(path, lines) for path, lines in found.items() if not isinstance(lines, CodemapError)]


def add_coverage(repo: Repo, report: TraceReport, *, coverage_file: str | None,
                 files: list[str]) -> list[str]:
    """``coverage`` on every in-repo frame whose line the data knows; returns warnings."""
    from codemap.coverage.service import load_coverage

    cov = load_coverage(repo, coverage_file, files=files)
    if cov is None:
        return []
    for f in _in_repo(report.frames()):
        # the data was recorded on the working tree: with --rev, a frame's line is where
        # it is now (head_line), and a line deleted since has no coverage to show
        if f.head_status == "deleted":
            continue
        path = f.head_path or f.path
        line = cov.line(path, f.head_line or f.line)  # type: ignore[arg-type]
        if line is None or line.covered is None:
            continue
        entry: dict[str, object] = {"covered": bool(line.covered), "tests": list(line.tests)}
        stale = cov.stale(path)  # type: ignore[arg-type]
        if stale is not None and stale.stale:
            entry["stale"] = True
            entry["stale_reasons"] = list(stale.reasons)
        f.coverage = entry
    return list(getattr(cov, "warnings", []) or [])


def enrich(repo: Repo, report: TraceReport, *, rev: str | None, since: str | None,
           coverage_file: str | None, files: list[str]) -> None:
    """Fill every optional field that the repository's data can answer."""
    warnings: list[str] = []
    try:
        add_git(repo, report, rev=rev, since=since)
    except (InputError, UsageError):
        raise
    except CodemapError as exc:
        warnings.append(f"git history unavailable: {exc.message}")
    try:
        warnings.extend(add_coverage(repo, report, coverage_file=coverage_file, files=files))
    except InputError:
        if coverage_file:
            raise
        warnings.append("coverage data unreadable; frames carry no coverage")
    if warnings:
        report.extras.setdefault("warnings", []).extend(warnings)
