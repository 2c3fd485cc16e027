"""The one module that runs git.

Two ways in: :func:`run_git`, a plain subprocess call (cheap to import, used
by the index scanner and other hot paths), and :func:`gitpython_repo`, a lazily
imported GitPython ``Repo`` for the history features. Nothing else in
codemap starts a git process.
"""

from __future__ import annotations

import os
import subprocess
import threading
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


# Commands a repository's own configuration can make git run, switched off for every git
# codemap starts (codemap never runs a repository's code): an fsmonitor hook, a signature
# checker, and for the commands that print diffs or blame, external diff drivers and
# textconv filters (a diff attribute names them). Config given on the command line wins
# over the repository's.
_GUARD = ("-c", "core.fsmonitor=false", "-c", "log.showSignature=false")
_NO_DRIVERS = ("--no-ext-diff", "--no-textconv")
_GUARD_FLAGS = {"log": _NO_DRIVERS, "show": _NO_DRIVERS, "diff": _NO_DRIVERS,
                "blame": ("--no-textconv",)}


# commands that read working-tree files, which git passes through the clean filter of their
# filter attribute: every filter driver configured is switched off for them
_READS_WORKTREE = frozenset({"blame", "diff"})


def guarded(args: Sequence[str], root: str | None = None) -> list[str]:
    """``args`` of a git command line with :data:`_GUARD` before them and the subcommand's
    guard flags right after it (``root``: the repository, whose filter drivers are
    switched off for a command that reads working-tree files)."""
    out = list(_GUARD)
    rest = list(args)
    i = 0
    while i < len(rest) and rest[i].startswith("-"):
        i += 2 if rest[i] in ("-c", "-C") else 1
    if i < len(rest):
        flags = _GUARD_FLAGS.get(rest[i], ())
        rest[i + 1:i + 1] = flags
        if root is not None and rest[i] in _READS_WORKTREE:
            for key in _filter_keys(root):
                out += ["-c", f"{key}="]
    return out + rest


