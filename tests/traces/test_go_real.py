"""Real Go traces mapped onto the real Go repositories that produced them.

The traces under ``tests/traces/go_real/`` were printed by the Go runtime (Go
1.19, see each file's header line) running the two projects of
``tests/traces/go_real/src/`` (an HTTP shop API and a ledger worker): nil-map
writes, index out of range, ``panic(fmt.Errorf(...))``, a panic in a goroutine,
panics recovered by net/http (``http: panic serving``), a GOTRACEBACK=all dump,
a SIGQUIT dump of a running server and a ``-trimpath`` build. Each test builds
the project as a real git repository (several authors and dates) and maps the
stored trace onto it; where ``go`` is installed, one more test builds and runs
the programs again and maps the fresh traces the same way.

Ground truth comes from the runtime's own output (:mod:`tests.traces.go_real.truth`),
never from codemap.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from tests.traces.go_real import build, truth

MODULES = {"shop": "example.com/shop", "ledger": "example.com/ledger"}
NAMES = [c.name for c in build.CAPTURES]
_FUNC_LINE = re.compile(r"^(?:created by )?(\S+?)(?:\(.*\))?(?: in goroutine \d+)?$")


def _capture(name: str) -> build.Capture:
    return next(c for c in build.CAPTURES if c.name == name)


def _mapping_errors(text: str, project: str, repo: Path) -> tuple[list[str], int, dict]:
    """Every way the mapped ``text`` differs from what the Go runtime printed."""
    report = api.trace(text, str(repo)).to_json()
    built = build.built_in(text) if text.startswith("#") else str(repo)
    errors: list[str] = []
    checked = 0
    for exc in report["exceptions"]:
        for frame in exc["frames"]:
            want = truth.expected(frame["function"] or "", frame["file"] or "", frame["line"] or 0,
                                  MODULES[project], (built,))
            where = f"{frame['function']} {frame['file']}:{frame['line']}"
            if want is None:
                if frame["in_repo"] or frame["path"] is not None:
                    errors.append(f"outside the repository but mapped: {where} -> {frame['path']}")
                continue
            checked += 1
            sym = frame.get("symbol") or {}
            receiver_ok = want.receiver is None or f"(*{want.receiver})." in sym.get("qualname", "") \
                or f".{want.receiver}." in sym.get("qualname", "")
            if not (frame["in_repo"] and frame["path"] == want.path and sym.get("name") == want.name
                    and receiver_ok and sym.get("start_line", 1 << 30) <= want.line
                    <= sym.get("end_line", -1)):
                errors.append(f"{where}: got {frame['path']} {sym.get('qualname')}, want {want}")
            if not frame.get("last_commit"):
                errors.append(f"{where}: no last_commit")
    return errors, checked, report


def _printed_order(text: str, report: dict) -> None:
    """Frames are in call order: each exception's frames appear bottom-up in the text."""
    at = 0
    for exc in report["exceptions"]:
        for frame in reversed(exc["frames"]):  # printed order: the innermost first
            found = text.find(frame["raw"], at)
            assert found >= 0, f"{frame['raw']!r} is not after the frame printed before it"
            at = found + 1


def _source_line(repo: Path, frame: dict) -> str:
    return (repo / frame["path"]).read_text(encoding="utf-8").splitlines()[frame["line"] - 1]


@pytest.fixture
def repo_of(git_repo):
    def make(project: str) -> Path:
        build.populate(project, git_repo)
        return git_repo.root
    return make


@pytest.mark.parametrize("name", NAMES)
def test_stored_trace_says_what_produced_it(name):
    first = build.stored(name).split("\n", 1)[0]
    assert re.match(r"# go version go1\.\d+(\.\d+)? \S+; program: tests/traces/go_real/src/\w+ ", first)
    assert "command: go build" in first and "; built in /" in first


@pytest.mark.parametrize("name", NAMES)
def test_every_frame_of_a_real_go_trace_maps_to_its_file_line_and_symbol(name, repo_of):
    cap = _capture(name)
    repo = repo_of(cap.project)
    text = build.stored(name)
    errors, checked, report = _mapping_errors(text, cap.project, repo)
    assert errors == []
    assert checked >= 2
    assert report["language"] == "go"
    _printed_order(text, report)


