"""Node's test runner (``node --test``): its TAP report, and the spec report's test names.

Node 20 prints TAP whenever stdout is not a terminal, so every CI log of
``node --test`` holds TAP: each failing test is a ``not ok N - name`` line
followed by a YAML block (``---`` to ``...``) whose ``error`` is the message
(a quoted scalar or a ``|-`` block), ``name`` the error's class (left out
when it is plain ``Error``), ``location`` where the test is declared and
``stack`` a ``|-`` block of the V8 frames without their ``at ``. Nested tests
are indented under their parent's ``# Subtest:`` line. Reference: Node's
``lib/internal/test_runner/reporter/tap.js`` (``jsToYaml``; frames are the
stack's ``    at `` lines with that prefix cut). A suite that failed only
because its tests failed (``failureType: 'subtestsFailed'``) and tests
cancelled because their parent failed are no failures of their own.

The spec reporter prints V8 traces instead: :mod:`codemap.traces.nodespec`.
"""

from __future__ import annotations

import re

from codemap.traces import javascript
from codemap.traces.base import Parsed, TraceFormat
from codemap.traces.model import RawException, RawFrame
from codemap.traces.text import Doc, Prefix

START = r"(?:^|\s)not ok \d+\b"

_NOT_OK = re.compile(r"^(?P<indent>\s*)not ok \d+(?: - (?P<name>.*?))?(?P<directive>\s+#\s+(?:TODO|SKIP)\b.*)?\s*$",
                     re.IGNORECASE)
# searched (not matched): a CI log puts a timestamp before every line; the depth is
# the run of blanks before the TAP text, the same for all lines behind the same prefix
_SUBTEST = re.compile(r"(?P<indent>(?:^|[ \t])[ \t]*)# Subtest: (?P<name>.*?)\s*$")
_RESULT = re.compile(r"(?P<indent>(?:^|[ \t])[ \t]*)(?P<not>not )?ok \d+(?: - |\s*$)")
_KEY = re.compile(r"^(?P<key>[\w$-]+):(?: (?P<value>.*?))?\s*$")
_BLOCK = re.compile(r"^[|>][-+]?\d?$")
_NOT_OWN = {"subtestsFailed", "cancelledByParent"}  # failures caused by other tests
_MAX_BLOCK = 5000


def _scalar(value: str) -> str:
    """A YAML flow scalar as Node's ``jsToYaml`` writes it (quoted or plain)."""
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        import json

        try:
            return str(json.loads(value))
        except ValueError:
            return value[1:-1]
    return value


def _unescape_name(name: str) -> str:
    """A TAP test name (Node escapes ``\\``, ``#`` and line breaks in it)."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "r": "", "t": "\t"}.get(m.group(1), m.group(1)), name)


def _block(lines: list[str], k: int, indent: int) -> tuple[dict[str, str], int]:
    """The YAML mapping at column ``indent`` from line ``k`` to its ``...`` line:
    (key -> text, index after the block). Nested mappings (``expected:``) are skipped."""
    out: dict[str, str] = {}
    n = min(len(lines), k + _MAX_BLOCK)
    while k < n:
        line = lines[k]
        if line[:indent].strip():
            return out, k  # back at the result's own indentation
        body = line[indent:]
        if body.rstrip() == "...":
            return out, k + 1
        if not body.strip() or body[:1].isspace():
            k += 1  # a nested mapping's line
            continue
        m = _KEY.match(body)
        if m is None:
            return out, k
        key, value = m.group("key"), m.group("value") or ""
        k += 1
        if _BLOCK.match(value):
            text: list[str] = []
            inner: int | None = None
            while k < n:
                raw = lines[k]
                if raw.strip() and (len(raw) - len(raw.lstrip()) <= indent):
                    break
                if raw.strip() and inner is None:
                    inner = len(raw) - len(raw.lstrip())
                text.append(raw[inner:] if inner is not None and raw.strip() else "")
                k += 1
            while text and not text[-1]:
                text.pop()
            out[key] = "\n".join(text)
        elif value:
            out[key] = _scalar(value)
    return out, k


def _parents(doc: Doc, i: int) -> tuple[str, ...]:
    """The names of the tests and suites enclosing the result at line ``i`` (outermost
    first), from one pass over the whole report, made once per input."""
    table = doc.memo.get("node-tap-parents")
    if table is None:
        table = doc.memo["node-tap-parents"] = _parent_table(doc)
    return table.get(i, ())


def _parent_table(doc: Doc) -> dict[int, tuple[str, ...]]:
    table: dict[int, tuple[str, ...]] = {}
    stack: list[tuple[int, str]] = []
    for k, line in enumerate(doc.lines):
        if "ok " not in line and "# Subtest" not in line:
            continue
        sm = _SUBTEST.search(line)
        if sm:
            depth = len(sm.group("indent"))
            while stack and stack[-1][0] >= depth:
                stack.pop()
            stack.append((depth, _unescape_name(sm.group("name"))))
            continue
        rm = _RESULT.search(line)
        if rm is None:
            continue
        depth = len(rm.group("indent"))
        while stack and stack[-1][0] > depth:
            stack.pop()
        if rm.group("not"):
            table[k] = tuple(name for d, name in stack if d < depth)
        if stack and stack[-1][0] == depth:
            stack.pop()
    return table


def parse(doc: Doc, i: int, col: int, floor: int) -> Parsed | None:
    prefix = Prefix.learn(doc.lines[i], col)
    lines = [prefix.strip(line) for line in doc.lines[i:i + _MAX_BLOCK]] if prefix else (
        doc.lines[i:i + _MAX_BLOCK])
    m = _NOT_OK.match(lines[0])
    if m is None or m.group("directive") or len(lines) < 2:
        return None
    indent = len(m.group("indent")) + 2
    if lines[1][:indent].strip() or lines[1][indent:].rstrip() != "---":
        return None
    fields, end = _block(lines, 2, indent)
    if fields.get("failureType") in _NOT_OWN or not (fields.get("error") or fields.get("stack")):
        return None
    frames: list[RawFrame] = []
    for raw in fields.get("stack", "").split("\n"):
        text = raw.strip()
        if not text:
            continue
        frame = javascript.parse_frame("at " + text if not text.startswith("at ") else text, raw)
        if frame is not None:
            frames.append(frame)
    frames.reverse()  # printed innermost first
    etype = fields.get("name") or ("Error" if frames else None)
    exc = RawException(etype, fields.get("error") or None, frames, "node-test")
    name = _unescape_name(m.group("name") or "")
    if name:
        exc.extras["test"] = " > ".join((*_parents(doc, i), name))
    if fields.get("location"):
        exc.extras["test_location"] = fields["location"]
    return Parsed([exc], i, i + end)


FORMAT = TraceFormat(
    name="node-test", language="javascript", start=START, parse=parse,
    names=javascript.FORMAT.names, hints=(("not ok ",),),
    reference="https://nodejs.org/api/test.html#test-reporters",
    source_maps=True,
)
