"""Suspect commits: which change most likely caused the failure in a trace.

Evidence per commit, from the trace's in-repo frames (``depth`` 0 is the
raising frame, 1 its caller, ...; deeper frames weigh less):

* it is the last change to the raising line (blame): the strongest signal;
* it is the last change to another frame's line;
* it changed a frame's enclosing function (``git log -L`` over the
  function's range; recent changes of the function count more than old
  ones), the more lines the bigger the weight;
* recency: relative to ``since`` (the incident time) when given, else to
  the newest commit considered; commits made after the incident are not
  suspects.

Scores are in 0..1 and each suspect says why in ``reasons``. Blame and
line histories come from the history cache, so a repeated trace is fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from codemap.errors import CodemapError, UsageError
from codemap.history.blame import BlameLine, blame_lines_many
from codemap.history.commits import CommitInfo
from codemap.history.linelog import Change, track_line
from codemap.history.results import Suspect
from codemap.repo import Repo

FUNCTION_HISTORY = 30  # commits of each enclosing function considered
NEIGHBOURHOOD = 5  # lines either side of a frame line when its function is unknown
RECENCY_DAYS = 30.0  # a commit this old weighs half as much on recency as a new one
WORKERS = 4

W_RAISING_LINE = 3.0
W_FRAME_LINE = 2.0
W_FUNCTION = 1.0
W_SIZE = 0.5
W_NEAR = 3.0  # code changed right next to a frame line: as suspicious as the line itself
NEAR_LINES = 4  # changes this close to a frame line count as touching it
NEWER_CHANGE_DISCOUNT = 0.6  # per newer change to the function since the line was written
OLDER_CHANGE_DISCOUNT = 0.7  # per newer change to the function, for its older changes
W_LATEST = 1.0  # the latest change to a frame's function


@dataclass(frozen=True)
class SuspectFrame:
    """An in-repository frame of a trace, as suspects needs it."""

    path: str  # repo-relative
    line: int
    depth: int = 0  # 0 = the raising frame, 1 = its caller, ...
    start_line: int | None = None  # the enclosing symbol's range, when known
    end_line: int | None = None
    function: str | None = None  # for reasons


@dataclass
class _Evidence:
    score: float = 0.0
    reasons: dict[str, float] = field(default_factory=dict)  # reason -> its weight
    ai_sources: list[str] = field(default_factory=list)
    ai_tool: str | None = None
    lines_changed: int = 0

    def add(self, weight: float, reason: str) -> None:
        self.score += weight
        self.reasons[reason] = self.reasons.get(reason, 0.0) + weight


def frame_weight(depth: int) -> float:
    """How much a frame's evidence counts: the raising frame 1, callers less."""
    return 1.0 if depth <= 0 else 0.6 * 0.75 ** (depth - 1)


def parse_since(since: str | datetime | int | float | None) -> float | None:
    """The incident time as seconds since the epoch (ISO 8601, a date, or a number)."""
    if since is None or since == "":
        return None
    if isinstance(since, (int, float)):
        return float(since)
    if isinstance(since, datetime):
        dt = since
    else:
        text = since.strip()
        try:
            return float(text)
        except ValueError:
            pass
        try:
            dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            raise UsageError(f"cannot read the incident time {since!r}: use ISO 8601, "
                             "e.g. 2026-01-05T14:30:00+00:00") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def _where(frame: SuspectFrame) -> str:
    if frame.depth <= 0:
        return "raising frame"
    name = f" {frame.function}" if frame.function else ""
    return f"frame {frame.depth}{name}, {'caller' if frame.depth == 1 else 'further up'}"


def _days(seconds: float) -> str:
    days = seconds / 86400
    if days < 1:
        hours = max(seconds / 3600, 0)
        return f"{hours:.0f} hours"
    return f"{days:.0f} day{'s' if round(days) != 1 else ''}"


