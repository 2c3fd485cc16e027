"""pytest's reports of failing doctests (``--doctest-modules``, ``--doctest-glob``).

Reference: pytest ``_pytest/doctest.py`` (``DoctestItem.repr_failure``,
``ReprFailDoctest``). A failing doctest is a ``____ [doctest] name ____``
section: the docstring lines before the failing example, numbered
(``003     >>> f(0)``), then either

* ``UNEXPECTED EXCEPTION: Type(...)`` and the whole
  ``traceback.format_exception`` text of what the example raised, or
* how the output differed: ``Expected:`` / ``Got:`` blocks, or a unified,
  context or ndiff diff (``--doctest-report``); when the example expected
  one exception and got another, ``Got`` holds that exception's traceback,

and last a ``path:line: UnexpectedException`` (or ``DocTestFailure``) line
naming the example's first line. Those two types are the doctest runner's
wrappers: what went wrong is the embedded traceback, so that becomes the
exception. Its frames start at the example (the ``<doctest name[n]>`` frame,
pointed at the example's line in the docstring or text file, where the
repository has it); the ``doctest.py`` harness frames before it are dropped,
as pytest drops its own. A wrong output raised nothing: its exception has no
type and the difference as its message.
"""

from __future__ import annotations

import bisect
import re

from codemap.traces import python
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc

KINDS = ("UnexpectedException", "DocTestFailure")
SECTION = "[doctest] "

_NUMBERED = re.compile(r"^(?P<n>\d{3,}) (?P<text>.*)$")
_UNEXPECTED = re.compile(r"^UNEXPECTED EXCEPTION: (?P<type>[A-Za-z_][\w.]*)\(")
_EXAMPLE = re.compile(r"^<doctest (?P<name>.+)\[\d+\]>$")
_GOT = re.compile(r"^Got:\s*$")
_DIFF = re.compile(r"^Differences \((?P<kind>unified|ndiff|context)")
_SUMMARY = "short test summary info"
_FAILED = re.compile(r"\bFAILED (?P<test>\S+::\S+)")


def failure(block: list[str], location: RawFrame, kind: str) -> list[RawException]:
    """The exceptions of one failed example: ``block`` is the section's text before the
    ``path:line: kind`` line, ``location`` that line as a frame."""
    numbered = {}
    last = -1
    for k, line in enumerate(block):
        m = _NUMBERED.match(line)
        if m:
            numbered[int(m.group("n"))] = m.group("text").strip()
            last = k
    after = block[last + 1:]
    if location.line is not None:
        location.source = numbered.get(location.line) or None
    if kind == "UnexpectedException":
        found = _traceback(after)
        if found:
            return _from_example(found, location, numbered, "unexpected-exception")
        m = _UNEXPECTED.match(after[0]) if after else None
        return [RawException(m.group("type") if m else None, None, [location], "pytest",
                             extras={"doctest": "unexpected-exception"})]
    found = _traceback(_got(after))
    if found:
        return _from_example(found, location, numbered, "wrong-exception")
    message = "\n".join(after).strip("\n") or None
    return [RawException(None, message, [location], "pytest",
                         extras={"doctest": "wrong-output"})]


def _traceback(lines: list[str]) -> list[RawException] | None:
    """The Python traceback in ``lines``, if there is one."""
    for k, line in enumerate(lines):
        m = python._HEADER.match(line)
        if m:
            col = len(line) - len(line.lstrip())
            parsed = python.parse(Doc(lines[k:]), 0, col, 0)
            if parsed is not None and any(e.frames for e in parsed.exceptions):
                return parsed.exceptions
            return None
    return None


def _got(lines: list[str]) -> list[str]:
    """What the example printed, from an ``Expected:``/``Got:`` report or a diff (only
    the actual side of it), without the report's four-space indent."""
    for k, line in enumerate(lines):
        if _GOT.match(line):
            return [t[4:] if t.startswith("    ") else t for t in lines[k + 1:]]
        d = _DIFF.match(line)
        if d is None:
            continue
        body = [t[4:] for t in lines[k + 1:] if t.startswith("    ")]
        if d.group("kind") == "unified":
            return [t[1:] for t in body if t[:1] in (" ", "+") and not t.startswith("+++")]
        if d.group("kind") == "ndiff":
            return [t[2:] for t in body if t[:2] in ("  ", "+ ")]
        # context diff: the actual side follows the "--- a,b ----" marker
        marks = [n for n, t in enumerate(body) if t.startswith("--- ")]
        return [t[2:] for t in body[marks[-1] + 1:] if t[:2] in ("  ", "+ ", "! ")] if marks else []
    return []


def _from_example(exceptions: list[RawException], location: RawFrame,
                  numbered: dict[int, str], kind: str) -> list[RawException]:
    """Point each exception's ``<doctest name[n]>`` frame at the example's line in the file
    pytest named, and drop the doctest harness frames that called it."""
    for exc in exceptions:
        exc.format = "pytest"
        exc.extras["doctest"] = kind
        at = next((k for k, f in enumerate(exc.frames) if f.file and _EXAMPLE.match(f.file)),
                  None)
        if at is None:
            if exc is exceptions[-1]:
                exc.frames.insert(0, RawFrame(location.raw, location.file, location.line,
                                              source=location.source))
            continue
        frame = exc.frames[at]
        frame.extras["doctest"] = frame.file
        frame.file = location.file
        if location.line is not None:
            frame.line = location.line + (frame.line or 1) - 1
        frame.function = None  # "<module>" of the example, not of the file
        frame.source = frame.source or numbered.get(frame.line or 0) or location.source
        del exc.frames[:at]
    return exceptions


def test_id(doc: Doc, i: int, name: str) -> str:
    """The pytest node id of the doctest whose section starts at line ``i`` (the first
    ``FAILED path::name`` of the short summary after it), else the section's name."""
    summaries = doc.memo.get("pytest-summaries")
    if summaries is None:
        summaries = doc.memo["pytest-summaries"] = _summaries(doc)
    starts = [s for s, _ in summaries]
    k = bisect.bisect_right(starts, i)
    if k == len(summaries):
        return name
    wanted = "::" + name[len(SECTION):]
    hits = [t for t in summaries[k][1] if t.endswith(wanted)]
    return hits[0] if len(hits) == 1 else name


def _summaries(doc: Doc) -> list[tuple[int, list[str]]]:
    """(line, failed test ids) of each short test summary in ``doc``: one pass."""
    out: list[tuple[int, list[str]]] = []
    for k, line in enumerate(doc.lines):
        if _SUMMARY in line:
            out.append((k, []))
        elif out and "FAILED " in line:
            m = _FAILED.search(line)
            if m:
                out[-1][1].append(m.group("test"))
    return out
