"""Suspects of chained exceptions: the root cause's raising frame leads, and a frame
printed in several exceptions of the chain is one piece of evidence."""

from __future__ import annotations

import os
import subprocess
import sys

from codemap import api
from codemap.history.suspects import cause_levels
from tests.conftest import GitRepoBuilder

PARSE_V1 = "def parse(text):\n    return int(text)\n"
PARSE_V2 = "def parse(text):\n    return int(text.strip('#'))\n"
SERVICE_V1 = (
    "from shop.parse import parse\n"
    "\n"
    "\n"
    "class ServiceError(Exception):\n"
    "    pass\n"
    "\n"
    "\n"
    "def load(text):\n"
    "    try:\n"
    "        return parse(text)\n"
    "    except ValueError as exc:\n"
    "        raise ServiceError('bad input') from exc\n"
)
SERVICE_V2 = SERVICE_V1.replace("'bad input'", "f'bad input {text!r}'")
MAIN = (
    "from shop.service import load\n"
    "\n"
    "\n"
    "def main():\n"
    "    return load('#x')\n"
    "\n"
    "\n"
    "main()\n"
)


def test_cause_levels_count_the_causes_below_each_exception() -> None:
    # JVM / Node / .NET: the wrapper first, then "Caused by:" each deeper cause
    assert cause_levels([None, "cause", "cause"]) == [2, 1, 0]
    # Python: the root cause first, then each exception raised from the one before
    assert cause_levels([None, "raised-from", "raised-from"]) == [0, 1, 2]
    # raised while handling another, suppressed, grouped, other goroutines: no cause
    assert cause_levels([None, "context"]) == [0, 0]
    assert cause_levels([None, "suppressed", "cause"]) == [0, 1, 0]
    assert cause_levels([None, "goroutine", "group"]) == [0, 0, 0]
    assert cause_levels([]) == []


def _crash(b: GitRepoBuilder) -> str:
    proc = subprocess.run([sys.executable, "main.py"], cwd=b.root, capture_output=True,
                          text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "The above exception was the direct cause" in proc.stderr, proc.stderr
    return proc.stderr


def test_the_root_causes_raising_line_outranks_the_wrappers(git_repo: GitRepoBuilder) -> None:
    b = git_repo
    b.write("shop/__init__.py", "")
    b.write("shop/parse.py", PARSE_V1)
    b.write("shop/service.py", SERVICE_V1)
    b.write("main.py", MAIN)
    b.commit("Order service", author="Ana Lee <ana@example.com>",
             date="2026-05-01T10:00:00+00:00")
    b.write("shop/parse.py", PARSE_V2)
    root_cause = b.commit("Parse: accept #-prefixed ids", author="Raj Ops <raj@example.com>",
                          date="2026-06-01T10:00:00+00:00")
    b.write("shop/service.py", SERVICE_V2)
    rethrow = b.commit("Service: say which input was bad", author="Mia Web <mia@example.com>",
                       date="2026-06-01T11:00:00+00:00")  # the newer of the two
    report = api.trace(_crash(b), str(b.root))
    assert [e.relation for e in report.exceptions] == [None, "raised-from"]
    order = [s.sha for s in report.suspects]
    assert order[0] == root_cause, [(s.summary, s.score) for s in report.suspects]
    assert rethrow in order
    top, wrapper = report.suspects[0], report.suspects[order.index(rethrow)]
    assert top.score > wrapper.score
    assert any(r == "changed line 2 of shop/parse.py (raising frame)" for r in top.reasons)
    # the wrapper's raise weighs as a caller of the failure it wraps
    assert any(r.startswith("changed line 12 of shop/service.py (frame 1") for r in wrapper.reasons)
    # main.py's frames are printed in both tracebacks: one reason each, not two
    first = [s for s in report.suspects if s.sha not in (root_cause, rethrow)]
    for suspect in first:
        lines = [r for r in suspect.reasons if r.startswith("changed line 5 of main.py")]
        assert len(lines) <= 1, suspect.reasons
