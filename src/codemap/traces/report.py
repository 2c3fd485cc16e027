"""The ``codemap trace`` answer: the contract's JSON objects, open to enrichment.

:class:`TraceReport` > :class:`TraceException` > :class:`TraceFrame`. The
contract's keys are plain fields, always present (``null`` when unknown).
Everything else is *optional*:

- fields declared with ``optional()`` (``None`` by default) are **absent**
  from the JSON while they are ``None``: ``last_commit``, ``coverage``,
  ``name_mismatch``, ``head_line`` ... on frames; ``suspects`` and ``rev``
  on the report. Setting one (``frame.last_commit = {...}``) makes the key
  appear; there are no placeholders.
- ``extras`` (a dict on every object) is merged into the object's JSON last,
  for facts that have no field yet.

The objects are mutable on purpose: the history and coverage packages fill
``last_commit``, ``coverage`` and ``suspects`` after mapping. Call
:meth:`TraceReport.to_json` for the JSON data (``codemap.model.to_json``
would keep the ``None`` fields).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from codemap.model import Symbol
from codemap.model import to_json as _plain_json


def optional() -> Any:
    """A field that is left out of the JSON while it is None."""
    return field(default=None, metadata={"optional": True})


def to_json(value: Any) -> Any:
    """JSON data for report objects: optional ``None`` fields dropped, ``extras`` merged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name == "extras":
                extras = item or {}
                continue
            if item is None and f.metadata.get("optional"):
                continue
            out[f.name] = to_json(item)
        for key, item in extras.items():
            out.setdefault(str(key), to_json(item))
        return out
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return _plain_json(value)


@dataclass
class TraceFrame:
    """One frame, mapped. ``path`` is repo-relative (None outside the repository)."""

    raw: str
    file: str | None
    line: int | None
    column: int | None
    function: str | None
    in_repo: bool
    path: str | None
    symbol: Symbol | None
    # how the path was found: one of codemap.pathmap.HOW_VALUES
    match: str = "none"
    candidates: list[str] | None = optional()  # several equally good files (ambiguous)
    name_mismatch: bool | None = optional()  # printed name vs symbol (None: not checkable)
    head_path: str | None = optional()  # --rev: where the file is at HEAD
    head_line: int | None = optional()  # --rev: where the line is at HEAD
    head_status: str | None = optional()  # --rev: unchanged, moved, modified, deleted
    last_commit: Any = optional()  # filled by the history package
    coverage: Any = optional()  # filled by the coverage package
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class TraceException:
    """One exception, panic or goroutine; ``frames`` in call order (raising frame last)."""

    type: str | None
    message: str | None
    frames: list[TraceFrame]
    format: str = ""
    relation: str | None = optional()
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class TraceReport:
    """Everything ``codemap trace`` found, in the order it appears in the input."""

    language: str
    exceptions: list[TraceException]
    rev: str | None = optional()  # the full sha the trace was mapped against (--rev)
    suspects: Any = optional()  # filled by the history package
    extras: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return to_json(self)

    def frames(self) -> list[TraceFrame]:
        """Every frame of every exception, in report order (for enrichers)."""
        return [f for exc in self.exceptions for f in exc.frames]

    def raising_frame(self) -> TraceFrame | None:
        """The innermost in-repo frame of the first exception that has one."""
        for exc in self.exceptions:
            for frame in reversed(exc.frames):
                if frame.in_repo:
                    return frame
        return None
