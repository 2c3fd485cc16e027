"""Every command fed bad input: one stderr line and exit 2, or exit 0 with an
empty answer where the contract says nothing found is an answer.

The cases are named ``<command>-<case>``, so
``pytest --collect-only -q tests/hardening/test_hostile_inputs.py`` lists
every hostile-input test per command. Each run has a time limit (a hang
fails the test instead of blocking the suite).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from codemap.cli.main import COMMANDS
from tests.hardening.fixture import EVIL_FILE, Fixture
from tests.hardening.runner import Run, assert_one_line_error, invoke, unsafe_characters

TIME_LIMIT = 30  # seconds for one run; most take well under one


@dataclass(frozen=True)
class Inputs:
    """The fixture repository plus bad files and directories outside it."""

    fx: Fixture
    missing: str
    empty: str
    binary: str
    huge_line: str
    prose: str
    directory: str
    plain_dir: str  # a directory that is not in git, with no code
    not_empty: str  # a directory with a file in it
    tour_array: str
    unwritable: str


@pytest.fixture(scope="module")
def inputs(quiet: Fixture) -> Inputs:
    out = quiet.outside
    (out / "empty.txt").write_bytes(b"")
    (out / "binary.bin").write_bytes(bytes(range(256)) * 64 + b"\0" * 1024)
    (out / "huge.txt").write_bytes(b"x" * 4_000_000 + b" at " * 100_000)
    (out / "prose.txt").write_text("Nothing failed today.\nAll good; see you tomorrow.\n")
    (out / "a-dir").mkdir()
    (out / "plain").mkdir()
    (out / "full").mkdir()
    (out / "full" / "keep.txt").write_text("x\n")
    (out / "array.tour").write_text("[1, 2, 3]\n")
    return Inputs(quiet, str(out / "missing.txt"), str(out / "empty.txt"),
                  str(out / "binary.bin"), str(out / "huge.txt"), str(out / "prose.txt"),
                  str(out / "a-dir"), str(out / "plain"), str(out / "full"),
                  str(out / "array.tour"), "/proc/codemap-no-such-dir/out.file")


class Hung(BaseException):
    """Not an Exception, so no handler in codemap can swallow it."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: Any) -> None:
        raise Hung(f"no answer after {seconds}s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


ERROR = "error"
Args = Callable[[Inputs], list[str]]
Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Case:
    id: str
    args: Args
    expect: str | Check = ERROR  # ERROR, or a check of the (empty) JSON answer
    stdin: bytes | None = None


def R(i: Inputs) -> list[str]:
    return ["--repo", str(i.fx.root)]


def err(id: str, args: Args, stdin: bytes | None = None) -> Case:
    return Case(id, args, ERROR, stdin)


def empty(id: str, args: Args, check: Check) -> Case:
    return Case(id, args, check)


TRACE = b'Traceback (most recent call last):\n  File "/srv/app/shop/orders.py", line 21, ' \
        b'in load_order\n    boom()\nValueError: x\n'

CASES: list[Case] = [
    # index
    err("index-missing-repo", lambda i: ["index", "--repo", i.missing]),
    err("index-repo-is-a-file", lambda i: ["index", "--repo", i.empty]),
    err("index-export-to-a-directory", lambda i: ["index", *R(i), "--export", i.directory]),
    err("index-export-unwritable", lambda i: ["index", *R(i), "--export", i.unwritable]),
    err("index-import-missing", lambda i: ["index", *R(i), "--import", i.missing]),
    err("index-import-binary", lambda i: ["index", *R(i), "--import", i.binary]),
    err("index-import-empty", lambda i: ["index", *R(i), "--import", i.empty]),
    err("index-import-directory", lambda i: ["index", *R(i), "--import", i.directory]),
    err("index-export-and-import", lambda i: ["index", *R(i), "--export", i.missing,
                                              "--import", i.binary]),
    err("index-unknown-option", lambda i: ["index", *R(i), "--frobnicate"]),
    empty("index-empty-directory", lambda i: ["index", "--repo", i.plain_dir],
          lambda d: d["files"] == 0 and d["symbols"] == 0),
    # at
    err("at-missing-file", lambda i: ["at", "nowhere.py:3", *R(i)]),
    err("at-no-line", lambda i: ["at", "shop/orders.py", *R(i)]),
    err("at-line-zero", lambda i: ["at", "shop/orders.py:0", *R(i)]),
    err("at-negative-line", lambda i: ["at", "shop/orders.py:-4", *R(i)]),
    err("at-directory", lambda i: ["at", "shop:3", *R(i)]),
    err("at-too-many-digits", lambda i: ["at", "shop/orders.py:" + "9" * 5000, *R(i)]),
    err("at-line-beyond-64-bits", lambda i: ["at", "shop/orders.py:" + "9" * 20, *R(i)]),
    err("at-superscript-digit", lambda i: ["at", "shop/orders.py:\u00b2", *R(i)]),
    err("at-nul-byte", lambda i: ["at", "shop/orders.py\x00:3", *R(i)]),
    err("at-empty", lambda i: ["at", "", *R(i)]),
    err("at-missing-argument", lambda i: ["at", *R(i)]),
    err("at-line-past-the-end", lambda i: ["at", "shop/__init__.py:999999", *R(i)]),
    empty("at-binary-file", lambda i: ["at", "assets/logo.png:1", *R(i)],
          lambda d: d["symbol"] is None),
    err("at-not-a-repo", lambda i: ["at", "x.py:1", "--repo", i.missing]),
    # find
    err("find-empty-query", lambda i: ["find", "", *R(i)]),
    err("find-limit-zero", lambda i: ["find", "x", "--limit", "0", *R(i)]),
    err("find-limit-negative", lambda i: ["find", "x", "--limit", "-3", *R(i)]),
    err("find-limit-not-a-number", lambda i: ["find", "x", "--limit", "many", *R(i)]),
    empty("find-no-match", lambda i: ["find", "qqqzzzxxxwww", *R(i)],
          lambda d: isinstance(d["matches"], list)),
    empty("find-huge-query", lambda i: ["find", "load" * 50_000, *R(i)],
          lambda d: isinstance(d["matches"], list)),
    empty("find-control-characters", lambda i: ["find", "\x1b]0;pwned\x07\x9b", *R(i)],
          lambda d: isinstance(d["matches"], list)),
    # trace
    err("trace-missing-file", lambda i: ["trace", i.missing, *R(i)]),
    err("trace-directory", lambda i: ["trace", i.directory, *R(i)]),
    err("trace-empty-file", lambda i: ["trace", i.empty, *R(i)]),
    err("trace-binary-file", lambda i: ["trace", i.binary, *R(i)]),
    err("trace-no-trace-in-prose", lambda i: ["trace", i.prose, *R(i)]),
    err("trace-huge-line", lambda i: ["trace", i.huge_line, *R(i)]),
    err("trace-empty-stdin", lambda i: ["trace", "-", *R(i)], b""),
    err("trace-binary-stdin", lambda i: ["trace", "-", *R(i)], b"\0\1\2\3" * 1000),
    err("trace-nonexistent-rev", lambda i: ["trace", "-", "--rev", "no-such-rev", *R(i)], TRACE),
    err("trace-bad-since", lambda i: ["trace", "-", "--since", "last tuesday", *R(i)], TRACE),
    err("trace-bad-map", lambda i: ["trace", "-", "--map", "no-equals-sign", *R(i)], TRACE),
    err("trace-map-without-from", lambda i: ["trace", "-", "--map", "=shop", *R(i)], TRACE),
    err("trace-missing-coverage", lambda i: ["trace", "-", "--coverage", i.missing, *R(i)],
        TRACE),
    err("trace-binary-coverage", lambda i: ["trace", "-", "--coverage", i.binary, *R(i)],
        TRACE),
    err("trace-missing-repo", lambda i: ["trace", "-", "--repo", i.missing], TRACE),
    # graph
    err("graph-missing-repo", lambda i: ["graph", "--repo", i.missing]),
    err("graph-repo-is-a-file", lambda i: ["graph", "--repo", i.binary]),
    empty("graph-empty-directory", lambda i: ["graph", "--repo", i.plain_dir],
          lambda d: d["symbols"] == [] and d["edges"] == []),
    # callers / callees
    empty("callers-nonexistent-symbol", lambda i: ["callers", "no_such_function", *R(i)],
          lambda d: d["symbol"] is None and d.get("callers", []) == []),
    err("callers-negative-depth", lambda i: ["callers", "boom", "--depth", "-1", *R(i)]),
    empty("callers-missing-file-line", lambda i: ["callers", "nowhere.py:3", *R(i)],
          lambda d: d["symbol"] is None),
    empty("callers-line-beyond-64-bits", lambda i: ["callers", "shop/orders.py:" + "9" * 20,
                                                    *R(i)], lambda d: d["symbol"] is None),
    empty("callers-huge-depth", lambda i: ["callers", "boom", "--depth", "1000000", *R(i)],
          lambda d: d["symbol"]["name"] == "boom"),
    empty("callees-nonexistent-symbol", lambda i: ["callees", "Nope.nope", *R(i)],
          lambda d: d["symbol"] is None and d.get("callees", []) == []),
    err("callees-depth-not-a-number", lambda i: ["callees", "boom", "--depth", "x", *R(i)]),
    empty("callees-line-past-the-end", lambda i: ["callees", "shop/orders.py:99999", *R(i)],
          lambda d: d["symbol"] is None),
    empty("callees-too-many-digits", lambda i: ["callees", "shop/orders.py:" + "1" * 5000, *R(i)],
          lambda d: d["symbol"] is None),
    err("callees-missing-repo", lambda i: ["callees", "boom", "--repo", i.missing]),
    # paths
    err("paths-missing-to", lambda i: ["paths", *R(i)]),
    empty("paths-nonexistent-target", lambda i: ["paths", "--to", "no_such_fn", *R(i)],
          lambda d: d["paths"] == []),
    empty("paths-nonexistent-source", lambda i: ["paths", "--from", "no_such_fn", "--to", "boom",
                                                 *R(i)], lambda d: d["paths"] == []),
    err("paths-max-zero", lambda i: ["paths", "--to", "boom", "--max", "0", *R(i)]),
    err("paths-negative-max-length", lambda i: ["paths", "--to", "boom", "--max-length", "-2",
                                                *R(i)]),
    # endpoints / endpoint
    err("endpoints-missing-repo", lambda i: ["endpoints", "--repo", i.missing]),
    empty("endpoints-empty-directory", lambda i: ["endpoints", "--repo", i.plain_dir],
          lambda d: d["endpoints"] == []),
    err("endpoint-empty-request", lambda i: ["endpoint", "", *R(i)]),
    err("endpoint-garbage", lambda i: ["endpoint", "hello world how are you", *R(i)]),
    empty("endpoint-control-characters", lambda i: ["endpoint", "GET /\x1b]0;pwned\x07",
                                                    *R(i)], lambda d: d["matches"] == []),
    err("endpoint-huge-path", lambda i: ["endpoint", "GET /" + "a/" * 200_000, *R(i)]),
    empty("endpoint-no-match", lambda i: ["endpoint", "DELETE /nothing/here", *R(i)],
          lambda d: d["matches"] == []),
    # who
    err("who-missing-file", lambda i: ["who", "nowhere.py", *R(i)]),
    err("who-nonexistent-symbol", lambda i: ["who", "no_such_symbol_anywhere", *R(i)]),
    err("who-reversed-range", lambda i: ["who", "shop/orders.py:9-3", *R(i)]),
    err("who-line-past-the-end", lambda i: ["who", "shop/orders.py:5000", *R(i)]),
    err("who-too-many-digits", lambda i: ["who", "shop/orders.py:" + "1" * 5000, *R(i)]),
    err("who-line-beyond-64-bits", lambda i: ["who", "shop/orders.py:" + "9" * 20, *R(i)]),
    err("who-empty-target", lambda i: ["who", "", *R(i)]),
    err("who-not-a-repo", lambda i: ["who", "keep.txt", "--repo", i.not_empty]),
    err("who-binary-file", lambda i: ["who", "assets/logo.png", *R(i)]),
    err("who-outside-the-repo", lambda i: ["who", i.prose, *R(i)]),
    # history
    err("history-missing-file", lambda i: ["history", "nowhere.py", *R(i)]),
    err("history-limit-zero", lambda i: ["history", "shop/orders.py", "--limit", "0", *R(i)]),
    err("history-not-a-repo", lambda i: ["history", "keep.txt", "--repo", i.not_empty]),
    err("history-reversed-range", lambda i: ["history", "shop/orders.py:9-3", *R(i)]),
    err("history-too-many-digits", lambda i: ["history", "shop/orders.py:" + "1" * 5000, *R(i)]),
    empty("history-untracked-file", lambda i: ["history", "notes.txt", *R(i)],
          lambda d: d["commits"] == []),
    # show
    err("show-unknown-revision", lambda i: ["show", "no-such-rev", *R(i)]),
    err("show-option-like-revision", lambda i: ["show", "--", "--output=x", *R(i)]),
    err("show-not-a-repo", lambda i: ["show", "HEAD", "--repo", i.not_empty]),
    # coverage
    err("coverage-missing-data", lambda i: ["coverage", "--coverage", i.missing, *R(i)]),
    err("coverage-data-is-a-directory", lambda i: ["coverage", "--coverage", i.directory, *R(i)]),
    err("coverage-binary-data", lambda i: ["coverage", "--coverage", i.binary, *R(i)]),
    err("coverage-empty-data", lambda i: ["coverage", "--coverage", i.empty, *R(i)]),
    err("coverage-prose-data", lambda i: ["coverage", "--coverage", i.prose, *R(i)]),
    err("coverage-nonexistent-target", lambda i: ["coverage", "no_such_symbol", *R(i)]),
    err("coverage-too-many-digits", lambda i: ["coverage", "shop/orders.py:" + "1" * 5000,
                                               *R(i)]),
    err("coverage-line-beyond-64-bits", lambda i: ["coverage", "shop/orders.py:" + "9" * 20,
                                                   *R(i)]),
    err("coverage-no-data-found", lambda i: ["coverage", "--repo", i.not_empty]),
    # tour
    err("tour-json-and-markdown", lambda i: ["tour", "--json", "--markdown", *R(i)]),
    err("tour-codetour-to-a-directory", lambda i: ["tour", "--codetour", i.directory, *R(i)]),
    err("tour-codetour-unwritable", lambda i: ["tour", "--codetour", i.unwritable, *R(i)]),
    err("tour-check-missing", lambda i: ["tour", "--check", i.missing, *R(i)]),
    err("tour-check-binary", lambda i: ["tour", "--check", i.binary, *R(i)]),
    err("tour-check-empty", lambda i: ["tour", "--check", i.empty, *R(i)]),
    err("tour-check-not-a-tour", lambda i: ["tour", "--check", i.tour_array, *R(i)]),
    err("tour-check-huge-line", lambda i: ["tour", "--check", i.huge_line, *R(i)]),
    err("tour-negative-stops", lambda i: ["tour", "--stops", "-1", *R(i)]),
    err("tour-months-not-a-number", lambda i: ["tour", "--months", "soon", *R(i)]),
    err("tour-missing-repo", lambda i: ["tour", "--repo", i.missing]),
    # review
    err("review-no-range", lambda i: ["review", *R(i)]),
    err("review-nonexistent-revision", lambda i: ["review", "nosuch..HEAD", *R(i)]),
    err("review-nonexistent-branch", lambda i: ["review", "--branch", "no-such-branch", *R(i)]),
    err("review-garbage-range", lambda i: ["review", "....", *R(i)]),
    err("review-option-as-revision", lambda i: ["review", "--output=x..HEAD", *R(i)]),
    err("review-not-a-repo", lambda i: ["review", "HEAD~1..HEAD", "--repo", i.not_empty]),
    err("review-limit-zero", lambda i: ["review", "HEAD~1..HEAD", "--limit", "0", *R(i)]),
    err("review-binary-coverage", lambda i: ["review", "HEAD~1..HEAD", "--coverage", i.binary,
                                             *R(i)]),
    # demo
    err("demo-dir-is-a-file", lambda i: ["demo", "--no-ui", "--dir", i.prose]),
    err("demo-dir-not-empty", lambda i: ["demo", "--no-ui", "--dir", i.not_empty]),
    err("demo-dir-unwritable", lambda i: ["demo", "--no-ui", "--dir", i.unwritable]),
    err("demo-ui-without-a-terminal", lambda i: ["demo"]),
]


def test_every_command_has_a_hostile_input_case() -> None:
    commands = {c.id.split("-", 1)[0] for c in CASES}
    assert commands == set(COMMANDS)
    assert len({c.id for c in CASES}) == len(CASES)


def _run(case: Case, inputs: Inputs, extra: list[str]) -> Run:
    with time_limit(TIME_LIMIT):
        return invoke(case.args(inputs) + extra, stdin=case.stdin)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case: Case, inputs: Inputs) -> None:
    if case.expect == ERROR:
        run = _run(case, inputs, [])
        assert_one_line_error(run)
        if "--json" not in run.args and case.id.split("-", 1)[0] != "demo":
            assert_one_line_error(_run(case, inputs, ["--json"]))
        return
    run = _run(case, inputs, ["--json"])
    assert run.code == 0 and run.exception is None, run.describe()
    assert "Traceback" not in run.err_text, run.describe()
    assert not unsafe_characters(run.err), run.describe()
    assert case.expect(run.json()), run.describe()  # type: ignore[operator]
    text = _run(case, inputs, [])
    assert text.code == 0 and not unsafe_characters(text.out), text.describe()


def test_a_hostile_file_name_as_target_is_answered(inputs: Inputs) -> None:
    """The hostile file's own name works as a TARGET and PATH:LINE argument."""
    for args in (["at", f"{EVIL_FILE}:6"], ["who", EVIL_FILE], ["history", f"{EVIL_FILE}:5-6"],
                 ["callees", f"{EVIL_FILE}:6"]):
        run = _run(Case("x", lambda i, a=args: a + R(i)), inputs, ["--json"])
        assert run.code == 0, run.describe()
        assert not unsafe_characters(run.err)


def test_unknown_command_is_one_line(inputs: Inputs) -> None:
    assert_one_line_error(invoke(["frobnicate"]))
    assert_one_line_error(invoke(["--repo", inputs.missing, "frobnicate"]))

