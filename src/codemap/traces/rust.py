"""Rust panics, old and new layouts, and ``RUST_BACKTRACE=1`` / ``full`` backtraces.

Reference: Rust 1.73 release notes and rust-lang/rust#108341 (``thread 'main'
panicked at src/main.rs:3:5:`` then the message, instead of ``panicked at
'msg', src/main.rs:3:5``); std ``backtrace`` output (``  N: [0xaddr - ]path::fn``
then ``at file:line:col``). Backtraces list the innermost frame first
(0 = ``rust_begin_unwind``); they are reversed into call order. Without a
backtrace, the panic location is the only frame.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r"\bthread '[^']*'(?: \(\d+\))? panicked at |(?:^|\s)stack backtrace:\s*$"

_NEW = re.compile(r"^\s*thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at "
                  r"(?P<file>[^\s'].*?):(?P<line>\d+):(?P<col>\d+):\s*$")
_OLD = re.compile(r"^\s*thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at '(?P<msg>.*)', "
                  r"(?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?\s*$")
_BACKTRACE = re.compile(r"^\s*stack backtrace:\s*$")
_BT_FRAME = re.compile(r"^\s*(?P<n>\d+):\s+(?:0x[0-9a-fA-F]+ - )?(?P<func>\S.*?)\s*$")
_BT_AT = re.compile(r"^\s+at (?P<file>.+?):(?P<line>\d+)(?::(?P<col>\d+))?\s*$")
_NOTE = re.compile(r"^\s*note: ")
_HASH = re.compile(r"::h[0-9a-f]{16}$")


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    n = len(doc.lines)
    j = i
    exc = RawException("panic", None, [], "rust")
    location: RawFrame | None = None
    line = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
    new, old = _NEW.match(line), _OLD.match(line)
    if new or old:
        m = new or old
        assert m is not None
        exc.extras["thread"] = m.group("thread")
        location = RawFrame(doc.lines[j].rstrip(), m.group("file"), to_int(m.group("line")),
                            to_int(m.group("col")))
        j += 1
        if old:
            exc.message = old.group("msg")
        else:
            msg: list[str] = []
            while j < n:
                text = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
                if _NOTE.match(text) or _BACKTRACE.match(text) or _NEW.match(text) or (
                        not text.strip()):
                    break
                msg.append(text)
                j += 1
            exc.message = "\n".join(msg) if msg else None
    end = j
    printed: list[RawFrame] = []
    while j < n:
        text = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
        if _NOTE.match(text):
            j += 1
            end = j
            continue
        if _BACKTRACE.match(text):
            j += 1
            end = j
            while j < n:
                raw = doc.lines[j]
                text = prefix.strip(raw) if prefix else raw
                fm = _BT_FRAME.match(text)
                am = _BT_AT.match(text)
                if am and printed and printed[-1].file is None:
                    printed[-1].file, printed[-1].line = am.group("file"), to_int(am.group("line"))
                    printed[-1].column = to_int(am.group("col"))
                    printed[-1].raw += "\n" + raw.rstrip()
                elif fm and not am:
                    printed.append(RawFrame(raw.rstrip(), None, None, None,
                                            _HASH.sub("", fm.group("func"))))
                elif am:
                    pass  # a second location of an inlined frame
                else:
                    break
                j += 1
                end = j
            break
        break
    if printed:
        exc.frames = printed[::-1]
    elif location is not None:
        exc.frames = [location]
    else:
        return None
    if location is not None:
        exc.extras["panic_location"] = f"{location.file}:{location.line}"
    return Parsed([exc], i, max(end, i + 1))


def names(printed: str) -> NameCheck | None:
    """``crate::module::Type::method`` -> method; ``{{closure}}`` -> enclosing fn."""
    text = _HASH.sub("", printed.strip())
    text = re.sub(r"^<(?P<ty>[^<>]*?)(?: as [^<>]*)?>", lambda m: m.group("ty"), text)
    text = re.sub(r"<[^<>]*>", "", text)
    parts = [p for p in text.split("::") if p]
    closure = False
    while parts and parts[-1] in ("{{closure}}", "{closure}", "{{constant}}"):
        parts.pop()
        closure = True
    if not parts or not re.fullmatch(r"\w+", parts[-1]):
        return None
    method = parts[-1]
    suffixes = (f"{parts[-2]}.{method}", f"{parts[-2]}::{method}") if len(parts) > 1 else ()
    return NameCheck(names=(method,), kinds=("lambda",) if closure else (),
                     qualname_suffixes=suffixes)


FORMAT = TraceFormat(
    name="rust", language="rust", start=START, parse=parse, names=names,
    hints=(("' panicked at ",), ("' (", ") panicked at "), ("stack backtrace:",)),
    reference="Rust 1.73 release notes; rust-lang/rust#108341; std backtrace output",
)