def test_a_panic_recovered_by_net_http_names_the_panic_value(repo_of):
    repo = repo_of("shop")
    report = api.trace(build.stored("shop_http_panic"), str(repo)).to_json()
    exc = report["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("panic", 'store: item "13" has no name')
    in_repo = [(f["path"], f["symbol"]["qualname"]) for f in exc["frames"] if f["in_repo"]]
    assert in_repo == [("cmd/server/routes.go", "main.logging"),
                       ("internal/api/handler.go", "api.(*Handler).GetItem"),
                       ("internal/store/cache.go", "store.(*Cached).Get"),
                       ("internal/store/store.go", "store.(*Store).Get")]
    assert report["suspects"][0]["summary"] == "store: refuse nameless items, add tags"
    assert any("line 43 of internal/store/store.go" in r for r in report["suspects"][0]["reasons"])


def test_a_goroutine_panic_starts_at_the_goroutine_that_created_it(repo_of):
    repo = repo_of("ledger")
    exc = api.trace(build.stored("ledger_goroutine"), str(repo)).to_json()["exceptions"][0]
    first, last = exc["frames"][0], exc["frames"][-1]
    assert first["created_by"] is True
    assert first["symbol"]["qualname"] == "worker.(*Pool).Start"
    assert last["symbol"]["qualname"] == "ledger.(*Account).Book"
    closure = next(f for f in exc["frames"] if f["function"] == "main.runBatch.func1")
    assert closure["symbol"]["qualname"] == "main.runBatch"
    assert "return ledger.Post(acct, amount, sink)" in _source_line(repo, closure)


def test_dumps_keep_every_goroutine_and_the_signal(repo_of):
    repo = repo_of("shop")
    report = api.trace(build.stored("shop_sigquit"), str(repo)).to_json()
    assert (report["exceptions"][0]["type"], report["exceptions"][0]["message"]) == ("SIGQUIT", "quit")
    assert len(report["exceptions"]) >= 4
    serving = [f["symbol"]["qualname"] for e in report["exceptions"] for f in e["frames"] if f["in_repo"]]
    assert serving == ["main.main", "main.serve"]


def test_traceback_all_lists_the_blocked_goroutines_after_the_panicking_one(repo_of):
    repo = repo_of("ledger")
    excs = api.trace(build.stored("ledger_traceback_all"), str(repo)).to_json()["exceptions"]
    assert [e["type"] for e in excs] == ["panic", "goroutine", "goroutine"]
    assert [e["message"] for e in excs[1:]] == ["chan receive", "chan receive"]
    assert excs[1]["frames"][-1]["symbol"]["qualname"] == "main.dump"


def test_the_text_form_names_methods_with_their_receivers(repo_of, tmp_path):
    repo = repo_of("shop")
    trace = tmp_path / "trimpath.txt"
    trace.write_text(build.stored("shop_trimpath"), encoding="utf-8")
    result = CliRunner().invoke(cli, ["trace", str(trace), "--repo", str(repo)])
    assert result.exit_code == 0, result.output
    assert "internal/store/store.go:43" in result.output
    assert "store.(*Store).Get" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(shutil.which("go") is None, reason="Go is not installed (CI may not have it)")
def test_regenerated_traces_match_the_stored_ones_and_map_the_same(tmp_path):
    repos = build.repositories(tmp_path / "repos")
    for cap in build.CAPTURES:
        text = build.capture(cap, repos[cap.project], tmp_path)
        stored = build.stored(cap.name)
        assert _in_repo_calls(text, repos[cap.project], MODULES[cap.project]) == \
            _in_repo_calls(stored, Path(build.built_in(stored)), MODULES[cap.project]), cap.name
        errors, checked, _ = _mapping_errors(text, cap.project, repos[cap.project])
        assert errors == [] and checked >= 2, cap.name


def _in_repo_calls(text: str, root: Path, module: str) -> list[tuple[str, str, int]]:
    """(function, repository path, line) of each frame of the program itself, as printed."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines[:-1]):
        loc = re.match(r"^\t(\S+):(\d+)", lines[i + 1])
        func = _FUNC_LINE.match(line)
        if not (loc and func):
            continue
        want = truth.expected(func.group(1), loc.group(1), int(loc.group(2)), module, (str(root),))
        if want is not None:
            out.append((func.group(1), want.path, want.line))
    return out


def test_a_repanic_reports_the_value_the_program_died_of_and_keeps_the_first(repo_of):
    repo = repo_of("ledger")
    exc = api.trace(build.stored("ledger_repanic"), str(repo)).to_json()["exceptions"][0]
    assert exc["message"] == "settle cash: ledger: cash would go negative (-1)"
    assert exc["recovered"] == ["ledger: cash would go negative (-1)"]
    last = exc["frames"][-1]  # the deferred closure that panicked again
    assert (last["function"], last["symbol"]["qualname"]) == ("main.settle.func1", "main.settle")
    assert "panic(fmt.Sprintf(" in _source_line(repo, last)


def test_a_nil_pointer_panic_keeps_its_message_above_the_signal_line(repo_of):
    repo = repo_of("ledger")
    exc = api.trace(build.stored("ledger_nil_pointer"), str(repo)).to_json()["exceptions"][0]
    assert exc["message"] == "runtime error: invalid memory address or nil pointer dereference"
    assert exc["frames"][-1]["symbol"]["qualname"] == "ledger.(*Account).Book"


def test_trimpath_standard_library_frames_stay_outside_a_repo_with_a_package_named_http(git_repo):
    build.populate("shop", git_repo)
    git_repo.write("internal/http/server.go", "package http\n\n// Serve serves.\nfunc Serve() {}\n")
    git_repo.commit("http: our own server helpers", author="Hal Hill <hal@example.com>")
    text = build.stored("shop_trimpath_http")
    frames = api.trace(text, str(git_repo.root)).to_json()["exceptions"][0]["frames"]
    std = [f for f in frames if f["file"].startswith(("net/http/", "runtime/"))]
    assert len(std) == 11 and all(not f["in_repo"] and f["path"] is None for f in std)
    errors, checked, _ = _mapping_errors(text, "shop", git_repo.root)
    assert errors == [] and checked == 4


def test_the_http2_servers_panic_line_names_the_panic_value_too(repo_of):
    # net/http's bundled HTTP/2 server logs "http2: panic serving ADDR: VALUE" before the
    # same kind of stack (h2_bundle.go); derived from the real HTTP/1 trace, line for line
    repo = repo_of("shop")
    text = build.stored("shop_http_panic").replace(" http: panic serving ", " http2: panic serving ", 1)
    exc = api.trace(text, str(repo)).to_json()["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("panic", 'store: item "13" has no name')
