"""Commit metadata, read from ``git log`` robustly.

Commit messages and author names are untrusted: they may contain any byte,
including whatever separator a parser would pick. Every ``git log`` format
here therefore delimits its fields with a random token chosen per call,
which no commit can contain. Names and e-mails come both as recorded
(for provenance: ``Bob (aider)``) and through ``.mailmap`` (for display).
Text is decoded as UTF-8 with ``surrogateescape`` so invalid bytes survive
to the JSON output verbatim.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from codemap.errors import GitError
from codemap.history.git import start_git
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
    from codemap.history.git import resolve_rev, run_git
    from codemap.history.identities import identity_table
    from codemap.history.provenance import commit_verdict

    repo.require_git("commit details")
    sha = resolve_rev(repo, rev)
    info = commit_infos(repo, [sha]).get(sha)
    if info is None:
        raise UsageError(f"unknown commit {rev}")
    verdict = commit_verdict(info, identity_table(load_config(repo).ai_identities))
    patch = run_git(repo, ["show", "--no-color", "--no-ext-diff", "--format=", "-M",
                           "--patch", "--stat", sha])
    lines = patch.decode("utf-8", "replace").splitlines()
    return CommitDetail(info, verdict.ai, verdict.tool, tuple(verdict.sources),
                        tuple(lines[:max_lines]), len(lines) > max_lines)

