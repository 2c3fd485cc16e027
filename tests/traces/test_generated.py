"""Finding a generated file's source map and resolving its sources
(:mod:`codemap.traces.generated`), on small files written for each case.

The maps are the real tsc output of ``sourcemap_project`` (``dist/pricing.js``
line 8 column 15 is ``src/pricing.ts`` line 11 column 11, as node's
``--enable-source-maps`` prints it); only where the map lives and how it
names its sources change from test to test.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from codemap.pathmap import PathMapper
from codemap.traces.generated import SourceMaps, _find_comment, _relative_url

BUILT = Path(__file__).parent / "sourcemap_project" / "built" / "tsc"
JS = (BUILT / "pricing.js").read_text()
MAP = json.loads((BUILT / "pricing.js.map").read_text())
BODY = JS.replace("//# sourceMappingURL=pricing.js.map", "").rstrip() + "\n"
FILES = ["src/pricing.ts", "src/cart.ts", "package.json"]


def _maps(root: Path, files: list[str] = FILES, prefix: tuple[tuple[str, str], ...] = ()) -> SourceMaps:
    return SourceMaps(root, PathMapper(files, prefix, repo_root=str(root)), list(prefix))


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def _where(maps: SourceMaps, printed: str) -> tuple[str, int, int | None] | None:
    found = maps.original(printed, None, 8, 15)
    return (found.path, found.line, found.column) if found else None


EXPECTED = ("src/pricing.ts", 11, 11)


@pytest.mark.parametrize("comment", [
    "//# sourceMappingURL=pricing.js.map",
    "//@ sourceMappingURL=pricing.js.map",  # the old spelling
    "/*# sourceMappingURL=pricing.js.map */",
    "//# sourceMappingURL=pricing.js.map\n//# debugId=85314830-023f-4cf1-a267-535f4e37bb17\n",
    "//# sourceMappingURL=./pricing.js.map?v=3#frag",
    "//# sourceMappingURL=https://cdn.example.com/assets/pricing.js.map",  # its name, beside
])
def test_external_map_comments(tmp_path: Path, comment: str) -> None:
    _write(tmp_path, "dist/pricing.js", BODY + comment)
    _write(tmp_path, "dist/pricing.js.map", json.dumps(MAP))
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") == EXPECTED


def test_map_in_another_directory(tmp_path: Path) -> None:
    _write(tmp_path, "dist/pricing.js", BODY + "//# sourceMappingURL=../maps/pricing.map")
    _write(tmp_path, "maps/pricing.map", json.dumps({**MAP, "sources": ["../src/pricing.ts"]}))
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") == EXPECTED


def test_no_comment_falls_back_to_the_map_beside(tmp_path: Path) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    _write(tmp_path, "dist/pricing.js.map", json.dumps(MAP))
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") == EXPECTED


def test_no_map_at_all(tmp_path: Path) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") is None


def test_comment_must_be_on_the_last_lines() -> None:
    assert _find_comment(b"x\n//# sourceMappingURL=a.map\n") == "a.map"
    assert _find_comment(b"//# sourceMappingURL=a.map\n" + b"code();\n" * 10) is None
    assert _find_comment(b'var s = "//# sourceMappingURL=a.map";\n') is None
    assert _find_comment(b"//# sourceMappingURL=a.map\n//# sourceMappingURL=b.map\n") == "b.map"


@pytest.mark.parametrize("encode", ["base64", "percent"])
def test_inline_maps(tmp_path: Path, encode: str) -> None:
    text = json.dumps(MAP)
    if encode == "base64":
        url = "data:application/json;charset=utf-8;base64," + base64.b64encode(text.encode()).decode()
    else:
        url = "data:application/json," + quote(text)
    _write(tmp_path, "dist/pricing.js", BODY + "//# sourceMappingURL=" + url + "\n")
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") == EXPECTED


def test_inline_map_longer_than_the_tail_read(tmp_path: Path) -> None:
    big = {**MAP, "sourcesContent": ["x" * 300_000]}
    url = "data:application/json;base64," + base64.b64encode(json.dumps(big).encode()).decode()
    _write(tmp_path, "dist/pricing.js", BODY + "//# sourceMappingURL=" + url)
    assert _where(_maps(tmp_path), f"{tmp_path}/dist/pricing.js") == EXPECTED


@pytest.mark.parametrize(("source_root", "sources", "expected"), [
    ("", ["../src/pricing.ts"], "src/pricing.ts"),
    ("../src", ["pricing.ts"], "src/pricing.ts"),  # sourceRoot joined with "/"
    ("", ["webpack:///./src/pricing.ts"], "src/pricing.ts"),
    ("", ["webpack://shop/./src/pricing.ts"], "src/pricing.ts"),
    ("webpack:///", ["src/pricing.ts"], "src/pricing.ts"),
    ("", ["/home/ci/work/shop/src/pricing.ts"], "src/pricing.ts"),  # built elsewhere: suffix
    ("", ["file:///C:/agent/_work/1/s/src/pricing.ts"], "src/pricing.ts"),
    ("", ["../src/pricing.ts?3f2a"], "src/pricing.ts"),
    ("", ["../../src/pricing.ts"], None),  # climbs out of the repository
    ("", ["../src/../../../etc/passwd"], None),
    ("", ["/etc/passwd"], None),
    ("", ["../node_modules/lib/index.ts"], None),  # library code: left as printed
    ("", ["../src/missing.ts"], None),  # not a repository file
    ("", ["webpack:///webpack/bootstrap"], None),
])
def test_sources_resolve_only_to_repository_files(tmp_path: Path, source_root: str,
                                                  sources: list[str], expected: str | None) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    _write(tmp_path, "dist/pricing.js.map", json.dumps({**MAP, "sourceRoot": source_root,
                                                        "sources": sources}))
    found = _maps(tmp_path).original(f"{tmp_path}/dist/pricing.js", None, 8, 15)
    assert (found.path if found else None) == expected


@pytest.mark.parametrize("printed", [
    "/srv/app/dist/pricing.js",  # a container path: suffix
    "https://shop.example/pricing.js",  # a server URL: under a build directory
    "webpack-internal:///./dist/pricing.js",
    "file:///srv/app/dist/pricing.js",
])
def test_generated_file_found_on_disk(tmp_path: Path, printed: str) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    _write(tmp_path, "dist/pricing.js.map", json.dumps(MAP))
    assert _where(_maps(tmp_path), printed) == EXPECTED


def test_prefix_map_finds_the_generated_file(tmp_path: Path) -> None:
    _write(tmp_path, "out/web/pricing.js", BODY)
    _write(tmp_path, "out/web/pricing.js.map", json.dumps({**MAP, "sources": ["../../src/pricing.ts"]}))
    maps = _maps(tmp_path, prefix=(("/opt/site/assets", "out/web"),))
    assert _where(maps, "/opt/site/assets/pricing.js") == EXPECTED


@pytest.mark.parametrize("printed", [
    "/srv/app/node_modules/lib/dist/pricing.js",
    "node:internal/modules/cjs/loader",
    "/srv/app/dist/pricing.ts",  # not build output
    "<anonymous>",
])
def test_not_generated_files(tmp_path: Path, printed: str) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    _write(tmp_path, "dist/pricing.js.map", json.dumps(MAP))
    assert _where(_maps(tmp_path), printed) is None


def test_relative_urls_stay_inside() -> None:
    assert _relative_url("dist", "a.js.map") == "dist/a.js.map"
    assert _relative_url("dist/js", "../maps/a.map") == "dist/maps/a.map"
    assert _relative_url("dist", "../../etc/passwd") is None
    assert _relative_url("", "../x.map") is None
    assert _relative_url("dist", "/static/js/a.js.map") == "dist/a.js.map"
    assert _relative_url("dist", "a%20b.map") == "dist/a b.map"


def test_position_outside_the_map_and_odd_frames(tmp_path: Path) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    _write(tmp_path, "dist/pricing.js.map", json.dumps(MAP))
    maps = _maps(tmp_path)
    printed = f"{tmp_path}/dist/pricing.js"
    assert maps.original(printed, None, 9999, 1) is None
    assert maps.original(printed, None, 0, 1) is None
    found = maps.original(printed, None, 8, None)  # no column: the line's first mapping
    assert found is not None and (found.path, found.line, found.column) == ("src/pricing.ts", 11, None)


def test_a_huge_mappings_string_does_not_hang(tmp_path: Path) -> None:
    _write(tmp_path, "dist/pricing.js", BODY)
    huge = {**MAP, "mappings": ";" * 2_000_000 + "AAAA," * 500_000}
    _write(tmp_path, "dist/pricing.js.map", json.dumps(huge))
    start = time.monotonic()
    found = _maps(tmp_path).original(f"{tmp_path}/dist/pricing.js", None, 2_000_001, 10)
    assert found is not None and found.path == "src/pricing.ts"
    assert time.monotonic() - start < 30  # generous: a guard against a hang, not a benchmark
