"""Find every trace in a paste, whatever its format and whatever surrounds it.

One pass over the lines: a combined regular expression (each format's
``start`` as a named group) is searched in each line; where it matches, that
format's parser reads the trace and says where it ended, and the scan
resumes there. If the format declines (a false start), the other formats
get a chance at the same line. Parsers only look back a bounded number of
lines and never before the end of the previous trace, so the whole scan is
linear in the size of the input.
"""

from __future__ import annotations

import re
from functools import lru_cache

from codemap.traces.base import TraceFormat
from codemap.traces.model import FoundTrace
from codemap.traces.registry import FORMATS
from codemap.traces.text import Doc

MAX_LINE = 20_000  # longer lines are not searched (minified bundles, base64 blobs)


@lru_cache(maxsize=4)
def _combined(formats: tuple[TraceFormat, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<f{k}>{fmt.start})" for k, fmt in enumerate(formats)))


def find_traces(text: str, formats: tuple[TraceFormat, ...] = FORMATS) -> list[FoundTrace]:
    """Every trace in ``text``, in the order they appear."""
    return find_in_doc(Doc.from_text(text), formats)


def find_in_doc(doc: Doc, formats: tuple[TraceFormat, ...] = FORMATS) -> list[FoundTrace]:
    combined = _combined(formats)
    found: list[FoundTrace] = []
    lines = doc.lines
    floor = 0
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if len(line) > MAX_LINE:
            i += 1
            continue
        m = combined.search(line)
        if m is None:
            i += 1
            continue
        first = int(m.lastgroup[1:]) if m.lastgroup else 0
        result = None
        tried = formats[first]
        parsed = _try(tried, doc, i, m.start(), floor)
        if parsed is not None:
            result = (tried, parsed)
        else:
            for fmt in formats:
                if fmt is tried:
                    continue
                alt = fmt.start_re.search(line)
                if alt is None:
                    continue
                parsed = _try(fmt, doc, i, alt.start(), floor)
                if parsed is not None:
                    result = (fmt, parsed)
                    break
        if result is None:
            i += 1
            continue
        fmt, parsed = result
        found.append(FoundTrace(fmt.name, fmt.language, parsed.exceptions, parsed.first,
                                parsed.end - 1))
        i = floor = max(parsed.end, i + 1)
    return found


def _try(fmt: TraceFormat, doc: Doc, i: int, col: int, floor: int):  # type: ignore[no-untyped-def]
    try:
        parsed = fmt.parse(doc, i, col, floor)
    except (ValueError, IndexError, RecursionError):  # a parser bug must not lose the paste
        return None
    if parsed is None or not parsed.exceptions:
        return None
    return parsed