def rank_suspects(repo: Repo, frames: Sequence[SuspectFrame], *,
                  since: str | datetime | float | None = None, limit: int = 10,
                  rev: str | None = None) -> list[Suspect]:
    """Commits ranked by how likely they introduced the failure, best first.

    ``rev`` is the deployed revision the frames' line numbers refer to
    (default: the working tree for blame, HEAD for line histories).
    """
    repo.require_git("suspects")
    incident = parse_since(since)
    frames = [f for f in frames if f.path and f.line >= 1]
    if not frames:
        return []
    evidence: dict[str, _Evidence] = {}
    blamed = _blame_frames(repo, frames, rev)
    spans = _spans(frames)
    histories = _histories(repo, spans, rev)
    infos: dict[str, CommitInfo] = {}
    for changes in histories.values():
        for ch in changes:
            infos[ch.commit.sha] = ch.commit

    def ev(sha: str) -> _Evidence:
        return evidence.setdefault(sha, _Evidence())

    # the last change of each frame line, discounted by newer changes to its function
    for f in frames:
        bl = blamed.get((f.path, f.line))
        if bl is None or bl.uncommitted:
            continue
        changes = histories.get(_span_of(f), [])
        newer = next((k for k, ch in enumerate(changes) if ch.commit.sha == bl.sha),
                     len(changes) if len(changes) >= FUNCTION_HISTORY else 0)
        weight = W_RAISING_LINE if f.depth <= 0 else W_FRAME_LINE * frame_weight(f.depth)
        e = ev(bl.sha)
        e.add(weight * NEWER_CHANGE_DISCOUNT ** min(newer, 5),
              f"changed line {f.line} of {f.path} ({_where(f)})")
        if bl.ai:
            e.ai_tool = e.ai_tool or bl.ai_tool
            e.ai_sources.extend(s for s in bl.ai_sources if s not in e.ai_sources)

    # changes to each enclosing function (or the lines around the frame)
    for span, changes in histories.items():
        path, lo, hi = span
        members = spans[span]
        f = members[0]
        known = f.start_line is not None and f.end_line is not None
        what = (f"{f.function or 'the function'} ({path}:{lo}-{hi})" if known
                else f"lines {lo}-{hi} around line {f.line} of {path}")
        distances = {m: track_line(changes, lo, m.line) for m in members}
        for k, ch in enumerate(changes):
            e = ev(ch.commit.sha)
            fw = frame_weight(f.depth) * (OLDER_CHANGE_DISCOUNT ** k) * (1.0 if known else 0.6)
            size = min(1.0, math.log1p(ch.lines_changed) / math.log1p(40))
            e.add(W_FUNCTION * fw + W_SIZE * size * fw,
                  f"changed {what}: {ch.lines_changed} lines ({_where(f)})")
            if k == 0:
                e.add(W_LATEST * fw, f"the latest change to {what.split(' (')[0]} "
                                     f"({_where(f)})")
            e.lines_changed += ch.lines_changed
            for m in members:
                d = distances[m][k]
                if d is None or d == 0 or d > NEAR_LINES:
                    continue
                where = ("right next to" if d < 1 else f"{d:.0f} lines from")
                e.add(W_NEAR * frame_weight(m.depth) / (1 + (d - 0.5)),
                      f"changed code {where} line {m.line} of {path} ({_where(m)})")

    return _finish(repo, evidence, infos, incident, limit)


def _blame_frames(repo: Repo, frames: list[SuspectFrame],
                  rev: str | None) -> dict[tuple[str, int], BlameLine]:
    by_path: dict[str, list[int]] = {}
    for f in frames:
        by_path.setdefault(f.path, []).append(f.line)
    blamed: dict[tuple[str, int], BlameLine] = {}
    for path, found in blame_lines_many(repo, by_path, rev=rev).items():
        if isinstance(found, CodemapError):
            continue  # a file git does not know: no evidence from it
        blamed.update({(path, n): bl for n, bl in found.items()})
    return blamed


def _span_of(f: SuspectFrame) -> tuple[str, int, int]:
    if f.start_line is not None and f.end_line is not None and f.end_line >= f.start_line:
        return (f.path, f.start_line, f.end_line)
    return (f.path, max(1, f.line - NEIGHBOURHOOD), f.line + NEIGHBOURHOOD)


def prefetch_histories(repo: Repo, frames: Sequence[SuspectFrame], rev: str | None) -> None:
    """Read (into the history cache) the line histories :func:`rank_suspects` will need for
    ``frames``, so a caller can overlap that git work with other work (blame)."""
    frames = [f for f in frames if f.path and f.line >= 1]
    if frames:
        _histories(repo, _spans(frames), rev)


def _spans(frames: list[SuspectFrame]) -> dict[tuple[str, int, int], list[SuspectFrame]]:
    """Frames grouped by the range whose history is read, shallowest frame first."""
    spans: dict[tuple[str, int, int], list[SuspectFrame]] = {}
    for f in sorted(frames, key=lambda f: f.depth):
        spans.setdefault(_span_of(f), []).append(f)
    return spans


