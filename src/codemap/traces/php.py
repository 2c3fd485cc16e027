"""PHP uncaught exceptions: ``#0 /p/f.php(12): f()`` frames, ``Next`` chains, ``thrown in``.

Reference: https://www.php.net/manual/en/exception.tostring.php
(``Exception: msg in /p/f.php:3``, ``Stack trace:``, ``#0 ...``,
``#1 {main}``, chained exceptions as ``Next X: msg in ...``, earliest first);
the fatal-error wrapper ``PHP Fatal error:  Uncaught ...`` / ``  thrown in
/p/f.php on line 30``; PHP 5's ``exception 'X' with message 'm' in f:3``.

PHP frame ``#k file(line): call()`` says *where* ``call`` was called, so the
line belongs to the function called by frame ``#k+1`` (or ``{main}``); the
header's ``in file:line`` is the throw site, inside the function called by
``#0``. Frames are rebuilt that way, outermost (``{main}``) first.
"""

from __future__ import annotations

import re

from codemap.traces.base import NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r"(?:^|\s)#0 \S"

_FRAME = re.compile(r"^\s*#(?P<n>\d+) (?:(?P<file>\S.*?)\((?P<line>\d+)\)|(?P<internal>\[internal "
                    r"function\])): (?P<call>.*?)\s*$")
_MAIN = re.compile(r"^\s*#\d+ \{main\}\s*$")
_STACK = re.compile(r"^\s*Stack trace:\s*$")
_HEAD = re.compile(
    r"(?:^|\s)(?:PHP )?(?:(?:Fatal error|Warning|Error|Notice|Parse error):\s+)?(?:Uncaught\s+)?"
    r"(?:(?P<next>Next)\s+)?(?P<type>[A-Za-z_\\][\w\\]*): (?P<msg>.*?) in (?P<file>\S.*?):(?P<line>\d+)\s*$"
)
_HEAD5 = re.compile(r"(?:^|\s)(?:PHP )?(?:Fatal error:\s+)?(?:Uncaught\s+)?exception '(?P<type>[\w\\]+)' "
                    r"with message '(?P<msg>.*)' in (?P<file>\S.*?):(?P<line>\d+)\s*$")
_THROWN = re.compile(r"^\s*thrown in (?P<file>\S.*?) on line (?P<line>\d+)\b")
_LOOKBACK = 40
_MAX_HEADER = 8192  # header lines longer than this are not searched (regex cost)


def _header(doc: Doc, i: int, floor: int, prefix: Prefix | None) -> tuple[re.Match[str] | None, str, int]:
    """The header line before ``Stack trace:`` (message lines may sit between)."""
    k = i - 1
    cont: list[str] = []
    while k >= max(floor, i - _LOOKBACK):
        line = prefix.strip(doc.lines[k]) if prefix else doc.lines[k]
        if _STACK.match(line):
            k -= 1
            continue
        m = (_HEAD.search(line) or _HEAD5.search(line)) if len(line) <= _MAX_HEADER else None
        if m:
            return m, "\n".join(cont[::-1]), k
        if not line.strip() or _FRAME.match(line) or _MAIN.match(line):
            break
        cont.append(line)
        k -= 1
    return None, "", i


def _exception(head: re.Match[str] | None, extra: str, printed: list[tuple[RawFrame | None, str]],
               head_raw: str, relation: str | None) -> RawException:
    frames: list[RawFrame] = []
    # printed: [(location frame or None, call)] for #0, #1, ...; the location of #k lies in
    # the function called by #k+1
    for k in range(len(printed) - 1, -1, -1):
        frame, _call = printed[k]
        if frame is None:
            continue
        caller = printed[k + 1][1] if k + 1 < len(printed) else "{main}"
        frame.function = caller
        frames.append(frame)
    etype = msg = None
    if head is not None:
        etype, msg = head.group("type"), head.group("msg")
        if extra:
            msg = f"{msg}\n{extra}" if msg else extra
        throw = RawFrame(head_raw.rstrip(), head.group("file"), to_int(head.group("line")), None,
                         printed[0][1] if printed else "{main}")
        throw.extras["throw_site"] = True
        frames.append(throw)
    return RawException(etype, msg, frames, "php", relation)


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    line0 = prefix.strip(doc.lines[i]) if prefix else doc.lines[i]
    if not (_FRAME.match(line0) or _MAIN.match(line0)):
        return None
    head, extra, first = _header(doc, i, floor, prefix)
    head_raw = doc.lines[first] if head is not None else ""
    exceptions: list[RawException] = []
    printed: list[tuple[RawFrame | None, str]] = []
    n = len(doc.lines)
    j = i
    end = i
    while j < n:
        raw = doc.lines[j]
        line = prefix.strip(raw) if prefix else raw
        fm = _FRAME.match(line)
        if fm:
            call = re.sub(r"\(.*\)$", "", fm.group("call")) or fm.group("call")
            frame = None
            if fm.group("file"):
                frame = RawFrame(raw.rstrip(), fm.group("file"), to_int(fm.group("line")))
            printed.append((frame, call))
        elif _MAIN.match(line):
            printed.append((None, "{main}"))
            if head is None:  # {main} ends a stack; without a header nothing can follow
                j += 1
                end = j
                break
        elif _STACK.match(line):
            pass
        elif len(line) <= _MAX_HEADER and (nm := _HEAD.match(line)) is not None and nm.group("next"):
            exceptions.append(_exception(head, extra, printed, head_raw,
                                         "raised-from" if exceptions else None))
            head, extra, head_raw, printed = nm, "", raw, []
        elif _THROWN.match(line):
            j += 1
            end = j
            break
        elif not line.strip() and j + 1 < n and _HEAD.match(
                prefix.strip(doc.lines[j + 1]) if prefix else doc.lines[j + 1]):
            pass  # blank line before "Next ..."
        else:
            break
        j += 1
        end = j
    exceptions.append(_exception(head, extra, printed, head_raw, "raised-from" if exceptions else None))
    if not any(e.frames for e in exceptions):
        return None
    return Parsed(exceptions, first, max(end, i + 1))


def names(printed: str) -> NameCheck | None:
    """``Foo->bar``, ``Foo::bar``, ``App\\Foo->__construct``, ``{closure}``, ``{main}``."""
    text = printed.strip()
    if text == "{main}":
        return NameCheck(kinds=("module",))
    if "{closure" in text:
        return None
    owner, method = "", text
    for sep in ("->", "::"):
        if sep in text:
            owner, _, method = text.rpartition(sep)
            break
    method = method.rsplit("\\", 1)[-1]
    if not re.fullmatch(r"\w+", method):
        return None
    simple = owner.rsplit("\\", 1)[-1]
    if method == "__construct":
        return NameCheck(names=("__construct", simple), kinds=("class",))
    return NameCheck(names=(method,), qualname_suffixes=(f"{simple}.{method}",) if simple else ())


FORMAT = TraceFormat(
    name="php", language="php", start=START, parse=parse, names=names,
    hints=(("#0 ",),),
    reference="https://www.php.net/manual/en/exception.tostring.php",
)
