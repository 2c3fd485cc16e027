"""Blame: which commit last changed each line, who wrote it, and was it an AI.

One ``git blame --incremental`` per file (the porcelain format without the
line contents, :mod:`codemap.history.incremental`; git blame applies
``.mailmap`` itself, ``.git-blame-ignore-revs`` is passed when present, and
git reads the ``blame.ignoreRevsFile`` setting on its own), then one
``git log --stdin`` (started while blame runs, one for all the files blamed
together: :func:`blame_lines_many`, :mod:`codemap.history.blame_run`) for
the messages of the commits found (commit-level AI provenance), then the
line-level records (git-ai notes, Agent Trace) matched on each line's blame
origin. The answer is cached in :mod:`codemap.history.store` under a key
that holds everything it depends on: the commit (or HEAD plus the working
tree content), path, options, mailmap / ignore-revs / git config contents,
the notes ref, the traces file and the AI identity table. A repeated view
costs one SQLite read.

Lines whose commit is a shallow clone's cut-off are ``truncated``: their
real origin is older than the clone ("history truncated").
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemap.errors import CodemapError, GitError, InputError, UsageError
from codemap.history.blame_run import IGNORE_REVS_FILE, BlameJob, run_blames
from codemap.history.commits import NULL_SHA, decode
from codemap.history.git import UNKNOWN, read_ref, run_git, shallow_commits
from codemap.history.provenance import AiVerdict
from codemap.history.store import history_store
from codemap.repo import Repo

CACHE_VERSION = "blame-1"
BINARY_SNIFF = 8000
_HEX40 = re.compile(rb"[0-9a-f]{40}")


@dataclass(slots=True)
class BlameLine:
    """One line of a file and the commit that last changed it.

    Treat as immutable. (Not ``frozen``: frozen dataclasses construct an order
    of magnitude slower, and a cached 3,000-line blame builds 3,000 of them.)
    """

    line: int  # line number in the blamed version
    sha: str  # 40 zeros for lines not committed yet
    orig_line: int  # the line's number in ``sha``'s version of ``orig_path``
    orig_path: str
    author: str  # through .mailmap
    email: str
    date: str  # author date, ISO 8601 with offset
    timestamp: int
    summary: str
    boundary: bool  # root commit, or a shallow clone's cut-off
    truncated: bool  # shallow clone: the line is older than the history we have
    ai: bool
    ai_tool: str | None
    ai_sources: tuple[str, ...]
    previous: tuple[str, str] | None  # (parent sha, path there) to walk back from

    @property
    def uncommitted(self) -> bool:
        return self.sha == NULL_SHA


@dataclass(frozen=True)
class CommitRef:
    """A trace frame's ``last_commit``: the contract's fields plus evidence."""

    sha: str
    author: str
    email: str
    date: str
    summary: str
    ai: bool
    ai_tool: str | None = None
    ai_sources: tuple[str, ...] = ()
    truncated: bool = False


@dataclass(frozen=True)
class ParentBlame:
    """Blame re-run from the parent of a line's commit (tig's "blame parent")."""

    rev: str
    path: str
    line: int  # where the walked-back line sits in ``rev``'s version (nearest)
    lines: list[BlameLine]


def commit_ref(bl: BlameLine) -> CommitRef:
    return CommitRef(bl.sha, bl.author, bl.email, bl.date, bl.summary, bl.ai, bl.ai_tool,
                     bl.ai_sources, bl.truncated)


# ----------------------------------------------------------------------------- public API


def blame_file(repo: Repo, path: str, *, rev: str | None = None, start: int | None = None,
               end: int | None = None, detect_moves: bool = False,
               detect_copies: bool = False) -> list[BlameLine]:
    """Blame ``path`` (repo-relative) at ``rev`` (default: the working tree).

    ``start``/``end`` (1-based, inclusive) restrict the answer to a range;
    ``detect_moves`` adds ``-M`` (lines moved within the file),
    ``detect_copies`` adds ``-C`` (lines moved or copied from other files).
    """
    opts = _options(detect_moves, detect_copies)
    ctx = _Context.load(repo, path, rev)
    whole = _cached_or_run(repo, ctx, opts, None)
    if start is None and end is None:
        return whole
    lo = start or 1
    hi = end if end is not None else (whole[-1].line if whole else 0)
    if whole and (lo < 1 or hi > whole[-1].line or lo > hi):
        raise UsageError(f"{path} has {whole[-1].line} lines; cannot blame lines {lo}-{hi}")
    return whole[lo - 1: hi]


def blame_lines(repo: Repo, path: str, lines: Iterable[int], *, rev: str | None = None,
                detect_moves: bool = False) -> dict[int, BlameLine]:
    """Blame only ``lines`` of ``path`` (cheaper than the whole file when it is not
    cached yet); lines past the end of the file are left out of the answer."""
    found = blame_lines_many(repo, {path: lines}, rev=rev, detect_moves=detect_moves)[path]
    if isinstance(found, CodemapError):
        raise found
    return found


def blame_lines_many(repo: Repo, wanted: Mapping[str, Iterable[int]], *,
                     rev: str | None = None, detect_moves: bool = False
                     ) -> dict[str, dict[int, BlameLine] | CodemapError]:
    """:func:`blame_lines` for several files at once (a trace's frames): the blames run
    in parallel and share one commit lookup (:mod:`codemap.history.blame_run`).
    Each path maps to its lines' blame, or to the error that path gave (not in git,
    binary, ...), which does not stop the others."""
    opts = _options(detect_moves, False)
    store = history_store(repo)
    answers: dict[str, dict[int, BlameLine] | CodemapError] = {}
    jobs: list[tuple[str, list[int], str, BlameJob]] = []
    for path, lines in wanted.items():
        numbers = sorted({n for n in lines if n >= 1})
        if not numbers:
            answers[path] = {}
            continue
        try:
            ctx = _Context.load(repo, path, rev)
        except CodemapError as exc:
            answers[path] = exc
            continue
        whole = store.get("blame", ctx.key(opts, None))
        if whole is not None:
            answers[path] = _pick(_decode(whole), numbers)
            continue
        total = ctx.line_count()
        ranges = _ranges([n for n in numbers if total is None or n <= total])
        if not ranges:
            answers[path] = {}
            continue
        key = ctx.key(opts, ranges)
        cached = store.get("blame", key)
        if cached is not None:
            answers[path] = _pick(_decode(cached), numbers)
            continue
        jobs.append((path, numbers, key, BlameJob(ctx, ranges)))
    found = _run_batch(repo, store, opts, [(key, job) for _p, _n, key, job in jobs])
    for (path, numbers, _key, _job), result in zip(jobs, found):
        answers[path] = result if isinstance(result, CodemapError) else _pick(result, numbers)
    return {path: answers[path] for path in wanted}


def blame_files_many(repo: Repo, paths: Sequence[str]) -> dict[str, list[BlameLine] | CodemapError]:
    """:func:`blame_file` (whole files, working tree) for many files: the uncached ones run
    as one batch (:func:`codemap.history.blame_run.run_blames`), which shares the commit
    lookup and blames files unchanged since HEAD at HEAD, several times cheaper in a big
    repository than one working-tree blame per file."""
    opts = _options(False, False)
    store = history_store(repo)
    answers: dict[str, list[BlameLine] | CodemapError] = {}
    jobs: list[tuple[str, str, BlameJob]] = []
    for path in paths:
        try:
            ctx = _Context.load(repo, path, None)
        except CodemapError as exc:
            answers[path] = exc
            continue
        key = ctx.key(opts, None)
        cached = store.get("blame", key)
        if cached is not None:
            answers[path] = _decode(cached)
        else:
            jobs.append((path, key, BlameJob(ctx, None)))
    found = _run_batch(repo, store, opts, [(key, job) for _p, key, job in jobs])
    for (path, _key, _job), result in zip(jobs, found):
        answers[path] = result
    return {path: answers[path] for path in paths}


def _run_batch(repo: Repo, store: Any, opts: tuple[str, ...],
               jobs: list[tuple[str, BlameJob]]) -> list[list[BlameLine] | CodemapError]:
    """Each (cache key, job)'s blame, run as one batch (:func:`run_blames`), cached
    without the answer waiting for the write; or the error its file gave."""
    results = run_blames(repo, [job for _key, job in jobs], opts) if jobs else []
    out: list[list[BlameLine] | CodemapError] = []
    for (key, _job), data in zip(jobs, results):
        if isinstance(data, CodemapError):
            out.append(data)
            continue
        store.put_soon("blame", key, data)
        out.append(_decode(data))
    return out


def _pick(found: list[BlameLine], numbers: list[int]) -> dict[int, BlameLine]:
    by_line = {bl.line: bl for bl in found}
    return {n: by_line[n] for n in numbers if n in by_line}


def blame_line(repo: Repo, path: str, line: int, rev: str | None = None) -> CommitRef | None:
    """The commit that last changed ``line`` of ``path``: a trace frame's ``last_commit``.

    None when the line is not committed yet or does not exist.
    """
    bl = blame_lines(repo, path, [line], rev=rev).get(line)
    if bl is None or bl.uncommitted:
        return None
    return commit_ref(bl)


def reblame_parent(repo: Repo, bl: BlameLine, *, detect_moves: bool = False) -> ParentBlame | None:
    """Blame as of the parent of ``bl``'s commit, positioned on the same line:
    walking back through a line's history one change at a time, as tig does.

    None when the commit created the file (there is nothing before it).
    """
    if bl.previous is None or bl.uncommitted:
        return None
    parent, parent_path = bl.previous
    lines = blame_file(repo, parent_path, rev=parent, detect_moves=detect_moves)
    line = min(max(bl.orig_line, 1), len(lines)) if lines else 0
    return ParentBlame(parent, parent_path, line, lines)


# ----------------------------------------------------------------------------- context & key


def _options(moves: bool, copies: bool) -> tuple[str, ...]:
    return (("-M",) if moves else ()) + (("-C",) if copies else ())


def _ranges(lines: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in lines:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


class _Context:
    """Everything a blame answer depends on, gathered with one git process."""

    def __init__(self, repo: Repo, path: str, rev: str | None, rev_sha: str | None,
                 head: str | None, notes: str | None, content: bytes | None) -> None:
        self.repo, self.path, self.rev = repo, path, rev
        self.rev_sha, self.head, self.notes, self.content = rev_sha, head, notes, content
        self.traces = _read(repo.root / ".agent-trace" / "traces.jsonl")
        self.shallow = shallow_commits(repo)
        self.has_ignore_revs = (repo.root / IGNORE_REVS_FILE).is_file()

    @staticmethod
    def load(repo: Repo, path: str, rev: str | None) -> _Context:
        repo.require_git("blame")
        if rev is not None and (rev.startswith("-") or "\n" in rev or not rev.strip()):
            raise UsageError(f"not a revision: {rev!r}")
        if "\n" in path or path.startswith("-"):
            raise UsageError(f"not a repository path: {path!r}")
        head, notes = read_ref(repo, "HEAD"), read_ref(repo, "refs/notes/ai")
        if head is UNKNOWN or notes is UNKNOWN or rev is not None:
            names = ["HEAD", "refs/notes/ai"] + ([f"{rev}^{{commit}}"] if rev is not None else [])
            out = run_git(repo, ["cat-file", "--batch-check"],
                          input_bytes="".join(n + "\n" for n in names).encode())
            shas: list[str | None] = []
            for line in out.splitlines():
                parts = line.split()
                ok = len(parts) == 3 and parts[1] == b"commit" and _HEX40.fullmatch(parts[0])
                shas.append(parts[0].decode() if ok else None)
            shas += [None] * (len(names) - len(shas))
            head, notes = shas[0], shas[1]
        rev_sha = None
        if rev is not None:
            rev_sha = shas[2]
            if rev_sha is None:
                raise GitError(f"unknown revision: {rev}")
        elif head is None:
            raise GitError(f"{repo.root} has no commits yet: nothing to blame")
        content = None
        if rev is None:
            content = _worktree_content(repo, path)
        return _Context(repo, path, rev, rev_sha, head, notes, content)

    def line_count(self) -> int | None:
        if self.content is None:
            return None
        return self.content.count(b"\n") + (0 if self.content.endswith(b"\n") or not self.content
                                             else 1)

    def key(self, opts: tuple[str, ...], ranges: list[tuple[int, int]] | None) -> str:
        from codemap.config import load_config
        from codemap.history.identities import identity_table

        root, repo = self.repo.root, self.repo
        h = hashlib.sha1()
        parts: list[Any] = [CACHE_VERSION, self.rev_sha or f"worktree:{self.head}", self.path,
                            " ".join(opts), repr(ranges), self.notes or "",
                            identity_table(load_config(repo).ai_identities).key,
                            ",".join(sorted(self.shallow))]
        h.update(repr(parts).encode("utf-8", "surrogateescape"))
        if self.content is not None:
            h.update(hashlib.sha1(self.content).digest())
        config_files = [root / ".mailmap", root / IGNORE_REVS_FILE]
        for d in {repo.git_dir, repo.common_dir}:
            if d is not None:
                config_files.append(d / "config")
        home = Path(os.environ.get("HOME", "~")).expanduser()
        xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
        config_files += [home / ".gitconfig", xdg / "git" / "config"]
        for f in config_files:
            h.update(hashlib.sha1(_read(f)).digest())
        h.update(hashlib.sha1(self.traces).digest())
        return h.hexdigest()


def _submodule_of(repo: Repo, path: str) -> str | None:
    """The submodule (nested repository) holding ``path``, if any."""
    parts = path.split("/")
    for i in range(1, len(parts) + 1):
        candidate = "/".join(parts[:i])
        if (repo.abspath(candidate) / ".git").exists():
            return candidate
    return None


def _worktree_content(repo: Repo, path: str) -> bytes:
    full = repo.abspath(path)
    sub = _submodule_of(repo, path)
    if sub is not None:
        what = "is a submodule" if sub == path else f"is inside the submodule {sub}"
        raise InputError(f"{path} {what} (a separate repository): run codemap with --repo {sub}")
    if full.is_dir():
        raise UsageError(f"{path} is a directory, not a file")
    try:
        data = full.read_bytes()
    except FileNotFoundError:
        raise InputError(_missing_message(repo, path)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if b"\0" in data[:BINARY_SNIFF]:
        raise InputError(f"{path} is a binary file: it has no lines to blame")
    return data


def _missing_message(repo: Repo, path: str) -> str:
    out = run_git(repo, ["log", "-1", "--format=%h %s", "--diff-filter=D", "--", path],
                  check=False)
    text = decode(out).strip()
    if text:
        sha, _, subject = text.partition(" ")
        return (f"{path} does not exist in the working tree (deleted in {sha} "
                f"\"{subject[:60]}\"); give a revision where it exists")
    return f"{path} does not exist in the working tree"


# ----------------------------------------------------------------------------- cache


def _cached_or_run(repo: Repo, ctx: _Context, opts: tuple[str, ...],
                   ranges: list[tuple[int, int]] | None) -> list[BlameLine]:
    store = history_store(repo)
    key = ctx.key(opts, ranges)
    cached = store.get("blame", key)
    if cached is not None:
        return _decode(cached)
    data = run_blames(repo, [BlameJob(ctx, ranges)], opts)[0]
    if isinstance(data, CodemapError):
        raise data
    store.put_soon("blame", key, data)  # the answer does not wait for the cache write
    return _decode(data)


def _decode(data: dict[str, Any]) -> list[BlameLine]:
    commits = []
    for sha, row in zip(data["shas"], data["commits"]):
        author, email, date, ts, summary, boundary, truncated, prev, verdict = row
        commits.append((sha, author, email, date, ts, summary, boundary, truncated,
                        tuple(prev) if prev else None, AiVerdict.from_json(verdict)))
    overrides = [AiVerdict.from_json(v) for v in data["overrides"]]
    paths = data["paths"]
    out = []
    for final, ci, orig, pi, ov in data["lines"]:
        sha, author, email, date, ts, summary, boundary, truncated, prev, verdict = commits[ci]
        v = overrides[ov] if ov >= 0 else verdict
        out.append(BlameLine(final, sha, orig, paths[pi], author, email, date, ts, summary,
                             boundary, truncated, v.ai, v.tool, v.sources, prev))
    return out