def _histories(repo: Repo, spans: dict[tuple[str, int, int], list[SuspectFrame]],
               rev: str | None) -> dict[tuple[str, int, int], list[Change]]:
    from concurrent.futures import ThreadPoolExecutor

    from codemap.history.linelog import (
        prefetch_last_revisions,
        prefetch_root_ranges,
        range_history,
        start_revision,
    )

    try:
        rev = start_revision(repo, rev)  # once, not once per span
    except CodemapError:
        return {span: [] for span in spans}
    prefetch_last_revisions(repo, (path for path, _lo, _hi in spans), rev)
    prefetch_root_ranges(repo, spans, rev=rev, limit=FUNCTION_HISTORY)

    def one(span: tuple[str, int, int]) -> list[Change]:
        path, lo, hi = span
        line = spans[span][0].line
        for start, end in ((lo, hi), (lo, line)):  # a neighbourhood may run past the end
            try:
                return range_history(repo, path, start, end, rev=rev, limit=FUNCTION_HISTORY)
            except CodemapError:
                continue
        return []

    keys = list(spans)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return dict(zip(keys, pool.map(one, keys)))


def _finish(repo: Repo, evidence: dict[str, _Evidence], infos: dict[str, CommitInfo],
            incident: float | None,
            limit: int) -> list[Suspect]:
    from codemap.config import load_config
    from codemap.history.commits import commit_infos
    from codemap.history.identities import identity_table
    from codemap.history.provenance import commit_verdict

    missing = [sha for sha in evidence if sha not in infos]
    if missing:
        infos.update(commit_infos(repo, missing))
    table = identity_table(load_config(repo).ai_identities)
    candidates = [sha for sha in evidence if sha in infos]
    if incident is not None:
        candidates = [sha for sha in candidates if infos[sha].commit_timestamp <= incident]
    if not candidates:
        return []
    reference = incident if incident is not None else max(
        infos[sha].commit_timestamp for sha in candidates)
    suspects = []
    for sha in candidates:
        info, e = infos[sha], evidence[sha]
        age = max(reference - info.commit_timestamp, 0)
        recency = 0.4 + 0.6 / (1 + (age / 86400) / RECENCY_DAYS)  # heavy-tailed
        reasons = sorted(e.reasons, key=lambda r: -e.reasons[r])  # strongest evidence first
        anchor = "the incident" if incident is not None else "the newest suspect"
        reasons.append(f"committed {_days(age)} before {anchor}" if age else
                       f"the most recent change ({'before the incident' if incident else 'of these'})")
        verdict = commit_verdict(info, table)
        ai = verdict.ai or bool(e.ai_sources)
        sources = list(dict.fromkeys([*verdict.sources, *e.ai_sources]))
        score = (1 - math.exp(-e.score / 2.5)) * recency
        suspects.append(Suspect(sha, info.summary, info.author, info.date,
                                round(min(max(score, 0.0), 1.0), 3), reasons, ai, info.email,
                                verdict.tool or e.ai_tool, sources))
    suspects.sort(key=lambda s: (-s.score, -_timestamp(infos[s.sha]), s.sha))
    return suspects[:limit] if limit else suspects


def _timestamp(info: object) -> int:
    return int(getattr(info, "commit_timestamp", 0))


def frames_from_positions(positions: Iterable[tuple[str, int]]) -> list[SuspectFrame]:
    """Frames from (path, line) pairs listed raising frame first (depth by position)."""
    return [SuspectFrame(path, line, depth) for depth, (path, line) in enumerate(positions)]


def suspect_frames(call_order: Iterable[Any]) -> list[SuspectFrame]:
    """Frames for :func:`rank_suspects` from a trace's mapped frames in call order
    (outermost first, the raising frame last, as ``codemap trace`` lists them).

    Each frame needs ``in_repo``, ``path``, ``line``, ``function`` and ``symbol``
    (a :class:`codemap.model.Symbol` or None) attributes; frames outside the
    repository are skipped and depth counts in-repository frames only.
    """
    mapped = [f for f in call_order
              if getattr(f, "in_repo", False) and getattr(f, "path", None) and getattr(f, "line", None)]
    out = []
    for depth, f in enumerate(reversed(mapped)):
        sym = getattr(f, "symbol", None)
        out.append(SuspectFrame(f.path, int(f.line), depth,
                                getattr(sym, "start_line", None), getattr(sym, "end_line", None),
                                getattr(sym, "name", None) or getattr(f, "function", None)))
    return out
