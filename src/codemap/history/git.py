"""The one module that runs git.

Two ways in: :func:`run_git`, a plain subprocess call (cheap to import, used
by the index scanner and other hot paths), and :func:`gitpython_repo`, a lazily
imported GitPython ``Repo`` for the history features. Nothing else in
codemap starts a git process.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from codemap.errors import GitError
from codemap.repo import Repo

if TYPE_CHECKING:  # pragma: no cover
    import git as gitpython

_ENV_KEEP_OUT = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE")


def git_env() -> dict[str, str]:
    """Environment for git: no pager, no prompts, no locale surprises,
    and never an optional lock on the index (codemap never writes the repo)."""
    env = {k: v for k, v in os.environ.items() if k not in _ENV_KEEP_OUT}
    env.update(
        GIT_TERMINAL_PROMPT="0",
        GIT_PAGER="cat",
        PAGER="cat",
        LC_ALL="C",
        GIT_OPTIONAL_LOCKS="0",
    )
    return env


@dataclass(frozen=True)
class GitResult:
    """What a git process returned (for callers that map its errors themselves)."""

    returncode: int
    stdout: bytes
    stderr: bytes

    @property
    def error_line(self) -> str:
        lines = self.stderr.decode("utf-8", "replace").strip().splitlines()
        return lines[0] if lines else f"exit status {self.returncode}"


def call_git(repo: Repo, args: Sequence[str], *, input_bytes: bytes | None = None,
             timeout: float | None = 120) -> GitResult:
    """Run ``git args`` in ``repo`` and return its exit status, stdout and stderr.

    Raises :class:`GitError` only when git cannot be run at all or times out.
    """
    repo.require_git("git")
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo.root), *args],
            input=input_bytes,
            capture_output=True,
            env=git_env(),
            timeout=timeout,
        )
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(f"git {' '.join(args[:2])} timed out") from exc
    return GitResult(proc.returncode, proc.stdout, proc.stderr)


def run_git(repo: Repo, args: Sequence[str], *, check: bool = True,
            input_bytes: bytes | None = None, timeout: float | None = 120) -> bytes:
    """Run ``git args`` in ``repo`` and return its stdout as bytes.

    Raises :class:`GitError` with git's first stderr line when ``check`` and
    git fails.
    """
    result = call_git(repo, args, input_bytes=input_bytes, timeout=timeout)
    if check and result.returncode != 0:
        raise GitError(f"git {args[0]}: {result.error_line}")
    return result.stdout


def shallow_commits(repo: Repo) -> frozenset[str]:
    """The commits a shallow clone was cut at (empty for a complete clone).

    History stops at these: blame attributes to them every line that is older.
    """
    if repo.common_dir is None:
        return frozenset()
    try:
        text = (repo.common_dir / "shallow").read_text(encoding="ascii", errors="replace")
    except OSError:
        return frozenset()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


@lru_cache(maxsize=8)
def _gitpython_repo(root: str) -> Any:
    import git as gitpython  # lazy: GitPython costs start-up time

    return gitpython.Repo(root, search_parent_directories=False)


def gitpython_repo(repo: Repo) -> gitpython.Repo:
    """A (cached) GitPython ``Repo`` for ``repo``."""
    repo.require_git("git history")
    try:
        return _gitpython_repo(str(repo.root))
    except Exception as exc:  # GitPython raises many types
        raise GitError(f"cannot open git repository at {repo.root}: {exc}") from exc


def list_files(repo: Repo) -> list[str]:
    """Tracked files plus untracked files that are not ignored (repo-relative, POSIX)."""
    out = run_git(repo, ["-c", "core.quotepath=off", "ls-files", "-z", "--cached", "--others",
                         "--exclude-standard", "--deduplicate"])
    seen: dict[str, None] = {}
    for raw in out.split(b"\0"):
        if raw:
            seen.setdefault(raw.decode("utf-8", "surrogateescape"), None)
    return list(seen)


def head_sha(repo: Repo) -> str | None:
    """The commit HEAD points at, or None in an empty repository."""
    out = run_git(repo, ["rev-parse", "--verify", "-q", "HEAD"], check=False)
    sha = out.decode().strip()
    return sha or None


def show_file(repo: Repo, rev: str, path: str) -> bytes | None:
    """The bytes of ``path`` at ``rev``, or None when it does not exist there."""
    proc_out = run_git(repo, ["cat-file", "-p", f"{rev}:{path}"], check=False)
    if not proc_out and not _exists_at(repo, rev, path):
        return None
    return proc_out


def _exists_at(repo: Repo, rev: str, path: str) -> bool:
    out = run_git(repo, ["cat-file", "-e", f"{rev}:{path}"], check=False)
    return out == b"" and run_git(repo, ["ls-tree", "--name-only", rev, "--", path],
                                  check=False).strip() != b""


def resolve_rev(repo: Repo, rev: str) -> str:
    """The full commit sha for ``rev``; :class:`GitError` when it is unknown."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev!r}")
    out = run_git(repo, ["rev-parse", "--verify", "-q", f"{rev}^{{commit}}"], check=False)
    sha = out.decode().strip()
    if not sha:
        raise GitError(f"unknown revision: {rev}")
    return sha
