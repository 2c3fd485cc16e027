"""What every coverage reader produces: the format-neutral recording.

A :class:`Recording` is one data file: the names of the files it measured
(as *that* machine saw them), when it was recorded, and per file a
:class:`RecordedFile` with the statement lines and their hit counts,
branch outcomes and, where the format keeps them, the contexts (tests)
that ran each line. Text formats are parsed eagerly into a
:class:`StaticRecording`; coverage.py data is analysed lazily per file,
because its statements come from parsing the current source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Lines beyond this are not plausible source lines: a record naming one is bad input.
MAX_LINE = 10_000_000


@dataclass
class RecordedFile:
    """Coverage of one measured file, in the recording's own line numbers.

    ``hits`` maps every statement line to its execution count (0 = missed);
    coverage.py records no counts, so its executed lines count 1.
    ``branches`` maps a line to (branch outcomes, outcomes taken);
    ``missing_arcs`` (coverage.py only) to the untaken destinations, a
    negative destination meaning "exit the code object".
    ``contexts`` maps executed lines to the raw context names that ran them;
    None when the format records no contexts.
    ``statements_known`` is False when only executed lines are known.
    ``block_lines`` is True when lines were expanded from block ranges (Go),
    so blank and comment lines inside a block must be dropped against the source.
    """

    name: str
    hits: dict[int, int] = field(default_factory=dict)
    branches: dict[int, tuple[int, int]] = field(default_factory=dict)
    missing_arcs: dict[int, list[int]] = field(default_factory=dict)
    contexts: dict[int, list[str]] | None = None
    excluded: frozenset[int] = frozenset()
    statements_known: bool = True
    block_lines: bool = False
    recorded_lines: int = 0  # highest line number the data mentions (for staleness)
    stray_lines: list[int] = field(default_factory=list)  # executed, but not statements now
    aliases: dict[int, int] = field(default_factory=dict)  # continuation line -> statement line
    note: str | None = None  # why statements are unknown, etc.

    def max_line(self) -> int:
        top = max(self.hits, default=0)
        if self.branches:
            top = max(top, max(self.branches))
        return max(top, self.recorded_lines)


class Recording:
    """One coverage data file, read.

    ``roots`` are directories the names are relative to (Cobertura
    ``<source>``); ``path_hints`` are extra candidate paths per name (e.g.
    a Go import path with the module prefix replaced by its directory).
    """

    format: str = ""
    rank: int = 0  # richer formats win when two recordings cover one file

    def __init__(self, path: Path, *, timestamp: float | None = None, tool: str | None = None,
                 roots: tuple[str, ...] = ()) -> None:
        self.path = path
        self.timestamp = timestamp
        self.tool = tool
        self.roots = roots
        self.warnings: list[str] = []

    @property
    def has_branches(self) -> bool:
        return False

    @property
    def has_contexts(self) -> bool:
        return False

    def names(self) -> list[str]:
        raise NotImplementedError

    def file(self, name: str, source: Path | None) -> RecordedFile:
        """The coverage of ``name``; ``source`` is the local copy of it, when mapped."""
        raise NotImplementedError


class StaticRecording(Recording):
    """A recording parsed completely up front (every text format)."""

    def __init__(self, path: Path, files: dict[str, RecordedFile], *, fmt: str, rank: int,
                 timestamp: float | None = None, tool: str | None = None,
                 roots: tuple[str, ...] = ()) -> None:
        super().__init__(path, timestamp=timestamp, tool=tool, roots=roots)
        self.format = fmt
        self.rank = rank
        self._files = files

    @property
    def has_branches(self) -> bool:
        return any(f.branches for f in self._files.values())

    @property
    def has_contexts(self) -> bool:
        return any(f.contexts for f in self._files.values())

    def names(self) -> list[str]:
        return list(self._files)

    def file(self, name: str, source: Path | None) -> RecordedFile:
        return self._files[name]


def merge_hits(into: dict[int, int], line: int, count: int) -> None:
    """Add ``count`` executions of ``line`` (records of one file from several test runs)."""
    into[line] = into.get(line, 0) + count


def check_line(value: int, what: str) -> int:
    """A plausible 1-based line number, or :class:`InputError`."""
    from codemap.errors import InputError

    if value < 1 or value > MAX_LINE:
        raise InputError(f"{what}: line number {value} is out of range")
    return value


def read_data_file(path: Path, what: str) -> bytes:
    """The bytes of a data file, or :class:`InputError` naming it."""
    from codemap.errors import InputError

    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a {what} file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
