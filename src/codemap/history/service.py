"""``who`` and ``history``: the functions :mod:`codemap.api` delegates to.

``who`` rolls blame up into authors (through ``.mailmap``), AI share with
its evidence, generated-file verdicts and the CODEOWNERS rule; on a
directory it blames every tracked text file below it (in parallel, cached)
and leaves out generated, binary, oversized and excluded files, saying so.
``history`` lists the commits that changed the target, newest first, with
``git log -L`` semantics for line ranges and symbols.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from codemap.errors import CodemapError, InputError, UsageError
from codemap.history.blame import BlameLine, blame_file, blame_files_many
from codemap.history.results import (
    AiShare,
    AuthorShare,
    DeclaredOwners,
    HistoryEntry,
    HistoryResult,
    SkippedFile,
    TargetRange,
    WhoResult,
)
from codemap.history.target import HistoryTarget, resolve_history_target
from codemap.progress import CancelToken, Progress, ProgressHook, check_cancel, no_progress
from codemap.repo import Repo

if TYPE_CHECKING:  # pragma: no cover
    from codemap.history.provenance import LineRecords

MAX_SOURCES = 10
BLAME_BATCH = 256  # files per batch of a directory blame (progress and cancel between batches)


# ----------------------------------------------------------------------------- who


def _declared(repo: Repo, path: str, is_dir: bool) -> tuple[list[str], DeclaredOwners | None]:
    from codemap.history.codeowners import load_codeowners

    owners = load_codeowners(repo)
    if owners is None:
        return [], None
    rule = owners.rule_for(path, is_dir=is_dir)
    if rule is None:
        return [], None
    return list(rule.owners), DeclaredOwners(owners.file, rule.line, rule.pattern,
                                             list(rule.owners))


def _roll_up(lines: Iterable[BlameLine]) -> tuple[int, list[AuthorShare], AiShare, int, int]:
    counts: Counter[tuple[str, str]] = Counter()
    last: dict[tuple[str, str], tuple[int, str]] = {}
    ai_lines = 0
    tools: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    truncated = uncommitted = total = 0
    for bl in lines:
        total += 1
        key = (bl.author, bl.email)
        counts[key] += 1
        if key not in last or bl.timestamp > last[key][0]:
            last[key] = (bl.timestamp, bl.date)
        if bl.ai:
            ai_lines += 1
            tools[bl.ai_tool or "unknown"] += 1
            sources.update(bl.ai_sources)
        truncated += bl.truncated
        uncommitted += bl.uncommitted
    authors = [AuthorShare(name, email, n, round(n / total, 4) if total else 0.0,
                           last[(name, email)][1])
               for (name, email), n in sorted(counts.items(),
                                              key=lambda kv: (-kv[1], -last[kv[0]][0], kv[0]))]
    ai = AiShare(ai_lines, round(ai_lines / total, 4) if total else 0.0,
                 [s for s, _ in sources.most_common(MAX_SOURCES)], dict(tools.most_common()))
    return total, authors, ai, truncated, uncommitted


def who(repo: Repo, target: str, *, progress: ProgressHook | None = None,
        cancel: CancelToken | None = None) -> WhoResult:
    """Who wrote ``target`` (path, path:line, path:start-end, directory or symbol)."""
    repo.require_git("who")
    t = resolve_history_target(repo, target)
    if t.is_dir and t.path != "." and (repo.abspath(t.path) / ".git").exists():
        raise InputError(f"{t.path} is a submodule (a separate repository): "
                         f"run codemap with --repo {t.path}")
    if t.is_dir:
        return _who_directory(repo, t, progress or no_progress, cancel)
    return _who_file(repo, t)


def _who_file(repo: Repo, t: HistoryTarget) -> WhoResult:
    from codemap.history.generated import generated_verdict

    lines = blame_file(repo, t.path, start=t.start_line, end=t.end_line)
    total, authors, ai, truncated, uncommitted = _roll_up(lines)
    verdict = generated_verdict(repo, t.path)
    owners, rule = _declared(repo, t.path, False)
    start = t.start_line if t.start_line is not None else (1 if lines else None)
    end = t.end_line if t.end_line is not None else (lines[-1].line if lines else None)
    return WhoResult(
        target=TargetRange(t.path, start, end), lines=total, authors=authors, ai=ai,
        generated=bool(verdict and verdict.generated),
        generated_sources=list(verdict.sources) if verdict else [],
        declared_owners=owners, declared_rule=rule, history_truncated=truncated > 0,
        truncated_lines=truncated, uncommitted_lines=uncommitted, symbol=t.symbol)


def _directory_files(repo: Repo, path: str) -> tuple[list[str], list[SkippedFile]]:
    import pathspec

    from codemap.config import load_config
    from codemap.history.git import run_git

    config = load_config(repo)
    excluded = pathspec.GitIgnoreSpec.from_lines(config.exclude) if config.exclude else None
    out = run_git(repo, ["-c", "core.quotepath=off", "ls-files", "-s", "-z", "--", path])
    files: list[str] = []
    skipped: list[SkippedFile] = []
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        rel = raw_path.decode("utf-8", "surrogateescape")
        mode = meta.split(b" ", 1)[0]
        if files and files[-1] == rel:  # conflicted entries appear once per stage
            continue
        if mode == b"160000":
            skipped.append(SkippedFile(rel, "submodule"))
        elif mode == b"120000":
            skipped.append(SkippedFile(rel, "symbolic link"))
        elif excluded is not None and excluded.match_file(rel):
            skipped.append(SkippedFile(rel, "excluded by config"))
        else:
            full = repo.abspath(rel)
            try:
                size = full.stat().st_size
            except OSError:
                skipped.append(SkippedFile(rel, "deleted in the working tree"))
                continue
            if size > config.max_file_size:
                skipped.append(SkippedFile(rel, f"larger than max_file_size ({size} bytes)"))
            else:
                files.append(rel)
    return files, skipped


def _who_directory(repo: Repo, t: HistoryTarget, progress: ProgressHook,
                   cancel: CancelToken | None) -> WhoResult:
    from codemap.history.generated import attribute_values, generated_verdict

    files, skipped = _directory_files(repo, t.path)
    attrs = attribute_values(repo, files)
    generated: list[str] = []
    generated_sources: list[str] = []
    to_blame: list[str] = []
    for rel in files:
        verdict = generated_verdict(repo, rel, attribute=attrs.get(rel, "unspecified"))
        if verdict is not None and verdict.generated:
            generated.append(rel)
            generated_sources.extend(f"{rel}: {s}" for s in verdict.sources[:1])
        else:
            to_blame.append(rel)

    all_lines: list[BlameLine] = []
    done = blamed = 0
    # in batches (one shared commit lookup each, files unchanged since HEAD blamed there):
    # one blame process pair per file took a minute on a 6,000-file directory
    for start in range(0, len(to_blame), BLAME_BATCH):
        check_cancel(cancel)
        batch = to_blame[start:start + BLAME_BATCH]
        for rel, result in blame_files_many(repo, batch).items():
            if isinstance(result, InputError):  # binary, vanished, submodule content
                skipped.append(SkippedFile(rel, result.message.removeprefix(f"{rel} ").strip()))
            elif isinstance(result, CodemapError):
                raise result
            else:
                blamed += 1
                all_lines.extend(result)
        done += len(batch)
        progress(Progress("blame", done, len(to_blame)))
    check_cancel(cancel)
    total, authors, ai, truncated, uncommitted = _roll_up(all_lines)
    owners, rule = _declared(repo, t.path, True)
    return WhoResult(
        target=TargetRange(t.path, None, None), lines=total, authors=authors, ai=ai,
        generated=bool(generated) and not to_blame,
        generated_sources=generated_sources[:MAX_SOURCES], declared_owners=owners,
        declared_rule=rule, history_truncated=truncated > 0, truncated_lines=truncated,
        uncommitted_lines=uncommitted, files=blamed,
        generated_files=generated, skipped=skipped)


# ----------------------------------------------------------------------------- history


def history(repo: Repo, target: str, limit: int = 20) -> HistoryResult:
    """Commits that changed ``target``'s lines (or file, or directory), newest first."""
    from codemap.config import load_config
    from codemap.history.identities import identity_table
    from codemap.history.linelog import (
        last_revision_with,
        path_history,
        range_history,
        start_revision,
    )
    from codemap.history.provenance import change_verdict, commit_verdict

    repo.require_git("history")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    t = resolve_history_target(repo, target)
    start_rev = None
    if t.is_dir:
        changes = path_history(repo, t.path, is_dir=True, limit=limit)
        follows = "directory"
    elif t.start_line is None:
        changes = path_history(repo, t.path, limit=limit)
        follows = "file"
    else:
        if not t.in_worktree:  # deleted: follow the lines from the last version that had them
            start_rev = last_revision_with(repo, t.path, start_revision(repo, None))
        changes = range_history(repo, t.path, t.start_line, t.end_line or t.start_line,
                                rev=start_rev, limit=limit)
        follows = "lines"
    table = identity_table(load_config(repo).ai_identities)
    records = _records_for(repo, [c.commit.sha for c in changes])
    entries = []
    for ch in changes:
        c = ch.commit
        verdict = commit_verdict(c, table)
        if records and not t.is_dir:
            spans = ch.spans() if follows == "lines" else None
            verdict = change_verdict(verdict, records, c.sha, t.path, spans)
        entries.append(HistoryEntry(c.sha, c.date, c.author, c.summary, verdict.ai,
                                    ch.lines_changed, c.email, verdict.tool,
                                    list(verdict.sources)))
    return HistoryResult(TargetRange(t.path, t.start_line, t.end_line), entries, follows,
                         t.symbol, start_rev)


def _records_for(repo: Repo, shas: list[str]) -> LineRecords:
    from codemap.history.agent_trace import parse_traces
    from codemap.history.gitai import notes_for
    from codemap.history.provenance import LineRecords

    records = LineRecords(notes_for(repo, shas)) if shas else LineRecords()
    try:
        data = (repo.root / ".agent-trace" / "traces.jsonl").read_bytes()
    except OSError:
        data = b""
    if data:
        for rec in parse_traces(data)[0]:
            records.add(rec)
    return records
