"""Ruby backtraces, old and 3.4+ quoting.

Reference: ruby/ruby NEWS for 3.4 ([Feature #16495], [Feature #19117]):
``file:1:in `foo'`` became ``file:1:in 'Object#foo'``. The first line
carries the message and the class in parentheses
(``test.rb:1:in 'foo': undefined method ... (NoMethodError)``), callers
follow as ``\\tfrom file:line:in 'caller'``; Rails-style backtrace lists
print bare ``file:line:in 'm'`` lines. Printed innermost first; reversed
into call order. A second first-line after the ``from`` lines (Ruby
prints an exception's ``cause`` after it) starts a ``cause`` exception.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r":\d+:in [`']"

_FRAME = re.compile(
    r"^\s*(?P<from>from )?(?P<file>[^\s:'`\"][^:'`\"]*?|[A-Za-z]:[^:'`\"]*?):(?P<line>\d+)"
    r":in [`'](?P<func>[^`']*)'(?::\s(?P<rest>.*))?\s*$"
)
_LEVELS = re.compile(r"^\s*\.\.\. \d+ levels\.\.\.\s*$")
_CLASS_AT_END = re.compile(r"^(?P<msg>.*?)\s*\((?P<type>[A-Z][\w:]*)\)\s*$", re.DOTALL)
_MAX_MESSAGE_LINES = 40


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    # the trigger matched ":12:in '"; the frame starts with the path before it
    head = doc.lines[i][:col]
    col = max(head.rfind(" "), head.rfind("\t")) + 1
    if head[col:].startswith("from"):
        col = len(head)
    prefix = Prefix.learn(doc.lines[i], col)
    exceptions: list[RawException] = []
    printed: list[RawFrame] = []
    current: RawException | None = None
    n = len(doc.lines)
    j = i
    end = i

    def close() -> None:
        nonlocal printed
        if current is not None:
            current.frames = printed[::-1]
        printed = []

    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        m = _FRAME.match(line)
        if m is None:
            if _LEVELS.match(line):
                j += 1
                end = j
                continue
            # continuation of a multi-line message: only right after a message line
            if (current is not None and len(printed) == 1 and current.message is not None
                    and line.strip() and j - end == 0 and j + 1 < n and j - i < _MAX_MESSAGE_LINES):
                nxt = prefix.strip(doc.lines[j + 1]) if prefix else doc.lines[j + 1]
                if _FRAME.match(nxt) or _CLASS_AT_END.match(line):
                    current.message += "\n" + line
                    j += 1
                    end = j
                    continue
            break
        frame = RawFrame(raw.rstrip(), m.group("file"), to_int(m.group("line")), None,
                         m.group("func"))
        rest = m.group("rest")
        if not m.group("from") and (rest is not None or current is None):
            if current is not None:
                close()
            etype, msg = None, rest
            if rest is not None:
                cm = _CLASS_AT_END.match(rest)
                if cm:
                    etype, msg = cm.group("type"), cm.group("msg")
            current = RawException(etype, msg, [], "ruby", "cause" if exceptions else None)
            exceptions.append(current)
        printed.append(frame)
        j += 1
        end = j
    close()
    for exc in exceptions:
        if exc.type is None and exc.message and "\n" in exc.message:
            cm = _CLASS_AT_END.match(exc.message)
            if cm:
                exc.type, exc.message = cm.group("type"), cm.group("msg")
    if not exceptions:
        return None
    return Parsed(exceptions, i, max(end, i + 1))


_WRAPPED = re.compile(r"^(?:block(?: \(\d+ levels\))?|rescue|ensure) in (?P<inner>.+)$")


def names(printed: str) -> NameCheck | None:
    """``Object#foo``, ``Foo.bar``, ``block in foo``, ``<main>``, ``<class:Foo>``."""
    text = printed.strip()
    lambda_ = False
    m = _WRAPPED.match(text)
    if m:
        lambda_ = text.startswith("block")
        text = m.group("inner")
    if text in ("<main>", "<top (required)>", "<compiled>") or text.startswith("<top"):
        return NameCheck(kinds=("module",) + (("lambda",) if lambda_ else ()))
    cm = re.match(r"^<(?:class|module):(?P<name>[\w:]+)>$", text)
    if cm:
        return NameCheck(names=(cm.group("name").rsplit("::", 1)[-1],), kinds=("class",))
    owner, sep, method = text.rpartition("#") if "#" in text else text.rpartition(".")
    if not re.fullmatch(r"[\w]+[?!=]?", method):
        return None
    owner_simple = owner.rsplit("::", 1)[-1] if sep else ""
    suffixes = (f"{owner_simple}.{method}",) if owner_simple else ()
    return NameCheck(names=(method,), kinds=("lambda",) if lambda_ else (),
                     qualname_suffixes=suffixes)


FORMAT = TraceFormat(
    name="ruby", language="ruby", start=START, parse=parse, names=names,
    hints=((":in `",), (":in '",)),
    reference="ruby/ruby NEWS 3.4 (Feature #16495, #19117)",
)
