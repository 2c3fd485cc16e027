"""What ``who`` and ``history`` are asked about: a directory, a file, a line
range or a symbol.

Path forms (``path``, ``path:line``, ``path:start-end``, a directory) are
resolved here without the index, so ``codemap who src/app.py`` never pays
for indexing. Anything else is a symbol name or qualname, resolved by
:func:`codemap.targets.resolve_target` over the index. Paths are taken
relative to the current directory when they exist there, else to the
repository root. A file that is gone from the working tree but known to git
(deleted) is still a target for ``history``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from codemap.errors import UsageError
from codemap.repo import Repo

# at most 9 ASCII digits: a longer number is no line (and would overflow int())
_RANGE = re.compile(r"^(?P<path>.+?):(?P<start>[0-9]{1,9})(?:-(?P<end>[0-9]{1,9}))?$")


@dataclass(frozen=True)
class HistoryTarget:
    path: str  # repo-relative POSIX path; "." is the repository root
    start_line: int | None = None
    end_line: int | None = None
    is_dir: bool = False
    in_worktree: bool = True
    symbol: Any = None  # codemap.model.Symbol when the target was a symbol


def _rel(repo: Repo, text: str) -> str | None:
    p = Path(text)
    if p.is_absolute():
        try:
            return repo.rel(p)
        except UsageError:
            return None
    here = Path.cwd() / p
    if here.exists():
        try:
            return repo.rel(here)
        except UsageError:
            pass
    norm = os.path.normpath(text.replace("\\", "/"))
    if norm.startswith(".."):
        return None
    return PurePosixPath(norm).as_posix()


def _known_to_git(repo: Repo, path: str) -> bool:
    if not repo.is_git:
        return False
    from codemap.history.git import run_git

    out = run_git(repo, ["log", "-1", "--format=%H", "--", path], check=False)
    return bool(out.strip())


def _path_target(repo: Repo, rel: str, start: int | None, end: int | None) -> HistoryTarget | None:
    full = repo.abspath(rel)
    if rel == "." or full.is_dir():
        if start is not None:
            raise UsageError(f"{rel} is a directory: a line range needs a file")
        return HistoryTarget(rel, is_dir=True)
    if full.is_file():
        return HistoryTarget(rel, start, end)
    if _known_to_git(repo, rel):
        return HistoryTarget(rel, start, end, in_worktree=False)
    return None


def resolve_history_target(repo: Repo, text: str) -> HistoryTarget:
    """The target ``text`` names; :class:`UsageError` when it names nothing."""
    text = text.strip()
    if not text:
        raise UsageError("empty TARGET: give a path, path:line, path:start-end or a symbol")
    if "\0" in text:
        raise UsageError(f"TARGET {text!r} contains a NUL character")
    rel = _rel(repo, text)
    if rel is not None:
        found = _path_target(repo, rel, None, None)
        if found is not None:
            return found
    m = _RANGE.match(text)
    if m:
        start = int(m.group("start"))
        end = int(m.group("end") or start)
        if start < 1 or end < start:
            raise UsageError(f"bad line range in {text!r}: lines are 1-based and start <= end")
        rel = _rel(repo, m.group("path"))
        found = _path_target(repo, rel, start, end) if rel is not None else None
        if found is not None:
            return found
        raise UsageError(f"no such file: {m.group('path')}")
    return _symbol_target(repo, text)


def _symbol_target(repo: Repo, text: str) -> HistoryTarget:
    try:
        from codemap.index.service import open_index
        from codemap.targets import resolve_target
    except ImportError:
        raise UsageError(f"{text!r} is not a file or directory of {repo.root}") from None
    reader = open_index(repo, need_edges=False)
    target = resolve_target(repo, reader, text)
    return HistoryTarget(target.path, target.start_line, target.end_line,
                         symbol=getattr(target, "symbol", None))
