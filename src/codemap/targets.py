"""TARGET arguments: ``path``, ``path:line``, ``path:start-end``, or a symbol.

``who``, ``history``, ``coverage`` and the graph commands all take targets;
this module is the one place they are understood. A symbol is looked up by
exact qualname, then name, then dotted suffix; several matches raise
:class:`AmbiguousTarget` (carrying the candidates), none raises a
:class:`~codemap.errors.UsageError` naming the nearest symbols (and, for a
text that looks like a path, the nearest files of the index).

A name copied from a JVM stack trace is a *binary* name
(``pkg.Outer$Inner.save``, ``pkg.Account.<init>``, ``pkg.App.lambda$main$0``):
when the text as typed names nothing, :func:`lookup_symbol` reads ``$`` as
``.`` and maps the synthetic members onto source with the trace parser's own
rules (:func:`codemap.traces.jvm.names`): ``<init>`` is the class's
constructors (the class when it declares none), ``<clinit>`` the class,
``lambda$m$N`` the method ``m``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from codemap.errors import UsageError
from codemap.index.store import IndexReader
from codemap.model import Symbol
from codemap.repo import Repo

if TYPE_CHECKING:
    from codemap.traces.base import NameCheck

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


# ``Outer$Inner``: a nested class in a JVM binary name (not a leading ``$`` of a JS name)
_NESTED = re.compile(r"(?<=\w)\$(?=\w)")
# members the JVM names but source does not spell: <init>, <clinit>, lambda$main$0, access$000
_SYNTHETIC = re.compile(r"^(?:<\w+>|lambda\$[\w$]+|access\$[\w$]+|\$anonfun\$[\w$]+)$")


def source_spelling(text: str) -> str:
    """``text`` with a JVM binary name's ``$`` read as ``.``: ``Outer$Inner.m`` -> ``Outer.Inner.m``."""
    return _NESTED.sub(".", text)


def jvm_member(text: str) -> tuple[str, NameCheck] | None:
    """(declaring class in source spelling, which of its members) for a binary name whose
    member is synthetic (``pkg.Outer$Inner.<init>``, ``pkg.App.lambda$main$0``); else None."""
    cls, _, member = text.rpartition(".")
    if not cls or not _SYNTHETIC.match(member):
        return None
    from codemap.traces.jvm import names

    check = names(text)
    if check is None:
        return None
    # an anonymous class (``Outer$1``) has no name in source: its enclosing class
    owner = ".".join(part for part in source_spelling(cls).split(".") if not part.isdigit())
    return (owner, check) if owner else None


def source_query(text: str) -> str:
    """What a fuzzy search should look for when ``text`` is a JVM binary name:
    ``pkg.Account.<init>`` -> ``pkg.Account.Account``, ``pkg.App.<clinit>`` -> ``pkg.App``."""
    member = jvm_member(text)
    if member is None:
        return source_spelling(text)
    owner, check = member
    return f"{owner}.{check.names[0]}" if check.names else owner


def _members(reader: IndexReader, owner: Symbol, check: NameCheck) -> list[Symbol]:
    """The members of ``owner`` that ``check`` names, by its first name that names any;
    ``owner`` itself when none does and its kind is one ``check`` accepts."""
    for name in check.names:
        qual = f"{owner.qualname}.{name}"
        found = [s for s in reader.lookup(qual) if s.qualname == qual and s.path == owner.path]
        if found:
            return found
    return [owner] if owner.kind in check.kinds else []


def lookup_symbol(reader: IndexReader, text: str) -> list[Symbol]:
    """The symbols a SYMBOL argument names: :meth:`IndexReader.lookup_argument`, else the
    same text read as a JVM binary name (see the module docstring)."""
    found = reader.lookup_argument(text)
    if found:
        return found
    member = jvm_member(text)
    if member is None:
        dotted = source_spelling(text)
        return reader.lookup_argument(dotted) if dotted != text else []
    owner_name, check = member
    out: list[Symbol] = []
    seen: set[tuple[str, int, str]] = set()
    for owner in reader.lookup_argument(owner_name):
        if owner.kind == "module":
            continue
        for sym in _members(reader, owner, check):
            key = (sym.path, sym.start_line, sym.qualname)
            if key not in seen:
                seen.add(key)
                out.append(sym)
    return out


def resolve_symbol(reader: IndexReader, text: str) -> list[Symbol]:
    """Symbols named by ``text``: a ``path:line`` inside one, a qualname, a name or a suffix."""
    m = _RANGE.match(text)
    if m and m.group("end") is None:
        sym = reader.symbol_at(m.group("path"), int(m.group("start")))
        if sym is not None:
            return [sym]
    return lookup_symbol(reader, text)


def near_names(repo: Repo, reader: IndexReader, text: str, limit: int = 5) -> list[Symbol]:
    """The symbols nearest to ``text`` by name, one per qualname (a name defined twice, as in
    ``try: def f ... except: def f``, is suggested once)."""
    from codemap.index.service import find_symbols

    try:
        matches = find_symbols(repo, text, limit=limit * 3, reader=reader).matches
    except UsageError:
        return []
    out: dict[str, Symbol] = {}
    for m in matches:
        out.setdefault(m.symbol.qualname, m.symbol)
    return list(out.values())[:limit]


def looks_like_path(text: str) -> bool:
    """A path separator, or a file name whose extension is a language's (``views.py``)."""
    from codemap.lang.registry import language_for_path

    return "/" in text or "\\" in text or language_for_path(text) is not None


def near_paths(reader: IndexReader, text: str, limit: int = 3) -> list[str]:
    """The files of the index nearest to ``text``: by file name first, then by whole path."""
    from rapidfuzz import fuzz, process

    query = text.replace("\\", "/").removeprefix("./").strip("/")
    if not query:
        return []
    paths = [row[0] for row in reader.conn.execute("SELECT path FROM files ORDER BY path")]
    base = query.rsplit("/", 1)[-1]
    bases = [p.rsplit("/", 1)[-1] for p in paths]
    scores: dict[int, tuple[float, float]] = {}
    for _, by_base, i in process.extract(base, bases, scorer=fuzz.ratio, limit=limit * 10,
                                         score_cutoff=50, processor=None):
        scores[i] = (by_base, fuzz.ratio(query, paths[i]))
    for _, by_path, i in process.extract(query, paths, scorer=fuzz.WRatio, limit=limit * 10,
                                         score_cutoff=60, processor=None):
        scores.setdefault(i, (fuzz.ratio(base, bases[i]), by_path))
    ranked = sorted(scores, key=lambda i: (-max(scores[i]), -min(scores[i]), paths[i]))
    return [paths[i] for i in ranked[:limit]]


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
    raise UsageError(f"no file or symbol matches {text!r}{did_you_mean(repo, reader, text)}")


def did_you_mean(repo: Repo, reader: IndexReader, text: str, limit: int = 3) -> str:
    """``"; did you mean a, b?"`` for a TARGET that names nothing (``""`` when nothing is
    near): the nearest files first when ``text`` looks like a path, then symbols."""
    shown = near_paths(reader, text, limit) if looks_like_path(text) else []
    for sym in near_names(repo, reader, text):
        if len(shown) >= limit:
            break
        label = sym.path if sym.kind == "module" else sym.qualname
        if label not in shown:
            shown.append(label)
    return f"; did you mean {', '.join(shown)}?" if shown else ""
