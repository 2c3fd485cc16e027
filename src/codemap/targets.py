"""TARGET arguments: ``path``, ``path:line``, ``path:start-end``, or a symbol.

``who``, ``history``, ``coverage`` and the graph commands all take targets;
this module is the one place they are understood. A symbol is looked up by
exact qualname, then name, then dotted suffix; several matches raise
:class:`AmbiguousTarget` (carrying the candidates), none raises a
:class:`~codemap.errors.UsageError` naming the nearest symbols.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from codemap.errors import UsageError
from codemap.index.store import IndexReader
from codemap.model import Symbol
from codemap.repo import Repo

# at most 9 ASCII digits: a longer number is no line (and would overflow SQLite or int())
_RANGE = re.compile(r"^(?P<path>.+?):(?P<start>[0-9]{1,9})(?:-(?P<end>[0-9]{1,9}))?$")


@dataclass(frozen=True)
class Target:
    """What a TARGET names: a file or directory, a line range, or a symbol's range."""

    path: str
    start_line: int | None = None
    end_line: int | None = None
    symbol: Symbol | None = None
    is_dir: bool = False


class AmbiguousTarget(UsageError):
    """A bare name that matches several symbols."""

    def __init__(self, text: str, matches: list[Symbol]) -> None:
        shown = ", ".join(f"{s.qualname} ({s.path}:{s.start_line})" for s in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        super().__init__(f"{text!r} matches {len(matches)} symbols: {shown}{more}; "
                         "give a qualname or path:line")
        self.matches = matches


@dataclass(frozen=True)
class TargetNotFound:
    text: str
    near: list[Symbol] = field(default_factory=list)


def _repo_path(repo: Repo, text: str) -> tuple[str, bool] | None:
    """(repo-relative path, is_dir) when ``text`` names an existing file or directory."""
    candidates = [text]
    if not os.path.isabs(text):
        candidates.append(os.path.join(os.getcwd(), text))
    for cand in candidates:
        full = cand if os.path.isabs(cand) else str(repo.root / cand)
        if os.path.exists(full):
            try:
                rel = repo.rel(full)
            except UsageError:
                continue
            return rel, os.path.isdir(full)
    return None


def resolve_symbol(reader: IndexReader, text: str) -> list[Symbol]:
    """Symbols named by ``text``: a ``path:line`` inside one, a qualname, a name or a suffix."""
    m = _RANGE.match(text)
    if m and m.group("end") is None:
        sym = reader.symbol_at(m.group("path"), int(m.group("start")))
        if sym is not None:
            return [sym]
    return reader.lookup_argument(text)


def near_names(repo: Repo, reader: IndexReader, text: str, limit: int = 5) -> list[Symbol]:
    from codemap.index.service import find_symbols

    try:
        return [m.symbol for m in find_symbols(repo, text, limit=limit, reader=reader).matches]
    except UsageError:
        return []


def resolve_target(repo: Repo, reader: IndexReader, text: str) -> Target:
    """Resolve a TARGET string against the repository and its index."""
    text = text.strip()
    if not text:
        raise UsageError("empty target")
    m = _RANGE.match(text)
    if m:
        found = _repo_path(repo, m.group("path"))
        if found is not None and not found[1]:
            start = int(m.group("start"))
            end = int(m.group("end") or start)
            if start < 1 or end < start:
                raise UsageError(f"bad line range in {text!r}")
            return Target(found[0], start, end, reader.symbol_at(found[0], start))
    found = _repo_path(repo, text)
    if found is not None:
        return Target(found[0], None, None, None, is_dir=found[1])
    matches = resolve_symbol(reader, text)
    if len(matches) == 1:
        sym = matches[0]
        return Target(sym.path, sym.start_line, sym.end_line, sym)
    if len(matches) > 1:
        raise AmbiguousTarget(text, matches)
    near = near_names(repo, reader, text)
    hint = f"; did you mean {', '.join(s.qualname for s in near[:3])}?" if near else ""
    raise UsageError(f"no file or symbol matches {text!r}{hint}")
