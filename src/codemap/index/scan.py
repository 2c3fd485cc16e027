"""Which files belong to the repository, and which of them codemap parses.

In git: tracked files plus untracked files that are not ignored (one
``git ls-files`` call). Outside git: a walk that honours every
``.gitignore`` on the way (pathspec's git-wildmatch rules), never following
symlinked directories, so symlink loops cannot trap it. Files that cannot
be parsed usefully are recorded with the reason they were skipped: binary,
too large, minified, unreadable, a symlink.
"""

from __future__ import annotations

import os
import stat as stat_mod
from dataclasses import dataclass
from pathlib import Path

from codemap.repo import Repo

DEFAULT_MAX_SIZE = 1_000_000
ALWAYS_SKIP_DIRS = {".git", ".hg", ".svn"}
OUTSIDE_GIT_SKIP_DIRS = {"node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache",
                         ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class FileStat:
    path: str  # repo-relative POSIX
    size: int
    mtime_ns: int
    ino: int
    is_link: bool


def list_repo_files(repo: Repo, exclude: tuple[str, ...] = (),
                    dropped: list[str] | None = None) -> list[str]:
    """Every file codemap considers part of the repository (repo-relative, POSIX).

    Names that cannot be stored (not UTF-8) are left out, and appended to
    ``dropped`` when given, so the index can say how many it skipped.
    """
    if repo.is_git:
        from codemap.history.git import list_files

        try:
            files = list_files(repo)
        except Exception:  # git broken or missing: fall back to the walk
            files = _walk(repo.root)
    else:
        files = _walk(repo.root)
    # a name that is not UTF-8 (undecodable bytes kept as surrogates) cannot be
    # stored in the index; such files are left out rather than failing the build
    storable = [f for f in files if _storable(f)]
    if dropped is not None and len(storable) != len(files):
        dropped.extend(f for f in files if not _storable(f))
    files = storable
    if exclude:
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(exclude)
        files = [f for f in files if not spec.match_file(f)]
    return files


def _storable(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk(root: Path) -> list[str]:
    out: list[str] = []
    base = str(root)
    # stack of (directory relative path, inherited ignore specs as (base dir, spec))
    stack: list[tuple[str, list[tuple[str, object]]]] = [("", [])]
    visited: set[tuple[int, int]] = set()
    while stack:
        rel_dir, specs = stack.pop()
        abs_dir = os.path.join(base, rel_dir) if rel_dir else base
        try:
            entries = list(os.scandir(abs_dir))
            st = os.stat(abs_dir)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            continue
        visited.add(key)
        for entry in entries:
            if entry.name == ".gitignore" and entry.is_file(follow_symlinks=False):
                import pathspec  # costly to import: only when there are rules to apply

                try:
                    with open(entry.path, encoding="utf-8", errors="replace") as fh:
                        specs = [*specs, (rel_dir, pathspec.GitIgnoreSpec.from_lines(fh))]
                except OSError:
                    pass
                break
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in ALWAYS_SKIP_DIRS or name in OUTSIDE_GIT_SKIP_DIRS:
                    continue
                if specs and _ignored(specs, rel + "/"):
                    continue
                stack.append((rel, specs))
            elif not specs or not _ignored(specs, rel):
                out.append(rel)
    out.sort()
    return out


def _ignored(specs: list[tuple[str, object]], rel: str) -> bool:
    ignored = False
    for base, spec in specs:
        sub = rel[len(base) + 1:] if base else rel
        result = spec.check_file(sub)  # type: ignore[attr-defined]
        if result.include is not None:
            ignored = bool(result.include)
    return ignored


def stat_file(root: Path, rel: str) -> FileStat | None:
    """lstat a repository file; None when it is gone or unreadable."""
    try:
        st = os.lstat(os.path.join(root, rel))
    except OSError:
        return None
    return FileStat(rel, st.st_size, st.st_mtime_ns, st.st_ino, stat_mod.S_ISLNK(st.st_mode))


def skip_reason(data: bytes, minified_check: bool) -> str | None:
    """Why a file's content should not be parsed, or None to parse it."""
    head = data[:8192]
    if b"\0" in head:
        return "binary"
    if minified_check and len(data) > 4096:
        lines = data.count(b"\n") + 1
        if len(data) / lines > 300:
            return "minified"
        if lines < 20 and len(data) > 50_000:
            return "minified"
    return None
