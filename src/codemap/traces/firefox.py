"""Firefox (SpiderMonkey) and Safari (JavaScriptCore) stacks: ``fn@url:line:col``.

Reference: lydell/parse-stack support notes ("Firefox - @ format", "Safari
6+ - @ format"); mozilla-firefox ``js/src/tests/non262/async-functions/
ErrorStack.js`` (``async*fn@url:line``). ``error.stack`` holds only frames,
innermost first; the message is usually the line before.
"""

from __future__ import annotations

import re

from codemap.traces import jsnames
from codemap.traces.base import Parsed, TraceFormat, to_int
from codemap.traces.javascript import _header
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

_LOCATION = (r"(?:[a-z][\w+.-]{0,30}:/*[^\s@]{0,2000}|/[^\s@]{0,2000}"
             r"|[^\s@]{0,2000}\.(?:m?js|cjs|jsx|ts|tsx|vue|svelte|html?))")
START = rf"(?:^|\s)(?:async\*)?[^\s@]{{0,500}}@{_LOCATION}:\d+(?::\d+)?\s*$"

_FRAME = re.compile(
    r"^\s*(?P<async>async\*)?(?P<func>[^@]*?)@(?P<file>.+?)(?::(?P<line>\d+)(?::(?P<col>\d+))?)?\s*$"
)
_NATIVE = re.compile(r"^\s*(?P<func>[^@\s]+)@\[native code\]\s*$")
# Node's crash header names the throwing line, then shows it with a caret under it:
# ``/app/node_modules/@scope/pkg/x.js:2`` reads like ``fn@url:line`` (a scoped package)
_CARET = re.compile(r"^\s*\^+\s*$")


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    first_line = prefix.strip(doc.lines[i]) if prefix else doc.lines[i]
    fm = _FRAME.match(first_line)
    if fm is None or not fm.group("line") or _node_excerpt(doc, i, prefix):
        return None
    etype, message, first = _header(doc, i, floor, prefix)
    frames: list[RawFrame] = []
    n = len(doc.lines)
    j = i
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        m = _FRAME.match(line)
        if m and m.group("line"):
            func = m.group("func").strip() or None
            frame = RawFrame(raw.rstrip(), m.group("file"), to_int(m.group("line")),
                             to_int(m.group("col")), func)
            if m.group("async"):
                frame.extras["async"] = True
            frames.append(frame)
        elif _NATIVE.match(line) or line.strip() == "[native code]":
            frames.append(RawFrame(raw.rstrip(), None, None, None,
                                   line.strip().split("@", 1)[0] or None))
        else:
            break
        j += 1
    if not any(f.file for f in frames):
        return None
    frames.reverse()
    return Parsed([RawException(etype, message, frames, "firefox")], first, j)


def _node_excerpt(doc: Doc, i: int, prefix: Prefix | None) -> bool:
    """Whether line ``i`` heads Node's excerpt of the throwing line (a caret follows the
    source line below it): the V8 trace after it has the frames."""
    for line in doc.lines[i + 1:i + 3]:
        if _CARET.match(prefix.strip(line) if prefix else line):
            return True
    return False


FORMAT = TraceFormat(
    name="firefox", language="javascript", start=START, parse=parse, names=jsnames.names,
    hints=(("@", ":"),),
    reference="lydell/parse-stack support notes; Firefox ErrorStack.js test",
    source_maps=True,
)
