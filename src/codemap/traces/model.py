"""What the trace parsers produce, before any mapping onto a repository.

Parsers know nothing about repositories: they turn text into
:class:`RawException` objects whose frames are always in **call order**
(outermost caller first, the frame that raised last), whatever order the
runtime printed them in. :mod:`codemap.traces.service` maps them onto code
and builds the contract's JSON objects (:mod:`codemap.traces.report`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawFrame:
    """One frame as printed.

    ``module`` is what a runtime prints instead of (or besides) a path: the
    JVM class (``com.acme.App$Inner``), the Go package path
    (``example.com/mod/pkg``), the .NET type. ``source`` is the source line
    printed under the frame (Python, pytest), when there is one.
    ``extras`` are format-specific facts merged into the frame's JSON
    (e.g. ``{"repeated": true}`` for JVM frames behind ``... N more``).
    """

    raw: str
    file: str | None
    line: int | None
    column: int | None = None
    function: str | None = None
    module: str | None = None
    source: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class RawException:
    """One exception (or panic, or goroutine) and its frames in call order.

    ``relation`` says how it relates to the exception listed just before it:
    ``cause`` (it caused that one: JVM ``Caused by:``, Node ``[cause]``,
    a .NET inner exception, Ruby's cause), ``raised-from`` (that one caused
    it: Python ``raise ... from``, PHP ``Next``), ``context`` (raised while
    handling that one: Python's "During handling ..."), ``suppressed``,
    ``group`` (a member of an exception group), ``goroutine`` (another
    goroutine of the same dump), ``thread`` (another thread of a JVM thread dump);
    None for the first one.
    """

    type: str | None
    message: str | None
    frames: list[RawFrame]
    format: str
    relation: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


@dataclass
class FoundTrace:
    """A contiguous trace found in the input: lines ``first_line..last_line``
    (0-based, inclusive) of the prepared text."""

    format: str
    language: str
    exceptions: list[RawException]
    first_line: int
    last_line: int
