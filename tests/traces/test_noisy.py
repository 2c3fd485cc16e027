"""Traces inside noisy text: log prefixes, JSON-escaped logs, several traces per
paste, colours, CRLF, truncated traces, frames without lines, ambiguous paths,
and hostile exception messages (kept verbatim in JSON, inert on the terminal).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from codemap.traces.detect import find_traces
from tests.conftest import GitRepoBuilder

SERVICE = '''\
from shop.models import Cart


def place_order(items, coupon):
    cart = Cart(items)
    return cart.checkout(coupon)
'''

MODELS = '''\
class Cart:
    def __init__(self, items):
        if not items:
            raise ValueError(MESSAGE)
        self.items = items

    def checkout(self, coupon):
        return {}[coupon]


MESSAGE = "a cart needs items"
'''

PY_TRACE = '''\
Traceback (most recent call last):
  File "/srv/app/shop/service.py", line 5, in place_order
    cart = Cart(items)
  File "/srv/app/shop/models.py", line 4, in __init__
    raise ValueError(MESSAGE)
ValueError: a cart needs items'''

JAVA_TRACE = '''\
java.lang.IllegalStateException: boom
\tat com.acme.Foo.bar(Foo.java:3)
\tat com.acme.Foo.main(Foo.java:7)'''

NODE_TRACE = '''\
TypeError: Cannot read properties of undefined (reading 'name')
    at Repo.find (/srv/app/src/repo.js:2:24)
    at main (/srv/app/src/main.js:5:10)'''


@pytest.fixture
def repo(git_repo: GitRepoBuilder) -> GitRepoBuilder:
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/service.py", SERVICE)
    git_repo.write("shop/models.py", MODELS)
    git_repo.write("src/main/java/com/acme/Foo.java",
                   "package com.acme;\nclass Foo {\n  void bar() { throw null; }\n"
                   "  static void main(String[] a) {\n    //\n    //\n    new Foo().bar();\n  }\n}\n")
    git_repo.write("src/repo.js", "class Repo {\n  find(id) { return this.db[id].name; }\n}\n")
    git_repo.write("src/main.js", "//\n//\n//\nfunction main() {\n  return new Repo().find(1);\n}\n")
    git_repo.commit("app")
    return git_repo


def _frames(report: dict) -> list[tuple]:
    return [(f["path"], f["line"], f["symbol"]["name"] if f["symbol"] else None)
            for e in report["exceptions"] for f in e["frames"]]


def _report(repo: GitRepoBuilder, text: str) -> dict:
    return api.trace(text, str(repo.root)).to_json()


EXPECTED_PY = [("shop/service.py", 5, "place_order"), ("shop/models.py", 4, "__init__")]


@pytest.mark.parametrize("prefix", [
    "web_1  | ",
    "2026-03-05T10:00:00.123456789Z stderr F ",
    "Mar  5 10:00:00 host app[1234]: ",
    "[2026-03-05 10:00:00,123] ERROR in app: ",
    "\t",
])
def test_log_prefix_on_every_line(repo: GitRepoBuilder, prefix: str) -> None:
    lines = PY_TRACE.splitlines()
    text = "\n".join(prefix.replace("00,123", f"00,{100 + k}") + line
                     for k, line in enumerate(lines))
    report = _report(repo, "some noise before\n" + text + "\nand after\n")
    assert _frames(report) == EXPECTED_PY
    exc = report["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("ValueError", "a cart needs items")


def test_log_line_before_an_unprefixed_trace(repo: GitRepoBuilder) -> None:
    text = "2026-03-05 10:00:00,123 ERROR [shop] order failed\n" + PY_TRACE + "\n"
    assert _frames(_report(repo, text)) == EXPECTED_PY


def test_json_escaped_logs(repo: GitRepoBuilder) -> None:
    lines = [
        json.dumps({"ts": "2026-03-05T10:00:00Z", "level": "error", "exc_info": PY_TRACE}),
        json.dumps({"level": 50, "err": {"type": "TypeError", "stack": NODE_TRACE}}),
    ]
    report = _report(repo, "\n".join(lines) + "\n")
    assert [e["type"] for e in report["exceptions"]] == ["ValueError", "TypeError"]
    assert _frames(report)[:2] == EXPECTED_PY
    assert _frames(report)[2:] == [("src/main.js", 5, "main"), ("src/repo.js", 2, "find")]


def test_several_traces_in_one_paste(repo: GitRepoBuilder) -> None:
    text = "\n\n".join([PY_TRACE, "INFO retrying", JAVA_TRACE, NODE_TRACE, PY_TRACE])
    found = find_traces(text)
    assert [t.format for t in found] == ["python", "jvm", "v8", "python"]
    report = _report(repo, text)
    assert report["language"] == "python"
    assert [e["type"] for e in report["exceptions"]] == [
        "ValueError", "java.lang.IllegalStateException", "TypeError", "ValueError"]
    java = report["exceptions"][1]["frames"]
    assert [(f["path"], f["line"], f["symbol"]["name"]) for f in java] == [
        ("src/main/java/com/acme/Foo.java", 7, "main"), ("src/main/java/com/acme/Foo.java", 3, "bar")]


def test_crlf_and_colour_codes(repo: GitRepoBuilder) -> None:
    coloured = "\n".join(f"\x1b[31m{line}\x1b[0m" for line in PY_TRACE.splitlines())
    assert _frames(_report(repo, coloured)) == EXPECTED_PY
    assert _frames(_report(repo, PY_TRACE.replace("\n", "\r\n"))) == EXPECTED_PY


def test_truncated_traces_and_frames_without_lines(repo: GitRepoBuilder) -> None:
    truncated = "\n".join(PY_TRACE.splitlines()[:4])  # cut before the exception line
    report = _report(repo, truncated)
    assert report["exceptions"][0]["type"] is None
    assert _frames(report) == EXPECTED_PY
    no_lines = ("java.lang.RuntimeException: x\n\tat com.acme.Foo.bar(Unknown Source)\n"
                "\tat sun.misc.Unsafe.park(Native Method)\n")
    frames = _report(repo, no_lines)["exceptions"][0]["frames"]
    assert [(f["line"], f["in_repo"], f["path"]) for f in frames] == [
        (None, False, None), (None, True, "src/main/java/com/acme/Foo.java")]
    headless = "\n".join(JAVA_TRACE.splitlines()[1:])  # frames only, no exception line
    assert _report(repo, headless)["exceptions"][0]["type"] is None


def test_ambiguous_paths_list_candidates(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a/pkg/util.py", "def f():\n    return 1 / 0\n")
    git_repo.write("b/pkg/util.py", "def f():\n    return 1 / 0\n")
    git_repo.commit("two utils")
    text = ('Traceback (most recent call last):\n  File "/srv/x/pkg/util.py", line 2, in f\n'
            '    return 1 / 0\nZeroDivisionError: division by zero\n')
    frame = _report(git_repo, text)["exceptions"][0]["frames"][0]
    assert frame["in_repo"] is False and frame["path"] is None
    assert frame["match"] == "ambiguous" and frame["candidates"] == ["a/pkg/util.py", "b/pkg/util.py"]
    out = CliRunner().invoke(cli, ["trace", "-", "--repo", str(git_repo.root)], input=text)
    assert out.exit_code == 0 and "ambiguous: a/pkg/util.py, b/pkg/util.py" in out.output
    mapped = _report_with_map(git_repo, text, "/srv/x=b")
    assert mapped["exceptions"][0]["frames"][0]["path"] == "b/pkg/util.py"


def _report_with_map(repo: GitRepoBuilder, text: str, spec: str) -> dict:
    out = CliRunner().invoke(cli, ["trace", "-", "--repo", str(repo.root), "--json",
                                   "--map", spec], input=text)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x1b[31m[bold red]boom[/bold red] \u202eevil"


def test_hostile_message_verbatim_in_json_inert_in_text(git_repo: GitRepoBuilder) -> None:
    git_repo.write("app.py", "def fail(msg):\n    raise RuntimeError(msg)\n\n\n"
                             "fail(open('msg.txt', encoding='utf-8').read())\n")
    git_repo.write("msg.txt", HOSTILE)
    git_repo.commit("app")
    proc = subprocess.run([sys.executable, "app.py"], cwd=git_repo.root, capture_output=True,
                          env={"PYTHONIOENCODING": "utf-8", "PATH": "/usr/bin:/bin"})
    trace = proc.stderr.decode("utf-8")
    assert "Traceback" in trace
    runner = CliRunner()
    as_json = runner.invoke(cli, ["trace", "-", "--repo", str(git_repo.root), "--json"],
                            input=trace)
    assert as_json.exit_code == 0, as_json.output
    exc = json.loads(as_json.output)["exceptions"][0]
    assert exc["type"] == "RuntimeError" and exc["message"] == HOSTILE
    text = runner.invoke(cli, ["trace", "-", "--repo", str(git_repo.root)], input=trace)
    assert text.exit_code == 0
    assert "\x1b" not in text.output and "\x07" not in text.output and "\u202e" not in text.output
    assert "[bold red]boom[/bold red]" in text.output  # markup shown literally, never rendered
    assert "\\e]0;pwned" in text.output


LOGGED = '''\
import logging
import sys

logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
log = logging.getLogger("shop")


def validate(order):
    raise ValueError("order 7 is invalid:\\n  items: empty\\n  coupon: unknown")


try:
    validate({})
except ValueError:
    log.exception("order failed")
log.error("next request failed too")
print("Error: fetch failed\\n    at load (/srv/web/app.js:3:9)", file=sys.stderr)
'''


def test_multi_line_message_ends_where_the_log_goes_on(git_repo: GitRepoBuilder) -> None:
    """A message of several lines is kept whole; it ends at the next log record, and the
    line above another trace's frames is that trace's message (real logging output)."""
    git_repo.write("logged.py", LOGGED)
    git_repo.commit("logged")
    proc = subprocess.run([sys.executable, "logged.py"], cwd=git_repo.root,
                          capture_output=True, text=True)
    assert "next request failed too" in proc.stderr
    found = find_traces(proc.stderr)
    assert [t.format for t in found] == ["python", "v8"]
    (exc,) = found[0].exceptions
    assert (exc.type, exc.message) == ("ValueError",
                                       "order 7 is invalid:\n  items: empty\n  coupon: unknown")
    assert [f.function for f in exc.frames] == ["<module>", "validate"]
    assert found[1].exceptions[0].message == "fetch failed"


# captured from node 20.20.2: an uncaught throw in a scoped package's file; node heads its
# crash with "file:line", the source line and a caret, and the file's path holds an "@"
NODE_SCOPED_CRASH = """\
/tmp/s9/nt/node_modules/@acme/w/index.js:2
  if (typeof text !== 'string') throw new TypeError('pad needs a string')
                                ^

TypeError: pad needs a string
    at pad (/tmp/s9/nt/node_modules/@acme/w/index.js:2:39)
    at Object.<anonymous> (/tmp/s9/nt/s2.js:1:19)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at node:internal/main/run_main_module:28:49

Node.js v20.20.2
"""


def test_node_crash_header_of_a_scoped_package_is_no_firefox_frame() -> None:
    found = find_traces(NODE_SCOPED_CRASH)
    assert [(e.type, e.format, len(e.frames)) for t in found for e in t.exceptions] == [
        ("TypeError", "v8", 4)]
