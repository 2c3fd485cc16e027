"""Python tracebacks: chained exceptions, exception groups, SyntaxError blocks,
3.11+ caret lines, ``logging.exception`` output, Django's technical 500 report
(``Exception Type:`` / ``Exception Value:`` after the frames).

Reference: CPython ``Lib/traceback.py`` (``TracebackException.format``);
PEP 657 (caret lines); PEP 654 (exception group rendering with ``+-+`` and
``|`` margins). Python already prints frames outermost first.
"""

from __future__ import annotations

import re

from codemap.traces.base import LOG_START, NameCheck, Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix, clean

START = (r"(?:Exception Group )?Traceback \(most recent call last\):"
         r"|\bFile \"[^\"]+\", line \d+")

_HEADER = re.compile(r"^\s*(?:Exception Group )?Traceback \(most recent call last\):\s*$")
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+?))?\s*$')
_CAUSE = "The above exception was the direct cause of the following exception:"
_CONTEXT = "During handling of the above exception, another exception occurred:"
_GROUP_SEP = re.compile(r"^\s*\+[-+]*-{3,}")
_GROUP_MARGIN = re.compile(r"^(\s*)(?:\| ?|\+ (?=Exception Group Traceback))")
_REPEATED = re.compile(r"^\s*\[Previous line repeated \d+ more times?\]\s*$")
_EXC = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?::(?: (?P<msg>.*)|$)|$)")
_CAPITALISED = re.compile(r"^(?:\w+\.)*[A-Z]\w*$")
# Django's technical 500 page (its text version and its copy-and-paste view) ends the
# frames with a blank line and these two lines instead of "Type: message"
_DJANGO_TYPE = re.compile(r"^Exception Type: (?P<type>[A-Za-z_][\w.]*)(?: at .*)?$")
_DJANGO_VALUE = re.compile(r"^Exception Value: ?(?P<msg>.*)$")
# ... and names a chained exception by its message only, after a blank line
_DJANGO_CHAIN = re.compile(
    r"^\s*(?:The above exception \((?P<cause>.*)\) was the direct cause of the following "
    r"exception:|During handling of the above exception \((?P<context>.*)\), another "
    r"exception occurred:)\s*$")


MESSAGE_LINES = 64  # lines of a message after its first, outside a group, at most


# a section rule of a test runner's report (pytest: ``==== warnings summary ====``,
# ``---- Captured log call ----``, ``____ test_name ____``): never part of a message
_SECTION_RULE = re.compile(r"^([=_-])\1{4,} \S.* \1{5,}$")


def _starts_something(line: str) -> bool:
    """Whether a line after an exception starts something else than its message: a log
    record, a chained exception's marker, a test runner's section rule, or a trace of
    any format."""
    return bool(LOG_START.match(line) or line.strip() in (_CAUSE, _CONTEXT)
                or _SECTION_RULE.match(line.strip()) or _starts_trace(line))


def _starts_trace(line: str) -> bool:
    from codemap.traces.registry import FORMATS  # (the registry imports this module)

    return any(fmt.may_start(line) and fmt.start_re.search(line) for fmt in FORMATS)


def _heads_trace(doc: Doc, j: int, prefix: Prefix | None) -> bool:
    """Whether line ``j`` starts a trace: the line before it is then that trace's message
    (JVM, V8 and .NET print it above their frames), not the end of this one's."""
    if j >= len(doc.lines):
        return False
    line = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
    return bool(line.strip()) and _starts_trace(line)


def _django_exception(doc: Doc, j: int, prefix: Prefix | None) -> bool:
    """Whether Django's ``Exception Type:`` line or chain message follows the blank line(s)
    before ``j``."""
    for k in range(j, min(j + 2, len(doc.lines))):
        line = clean(doc, k, prefix)
        if line.strip():
            return bool(_DJANGO_TYPE.match(line) or _DJANGO_CHAIN.match(line))
    return False


