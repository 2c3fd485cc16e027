"""Churn: how often each file changed recently, from one ``git log``.

A tour shows "commits over the last N months" for each stop and a review
flags hot spots; both ask for every file at once, so this runs a single
``git log --name-only -z`` over the window (merge commits list no files and
so do not count twice) instead of one log per file.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from codemap.repo import Repo

DAYS_PER_MONTH = 30.44


@dataclass
class Churn:
    """Commit timestamps per repository path since ``since`` (epoch seconds)."""

    since: float
    times: dict[str, list[int]] = field(default_factory=dict)
    available: bool = True  # False outside git
    authors: dict[str, set[str]] = field(default_factory=dict)

    def commits(self, path: str, since: float | None = None) -> int:
        """Commits that touched ``path`` (a file, or a directory prefix ending in '/')."""
        floor = self.since if since is None else since
        if path.endswith("/") or path in ("", "."):
            prefix = "" if path in ("", ".", "/") else path
            return len({t for p, ts in self.times.items() if p.startswith(prefix)
                        for t in ts if t >= floor})
        return sum(1 for t in self.times.get(path, ()) if t >= floor)


def months_ago(months: float, now: datetime | None = None) -> float:
    """Epoch seconds ``months`` months before ``now`` (default: the current time)."""
    now = now or datetime.now(timezone.utc)
    return (now - timedelta(days=months * DAYS_PER_MONTH)).timestamp()


def file_churn(repo: Repo, since: float, *, rev: str = "HEAD") -> Churn:
    """Which files each commit reachable from ``rev`` since ``since`` touched."""
    if not repo.is_git:
        return Churn(since, available=False)
    from codemap.history.git import head_sha, run_git

    if head_sha(repo) is None:
        return Churn(since)
    stamp = datetime.fromtimestamp(since, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = run_git(repo, ["-c", "core.quotepath=off", "log", "--no-renames", "-z", "--name-only",
                         "--use-mailmap", "--format=%x01%at %aE", f"--since={stamp}", rev, "--"])
    times: dict[str, list[int]] = defaultdict(list)
    authors: dict[str, set[str]] = defaultdict(set)
    ts = 0
    who = ""
    fresh = False
    for token in out.split(b"\0"):
        if token.startswith(b"\x01"):
            head, _, email = token[1:].decode("utf-8", "surrogateescape").partition(" ")
            ts = int(head) if head.isdigit() else 0
            who = email
            fresh = True
            continue
        if fresh and token.startswith(b"\n"):
            token = token[1:]
        fresh = False
        if not token or ts < since:
            continue
        path = token.decode("utf-8", "surrogateescape")
        times[path].append(ts)
        authors[path].add(who)
    return Churn(since, dict(times), True, dict(authors))
