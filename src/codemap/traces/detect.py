"""Find every trace in a paste, whatever its format and whatever surrounds it.

One pass over the lines. A single expression of the formats' literal hints
(``TraceFormat.hints``; the first string of each group) is searched in each
line: most log lines hold none and cost nothing more. Otherwise the formats
whose hints are all present are the candidates; their ``start`` expressions
are searched and the leftmost match (ties: registry order) is asked to parse. The parser reads the trace and says where it ended; the scan
resumes there. A format that declines (a false start) hands the line to the
next candidate. Parsers look back a bounded number of lines and never before
the end of the previous trace, so the whole scan is linear in the input.
An HTML page often shows its trace twice: there, a trace identical to one
already found is not reported again.
"""

from __future__ import annotations

import re

from codemap.traces.base import Parsed, TraceFormat
from codemap.traces.model import FoundTrace
from codemap.traces.registry import FORMATS
from codemap.traces.text import Doc

MAX_LINE = 20_000  # longer lines are not searched (minified bundles, base64 blobs)


def find_traces(text: str, formats: tuple[TraceFormat, ...] = FORMATS) -> list[FoundTrace]:
    """Every trace in ``text``, in the order they appear."""
    return find_in_doc(Doc.from_text(text), formats)


# primary hint -> [(registry order, format, the other strings of each group it heads)]
_Candidates = dict[str, list[tuple[int, TraceFormat, tuple[tuple[str, ...], ...]]]]
_Prefilter = tuple[re.Pattern[str] | None, _Candidates, list[tuple[int, TraceFormat]]]
_PREFILTERS: dict[int, tuple[tuple[TraceFormat, ...], _Prefilter]] = {}


def _prefilter(formats: tuple[TraceFormat, ...]) -> _Prefilter:
    """(expression of primary hints, primary hint -> formats, formats without hints)."""
    hit = _PREFILTERS.get(id(formats))
    if hit is not None and hit[0] is formats:
        return hit[1]
    groups: dict[str, dict[int, list[tuple[str, ...]]]] = {}
    always: list[tuple[int, TraceFormat]] = []
    for order, fmt in enumerate(formats):
        if not fmt.hints:
            always.append((order, fmt))
        for group in fmt.hints:
            groups.setdefault(group[0], {}).setdefault(order, []).append(group[1:])
    by_primary: _Candidates = {
        needle: [(order, formats[order], tuple(rests)) for order, rests in sorted(per.items())]
        for needle, per in groups.items()}
    needles = sorted(by_primary, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, needles))) if needles else None
    result = (pattern, by_primary, always)
    if len(_PREFILTERS) > 8:
        _PREFILTERS.clear()
    _PREFILTERS[id(formats)] = (formats, result)
    return result


def _passes(line: str, rests: tuple[tuple[str, ...], ...]) -> bool:
    for rest in rests:
        for needle in rest:
            if needle not in line:
                break
        else:
            return True
    return False


def _candidates(line: str, prefilter: _Prefilter) -> list[tuple[int, TraceFormat]]:
    """Formats whose hints are all in ``line``, in registry order."""
    pattern, by_primary, always = prefilter
    hits = pattern.findall(line) if pattern is not None else []
    if not hits:
        return always
    first = hits[0]
    if not always and all(h == first for h in hits):  # the common case: one kind of hint
        return [(order, fmt) for order, fmt, rests in by_primary[first] if _passes(line, rests)]
    out = dict(always)
    for needle in set(hits):
        for order, fmt, rests in by_primary[needle]:
            if order not in out and _passes(line, rests):
                out[order] = fmt
    return sorted(out.items(), key=lambda item: item[0])


def find_in_doc(doc: Doc, formats: tuple[TraceFormat, ...] = FORMATS) -> list[FoundTrace]:
    found: list[FoundTrace] = []
    prefilter = _prefilter(formats)
    lines = doc.lines
    floor = 0
    i = 0
    n = len(lines)
    seen: set[object] = set()
    while i < n:
        line = lines[i]
        if len(line) > MAX_LINE:
            i += 1
            continue
        starts: list[tuple[int, int, TraceFormat]] = []
        for order, fmt in _candidates(line, prefilter):
            m = fmt.start_re.search(line)
            if m is not None:
                starts.append((m.start(), order, fmt))
        result: tuple[TraceFormat, Parsed] | None = None
        if starts:
            starts.sort(key=lambda item: (item[0], item[1]))
            for col, _, fmt in starts:
                parsed = _try(fmt, doc, i, col, floor)
                if parsed is not None:
                    result = (fmt, parsed)
                    break
        if result is None:
            i += 1
            continue
        fmt, parsed = result
        key = _identity(fmt, parsed) if doc.html else None
        if key is None or key not in seen:
            found.append(FoundTrace(fmt.name, fmt.language, parsed.exceptions, parsed.first,
                                    parsed.end - 1))
            seen.add(key)
        i = floor = max(parsed.end, i + 1)
    return found


def _identity(fmt: TraceFormat, parsed: Parsed) -> tuple[object, ...]:
    """What makes two traces the same: an HTML error page shows its one trace in more than
    one place (Werkzeug: a textarea and a comment), and reporting it twice helps no one."""
    return (fmt.name, tuple(
        (e.type, e.message, e.relation, tuple((f.file, f.line, f.function) for f in e.frames))
        for e in parsed.exceptions))


def _try(fmt: TraceFormat, doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    try:
        parsed = fmt.parse(doc, i, col, floor)
    except (ValueError, IndexError, RecursionError):  # a parser bug must not lose the paste
        return None
    if parsed is None or not parsed.exceptions:
        return None
    return parsed
