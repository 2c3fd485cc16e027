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

Two further rules keep an import from outranking the change that broke
things. Blame names *some* commit for every line, and a commit that added a
whole library (or the first version of a project, or reformatted every
file) is named for all the lines it wrote, so it collects evidence from every
frame without having changed anything in particular. An on-call engineer
reads such a commit as "this is where the code came from", not "this is
what changed"; Sentry's suspect commits keep to in-app frames for the same
reason, and git-stacktrace looks only at commits in a recent range.

* **Breadth.** A commit's footprint is the files and lines it changed in
  the whole repository (:func:`codemap.history.commits.commit_footprints`:
  trees and numstat, a few git processes for all suspects and none per
  frame, cached per commit). Up to FOCUSED_FILES files and FOCUSED_LINES
  lines (about what one person writes and reviews as one change) a commit is
  focused and its score stands. Beyond, its size is the larger of
  files/FOCUSED_FILES and lines/FOCUSED_LINES, and its score is multiplied by
  1/sqrt(size): it halves for every fourfold growth, down to 1/sqrt(MAX_SIZE),
  where counting stops (FOOTPRINT_FILES_CAP files); its first reason says so.
  The less of the repository a commit touched, the more its touching the
  trace's lines says. A commit weighed at BULK_BREADTH or less is a *bulk*
  commit (an import, a vendoring, a sweeping reformat). Creating a file is
  not a discount of its own: a focused commit that adds a file adds new code,
  which is where new bugs are; only the bulk of a commit makes its authorship
  uninformative.
* **Imported frames.** A frame whose code only bulk commits ever touched
  (every commit of its function's line history, or its line's blame when
  there is no history) is imported code: a library the trace passes
  through, unchanged by this repository since it arrived. The frames of the
  repository's own code take the places nearest the failure, in their order,
  and imported frames follow them (within each exception of the trace): the
  innermost own frame, where the application called into the library, weighs
  as the raising frame does (Sentry's "in-app" frames, told apart by history
  instead of by path, because a vendored library lives in the repository).
  When every frame is imported (a one-commit import), nothing moves. A local
  patch to a library function is a focused commit, so that function counts as
  the repository's own code again.

Scores are in 0..1 and each suspect says why in ``reasons``. Blame and
line histories come from the history cache, so a repeated trace is fast.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

from codemap.errors import CodemapError, UsageError
from codemap.history.blame import BlameLine, blame_lines_many
from codemap.history.commits import FOOTPRINT_FILES_CAP, CommitInfo, Footprint
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
FOCUSED_FILES = 20  # a commit this small (files and lines) is focused: no breadth discount
FOCUSED_LINES = 400
MAX_SIZE = FOOTPRINT_FILES_CAP / FOCUSED_FILES  # sizes count up to here (footprints do)
BULK_BREADTH = 0.5  # a commit weighed at this or less is bulk: an import, a sweep


@dataclass(frozen=True)
class SuspectFrame:
    """An in-repository frame of a trace, as suspects needs it."""

    path: str  # repo-relative
    line: int
    depth: int = 0  # 0 = the raising frame, 1 = its caller, ...
    start_line: int | None = None  # the enclosing symbol's range, when known
    end_line: int | None = None
    function: str | None = None  # for reasons
    exception: int = 0  # which exception of the trace it belongs to (frames of one are a run)


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


def breadth(footprint: Footprint | None) -> float:
    """How much a commit's evidence counts for its footprint: 1 for a focused
    commit, 1/sqrt(size) beyond (see the module docstring), 1 when unknown."""
    if footprint is None:
        return 1.0
    if footprint.lines is None or footprint.more_files:
        size = MAX_SIZE
    else:
        size = min(max(footprint.files / FOCUSED_FILES, footprint.lines / FOCUSED_LINES),
                   MAX_SIZE)
    return 1.0 if size <= 1 else size ** -0.5


