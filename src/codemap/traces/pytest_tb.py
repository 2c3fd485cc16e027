"""pytest failure reports (``--tb=long``, ``--tb=short``, the default ``auto``, and
``--tb=line``).

Reference: pytest ``_pytest/_code/code.py`` (``FormattedExcinfo``,
``ReprEntry``): each failing test is a ``____ name ____`` section whose
entries end with a ``path:line: ...`` location (long: ``path:line: ``, the
last one ``path:line: ExcType``; short: ``path:line: in func`` before the
source), ``E   `` lines carry the exception. Entries are printed outermost
first. Each failing test becomes one exception.

``--tb=line`` prints, under the ``= FAILURES =`` header, one line per failing
test: where it failed and the exception (``path:line: Type: message``, a
``ReprFileLocation`` whose message is the exception's last line). Each becomes
an exception of one frame.
"""

from __future__ import annotations

import re

from codemap.traces import pytest_doctest, python
from codemap.traces.base import Parsed, TraceFormat, to_int
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = (r"(?:^|\s)_{3,} \S|(?:^|\s)[^\s:]{1,1000}\.py:\d+: in \S"
         r"|(?:^|\s)={3,} FAILURES ={3,}\s*$")

_SECTION = re.compile(r"^\s*_{3,} (?P<name>\S.*?) _{3,}\s*$")
_SHORT = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): in (?P<func>\S+)\s*$")
_LONG = re.compile(r"^(?P<file>[^\s:][^:]*\.\w+):(?P<line>\d+): ?(?P<exc>[A-Za-z_][\w.]*)?\s*$")
_SEP = re.compile(r"^\s*(?:_ ){4,}_?\s*$")
_END = re.compile(r"^\s*(?:={5,}|-{5,} (?:Captured|generated|live log)|_{3,} \S.*? _{3,}\s*$)")
_E_LINE = re.compile(r"^E(?:\s+(?P<text>.*))?$")
_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(?P<name>\w+)")
_FAILURE_LINE = re.compile(r"^>\s")
_MAX_BLOCK = 2000
_FAILURES = re.compile(r"^\s*={3,} FAILURES ={3,}\s*$")
# --tb=line: "path:line: Type: message" (the type capitalised or dotted, as Python's are),
# or "path:line: assert ..." for a failed assert
_LINE_MODE = re.compile(r"^(?P<file>[^\s:][^:]*\.\w+):(?P<line>\d+): (?P<rest>\S.*?)\s*$")
_LINE_TYPE = re.compile(r"^(?P<type>(?:[A-Za-z_]\w*\.)*[A-Z]\w*)(?:: (?P<msg>.*))?$")
_SUMMARY = re.compile(r"^\s*={3,} short test summary info ={3,}\s*$")
_FAILED = re.compile(r"^FAILED (?P<test>\S+)")


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    if _FAILURES.match(prefix.strip(doc.lines[i]) if prefix else doc.lines[i]):
        return _line_mode(doc, i, prefix)
    n = len(doc.lines)
    j = i
    name: str | None = None
    test: str | None = None
    exceptions: list[RawException] = []
    frames: list[RawFrame] = []
    block: list[str] = []
    e_lines: list[str] = []
    long_type: str | None = None
    relation: str | None = None
    end = i + 1

    def flush() -> None:
        nonlocal frames, e_lines, long_type, relation
        if frames or e_lines:
            exc = _exception(e_lines, long_type, frames, relation)
            if test:
                exc.extras["test"] = test
            exceptions.append(exc)
        frames, e_lines, long_type, relation = [], [], None, None

    while j < n:
        line = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
        sec = _SECTION.match(line)
        if sec:
            if j != i:
                break
            name = test = sec.group("name")
            if name.startswith(pytest_doctest.SECTION):
                test = pytest_doctest.test_id(doc, i, name)
            j += 1
            end = j
            continue
        if _END.match(line):
            break
        stripped = line.strip()
        if stripped in (python._CAUSE, python._CONTEXT):
            flush()
            relation = "raised-from" if stripped == python._CAUSE else "context"
            j += 1
            continue
        if _SEP.match(line):
            block = []
            j += 1
            continue
        m = _SHORT.match(line)
        if m:
            frame = RawFrame(doc.lines[j].strip("\n"), m.group("file"), to_int(m.group("line")),
                             None, m.group("func"))
            if j + 1 < n:
                nxt = prefix.strip(doc.lines[j + 1]) if prefix else doc.lines[j + 1]
                if nxt.startswith((" ", "\t")) and nxt.strip():
                    frame.source = nxt.strip()
            frames.append(frame)
            block = []
            j += 1
            end = j
            continue
        m = _LONG.match(line)
        if m and block and m.group("exc") in pytest_doctest.KINDS and name and name.startswith(
                pytest_doctest.SECTION):
            flush()
            location = RawFrame(doc.lines[j].strip("\n"), m.group("file"),
                                to_int(m.group("line")), None, None)
            for exc in pytest_doctest.failure(block, location, m.group("exc")):
                exc.extras["test"] = test
                exceptions.append(exc)
            block = []
            j += 1
            end = j
            continue
        if m and (block or e_lines):
            func = None
            source = None
            for text in block:
                d = _DEF.match(text)
                if d and func is None:
                    func = d.group("name")
                if _FAILURE_LINE.match(text):
                    source = text[1:].strip()
            frames.append(RawFrame(doc.lines[j].strip("\n"), m.group("file"),
                                   to_int(m.group("line")), None, func, source=source))
            if m.group("exc"):
                long_type = m.group("exc")
            block = []
            j += 1
            end = j
            continue
        em = _E_LINE.match(line)
        if em:
            e_lines.append(em.group("text") or "")
            j += 1
            end = j
            continue
        if name is None and not frames:
            break  # a short-format location with nothing before it and no section
        block.append(line)
        if len(block) > _MAX_BLOCK:
            break
        j += 1
    flush()
    if not exceptions or not any(e.frames for e in exceptions):
        return None
    return Parsed(exceptions, i, max(end, i + 1))


