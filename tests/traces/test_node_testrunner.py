"""Node's own test runner (``node --test``) and errors whose message holds blank lines,
read from output made by running node here.

Under node 20, ``node --test`` prints TAP whenever stdout is not a terminal (every
CI log); ``--test-reporter=spec`` prints V8 traces under ``✖ name`` lines and
repeats each failure in a ``failing tests`` recap. ``assert`` failures (and any
error whose message has an empty line) put a blank line between the error's header
and its frames.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from codemap.traces.detect import find_traces
from codemap.traces.model import RawException

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")

TESTS = """\
const test = require('node:test');
const assert = require('node:assert');
function helper(x) { return x.name.length; }
test('plain ok', () => {});
test('type error', () => { helper(null); });
test.describe('suite one', () => {
  test.it('inner assert', () => { assert.strictEqual(1 + 1, 3); });
  test.describe('deeper', () => {
    test.it('deep fail', async () => { await Promise.resolve(); throw new RangeError('bad\\n\\nrange'); });
  });
});
test('throws string', () => { throw 'just a string'; });
test('caused', () => { throw new Error('outer', { cause: new TypeError('inner') }); });
"""
# the failing tests: name (TAP id), type, message, line of the test, innermost frame line
EXPECTED = [
    ("type error", "TypeError", "Cannot read properties of null (reading 'name')", 5, 3),
    ("suite one > inner assert", "AssertionError", "Expected values to be strictly equal:\n\n2 !== 3",
     7, 7),
    ("suite one > deeper > deep fail", "RangeError", "bad\n\nrange", 9, 9),
    ("throws string", None, "just a string", 12, None),
    ("caused", "Error", "outer", 13, 13),
]


def _run(tmp_path: Path, *args: str) -> str:
    (tmp_path / "app.test.js").write_text(TESTS)
    proc = subprocess.run(["node", "--test", *args, "app.test.js"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    return proc.stdout


def _exceptions(text: str) -> list[RawException]:
    return [exc for trace in find_traces(text) for exc in trace.exceptions]


def test_node_tap_report_gives_one_exception_per_failing_test(tmp_path: Path) -> None:
    out = _run(tmp_path)
    assert out.startswith("TAP version")
    excs = _exceptions(out)
    assert [(e.extras.get("test"), e.type, e.message) for e in excs] == [
        (name, etype, msg) for name, etype, msg, _, _ in EXPECTED]
    for exc, (_, _, _, test_line, frame_line) in zip(excs, EXPECTED, strict=True):
        assert exc.extras["test_location"] == f"{tmp_path / 'app.test.js'}:{test_line}:" + (
            exc.extras["test_location"].rsplit(":", 1)[1])
        assert exc.format == "node-test"
        if frame_line is None:
            assert exc.frames == []
            continue
        in_test = [f for f in exc.frames if f.file == str(tmp_path / "app.test.js")]
        assert in_test[-1] is exc.frames[-1]  # call order: the raising frame last
        assert in_test[-1].line == frame_line
    helper = excs[0].frames[-1]
    assert (helper.function, helper.line, helper.column) == ("helper", 3, 31)
    assert any(f.extras.get("async") for f in excs[2].frames)


def test_node_tap_report_behind_a_ci_log_prefix(tmp_path: Path) -> None:
    out = _run(tmp_path)
    logged = "".join(f"2024-05-01T10:00:{k % 60:02d}.1234567Z {line}\n"
                     for k, line in enumerate(out.splitlines()))
    excs = _exceptions(logged)
    assert [(e.extras.get("test"), e.type, e.message) for e in excs] == [
        (name, etype, msg) for name, etype, msg, _, _ in EXPECTED]
    assert excs[0].frames[-1].function == "helper"


def test_node_spec_report_gives_one_exception_per_failing_test(tmp_path: Path) -> None:
    out = _run(tmp_path, "--test-reporter=spec")
    assert "failing tests:" in out and "test at app.test.js:5:1" in out
    excs = _exceptions(out)
    own = [e for e in excs if e.relation is None]
    # the spec report names the test alone (no suites), and prints no error for a string
    assert [(e.extras.get("test"), e.type, e.message) for e in own] == [
        (name.rsplit(" > ", 1)[-1], etype, msg) for name, etype, msg, _, _ in EXPECTED if etype]
    assert [e.extras.get("test_location") for e in own] == [
        f"app.test.js:{line}:" + e.extras["test_location"].rsplit(":", 1)[1]
        for (_, etype, _, line, _), e in zip([x for x in EXPECTED if x[1]], own, strict=True)]
    cause = excs[-1]
    assert (cause.relation, cause.type, cause.message) == ("cause", "TypeError", "inner")
    assert all(e.type for e in excs)  # no "test at file:line:col" read as a frame


def test_error_message_with_blank_lines(tmp_path: Path) -> None:
    script = tmp_path / "boom.js"
    script.write_text("function fail() { throw new Error('line one\\n\\nline two'); }\nfail();\n")
    proc = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    [exc] = _exceptions(proc.stderr)
    assert (exc.type, exc.message) == ("Error", "line one\n\nline two")
    assert [(f.function, f.line) for f in exc.frames if f.file == str(script)] == [
        ("Object.<anonymous>", 2), ("fail", 1)]


def test_node_assert_failure_keeps_its_type_and_message(tmp_path: Path) -> None:
    proc = subprocess.run(["node", "-e", "require('assert').strictEqual(500, 200)"],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert "\n\n500 !== 200\n" in proc.stderr
    [exc] = _exceptions(proc.stderr)
    # the blank line between the message and the frames is no part of the message
    assert (exc.type, exc.message) == ("AssertionError",
                                       "Expected values to be strictly equal:\n\n500 !== 200")
    assert exc.frames[-1].file == "[eval]"
