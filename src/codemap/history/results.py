"""The answers of ``who``, ``history`` and the suspects of ``trace``.

Field names equal the JSON keys of the contract (``shared/cli-contract.md``);
fields beyond the contract (evidence, declared owners, truncation) are
additions, never renames. :func:`codemap.model.to_json` serialises them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TargetRange:
    path: str
    start_line: int | None
    end_line: int | None


@dataclass(frozen=True)
class AuthorShare:
    name: str
    email: str
    lines: int
    share: float
    last_date: str


@dataclass(frozen=True)
class AiShare:
    lines: int
    share: float
    sources: list[str] = field(default_factory=list)
    tools: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DeclaredOwners:
    """The CODEOWNERS rule that applies (the last matching one)."""

    file: str
    line: int
    pattern: str
    owners: list[str]


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str


@dataclass(frozen=True)
class WhoResult:
    target: TargetRange
    lines: int
    authors: list[AuthorShare]
    ai: AiShare
    generated: bool
    generated_sources: list[str] = field(default_factory=list)
    declared_owners: list[str] = field(default_factory=list)
    declared_rule: DeclaredOwners | None = None
    history_truncated: bool = False
    truncated_lines: int = 0
    uncommitted_lines: int = 0
    symbol: Any = None  # codemap.model.Symbol when TARGET was a symbol
    files: int = 1
    generated_files: list[str] = field(default_factory=list)
    skipped: list[SkippedFile] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryEntry:
    sha: str
    date: str
    author: str
    summary: str
    ai: bool
    lines_changed: int
    email: str = ""
    ai_tool: str | None = None
    ai_sources: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class HistoryResult:
    target: TargetRange
    commits: list[HistoryEntry]
    follows: str = "lines"  # "lines" (git log -L), "file" (--follow) or "directory"
    symbol: Any = None
    start_rev: str | None = None  # where history starts when the file is gone at HEAD


@dataclass(frozen=True)
class Suspect:
    sha: str
    summary: str
    author: str
    date: str
    score: float
    reasons: list[str]
    ai: bool
    email: str = ""
    ai_tool: str | None = None
    ai_sources: list[str] = field(default_factory=list)
