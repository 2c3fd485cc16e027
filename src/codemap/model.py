"""The contract's JSON objects as frozen dataclasses.

Field names equal the JSON keys of ``shared/cli-contract.md``; ``to_json``
turns any of these (nested in lists/dicts) into plain JSON data. Areas that
own larger answers (traces, history, coverage, ...) define their own
dataclasses next to their code and reuse :class:`Symbol` from here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

SYMBOL_KINDS = ("function", "method", "class", "module", "lambda")


@dataclass(frozen=True)
class Symbol:
    """A definition: function, method, class, module or bound lambda."""

    id: str
    name: str
    qualname: str
    kind: str
    language: str
    path: str
    start_line: int
    end_line: int

    @staticmethod
    def make(name: str, qualname: str, kind: str, language: str, path: str,
             start_line: int, end_line: int) -> Symbol:
        return Symbol(f"{path}:{start_line}", name, qualname, kind, language, path,
                      start_line, end_line)


@dataclass(frozen=True)
class SymbolMatch:
    symbol: Symbol
    score: float


@dataclass(frozen=True)
class AtResult:
    symbol: Symbol | None
    parents: list[Symbol] = field(default_factory=list)


@dataclass(frozen=True)
class FindResult:
    query: str
    matches: list[SymbolMatch] = field(default_factory=list)


@dataclass(frozen=True)
class IndexStats:
    files: int
    reused: int
    symbols: int
    edges: int
    languages: dict[str, int]
    seconds: float
    parsed: int = 0
    removed: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    calls: int = 0
    imports: int = 0
    rebuilt: str | None = None
    resolve_seconds: float = 0.0  # of ``seconds``, the time spent resolving calls into edges


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # dataclass -> its field names (asked per object)


def to_json(value: Any) -> Any:
    """Plain JSON data (dicts, lists, str, numbers, None) for ``value``.

    Objects with their own ``to_json()`` (answers that leave out fields not
    filled yet, such as a trace's ``last_commit``) decide their JSON themselves.
    """
    if value is None or isinstance(value, (str, int, float)):  # most calls: leaves, answered first
        return value
    own = getattr(value, "to_json", None)
    if callable(own) and not isinstance(value, type):
        return own()
    names = _FIELD_NAMES.get(type(value))
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: to_json(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, set):
        return [to_json(v) for v in sorted(value)]
    return value
