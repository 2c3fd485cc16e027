"""The call-graph answers of the contract, as dataclasses whose fields are the JSON keys.

``callers`` / ``callees`` / ``paths`` answer an ambiguous symbol argument with
every candidate under ``matches`` (and no ``symbol``), and an argument that
matches nothing with empty lists plus the nearest names under ``near``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.model import Symbol


@dataclass(frozen=True)
class Edge:
    """A resolved call: ``caller`` and ``callee`` are symbol ids, ``line`` the call site."""

    caller: str
    callee: str
    line: int
    confidence: str = "exact"


@dataclass(frozen=True)
class GraphResult:
    symbols: list[Symbol]
    edges: list[Edge]


@dataclass(frozen=True)
class CallRef:
    """One caller (or callee) of the queried symbol, ``depth`` calls away.

    ``line`` is the call site (in the caller); ``via`` is the id of the symbol
    one step closer to the queried one (the queried symbol itself at depth 1).
    """

    symbol: Symbol
    line: int
    depth: int
    confidence: str
    via: str
    lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class CallersResult:
    symbol: Symbol | None
    callers: list[CallRef] = field(default_factory=list)
    matches: list[Symbol] = field(default_factory=list)
    near: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class CalleesResult:
    symbol: Symbol | None
    callees: list[CallRef] = field(default_factory=list)
    matches: list[Symbol] = field(default_factory=list)
    near: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class EntryPoint:
    """A place execution starts: ``kind`` is one of the contract's entry-point kinds."""

    kind: str  # console_script, main, route, cli, test, package_main
    name: str
    symbol: Symbol


@dataclass(frozen=True)
class CallPath:
    symbols: list[Symbol]
    edges: list[Edge]
    entry: EntryPoint | None = None


@dataclass(frozen=True)
class PathsResult:
    paths: list[CallPath]
    to: Symbol | None = None
    source: Symbol | None = None
    matches: list[Symbol] = field(default_factory=list)
    near: list[Symbol] = field(default_factory=list)
    entry_points: int = 0  # how many entry points were searched (without --from)
