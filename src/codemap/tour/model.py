"""The answer of ``codemap tour`` as dataclasses whose fields are the contract's JSON keys.

Contract fields (``shared/cli-contract.md``): ``entry_points[]`` with
``kind``, ``name``, ``symbol``; ``stops[]`` with ``title``, ``path``,
``symbol``, ``why``, ``centrality``, ``owners``, ``coverage_percent``,
``ai_share``, ``commits_90d``. Everything else is an addition.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from codemap.model import Symbol

ENTRY_KINDS = ("console_script", "main", "route", "cli", "test", "package_main")
ENTRY_LABEL = {"console_script": "console script", "package_main": "package entry",
               "cli": "CLI command", "main": "main", "route": "route handler", "test": "test"}


@dataclass(frozen=True)
class Owner:
    name: str
    email: str
    share: float
    lines: int = 0


@dataclass(frozen=True)
class EntryPoint:
    kind: str  # one of ENTRY_KINDS
    name: str
    symbol: Symbol | None
    path: str | None = None
    line: int | None = None
    source: str = ""  # where it is declared: "pyproject.toml [project.scripts]", a decorator...
    detail: str = ""  # e.g. the "module:function" target, "GET /users/<id>"


@dataclass(frozen=True)
class Stop:
    title: str
    path: str
    symbol: Symbol | None
    why: str
    centrality: float
    owners: list[Owner]
    coverage_percent: float | None
    ai_share: float | None
    commits_90d: int | None
    step: int = 0
    section: str = ""  # "entry point", "core module", "core function"
    kind: str = ""  # the symbol's kind, or "file" / "directory"
    line: int | None = None  # where to look
    summary: str | None = None  # the first paragraph of its docstring / leading comment
    description: str | None = None  # the whole docstring / leading comment
    key_symbols: list[Symbol] = field(default_factory=list)
    bus_factor: int | None = None
    declared_owners: list[str] = field(default_factory=list)
    generated: bool = False
    commits: int | None = None  # over the last ``months`` months
    callers: int = 0  # call edges into it (for a module: from other files)
    rank: int = 0  # its place in the centrality ranking (1 = most central)


@dataclass(frozen=True)
class TourResult:
    entry_points: list[EntryPoint]
    stops: list[Stop]
    repository: str = ""
    head: str | None = None
    months: float = 3.0
    files: int = 0
    symbols: int = 0
    edges: int = 0
    generated_files: int = 0
    coverage_sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