def _strip_margin(line: str) -> tuple[str, bool]:
    """Remove an exception group's ``|`` margin; report whether there was one."""
    m = _GROUP_MARGIN.match(line)
    if m is None:
        return line, False
    return line[m.end():], True


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    head = doc.lines[i][:col]
    col = len(head.rstrip(" \t|+")) if head.strip() else col
    prefix = Prefix.learn(doc.lines[i], col, indentation=_HEADER.match(doc.lines[i]) is not None)
    exceptions: list[RawException] = []
    frames: list[RawFrame] = []
    relation: str | None = None
    in_group = False
    saw_header = False
    end = i
    n = len(doc.lines)
    j = i
    blank_run = 0
    while j < n:
        raw_line = doc.lines[j]
        line = prefix.strip(raw_line) if prefix else raw_line
        line, margined = _strip_margin(line)
        stripped = line.strip()
        if not stripped:
            blank_run += 1
            if blank_run > 2 or (frames and not margined and not _django_exception(
                    doc, j + 1, prefix)):
                break
            j += 1
            continue
        blank_run = 0
        if in_group and not margined and not _GROUP_SEP.match(line):
            # the group's margin ended: only a chain message or a new traceback continues
            if stripped not in (_CAUSE, _CONTEXT) and not _HEADER.match(line):
                break
            in_group = False
            relation = None
        if _HEADER.match(line):
            if frames:
                exceptions.append(RawException(None, None, frames, "python", relation))
                frames, relation = [], None
            saw_header = True
            in_group = in_group or "Exception Group" in line or margined
            j += 1
            end = j
            continue
        fm = _FRAME.match(line)
        if fm:
            func = fm.group("func")
            frame = RawFrame(raw_line.strip("\n"), fm.group("file"), to_int(fm.group("line")),
                             None, func)
            frames.append(frame)
            j += 1
            end = j
            # source line(s) and caret lines: indented, not another frame
            while j < n:
                nxt = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
                nxt, _ = _strip_margin(nxt)
                if not nxt.strip() or _FRAME.match(nxt) or _HEADER.match(nxt):
                    break
                if not nxt[:1].isspace():
                    typed = _EXC.match(nxt)
                    if typed and _CAPITALISED.match(typed.group("type")):
                        break
                    if frame.source is not None:
                        break
                if frame.source is None and not set(nxt.strip()) <= {"^", "~", "-"}:
                    frame.source = nxt.strip()
                j += 1
                end = j
            continue
        if stripped == _CAUSE or stripped == _CONTEXT:
            if frames:
                exceptions.append(RawException(None, None, frames, "python", relation))
                frames = []
            relation = "raised-from" if stripped == _CAUSE else "context"
            j += 1
            continue
        if _GROUP_SEP.match(line):
            if frames:
                exceptions.append(RawException(None, None, frames, "python", relation))
                frames = []
            relation = "group"
            in_group = True
            j += 1
            end = j
            continue
        if _REPEATED.match(line):
            j += 1
            end = j
            continue
        chain = _DJANGO_CHAIN.match(line)
        if chain:
            cause = chain.group("cause")
            if frames:
                exceptions.append(RawException(None, cause if cause is not None else chain.group(
                    "context"), frames, "python", relation))
                frames = []
            relation = "raised-from" if cause is not None else "context"
            j += 1
            continue
        dj = _DJANGO_TYPE.match(line) if frames else None
        if dj:
            j += 1
            value = _DJANGO_VALUE.match(clean(doc, j, prefix)) if j < n else None
            if value:
                j += 1
            exceptions.append(RawException(dj.group("type"), value.group("msg") if value else None,
                                           frames, "python", relation))
            frames, relation, saw_header = [], None, False
            end = j
            continue
        em = _EXC.match(line)
        if em and (frames or saw_header or (in_group and margined)):
            etype = em.group("type")
            msg = em.group("msg")
            if not (frames or _CAPITALISED.match(etype) or "." in etype):
                break
            exc = RawException(etype, msg, frames, "python", relation)
            if frames and frames[-1].function is None and etype.endswith(
                    ("SyntaxError", "IndentationError", "TabError")):
                exc.extras["syntax_error"] = True
            exceptions.append(exc)
            frames, relation, saw_header = [], None, False
            j += 1
            end = j
            # exception notes and multi-line messages: inside a group margin, the margined
            # lines; after a traceback's last exception, the lines up to a blank line or
            # to what starts something else (a log record, another trace)
            more = 0
            while j < n and (in_group or (exc.frames and more < MESSAGE_LINES)):
                if prefix and not in_group and not prefix.matches(doc.lines[j]):
                    break  # the prefixed stream ended: what follows is not the trace's
                nxt = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
                nxt, margined = _strip_margin(nxt)
                if (not nxt.strip() or _HEADER.match(nxt) or _FRAME.match(nxt)
                        or _GROUP_SEP.match(nxt) or (in_group and not margined)
                        or (not in_group and (_starts_something(nxt) or _heads_trace(
                            doc, j + 1, prefix)))):
                    break
                exc.message = (exc.message or "") + "\n" + nxt
                more += 1
                j += 1
                end = j
            continue
        break
    if frames:
        exceptions.append(RawException(None, None, frames, "python", relation))
    if not exceptions:
        return None
    return Parsed(exceptions, i, max(end, i + 1))


_PSEUDO = {"<lambda>", "<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>", "<string>",
           "<stdin>", "<frozen>", "<unknown>"}


def names(printed: str) -> NameCheck | None:
    """Python prints ``co_name``: a bare function name, or ``<module>``."""
    if printed == "<module>":
        return NameCheck(kinds=("module",))
    if printed in _PSEUDO or not printed.isidentifier():
        return None
    return NameCheck(names=(printed,))


FORMAT = TraceFormat(
    name="python", language="python", start=START, parse=parse, names=names,
    hints=(("Traceback (most recent call last):",), ('File "', ", line ")),
    reference="CPython Lib/traceback.py; PEP 657; PEP 654",
)
