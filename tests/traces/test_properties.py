"""Property-based tests: the parsers never raise, whatever the text, their answers
keep their invariants, and parse time grows linearly with the input, also on
hostile input (long lines, repeated trace starts, unterminated JSON strings).
"""

from __future__ import annotations

import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemap.pathmap import HOW_VALUES, PathMapper
from codemap.traces.detect import find_traces
from codemap.traces.service import map_traces
from tests.traces import samples

FRAGMENTS = [
    "Traceback (most recent call last):", '  File "shop/x.py", line 3, in f', "    f()",
    "           ~~~^^^", "ValueError: boom", "KeyError", "",
    "The above exception was the direct cause of the following exception:",
    "During handling of the above exception, another exception occurred:",
    "  + Exception Group Traceback (most recent call last):", "  | ValueError: x",
    "  +-+---------------- 1 ----------------", "    | Traceback (most recent call last):",
    "____ test_x ____", "E   ValueError: x", "shop/x.py:3: in f", "shop/x.py:3: ValueError",
    "_ _ _ _ _ _ _ _", "java.lang.IllegalStateException: x", "\tat a.b.C.d(C.java:1)",
    "Caused by: x.Y: z", "\tSuppressed: x.Y", "\t... 3 more", "\tat a.b.C.<init>(Native Method)",
    "TypeError: x", "    at f (/srv/app/x.js:1:2)", "    at async g (file:///x.mjs:3:4)",
    "    at new X (<anonymous>)", "  [cause]: Error: y", "}", "f@http://h/a.js:1:2",
    "async*g@http://h/b.js:3:4", "goroutine 1 [running]:", "main.main()", "\t/x/main.go:3 +0x1",
    "created by main.f in goroutine 1", "panic: boom", "#0 /x.php(3): f()", "#1 {main}",
    "Stack trace:", "  thrown in /x.php on line 3", "Next E: m in /x.php:4",
    "x.rb:1:in 'f': m (E)", "\tfrom x.rb:2:in '<main>'", "x.rb:1:in `f'",
    "thread 'main' panicked at src/x.rs:1:2:", "stack backtrace:", "   0: f",
    "             at ./src/x.rs:1:2", "   at N.C.M() in C:\\x\\F.cs:line 4",
    "   --- End of inner exception stack trace ---", "Unhandled exception. System.E: m ---> X.Y: z",
    '{"stack":"Error: x\\n    at f (a.js:1:2)"}', "at", "File", "#0", "@", ":1:in '",
]

SAMPLES = [getattr(samples, n) for n in dir(samples) if n.isupper()]


def _check_invariants(text: str) -> None:
    found = find_traces(text)
    previous_end = -1
    for trace in found:
        assert trace.exceptions
        assert previous_end < trace.first_line <= trace.last_line
        previous_end = trace.last_line
        for exc in trace.exceptions:
            for frame in exc.frames:
                assert frame.line is None or (isinstance(frame.line, int) and frame.line > 0)
                assert frame.column is None or frame.column > 0
                assert isinstance(frame.raw, str)
    files = ["shop/x.py", "src/x.rs", "x.rb", "a/b/C.java", "x.js"]
    report = map_traces(found, PathMapper(files, [("/srv/app", ".")]), lambda _p, _l: [])
    json.dumps(report.to_json())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    _check_invariants(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=30)), max_size=60),
       st.sampled_from(["", "web_1  | ", "2026-01-01T00:00:00.123Z stderr F ", "\t", "  | "]))
def test_never_raises_on_trace_like_text(lines: list[str], prefix: str) -> None:
    _check_invariants("\n".join(prefix + line for line in lines))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLES), st.integers(min_value=0, max_value=2000),
       st.integers(min_value=0, max_value=2000))
def test_truncated_and_cut_samples_never_raise(sample: str, start: int, stop: int) -> None:
    _check_invariants(sample[start:start + stop])


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_path_mapper_never_raises(raw: str) -> None:
    mapper = PathMapper(["pkg/mod.py", "src/App.js", "a/b/C.java"], [("/srv/app", ".")],
                        repo_root="/repo")
    assert mapper.map(raw).how in HOW_VALUES
    assert mapper.map_many([raw, raw])[0].how in HOW_VALUES


def _seconds(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        find_traces(text)
        best = min(best, time.perf_counter() - start)
    return best


def _linear(make, small: int, factor: int = 8, slack: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    """Time for ``factor`` times the input stays near ``factor`` times the time (a
    quadratic parser would take ``factor**2`` times; the slack absorbs a busy machine)."""
    # a shared, busy machine can stall any one measurement: a parser is judged
    # quadratic only when three measurements in a row say so
    for _attempt in range(3):
        t_small = _seconds(make(small))
        t_big = _seconds(make(small * factor))
        if t_big < max(t_small, 0.005) * factor * slack:
            return
    raise AssertionError((t_small, t_big))


NOISE = "\n".join(f"2026-01-01 10:00:{k % 60:02d},123 INFO [worker-{k % 7}] request {k} at "
                  f"/api/v1/items/{k} took {k % 90}ms" for k in range(40))
UNIT = "\n".join([NOISE, *SAMPLES, NOISE])


def test_parse_time_is_linear_on_logs() -> None:
    _linear(lambda n: "\n".join([UNIT] * n), 8)


HOSTILE_LINES = {
    "prose with at": "failed at step at " * 1000,
    "dotnet-like": "at Foo.Bar() in x in x " * 800,
    "underscores": "___ ___ " * 2000,
    "ruby-like": "x:1:in 'y' " * 1500,
    "php headers": "#0 a: b in c: d in " * 1000,
    "escaped": '"' + "\\n    at x" * 1500,
    "quotes": '\\"' * 5000 + "\\n    at f (a.js:1:2)",
    "firefox-like": "a@b@c@" * 2000 + "/x.js:1:2",
    "jvm-like": "at a.b(" + "a." * 3000,
    "python-like": 'File "' * 3000,
}


def test_hostile_long_lines_stay_linear() -> None:
    for name, line in HOSTILE_LINES.items():
        try:
            _linear(lambda n, line=line: line[: len(line) * n // 8], 1)
        except AssertionError as exc:
            raise AssertionError(f"{name}: {exc}") from None


REPEATED = [
    "   at Foo()", "goroutine 1 [running]:", "#0 {main}", "  File \"x.py\", line 1, in f",
    "\tat a.b.C.d(C.java:1)", "    at f (x.js:1:2)", "x.rb:1:in 'f'", "Caused by: a.B: c",
    "____ test ____", "stack backtrace:", "f@http://h/a.js:1:2", "forEach@[native code]",
]


def test_repeated_trace_starts_stay_linear() -> None:
    for line in REPEATED:
        try:
            _linear(lambda n, line=line: "\n".join([line] * n), 800)
        except AssertionError as exc:
            raise AssertionError(f"{line!r}: {exc}") from None