def _where(frame: SuspectFrame, shown_depth: int | None = None) -> str:
    """``frame`` weighs at its (effective) depth; ``shown_depth`` is its place in the
    trace when imported frames were moved below it."""
    depth = frame.depth if shown_depth is None else shown_depth
    if depth <= 0:
        return "raising frame"
    name = f" {frame.function}" if frame.function else ""
    place = "caller" if depth == 1 else "further up"
    if shown_depth is not None and frame.depth <= 0:  # moved up to the raising frame's place
        place = "the innermost frame outside imported code"
    return f"frame {depth}{name}, {place}"


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
    (default: the working tree for blame, HEAD for line histories). Frames of
    several exceptions come one exception after another, each from depth 0.
    """
    from codemap.history.commits import commit_footprints, commit_infos

    repo.require_git("suspects")
    incident = parse_since(since)
    frames = _once_per_line([f for f in frames if f.path and f.line >= 1])
    if not frames:
        return []
    evidence: dict[str, _Evidence] = {}
    blamed = _blame_frames(repo, frames, rev)
    histories = _histories(repo, _spans(frames), rev)
    infos: dict[str, CommitInfo] = {}
    for changes in histories.values():
        for ch in changes:
            infos[ch.commit.sha] = ch.commit
    shas = {bl.sha for bl in blamed.values() if not bl.uncommitted} | set(infos)
    missing = [sha for sha in shas if sha not in infos]
    if missing:
        infos.update(commit_infos(repo, missing))
    if incident is not None:  # later commits are not suspects, nor say what is imported
        shas = {sha for sha in shas if sha in infos and infos[sha].commit_timestamp <= incident}
    footprints = commit_footprints(repo, [infos[sha] for sha in shas if sha in infos])
    weights = {sha: breadth(footprints.get(sha)) for sha in shas}
    bulk = {sha for sha, w in weights.items() if w <= BULK_BREADTH}
    frames, shown = _own_code_first(frames, blamed, histories, set(weights), bulk)
    spans = _spans(frames)

    def ev(sha: str) -> _Evidence:
        return evidence.setdefault(sha, _Evidence())

    def where(f: SuspectFrame) -> str:
        return _where(f, shown.get(f))

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
              f"changed line {f.line} of {f.path} ({where(f)})")
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
                  f"changed {what}: {ch.lines_changed} lines ({where(f)})")
            if k == 0:
                e.add(W_LATEST * fw, f"the latest change to {what.split(' (')[0]} "
                                     f"({where(f)})")
            e.lines_changed += ch.lines_changed
            for m in members:
                d = distances[m][k]
                if d is None or d == 0 or d > NEAR_LINES:
                    continue
                where_m = ("right next to" if d < 1 else f"{d:.0f} lines from")
                e.add(W_NEAR * frame_weight(m.depth) / (1 + (d - 0.5)),
                      f"changed code {where_m} line {m.line} of {path} ({where(m)})")

    return _finish(repo, evidence, infos, incident, limit, footprints, weights)


def _once_per_line(frames: list[SuspectFrame]) -> list[SuspectFrame]:
    """Each line once, at its shallowest depth: a chained trace prints the frames its
    exceptions share in each of them (Python's tracebacks, the JVM's ``... N more``
    expanded), and a recursion prints one line many times; each is one piece of
    evidence, not one per printing."""
    best: dict[tuple[str, int], SuspectFrame] = {}
    for f in frames:
        kept = best.get((f.path, f.line))
        if kept is None or f.depth < kept.depth:
            best[(f.path, f.line)] = f
    return [f for f in frames if best[(f.path, f.line)] is f]


def _own_code_first(frames: list[SuspectFrame], blamed: dict[tuple[str, int], BlameLine],
                    histories: dict[tuple[str, int, int], list[Change]], considered: set[str],
                    bulk: set[str]) -> tuple[list[SuspectFrame], dict[SuspectFrame, int]]:
    """The frames with the repository's own code moved nearest the failure and
    imported frames after them, within each exception (a run of rising depths):
    each frame takes one of the exception's depths in that order. Returns the
    frames with their new depths and, for each moved frame, its depth in the trace.

    A frame is imported when the commits of its function's history (else its
    line's blame) among ``considered`` are all ``bulk``."""
    if not bulk:
        return frames, {}

    def imported(f: SuspectFrame) -> bool:
        shas = [ch.commit.sha for ch in histories.get(_span_of(f), [])]
        bl = blamed.get((f.path, f.line))
        if not shas and bl is not None and not bl.uncommitted:
            shas = [bl.sha]
        shas = [sha for sha in shas if sha in considered]
        return bool(shas) and all(sha in bulk for sha in shas)

    runs: list[list[SuspectFrame]] = []
    for f in frames:
        if runs and f.depth > runs[-1][-1].depth and f.exception == runs[-1][-1].exception:
            runs[-1].append(f)
        else:
            runs.append([f])
    out: list[SuspectFrame] = []
    shown: dict[SuspectFrame, int] = {}
    for run in runs:
        flags = [imported(f) for f in run]
        order = [f for f, imp in zip(run, flags) if not imp] + \
                [f for f, imp in zip(run, flags) if imp]
        for depth, f in zip(sorted(f.depth for f in run), order):
            moved = replace(f, depth=depth)
            if depth != f.depth:
                shown[moved] = f.depth
            out.append(moved)
    return out, shown


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
            incident: float | None, limit: int, footprints: dict[str, Footprint],
            weights: dict[str, float]) -> list[Suspect]:
    from codemap.config import load_config
    from codemap.history.identities import identity_table
    from codemap.history.provenance import commit_verdict

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
        weight = weights.get(sha, 1.0)
        if weight < 1.0:  # first: it says why the evidence below counts less
            reasons.insert(0, _breadth_reason(footprints[sha], weight))
        verdict = commit_verdict(info, table)
        ai = verdict.ai or bool(e.ai_sources)
        sources = list(dict.fromkeys([*verdict.sources, *e.ai_sources]))
        score = (1 - math.exp(-e.score / 2.5)) * recency * weight
        suspects.append(Suspect(sha, info.summary, info.author, info.date,
                                round(min(max(score, 0.0), 1.0), 3), reasons, ai, info.email,
                                verdict.tool or e.ai_tool, sources))
    suspects.sort(key=lambda s: (-s.score, -_timestamp(infos[s.sha]), s.sha))
    return suspects[:limit] if limit else suspects


