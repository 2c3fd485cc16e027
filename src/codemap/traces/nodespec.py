"""The spec report of Node's test runner (``node --test --test-reporter=spec``).

The spec reporter (the default on a terminal, and on every output from Node
22) prints each failing test as a ``✖ name (1.2ms)`` line over the error as
``util.inspect`` prints it, a V8 trace read by
:mod:`codemap.traces.javascript`. Node 20 then repeats every failure in a
``✖ failing tests:`` recap, each under a ``test at file:line:col`` line.
:func:`spec_test` names the test of a trace; :func:`spec_repeat` spots a
recap entry that repeats a failure read before. Reference: Node's
``lib/internal/test_runner/reporter/spec.js``. The TAP report is
:mod:`codemap.traces.nodetest`.
"""

from __future__ import annotations

import re

from codemap.traces.model import RawException
from codemap.traces.text import Doc, Prefix

_SPEC_FAIL = re.compile(r"^\s*✖ (?P<name>.*?) \(\d+(?:\.\d+)?m?s\)\s*$")
SPEC_LOCATION = re.compile(r"^\s*test at (?P<loc>\S+:\d+:\d+)\s*$")


def spec_test(doc: Doc, first: int, floor: int, prefix: Prefix | None) -> tuple[str | None, str | None]:
    """(test name, test location) of a spec-reporter failure whose error header is at
    line ``first``: the ``✖ name (duration)`` line above it, and in the recap the
    ``test at file:line:col`` line above that."""
    if first - 1 < floor:
        return None, None
    line = doc.lines[first - 1]
    m = _SPEC_FAIL.match(prefix.strip(line) if prefix else line)
    if m is None:
        return None, None
    loc = None
    if first - 2 >= floor:
        line = doc.lines[first - 2]
        lm = SPEC_LOCATION.match(prefix.strip(line) if prefix else line)
        loc = lm.group("loc") if lm else None
    return m.group("name"), loc


def spec_repeat(doc: Doc, exceptions: list[RawException], location: str | None) -> None:
    """Drop the earlier copy of a failure the recap repeats.

    ``exceptions`` (one error and its causes, named after a spec test) are what a
    parse is about to answer. When they repeat a failure answered before and
    ``location`` says they are a recap entry, the earlier answer's list is emptied:
    the recap's copy stands for the test (it also knows the test's location), and
    the failure is reported once, where the recap lists it. Answers are remembered
    per input (``doc.memo``).
    """
    seen: dict[tuple[object, ...], list[RawException]] = doc.memo.setdefault("node-spec-failures", {})
    key = (exceptions[0].extras.get("test"), tuple(
        (exc.type, exc.message, tuple(frame.raw.strip() for frame in exc.frames))
        for exc in exceptions))
    earlier = seen.get(key)
    seen[key] = exceptions
    if earlier is not None and location is not None and earlier is not exceptions:
        earlier.clear()
