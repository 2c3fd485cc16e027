"""V8 stack traces (Node.js, Chrome, Deno, Bun): ``    at fn (file:line:col)``.

Reference: https://v8.dev/docs/stack-trace-api (frame layout, ``async``
frames, ``new``, ``[as alias]``, ``<anonymous>``); Node's ``util.inspect``
for errors (``{ [cause]: ... }`` blocks, ``... N lines matching cause stack
trace ...``). V8 prints the raising frame first; frames are reversed into
call order. The header (``TypeError: message``) is found by looking back
from the first frame, past Node's source excerpt and caret; ``console.trace``
prints ``Trace: message`` there.
"""

from __future__ import annotations

import re

from codemap.traces import jsnames, nodespec
from codemap.traces.base import LOG_START, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = (r"\bat (?:async )?(?:new )?[^\s()]{1,300}(?: [^\s()\[]{1,100})?(?: \[as [^\]]{1,100}\])? \("
         r"|\bat (?:async )?[^\s()]{1,2000}:\d+:\d+\s*\{?\s*$")

_FRAME = re.compile(
    r"^\s*at (?P<async>async )?(?:(?P<func>[^()]*?(?:\([^()]*\)[^()]*?)?) \((?P<loc>.*)\)"
    r"|(?P<bare>\S.*?))\s*(?P<brace>\{)?\s*$"
)
_LOC = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?$")
_EVAL = re.compile(r"^eval at [^(]*\((?P<inner>.*?)\)(?:, .*)?$")
_HEADER = re.compile(
    r"^\s*(?:Uncaught\s+(?:\(in promise\)\s+)?)?(?:\[(?P<cause>cause)\]:\s*)?"
    r"(?P<type>[A-Za-z_$][\w$.]*?(?:Error|Exception|Rejection|Warning|Fault|Failure)|Error|Exception|Trace)"
    r"(?: \[(?P<code>[\w-]+)\])?(?::\s?(?P<msg>.*))?\s*(?:\{\s*)?$"
)
_CAUSE = re.compile(r"^\s*\[cause\]:\s*(?P<rest>.*)$")
_MATCHING = re.compile(r"^\s*\.\.\. \d+ lines? matching cause stack trace \.\.\.\s*$")
_MORE = re.compile(r"^\s*\.\.\. \d+ more items?\s*$")
_CLOSE = re.compile(r"^\s*\}\s*,?\s*$")
_PROP = re.compile(r"^\s*(?:\[?[\w$]+\]?|'[^']*'):\s")
_LOOKBACK = 40
_CARET = re.compile(r"^\s*\^+\s*$")  # under the source line Node prints above an uncaught error


def parse_frame(line: str, raw: str) -> RawFrame | None:
    m = _FRAME.match(line)
    if m is None:
        return None
    loc = m.group("loc") if m.group("loc") is not None else m.group("bare")
    func = m.group("func")
    ev = _EVAL.match(loc)
    if ev:
        loc = ev.group("inner")
    lm = _LOC.match(loc.strip())
    file = lm.group("file") if lm else loc
    if lm is None or lm.group("line") is None:
        if m.group("bare") is not None:
            return None  # "at something" without a location is prose, not a frame
        file_line, col = None, None
    else:
        file_line, col = to_int(lm.group("line")), to_int(lm.group("col"))
    frame = RawFrame(raw.rstrip(), file or None, file_line, col, func.strip() if func else None)
    if m.group("async"):
        frame.extras["async"] = True
    return frame


def _header(doc: Doc, i: int, floor: int, prefix: Prefix | None) -> tuple[str | None, str | None, int]:
    """(type, message, first line) of the error printed before frame line ``i``.

    A message may hold blank lines (every ``assert`` failure does: ``Expected values
    to be strictly equal:``, a blank line, the diff): the look-back goes on past them,
    but not past a frame (another trace), Node's caret under a source excerpt, or a
    new log record. Message lines lose the header's indentation (a test reporter's);
    the blank lines that part the message from the frames are no part of it.
    """
    message_lines: list[str] = []
    blank = False  # past a blank line: what follows may be no part of the message
    k = i - 1
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        m = _HEADER.match(line)
        if m:
            indent = line[:len(line) - len(line.lstrip())]
            rest = [text[len(indent):] if text.startswith(indent) else text.lstrip()
                    for text in reversed(message_lines)]
            parts = ([m.group("msg")] if m.group("msg") is not None else []) + rest
            while parts and not parts[-1].strip():
                parts.pop()
            return m.group("type"), ("\n".join(parts) if parts else None), k
        if not line.strip():
            blank = True
        elif blank and (_CARET.match(line) or LOG_START.match(line)
                        or parse_frame(line, line) is not None):
            break
        message_lines.append(line)
        k -= 1
    return None, None, i


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    line = prefix.strip(doc.lines[i]) if prefix else doc.lines[i]
    if parse_frame(line, doc.lines[i]) is None or nodespec.SPEC_LOCATION.match(doc.lines[i]):
        return None  # "at" in prose; "test at file:1:2" names a test of Node's spec report
    etype, message, first = _header(doc, i, floor, prefix)
    exceptions: list[RawException] = []
    current = RawException(etype, message, [], "v8")
    n = len(doc.lines)
    j = i
    end = i
    depth = 0  # inside "{ ... }" property blocks of util.inspect
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        frame = parse_frame(line, raw)
        if frame is not None:
            current.frames.append(frame)
            if line.rstrip().endswith("{"):
                depth += 1
            j += 1
            end = j
            continue
        if _MATCHING.match(line) or _MORE.match(line):
            j += 1
            end = j
            continue
        if depth > 0:
            cm = _CAUSE.match(line)
            if cm:
                exceptions.append(current)
                hm = _HEADER.match(cm.group("rest"))
                current = RawException(hm.group("type") if hm else None,
                                       hm.group("msg") if hm else cm.group("rest") or None,
                                       [], "v8", "cause")
                if line.rstrip().endswith("{"):
                    depth += 1
                j += 1
                end = j
                continue
            if _CLOSE.match(line):
                depth -= 1
                j += 1
                end = j
                continue
            if _PROP.match(line) or line.strip() in ("]", "],", "[", "}"):
                j += 1
                end = j
                continue
        break
    exceptions.append(current)
    for exc in exceptions:
        exc.frames.reverse()
    if not any(exc.frames for exc in exceptions):
        return None
    test, location = nodespec.spec_test(doc, first, floor, prefix) if etype else (None, None)
    if test is not None:
        exceptions[0].extras["test"] = test
        if location is not None:
            exceptions[0].extras["test_location"] = location
        nodespec.spec_repeat(doc, exceptions, location)
    return Parsed(exceptions, first, max(end, i + 1))


FORMAT = TraceFormat(
    name="v8", language="javascript", start=START, parse=parse, names=jsnames.names,
    hints=(("at ", "("), ("at ", ":")),
    reference="https://v8.dev/docs/stack-trace-api",
    source_maps=True,
)