def _breadth_reason(fp: Footprint, weight: float) -> str:
    files = f"more than {fp.files} files" if fp.more_files else \
        f"{fp.files} file{'s' if fp.files != 1 else ''}"
    lines = f", {fp.lines} lines" if fp.lines is not None else ""
    kind = ("a bulk commit (an import or a sweeping change)" if weight <= BULK_BREADTH
            else "a broad commit")
    return f"{kind}: changed {files}{lines}, so its evidence counts {weight:.0%}"


def _timestamp(info: object) -> int:
    return int(getattr(info, "commit_timestamp", 0))


def frames_from_positions(positions: Iterable[tuple[str, int]]) -> list[SuspectFrame]:
    """Frames from (path, line) pairs listed raising frame first (depth by position)."""
    return [SuspectFrame(path, line, depth) for depth, (path, line) in enumerate(positions)]


def suspect_frames(call_order: Iterable[Any], *, above: int = 0,
                   exception: int = 0) -> list[SuspectFrame]:
    """Frames for :func:`rank_suspects` from a trace's mapped frames in call order
    (outermost first, the raising frame last, as ``codemap trace`` lists them).

    Each frame needs ``in_repo``, ``path``, ``line``, ``function`` and ``symbol``
    (a :class:`codemap.model.Symbol` or None) attributes; frames outside the
    repository are skipped and depth counts in-repository frames only, from
    ``above`` (:func:`cause_levels`: a wrapping exception's raising frame weighs
    as a caller of its cause's). ``exception`` numbers the exception they belong to.
    """
    mapped = [f for f in call_order
              if getattr(f, "in_repo", False) and getattr(f, "path", None) and getattr(f, "line", None)]
    out = []
    for depth, f in enumerate(reversed(mapped), above):
        sym = getattr(f, "symbol", None)
        out.append(SuspectFrame(f.path, int(f.line), depth,
                                getattr(sym, "start_line", None), getattr(sym, "end_line", None),
                                getattr(sym, "name", None) or getattr(f, "function", None),
                                exception))
    return out


def cause_levels(relations: Sequence[str | None]) -> list[int]:
    """For each exception of a trace (``relations``: how each relates to the one listed
    before it, see :class:`codemap.traces.model.RawException`), how many causes lie
    below it: 0 for a root cause, 1 for the exception that wraps it, and so on.

    An exception that wraps another (JVM ``Caused by:``, Python ``raise ... from``,
    Node ``[cause]``, a .NET inner exception) is raised where the code caught the
    failure and rethrew it: the change that broke things is nearer the cause's raising
    frame, so the wrapper's frames weigh as its callers. An exception raised while
    handling another (Python's "During handling") is a failure of its own: level 0.
    """
    cause_of: dict[int, int] = {}
    for i, relation in enumerate(relations):
        if i == 0:
            continue
        if relation == "cause":  # listed after the exception it caused
            cause_of.setdefault(i - 1, i)
        elif relation == "raised-from":  # listed after its cause
            cause_of.setdefault(i, i - 1)
    levels: list[int] = []
    for i in range(len(relations)):
        level, seen, at = 0, {i}, i
        while at in cause_of and cause_of[at] not in seen:
            at = cause_of[at]
            seen.add(at)
            level += 1
        levels.append(level)
    return levels