def _line_mode(doc: Doc, i: int, prefix: Prefix | None) -> Parsed | None:
    """The ``--tb=line`` lines under the FAILURES header at line ``i`` (None when what
    follows the header is no such line: a long or short report, started at its section)."""
    exceptions: list[RawException] = []
    j = i + 1
    while j < len(doc.lines):
        line = prefix.strip(doc.lines[j]) if prefix else doc.lines[j]
        m = _LINE_MODE.match(line)
        if m is None:
            break
        frame = RawFrame(doc.lines[j].strip("\n"), m.group("file"), to_int(m.group("line")),
                         None, None)
        rest = m.group("rest")
        t = _LINE_TYPE.match(rest)
        if t is not None:
            etype, message = t.group("type"), t.group("msg")
        else:
            etype, message = ("AssertionError" if rest.startswith("assert") else None), rest
        exceptions.append(RawException(etype, message, [frame], "pytest"))
        j += 1
    if not exceptions:
        return None
    _name_tests(doc, j, prefix, exceptions)
    return Parsed(exceptions, i, j)


def _name_tests(doc: Doc, j: int, prefix: Prefix | None,
                exceptions: list[RawException]) -> None:
    """The failing tests' ids, from the short summary after the ``--tb=line`` lines
    (``FAILED id - ...``, in the same order), when it names as many tests."""
    lines = [prefix.strip(t) if prefix else t for t in doc.lines[j:j + 2 + len(exceptions)]]
    if not lines or not _SUMMARY.match(lines[0]):
        return
    tests = [m.group("test") for m in map(_FAILED.match, lines[1:]) if m]
    if len(tests) == len(exceptions):
        for exc, test in zip(exceptions, tests):
            exc.extras["test"] = test


def _exception(e_lines: list[str], long_type: str | None, frames: list[RawFrame],
               relation: str | None) -> RawException:
    etype = long_type
    message: str | None = None
    if e_lines:
        first = e_lines[0]
        m = python._EXC.match(first)
        if m and (python._CAPITALISED.match(m.group("type")) or "." in m.group("type")):
            etype = etype or m.group("type")
            rest = [m.group("msg")] if m.group("msg") is not None else []
            message = "\n".join(rest + e_lines[1:]) or None
        else:
            if etype is None and first.startswith("assert"):
                etype = "AssertionError"
            message = "\n".join(e_lines)
    return RawException(etype, message, frames, "pytest", relation)


FORMAT = TraceFormat(
    name="pytest", language="python", start=START, parse=parse, names=python.names,
    hints=(("___ ",), (".py:", ": in "), (" FAILURES ",)),
    reference="pytest _pytest/_code/code.py (ReprEntry, ReprFileLocation)",
)
