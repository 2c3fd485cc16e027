"""Commit metadata, read from ``git log`` robustly.

Commit messages and author names are untrusted: they may contain any byte,
including whatever separator a parser would pick. Every ``git log`` format
here therefore delimits its fields with a random token chosen per call,
which no commit can contain. Names and e-mails come both as recorded
(for provenance: ``Bob (aider)``) and through ``.mailmap`` (for display).
Text is decoded as UTF-8 with ``surrogateescape`` so invalid bytes survive
to the JSON output verbatim.

A commit's footprint (how many files and lines it changed in the whole
repository, :func:`commit_footprints`) tells a focused change from an import
or a sweeping one; suspect ranking uses it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codemap.errors import CodemapError, GitError
from codemap.history.git import call_git, shallow_commits, start_git
from codemap.repo import Repo

NULL_SHA = "0" * 40

# Fields of one commit, in format order.
_FIELDS = ("sha", "parents", "raw_author", "raw_email", "author", "email", "committer",
           "committer_email", "date", "timestamp", "commit_date", "commit_timestamp",
           "summary", "message")
_PLACEHOLDERS = ("%H", "%P", "%an", "%ae", "%aN", "%aE", "%cn", "%ce", "%aI", "%at", "%cI",
                 "%ct", "%s", "%B")


@dataclass(frozen=True)
class CommitInfo:
    """What codemap needs to know about one commit."""

    sha: str
    parents: tuple[str, ...]
    raw_author: str  # as recorded in the commit
    raw_email: str
    author: str  # through .mailmap
    email: str
    committer: str
    committer_email: str
    date: str  # author date, ISO 8601 with offset
    timestamp: int  # author date, seconds since the epoch
    commit_date: str
    commit_timestamp: int
    summary: str
    message: str


def decode(raw: bytes) -> str:
    """Repository text as ``str``; invalid UTF-8 bytes kept as surrogate escapes."""
    return raw.decode("utf-8", "surrogateescape")


class LogFormat:
    """A ``--format`` whose records and fields are fenced by a random token."""

    def __init__(self) -> None:
        token = secrets.token_hex(12)
        self.start = f"\x01{token}S"
        self.sep = f"\x01{token}F"
        self.end = f"\x01{token}E"
        # %x01 keeps the token out of the format string git parses.
        fmt_token = "%x01" + token
        self.format = (fmt_token + "S" + (fmt_token + "F").join(_PLACEHOLDERS) + fmt_token + "E")

    @property
    def arg(self) -> str:
        return f"--format={self.format}"

    def parse(self, text: str) -> Iterator[tuple[CommitInfo, str]]:
        """Each commit in ``git log`` output, with the text git printed after it
        (a patch, numstat lines, or nothing)."""
        pos = text.find(self.start)
        while pos >= 0:
            body_start = pos + len(self.start)
            end = text.find(self.end, body_start)
            if end < 0:
                return
            fields = text[body_start:end].split(self.sep)
            nxt = text.find(self.start, end)
            tail = text[end + len(self.end): nxt if nxt >= 0 else len(text)]
            if len(fields) == len(_PLACEHOLDERS):
                yield _commit(fields), tail
            pos = nxt


def _int(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        return 0


def _commit(f: list[str]) -> CommitInfo:
    return CommitInfo(
        sha=f[0], parents=tuple(f[1].split()), raw_author=f[2], raw_email=f[3],
        author=f[4], email=f[5], committer=f[6], committer_email=f[7], date=f[8],
        timestamp=_int(f[9]), commit_date=f[10], commit_timestamp=_int(f[11]), summary=f[12],
        message=f[13].rstrip("\n"),
    )


class PendingCommits:
    """A ``git log --stdin`` started ahead of knowing which commits to ask about,
    so its start-up overlaps other work (blame)."""

    def __init__(self, repo: Repo) -> None:
        self.fmt = LogFormat()
        self.process = start_git(repo, ["-c", "log.showSignature=false", "log",
                                        "--no-walk=unsorted", "--stdin", "--no-decorate",
                                        "--use-mailmap", self.fmt.arg])

    def finish(self, shas: Iterable[str]) -> dict[str, CommitInfo]:
        wanted = sorted({s for s in shas if s and s != NULL_SHA})
        if not wanted:
            self.process.cancel()
            return {}
        result = self.process.finish(("\n".join(wanted) + "\n").encode())
        if result.returncode != 0:
            raise GitError(f"git log: {result.error_line}")
        return {c.sha: c for c, _ in self.fmt.parse(decode(result.stdout))}

    def cancel(self) -> None:
        self.process.cancel()


def commit_infos(repo: Repo, shas: Iterable[str]) -> dict[str, CommitInfo]:
    """Metadata of each commit in ``shas`` (one ``git log`` process)."""
    wanted = [s for s in shas if s and s != NULL_SHA]
    if not wanted:
        return {}
    return PendingCommits(repo).finish(wanted)


def commit_to_json(c: CommitInfo) -> dict[str, object]:
    return {name: list(getattr(c, name)) if name == "parents" else getattr(c, name)
            for name in _FIELDS}


def commit_from_json(d: dict[str, object]) -> CommitInfo:
    return CommitInfo(**{name: tuple(d[name]) if name == "parents" else d[name]  # type: ignore[arg-type]
                         for name in _FIELDS})


FOOTPRINT_FILES_CAP = 200  # counting a commit's files stops here; lines only below it
_FOOTPRINT_VERSION = "footprint-1"


@dataclass(frozen=True)
class Footprint:
    """How much of the repository one commit changed, against its first parent (a
    root commit, or a shallow clone's cut-off, against nothing: all its files)."""

    files: int  # files added, changed or removed (a rename is one file)
    lines: int | None  # lines added plus removed; None when files were not all counted
    more_files: bool = False  # ``files`` is FOOTPRINT_FILES_CAP and the commit has more

    def to_json(self) -> list[object]:
        return [self.files, self.lines, self.more_files]


def commit_footprints(repo: Repo, commits: Iterable[CommitInfo]) -> dict[str, Footprint]:
    """The :class:`Footprint` of each commit, cached for good per commit.

    Cheap whatever the commit's size: file counts come from trees alone (``git
    diff-tree --name-status``, or ``git ls-tree`` read only up to
    :data:`FOOTPRINT_FILES_CAP` files for a root commit, whose tree diff would list
    every file: 31,000 in a one-commit import), and lines (``--numstat``, which
    reads every changed blob) only for commits of at most that many files. At most
    one process per root commit plus two for all the others. A merge's own change
    is not measured (0 files): git shows merges no plain diff. Commits git cannot
    answer for are left out."""
    from codemap.history.store import history_store

    store = history_store(repo)
    shallow = shallow_commits(repo)
    out: dict[str, Footprint] = {}
    todo: dict[str, CommitInfo] = {}
    for c in commits:
        if c.sha in out or c.sha in todo or not c.sha or c.sha == NULL_SHA:
            continue
        hit = store.get("footprint", _footprint_key(c.sha, shallow))
        if isinstance(hit, list) and len(hit) == 3:
            out[c.sha] = Footprint(int(hit[0]), None if hit[1] is None else int(hit[1]),
                                   bool(hit[2]))
        else:
            todo[c.sha] = c
    if not todo:
        return out
    files: dict[str, int] = {}
    many: set[str] = set()
    for sha, c in todo.items():
        if not c.parents:
            counted = _tree_files(repo, sha)
            if counted is not None:
                files[sha] = counted
                if counted > FOOTPRINT_FILES_CAP:
                    many.add(sha)
    others = [sha for sha, c in todo.items() if c.parents]
    if others:
        for sha, (n, _lines) in _diff_tree(repo, others, numstat=False).items():
            files[sha] = n
            if n > FOOTPRINT_FILES_CAP:
                many.add(sha)
    found: dict[str, Footprint] = {sha: Footprint(FOOTPRINT_FILES_CAP, None, True)
                                   for sha in many}
    small = [sha for sha in todo if sha in files and sha not in many]
    if small:
        for sha, (n, lines) in _diff_tree(repo, small, numstat=True).items():
            found[sha] = Footprint(n, lines)
    for sha, fp in found.items():
        store.put("footprint", _footprint_key(sha, shallow), fp.to_json())
    out.update(found)
    return out


def _footprint_key(sha: str, shallow: frozenset[str]) -> str:
    # a shallow clone's cut-off looks like a root commit until the clone is deepened
    return f"{_FOOTPRINT_VERSION}:{sha}:{'cut' if sha in shallow else 'full'}"


def _tree_files(repo: Repo, sha: str) -> int | None:
    """How many files the tree of ``sha`` holds, counted up to one past the cap
    (``git ls-tree`` streams its answer, so a huge tree is not read to the end)."""
    proc = start_git(repo, ["ls-tree", "-r", "-z", "--name-only", sha])
    stdout = proc.proc.stdout
    count = 0
    try:
        while stdout is not None:
            chunk = stdout.read1(1 << 16)
            if not chunk:
                break
            count += chunk.count(b"\0")
            if count > FOOTPRINT_FILES_CAP:
                proc.cancel()
                return count
        result = proc.finish()
    except (OSError, ValueError, CodemapError):
        proc.cancel()
        return None
    return count if result.returncode == 0 else None


def _diff_tree(repo: Repo, shas: list[str], *, numstat: bool) -> dict[str, tuple[int, int]]:
    """(files, lines) each commit changed against its first parent, from one ``git
    diff-tree --stdin`` (lines only with ``numstat``, which reads the blobs)."""
    args = ["diff-tree", "--stdin", "--always", "-r", "--root", "-z", "--no-ext-diff"]
    args += ["-M", "--numstat"] if numstat else ["--no-renames", "--name-status"]
    result = call_git(repo, args, input_bytes="".join(s + "\n" for s in shas).encode())
    if result.returncode != 0:
        return {}
    wanted = set(shas)
    counts: dict[str, tuple[int, int]] = {}
    current: str | None = None
    tokens = result.stdout.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if not token:
            continue
        text = token.decode("ascii", "replace")
        if text in wanted:  # a commit's header: records are never a bare object id
            current = text
            counts.setdefault(current, (0, 0))
            continue
        if current is None:
            continue
        n, lines = counts[current]
        if numstat:
            parts = token.split(b"\t", 2)
            if len(parts) != 3:
                continue
            if not parts[2]:
                i += 2  # a rename or copy: the old and the new path follow
            lines += sum(int(p) for p in parts[:2] if p.isdigit())  # "-": a binary file
        elif text[:1] in ("R", "C"):
            i += 2
        else:
            i += 1
        counts[current] = (n + 1, lines)
    return counts


MAX_DIFF_LINES = 4000


@dataclass(frozen=True)
class CommitDetail:
    """One commit as an engineer reads it: metadata, AI provenance and its patch."""

    info: CommitInfo
    ai: bool
    ai_tool: str | None
    ai_sources: tuple[str, ...]
    diff: tuple[str, ...] = ()
    diff_truncated: bool = False

    def to_json(self) -> dict[str, object]:
        return {**commit_to_json(self.info), "ai": self.ai, "ai_tool": self.ai_tool,
                "ai_sources": list(self.ai_sources), "diff": list(self.diff),
                "diff_truncated": self.diff_truncated}


def commit_detail(repo: Repo, rev: str, *, max_lines: int = MAX_DIFF_LINES) -> CommitDetail:
    """A commit's message, provenance verdict and patch (rename-aware, capped at
    ``max_lines`` lines of ``git show --stat --patch``)."""
    from codemap.config import load_config
    from codemap.errors import UsageError
    from codemap.history.git import head_git, resolve_rev
    from codemap.history.identities import identity_table
    from codemap.history.provenance import commit_verdict

    repo.require_git("commit details")
    sha = resolve_rev(repo, rev)
    info = commit_infos(repo, [sha]).get(sha)
    if info is None:
        raise UsageError(f"unknown commit {rev}")
    verdict = commit_verdict(info, identity_table(load_config(repo).ai_identities))
    raw, more = head_git(repo, ["show", "--no-color", "--no-ext-diff", "--format=", "-M",
                                "--patch", "--stat", sha], max_lines)
    lines = tuple(line.decode("utf-8", "replace") for line in raw)
    return CommitDetail(info, verdict.ai, verdict.tool, tuple(verdict.sources), lines, more)

