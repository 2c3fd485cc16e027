"""Repository roots, git directories and repository-relative paths.

``find_repo`` walks up from a path to the enclosing git work tree (a ``.git``
directory, or a ``.git`` file for worktrees and submodules) without running
git, so that fast commands pay no subprocess start-up. Outside git the
directory itself is the root.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from codemap.errors import NotARepositoryError, UsageError


class OutsideRepository(UsageError, ValueError):
    """A path that would leave the repository's root."""


@dataclass(frozen=True)
class Repo:
    """A repository (or plain directory) codemap reads, never writes."""

    root: Path
    git_dir: Path | None  # the per-worktree git dir
    common_dir: Path | None  # shared git dir (objects, refs); == git_dir normally

    @property
    def is_git(self) -> bool:
        return self.git_dir is not None

    def require_git(self, what: str = "this command") -> Path:
        if self.git_dir is None:
            raise NotARepositoryError(f"{what} needs git history, and {self.root} is not in a git repository")
        return self.git_dir

    def rel(self, path: str | os.PathLike[str]) -> str:
        """The POSIX repository-relative form of ``path`` (absolute or cwd-relative)."""
        p = Path(path)
        if not p.is_absolute():
            p = Path.cwd() / p
        try:
            rel = Path(os.path.normpath(p)).relative_to(self.root)
        except ValueError:
            try:
                rel = p.resolve().relative_to(self.root)
            except ValueError as exc:
                raise UsageError(f"{path} is outside the repository {self.root}") from exc
        return PurePosixPath(*rel.parts).as_posix() if rel.parts else "."

    def abspath(self, rel: str) -> Path:
        """The absolute path of a repository-relative path, never outside the root.

        Paths from untrusted input (tour files, traces, coverage data) that
        climb out of the repository (``../../etc/passwd``) or are absolute
        raise :class:`OutsideRepository` instead of reaching the file system.
        """
        norm = posixpath.normpath(rel) if rel else "."
        if norm.startswith("/") or norm == ".." or norm.startswith("../"):
            raise OutsideRepository(f"{rel} is outside the repository")
        return self.root.joinpath(*PurePosixPath(norm).parts)


def _read_gitfile(dotgit: Path) -> Path | None:
    try:
        text = dotgit.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if not text.startswith("gitdir:"):
        return None
    target = Path(text[len("gitdir:"):].strip())
    if not target.is_absolute():
        target = (dotgit.parent / target).resolve()
    return target if target.is_dir() else None


def _common_dir(git_dir: Path) -> Path:
    common = git_dir / "commondir"
    if common.is_file():
        try:
            target = Path(common.read_text(encoding="utf-8").strip())
        except OSError:
            return git_dir
        if not target.is_absolute():
            target = (git_dir / target).resolve()
        if target.is_dir():
            return target
    return git_dir


def find_repo(start: str | os.PathLike[str] | None = None) -> Repo:
    """The repository enclosing ``start`` (default: the current directory)."""
    base = Path(start) if start is not None else Path.cwd()
    try:
        base = base.resolve()
    except OSError as exc:
        raise UsageError(f"cannot resolve {start}: {exc.strerror or exc}") from exc
    if not base.exists():
        raise UsageError(f"{start} does not exist")
    if not base.is_dir():
        raise UsageError(f"{start} is not a directory")
    env_dir = os.environ.get("GIT_DIR")
    if env_dir and start is None:
        git_dir = Path(env_dir).resolve()
        root = Path(os.environ.get("GIT_WORK_TREE", base)).resolve()
        return Repo(root, git_dir, _common_dir(git_dir))
    for candidate in (base, *base.parents):
        dotgit = candidate / ".git"
        if dotgit.is_dir() and (dotgit / "HEAD").exists():
            return Repo(candidate, dotgit, _common_dir(dotgit))
        if dotgit.is_file():
            git_dir = _read_gitfile(dotgit)
            if git_dir is not None:
                return Repo(candidate, git_dir, _common_dir(git_dir))
    return Repo(base, None, None)
