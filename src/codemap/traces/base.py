"""The protocol every trace format implements, and helpers they share.

A format is data plus a few small functions: ``start`` (a cheap regular
expression searched in every input line; a match means "a trace of mine may
begin here"; it must run in linear time, so no lazy scans to the end of the
line: the parser validates the line with its own anchored expressions),
``parse`` (read the trace from that line, return its exceptions and
where it ended), ``names`` (which symbol names the runtime's printed
function name can stand for, so the mapper can spot a mismatch) and
``paths`` (which file paths a frame can be looked up under: JVM and Go
frames name packages, not files). :mod:`codemap.traces.registry` lists the
formats; nothing else knows about individual runtimes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc


@dataclass(frozen=True)
class Parsed:
    """A format's answer: exceptions found in ``first..end-1`` (``end`` is exclusive)."""

    exceptions: list[RawException]
    first: int
    end: int


@dataclass(frozen=True)
class NameCheck:
    """The symbols a printed function name can stand for.

    The printed name matches a symbol when the symbol's ``name`` is one of
    ``names``, its qualname ends with one of ``qualname_suffixes``, or its
    ``kind`` is one of ``kinds`` (``<module>`` matches a module symbol).
    """

    names: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    qualname_suffixes: tuple[str, ...] = ()


# parse(doc, line index, column where ``start`` matched, first line not yet consumed)
ParseFn = Callable[[Doc, int, int, int], "Parsed | None"]
NamesFn = Callable[[str], "NameCheck | None"]
PathsFn = Callable[[RawFrame], "tuple[str, ...]"]


def frame_file(frame: RawFrame) -> tuple[str, ...]:
    """The default ``paths``: the file the frame printed, if any."""
    return (frame.file,) if frame.file else ()


@dataclass(frozen=True)
class TraceFormat:
    """One trace format (a runtime's way of printing a stack)."""

    name: str  # "python", "pytest", "v8", "firefox", "jvm", "go", ...
    language: str  # language reported for traces of this format
    start: str  # regex source, searched anywhere in a line
    parse: ParseFn
    names: NamesFn
    paths: PathsFn = frame_file
    # Literal pre-filter: ``start`` can only match a line holding every string of
    # at least one of these groups (cheap ``in`` checks spare the regex on most
    # log lines). Empty: no pre-filter.
    hints: tuple[tuple[str, ...], ...] = ()
    reference: str = ""  # where the format is documented
    # Frames may name build output whose source map leads to the real source
    # (:mod:`codemap.traces.generated`); columns are printed 1-based.
    source_maps: bool = False

    def may_start(self, line: str) -> bool:
        """Whether ``line`` passes the literal pre-filter."""
        if not self.hints:
            return True
        for group in self.hints:
            for needle in group:
                if needle not in line:
                    break
            else:
                return True
        return False

    @property
    def start_re(self) -> re.Pattern[str]:
        return _compiled(self.start)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compiled(source: str) -> re.Pattern[str]:
    pat = _CACHE.get(source)
    if pat is None:
        pat = _CACHE[source] = re.compile(source)
    return pat


def to_int(text: str | None) -> int | None:
    """``int(text)`` for the digit strings the regexes capture; None when absent or absurd."""
    if not text or len(text) > 9:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value > 0 else None


# A line that starts a new log record (so it cannot continue a message).
LOG_START = re.compile(
    r"^\s*(?:\d{2,4}[-/.:]\d|\[\d|\[?(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|CRITICAL|"
    r"FATAL)\b|[A-Z][a-z]{2} [ \d]\d \d\d:)"
)
