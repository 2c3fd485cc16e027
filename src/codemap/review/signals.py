"""Who and what stands behind a change: AI provenance, owners, generated files.

* **AI lines**: an added line is AI-written when its blame at HEAD says so
  (:mod:`codemap.history.blame` applies git-ai notes and Agent Trace records
  over the commit-level verdict). Blame runs only on files that an AI commit
  of the range touched or that carry line-level records: no other line can
  be AI-written, and a range without any AI signal costs one ``git log``.
* **owners**: blame at BASE over the modified and deleted symbols' ranges
  (the code that was there before, i.e. the people to ask), plus the
  CODEOWNERS owners of the changed files.
* **generated**: :func:`codemap.history.generated.generated_verdict` on each
  changed file's HEAD content.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from codemap.errors import CodemapError
from codemap.history.blame import BlameLine
from codemap.repo import Repo
from codemap.review.diff import FileChange
from codemap.tour.model import Owner

WORKERS = 4
MAX_OWNER_FILES = 40  # blame at most this many files (the most changed ones) for owners


@dataclass(frozen=True)
class CommitSummary:
    sha: str
    summary: str
    author: str
    email: str
    date: str
    ai: bool
    ai_tool: str | None = None
    ai_sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Provenance:
    ai_lines: int
    generated_files: list[str]
    lines_added: int = 0
    ai_share: float = 0.0
    tools: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    ai_commits: int = 0
    generated_evidence: dict[str, list[str]] = field(default_factory=dict)


def range_commits(repo: Repo, shas: list[str]) -> list[CommitSummary]:
    """Metadata and commit-level AI verdict of each commit, newest first."""
    from codemap.config import load_config
    from codemap.history.commits import commit_infos
    from codemap.history.identities import identity_table
    from codemap.history.provenance import commit_verdict

    infos = commit_infos(repo, shas)
    table = identity_table(load_config(repo).ai_identities)
    out = []
    for sha in shas:
        c = infos.get(sha)
        if c is None:
            continue
        v = commit_verdict(c, table)
        out.append(CommitSummary(c.sha, c.summary, c.author, c.email, c.date, v.ai, v.tool,
                                 list(v.sources)))
    return out


def _has_line_records(repo: Repo, shas: list[str]) -> set[str]:
    """Paths that git-ai notes or Agent Trace records mention for these commits."""
    from codemap.history.agent_trace import parse_traces
    from codemap.history.gitai import notes_for

    paths = {rec.path for rec in notes_for(repo, shas)} if shas else set()
    try:
        data = (repo.root / ".agent-trace" / "traces.jsonl").read_bytes()
    except OSError:
        data = b""
    if data:
        wanted = {s[:7] for s in shas}
        paths.update(rec.path for rec in parse_traces(data)[0] if rec.sha[:7] in wanted)
    return paths


def _files_of(repo: Repo, shas: list[str]) -> set[str]:
    from codemap.history.git import run_git

    if not shas:
        return set()
    out = run_git(repo, ["-c", "core.quotepath=off", "show", "--no-renames", "-z",
                         "--name-only", "--format=", "--diff-merges=first-parent", *shas])
    return {t.lstrip(b"\n").decode("utf-8", "surrogateescape")
            for t in out.split(b"\0") if t.strip(b"\n")}


def _blame(repo: Repo, path: str, lines: Iterable[int], rev: str) -> dict[int, BlameLine]:
    from codemap.history.blame import blame_lines

    try:
        return blame_lines(repo, path, lines, rev=rev)
    except CodemapError:
        return {}


def provenance(repo: Repo, changes: list[FileChange], commits: list[CommitSummary],
               head: str, head_data: dict[str, bytes]
               ) -> tuple[Provenance, dict[str, dict[int, str]]]:
    """AI-written added lines and generated files of the change, and the AI lines
    per HEAD path (line -> tool)."""
    from codemap.history.generated import attribute_values, generated_verdict

    text_changes = [fc for fc in changes if fc.new_path and not fc.binary and fc.added]
    lines_added = sum(len(fc.added) for fc in text_changes)
    in_range = {c.sha for c in commits}
    ai_shas = [c.sha for c in commits if c.ai]
    suspects = _files_of(repo, ai_shas) | _has_line_records(repo, [c.sha for c in commits])
    todo = [fc for fc in text_changes if fc.new_path in suspects]
    ai_lines = 0
    tools: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    by_path: dict[str, dict[int, str]] = {}

    def one(fc: FileChange) -> dict[int, BlameLine]:
        return _blame(repo, fc.new_path or "", fc.added, head)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for fc, found in zip(todo, pool.map(one, todo)):
            for bl in found.values():
                if bl.ai and bl.sha in in_range:
                    ai_lines += 1
                    tools[bl.ai_tool or "unknown"] += 1
                    sources.update(bl.ai_sources)
                    by_path.setdefault(fc.new_path or "", {})[bl.line] = bl.ai_tool or "unknown"
    paths = [fc.new_path for fc in changes if fc.new_path]
    attrs = attribute_values(repo, paths) if paths else {}
    generated: list[str] = []
    evidence: dict[str, list[str]] = {}
    for fc in changes:
        if not fc.new_path:
            continue
        data = head_data.get(fc.new_blob or "", b"")
        verdict = generated_verdict(repo, fc.new_path, data,
                                    attribute=attrs.get(fc.new_path, "unspecified"))
        if verdict is not None and verdict.generated:
            generated.append(fc.new_path)
            evidence[fc.new_path] = list(verdict.sources)
    return Provenance(ai_lines, generated, lines_added,
                      round(ai_lines / lines_added, 4) if lines_added else 0.0,
                      dict(tools.most_common()), [s for s, _ in sources.most_common(10)],
                      len(ai_shas), evidence), by_path


def owners(repo: Repo, spans: dict[str, set[int]], base: str, base_is_commit: bool,
           declared_paths: Iterable[str]
           ) -> tuple[list[Owner], list[str], bool, dict[str, dict[int, BlameLine]]]:
    """Authors of the BASE lines in ``spans`` (path -> lines), the CODEOWNERS
    owners of ``declared_paths``, whether the blame was cut to the most
    changed files, and the blame itself (path -> line -> BlameLine)."""
    todo = sorted(spans.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    cut = len(todo) > MAX_OWNER_FILES
    todo = todo[:MAX_OWNER_FILES] if base_is_commit else []
    counts: Counter[tuple[str, str]] = Counter()
    blamed: dict[str, dict[int, BlameLine]] = {}

    def one(item: tuple[str, set[int]]) -> dict[int, BlameLine]:
        return _blame(repo, item[0], item[1], base)

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        for (path, _), found in zip(todo, pool.map(one, todo)):
            blamed[path] = found
            for bl in found.values():
                if not bl.uncommitted:
                    counts[(bl.author, bl.email)] += 1
    total = sum(counts.values())
    people = [Owner(name, email, round(n / total, 4), n)
              for (name, email), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    declared: list[str] = []
    from codemap.history.codeowners import load_codeowners

    rules = load_codeowners(repo)
    if rules is not None:
        for path in declared_paths:
            for owner in rules.owners_of(path):
                if owner not in declared:
                    declared.append(owner)
    return people, declared, cut, blamed