@lru_cache(maxsize=64)
def _filter_keys(root: str) -> tuple[str, ...]:
    """The commands of the filter drivers git's configuration defines for ``root``
    (``filter.<name>.clean``, ``.smudge``, ``.process``), read without running any."""
    try:
        proc = subprocess.run(["git", "-C", root, "config", "-z", "--get-regexp", r"^filter\."],
                              capture_output=True, env=git_env(), timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ()
    keys = (entry.split(b"\n", 1)[0].decode("utf-8", "replace")
            for entry in proc.stdout.split(b"\0") if entry)
    return tuple(sorted({k for k in keys if k.endswith((".clean", ".smudge", ".process"))}))


# git's answer for a repository another user owns (its safe.directory check): every command
# fails, so an empty answer means "refused", not "no commits" or "no such file"
_REFUSED = b"detected dubious ownership in repository"


def _refusal(repo_root: os.PathLike[str], stderr: bytes) -> GitError | None:
    """The error to raise when git refused to read the repository at all (None otherwise).

    codemap does not override the check: a repository owned by someone else may carry
    a ``.git/config`` whose commands git would run, and codemap never runs a
    repository's code.
    """
    if _REFUSED not in stderr:
        return None
    return GitError(f"git refuses to read {repo_root}: it belongs to another user (git's "
                    f"safe.directory check). If you trust it: git config --global --add "
                    f"safe.directory {repo_root}")


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


class GitProcess:
    """A git process started now and given its input later, so that its start-up
    overlaps other work (e.g. ``git log --stdin`` starting while blame runs)."""

    def __init__(self, repo: Repo, args: Sequence[str], timeout: float | None) -> None:
        repo.require_git("git")
        self.args = list(args)
        try:
            root = str(repo.root)
            self.proc = subprocess.Popen(["git", "-C", root, *guarded(args, root)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, env=git_env())
        except FileNotFoundError as exc:
            raise GitError("git is not installed (or not on PATH)") from exc
        self._root = repo.root
        self._killed = threading.Event()
        # A timer kills a stuck git; communicate() without a timeout avoids the
        # polling sleeps subprocess uses while waiting with one.
        self._timer = threading.Timer(timeout, self._kill) if timeout else None
        if self._timer is not None:
            self._timer.daemon = True
            self._timer.start()

    def _kill(self) -> None:
        self._killed.set()
        self.proc.kill()

    def finish(self, input_bytes: bytes | None = None) -> GitResult:
        """Send ``input_bytes`` (then end of input) and wait for git's answer."""
        try:
            stdout, stderr = self.proc.communicate(input_bytes)
        except BaseException:
            self.cancel()
            raise
        finally:
            if self._timer is not None:
                self._timer.cancel()
        if self._killed.is_set():
            raise GitError(f"git {' '.join(self.args[:2])} timed out")
        if self.proc.returncode != 0:
            refused = _refusal(self._root, stderr)
            if refused is not None:
                raise refused
        return GitResult(self.proc.returncode, stdout, stderr)

    def cancel(self) -> None:
        """Stop the process (its answer is not needed any more)."""
        if self._timer is not None:
            self._timer.cancel()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.communicate()


def start_git(repo: Repo, args: Sequence[str], *, timeout: float | None = 120) -> GitProcess:
    """Start ``git args`` in ``repo`` now; call ``finish(input)`` for its result."""
    return GitProcess(repo, args, timeout)


def call_git(repo: Repo, args: Sequence[str], *, input_bytes: bytes | None = None,
             timeout: float | None = 120) -> GitResult:
    """Run ``git args`` in ``repo`` and return its exit status, stdout and stderr.

    Raises :class:`GitError` only when git cannot be run at all or times out.
    """
    return start_git(repo, args, timeout=timeout).finish(input_bytes)


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


def head_git(repo: Repo, args: Sequence[str], max_lines: int, *,
             timeout: float = 120) -> tuple[list[bytes], bool]:
    """The first ``max_lines`` lines of ``git args``' output, and whether there were more.

    Stops git as soon as the lines are read: the patch of a root commit of a big
    repository is hundreds of megabytes, of which a reader is shown a few thousand lines.
    """
    repo.require_git("git")
    try:
        proc = subprocess.Popen(["git", "-C", str(repo.root), *guarded(args, str(repo.root))],
                                stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=git_env())
    except FileNotFoundError as exc:
        raise GitError("git is not installed (or not on PATH)") from exc
    timer = threading.Timer(timeout, proc.kill)
    timer.daemon = True
    timer.start()
    lines: list[bytes] = []
    more = False
    try:
        for raw in proc.stdout:  # type: ignore[union-attr]
            if len(lines) == max_lines:
                more = True
                break
            lines.append(raw.rstrip(b"\r\n"))
    except BaseException:
        proc.kill()
        raise
    finally:
        alive = timer.is_alive()
        timer.cancel()
        if more:
            proc.kill()
        _, stderr = proc.communicate()
    if not alive:
        raise GitError(f"git {' '.join(args[:2])} timed out")
    refused = _refusal(repo.root, stderr) if not more and proc.returncode != 0 else None
    if refused is not None:
        raise refused
    if not more and proc.returncode != 0:
        result = GitResult(proc.returncode, b"", stderr)
        raise GitError(f"git {args[0]}: {result.error_line}")
    return lines, more


UNKNOWN = "?"  # read_ref could not tell: ask git


def read_ref(repo: Repo, name: str) -> str | None:
    """The commit ``name`` (``HEAD`` or a full ``refs/...`` name) points at, read
    from the ref files without starting git: None when the ref does not exist,
    :data:`UNKNOWN` when the ref store is one this reader does not handle
    (reftable) or the files look odd, so the caller asks git instead."""
    if repo.git_dir is None or repo.common_dir is None:
        return None
    if (repo.common_dir / "reftable").exists():
        return UNKNOWN
    for _ in range(5):  # symbolic refs, a few levels deep at most
        base = repo.git_dir if name == "HEAD" else repo.common_dir
        try:
            text = (base / name).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return _packed_ref(repo, name)
        except (OSError, UnicodeDecodeError):
            return UNKNOWN
        if text.startswith("ref:"):
            name = text[4:].strip()
            if not name.startswith("refs/"):
                return UNKNOWN
            continue
        return text if _is_object_id(text) else UNKNOWN
    return UNKNOWN


def _is_object_id(text: str) -> bool:
    return len(text) in (40, 64) and all(c in "0123456789abcdef" for c in text)


def _packed_ref(repo: Repo, name: str) -> str | None:
    assert repo.common_dir is not None
    try:
        with open(repo.common_dir / "packed-refs", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(("#", "^")):
                    continue
                sha, _, ref = line.rstrip("\n").partition(" ")
                if ref == name:
                    return sha if _is_object_id(sha) else UNKNOWN
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return UNKNOWN
    return None


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
