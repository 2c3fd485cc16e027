"""Traces of compiled and bundled JavaScript mapped through source maps onto the
TypeScript sources, end to end.

The project in ``sourcemap_project/`` is committed into a real git repo; its
build output (tsc and esbuild, made once and committed, see its README) is
copied into the working tree, ignored by git as build output usually is.
Every trace comes from running node on that JavaScript, and the expected
positions come from node itself: the same program run with
``--enable-source-maps`` prints the original positions.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap import api
from codemap.cli.main import cli
from codemap.traces import generated
from codemap.traces.report import TraceFrame, TraceReport
from tests.conftest import GitRepoBuilder

PROJECT = Path(__file__).parent / "sourcemap_project"
pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
_AT = re.compile(r"^\s+at (?:(?P<fn>.*?) \()?(?P<file>[^()\s]+):(?P<line>\d+):(?P<col>\d+)\)?\s*$")


def _shop(git_repo: GitRepoBuilder, *, ignore_built: bool = True) -> Path:
    """The project committed, its build output copied to dist/ and bundle/."""
    src = PROJECT / "project"
    for path in sorted(src.rglob("*")):
        if path.is_file():
            git_repo.write(path.relative_to(src).as_posix(), path.read_bytes())
    if ignore_built:
        git_repo.write(".gitignore", "dist/\nbundle/\nnode_modules/\n")
    git_repo.commit("shop: cart and pricing")
    root = git_repo.root
    shutil.copytree(PROJECT / "built" / "tsc", root / "dist")
    shutil.copytree(PROJECT / "built" / "esbuild", root / "bundle")
    return root


def _node(root: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NODE")}
    proc = subprocess.run(["node", *args], cwd=root, capture_output=True, timeout=60, env=env)
    assert proc.returncode != 0, "the program should crash"
    return proc.stderr.decode("utf-8", "replace")


def _node_truth(root: Path, script: str) -> list[tuple[str, int, int]]:
    """(repo path, line, column) of each repository frame as node maps it, call order."""
    out = []
    for line in _node(root, "--enable-source-maps", script).splitlines():
        m = _AT.match(line)
        if m and m.group("file").startswith(str(root) + "/"):
            rel = m.group("file")[len(str(root)) + 1:]
            out.append((rel, int(m.group("line")), int(m.group("col"))))
    out.reverse()
    assert out, "node printed no repository frame"
    return out


def _positions(report: TraceReport) -> list[tuple[str | None, int | None, int | None]]:
    return [(f.path, f.line, f.column) for f in report.exceptions[0].frames if f.in_repo]


def _frame(report: TraceReport, path: str) -> TraceFrame:
    return next(f for f in report.exceptions[0].frames if f.path == path)


def test_tsc_output_maps_like_node_enable_source_maps(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo)
    text = _node(root, "dist/main.js")
    assert "dist/pricing.js:8:15" in text  # the trace names the compiled file
    report = api.trace(text, str(root))
    assert _positions(report) == _node_truth(root, "dist/main.js")
    assert _positions(report)[-1] == ("src/pricing.ts", 11, 11)
    assert report.language == "typescript"
    raising = _frame(report, "src/pricing.ts")
    assert raising.match == "source-map" and raising.file == "src/pricing.ts"
    assert raising.extras["mapped_from"] == {
        "file": f"{root}/dist/pricing.js", "path": "dist/pricing.js", "line": 8, "column": 15,
        "map": "dist/pricing.js.map"}
    assert raising.symbol is not None and raising.symbol.qualname.endswith("priceOf")
    assert raising.name_mismatch is False
    add = _frame(report, "src/cart.ts")
    assert add.symbol is not None and add.symbol.qualname.endswith("Cart.add")
    # the contract's fields keep their names; mapped_from is added beside them
    data = report.to_json()["exceptions"][0]["frames"][-1]
    assert {"raw", "file", "line", "column", "function", "in_repo", "path", "symbol"} <= set(data)
    assert data["mapped_from"]["path"] == "dist/pricing.js"
    assert data["raw"].strip() == f"at priceOf ({root}/dist/pricing.js:8:15)"


def test_a_compiled_functions_own_name_is_no_sign_of_a_change(git_repo: GitRepoBuilder) -> None:
    """``this.onItem = strict ? function ... : ...`` in a constructor: node names the
    built function ``Feed.onItem._a [as onItem]`` (tsc's temporaries), a name no symbol
    of the source has. The frame lands in the constructor, where the function is
    written, and that is not taken for code that changed since the trace: the built
    code named it, and the build's own map placed it."""
    root = _shop(git_repo)
    text = _node(root, "dist/feed.js")
    assert "at Feed.onItem._a [as onItem] (" in text
    report = api.trace(text, str(root))
    assert _positions(report) == _node_truth(root, "dist/feed.js")
    handler = [f for f in report.exceptions[0].frames if f.path == "src/feed.ts"][-1]
    assert (handler.line, handler.function) == (12, "Feed.onItem._a [as onItem]")
    assert handler.symbol is not None and handler.symbol.qualname.endswith("Feed.constructor")
    assert handler.name_mismatch is None


def test_without_the_build_output_frames_stay_as_printed(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo)
    text = _node(root, "dist/main.js")
    shutil.rmtree(root / "dist")
    report = api.trace(text, str(root))
    assert _positions(report) == []
    assert all("mapped_from" not in f.extras for f in report.frames())


def test_minified_esbuild_bundle(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo)
    text = _node(root, "bundle/app.min.js")
    assert re.search(r"at i \(.*app\.min\.js:1:\d+\)", text)  # minified names and one line
    report = api.trace(text, str(root))
    assert _positions(report) == _node_truth(root, "bundle/app.min.js")
    raising = _frame(report, "src/pricing.ts")
    assert raising.function == "i" and raising.symbol is not None
    assert raising.symbol.name == "priceOf"
    # the minifier renamed it: no "code changed since?" warning on that basis
    assert raising.name_mismatch is None
    assert raising.extras["mapped_from"]["map"] == "bundle/app.min.js.map"


def test_inline_data_url_map(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo)
    assert "sourceMappingURL=data:application/json;base64," in (root / "bundle/app.inline.js").read_text()
    text = _node(root, "bundle/app.inline.js")
    report = api.trace(text, str(root))
    assert _positions(report) == _node_truth(root, "bundle/app.inline.js")
    assert _frame(report, "src/pricing.ts").extras["mapped_from"]["map"] == "inline"


def test_webpack_sources_and_foreign_frame_paths(git_repo: GitRepoBuilder) -> None:
    """The same bundle with webpack-style source URLs, traced from a container
    (``/app/...``), from a browser URL and in Firefox's ``fn@url:line:col`` form."""
    root = _shop(git_repo)
    text = _node(root, "bundle/app.min.js")
    truth = _node_truth(root, "bundle/app.min.js")
    map_path = root / "bundle/app.min.js.map"
    data = json.loads(map_path.read_text())
    data["sources"] = [f"webpack://shop/./{s.removeprefix('../')}" for s in data["sources"]]
    data.pop("sourcesContent", None)
    map_path.write_text(json.dumps(data))

    container = text.replace(str(root), "/app")
    assert _positions(api.trace(container, str(root))) == truth
    browser = text.replace(str(root), "http://localhost:8080")
    assert _positions(api.trace(browser, str(root))) == truth
    frames = [m for m in map(_AT.match, text.splitlines()) if m and "app.min.js" in m.group("file")]
    firefox = "RangeError: no price for kiwi\n" + "\n".join(
        f"{m.group('fn')}@{m.group('file').replace(str(root), 'https://shop.example')}"
        f":{m.group('line')}:{m.group('col')}" for m in frames) + "\n"
    report = api.trace(firefox, str(root))
    assert report.exceptions[0].format == "firefox"
    assert _positions(report) == truth


def test_committed_bundle_maps_from_the_repository_file(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo, ignore_built=False)
    git_repo.commit("commit the build output too")
    text = _node(root, "dist/main.js")
    report = api.trace(text, str(root))
    assert _positions(report) == _node_truth(root, "dist/main.js")


def test_rev_reads_build_output_committed_at_that_revision(git_repo: GitRepoBuilder) -> None:
    root = _shop(git_repo, ignore_built=False)
    deployed = git_repo.commit("release 1 with its build")
    text = _node(root, "dist/main.js")
    truth = _node_truth(root, "dist/main.js")
    git_repo.git("rm", "-rq", "dist", "bundle")
    git_repo.commit("stop committing build output")
    assert not (root / "dist").exists()
    report = api.trace(text, str(root), rev=deployed)
    assert _positions(report) == truth


def test_each_map_is_read_once_and_only_when_needed(git_repo: GitRepoBuilder,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    root = _shop(git_repo)
    calls: list[int] = []
    real = generated.parse_source_map

    def counting(data: bytes | str) -> object:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(generated, "parse_source_map", counting)
    text = _node(root, "bundle/app.min.js")
    report = api.trace(text + "\n" + text, str(root))  # 8 frames in one generated file
    assert len(_positions(report)) == 4 and len(calls) == 1
    calls.clear()
    mapped = _node(root, "--enable-source-maps", "dist/main.js")  # frames already on src/
    assert len(_positions(api.trace(mapped, str(root)))) == 4 and calls == []


def test_bad_maps_leave_frames_unmapped(git_repo: GitRepoBuilder, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = _shop(git_repo)
    text = _node(root, "dist/main.js")
    dist = root / "dist"
    # corrupt: not JSON, and mappings with a bad character
    (dist / "pricing.js.map").write_text("{ this is not json")
    bad_vlq = json.loads((dist / "cart.js.map").read_text())
    bad_vlq["mappings"] = bad_vlq["mappings"].replace("A", "!")
    (dist / "cart.js.map").write_text(json.dumps(bad_vlq))
    report = api.trace(text, str(root))
    assert [p for p, _, _ in _positions(report)] == ["src/main.ts", "src/main.ts"]

    # a source outside the repository, in both spellings
    for name, source in (("main.js.map", "../../../../../../../etc/passwd"),
                         ("cart.js.map", "/etc/passwd")):
        data = json.loads((PROJECT / "built" / "tsc" / name).read_text())
        data["sources"] = [source]
        (dist / name).write_text(json.dumps(data))
    (dist / "pricing.js.map").write_text((PROJECT / "built" / "tsc" / "pricing.js.map").read_text())
    assert [p for p, _, _ in _positions(api.trace(text, str(root)))] == ["src/pricing.ts"]

    # a map URL that climbs out of the repository, and a map symlinked from outside it
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(PROJECT / "built" / "tsc" / "pricing.js.map", outside / "pricing.js.map")
    js = (dist / "pricing.js").read_text()
    (dist / "pricing.js").write_text(js.replace("//# sourceMappingURL=pricing.js.map",
                                                "//# sourceMappingURL=../../elsewhere/pricing.js.map"))
    (dist / "pricing.js.map").unlink()
    assert _positions(api.trace(text, str(root))) == []
    (dist / "pricing.js.map").symlink_to(outside / "pricing.js.map")
    assert _positions(api.trace(text, str(root))) == []

    # too big: refused before it is read
    (dist / "pricing.js.map").unlink()
    shutil.copy(PROJECT / "built" / "tsc" / "pricing.js.map", dist / "pricing.js.map")
    assert [p for p, _, _ in _positions(api.trace(text, str(root)))] == ["src/pricing.ts"]
    monkeypatch.setattr(generated, "MAX_MAP_BYTES", 100)
    assert _positions(api.trace(text, str(root))) == []


def test_cli_json_and_text(git_repo: GitRepoBuilder, tmp_path: Path) -> None:
    root = _shop(git_repo)
    trace = tmp_path / "crash.txt"
    trace.write_text(_node(root, "dist/main.js"))
    runner = CliRunner()
    result = runner.invoke(cli, ["trace", str(trace), "--repo", str(root), "--json"])
    assert result.exit_code == 0, result.output
    frames = json.loads(result.output)["exceptions"][0]["frames"]
    mapped = [f for f in frames if "mapped_from" in f]
    assert [(f["path"], f["line"]) for f in mapped] == [
        ("src/main.ts", 15), ("src/main.ts", 9), ("src/cart.ts", 13), ("src/pricing.ts", 11)]
    text = runner.invoke(cli, ["trace", str(trace), "--repo", str(root)])
    assert text.exit_code == 0 and "4 of 10 frames in the repository" in text.output
    assert "src/pricing.ts:11" in text.output
    pricing = next(f for f in mapped if f["path"] == "src/pricing.ts")["mapped_from"]
    # the printed (built) position is shown next to the source position it maps to
    assert (f"src/pricing.ts:11  (from {pricing['path']}:{pricing['line']}:{pricing['column']}"
            " via source map)") in text.output
