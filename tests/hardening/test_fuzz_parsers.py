"""Property-based tests for the parsers the other suites do not fuzz.

Trace formats (tests/traces/test_properties.py), coverage formats
(tests/coverage/test_readers_fuzz.py), request lines and route patterns
(tests/endpoints/test_request.py) are fuzzed where they live; here: config
files, TARGET strings, PATH:LINE locations, ``--map FROM=TO``, ``--since``
times, review ranges and CodeTour files, plus time-linearity checks for
request lines and route patterns. Each parser may refuse input only with a
:class:`~codemap.errors.CodemapError`; nothing else may escape, and parse
time grows linearly with the input.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemap.errors import CodemapError, InputError, UsageError
from tests.hardening.fixture import EVIL_FILE, Fixture

SETTINGS = settings(max_examples=200, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
FEW = settings(max_examples=60, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def refused_cleanly(func: Callable[[], Any], allowed: type[CodemapError] = CodemapError) -> Any:
    """Call ``func``; a refusal must be ``allowed`` with a one-line message."""
    try:
        return func()
    except allowed as exc:
        assert exc.message.strip() and "\n" not in exc.message.strip(), exc.message
        return None


def seconds(func: Callable[[], Any], repeat: int = 3) -> float:
    best = math.inf
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def assert_linear(make: Callable[[int], Any], run: Callable[[Any], Any], small: int,
                  factor: int = 10, slack: float = 3.0, floor: float = 0.002) -> None:
    """Ten times the input may take about ten times as long, never ~100 times (quadratic);
    ``slack`` absorbs a busy machine, ``floor`` timer noise on tiny inputs."""
    a, b = make(small), make(small * factor)
    for _attempt in range(3):  # judged quadratic only when three measurements agree
        t_small = seconds(lambda: run(a))
        t_big = seconds(lambda: run(b))
        if t_big < max(t_small, floor) * factor * slack:
            return
    raise AssertionError((t_small, t_big))


@pytest.fixture(scope="module")
def repo(quiet: Fixture) -> Iterator[Any]:
    from codemap.repo import find_repo

    yield find_repo(quiet.root)


@pytest.fixture(scope="module")
def reader(repo: Any) -> Iterator[Any]:
    from codemap.index.service import open_index

    yield open_index(repo)


# ----------------------------------------------------------------------------- config files

KEYS = ["max_file_size", "exclude", "trace", "ai", "generated", "maps", "identities", "patterns",
        "tool", "emails", "names", "note", "unknown", "\x1b]0;x\x07", ""]
toml_scalars = st.one_of(st.integers(-(2 ** 63), 2 ** 63 - 1), st.floats(allow_nan=True),
                         st.booleans(), st.text(max_size=20))
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)),
                                            inner, max_size=4)),
    max_leaves=20)
config_tables = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)),
                                toml_values, max_size=6)


@SETTINGS
@given(config_tables)
def test_config_from_any_parsed_toml_only_raises_input_error(data: dict[str, Any]) -> None:
    from codemap.config import _TOP_KEYS, config_from_mapping

    config = refused_cleanly(lambda: config_from_mapping(data), InputError)
    if config is None:
        return
    for key in data:
        if key not in _TOP_KEYS:  # every unknown key is warned about, by name
            assert any(repr(key)[1:-1] in w or key in w for w in config.warnings), key
    assert config.max_file_size > 0
    assert all(isinstance(p, str) for p in config.exclude + config.generated_patterns)
    assert all(isinstance(a, str) and isinstance(b, str) for a, b in config.trace_maps)


TOML_FRAGMENTS = [
    "[trace]", "[ai]", "[generated]", "[tool.codemap]", "[tool]", "[[ai.identities]]",
    'maps = { "/srv/app" = "." }', 'maps = [["/srv", "."]]', "maps = 3", 'maps = [["a"]]',
    'exclude = ["vendor/**"]', "exclude = [1, 2]", 'exclude = "x"', "max_file_size = 0",
    "max_file_size = -1", "max_file_size = true", "max_file_size = 99999999999999999999",
    "max_file_size = 1_000", 'tool = "bot"', "tool = 3", 'emails = ["a@b"]', "note = 3",
    'identities = [{ tool = "x" }]', "identities = 3", "identities = [1]",
    'patterns = ["*.gen"]', 'unknown = "x"', '"\\u001b[31m" = 1', "a.b.c = 1", "= 1",
    "[trace", 'x = """', "x = '''", "x = [", "x = {", "\ufeff", "# comment", "", "x = nan",
    "x = 1979-05-27T07:32:00Z", "[generated]\npatterns = []", "ai = 3", "trace = []",
]


@st.composite
def toml_documents(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(st.one_of(st.sampled_from(TOML_FRAGMENTS), st.text(max_size=15)),
                          max_size=14))
    text = "\n".join(lines)
    tail = draw(st.binary(max_size=4))
    return text.encode("utf-8", "surrogatepass") + tail


def _load(tmp: Path, name: str, data: bytes) -> Any:
    import codemap.config as config_mod
    from codemap.repo import Repo

    for old in (".codemap.toml", "pyproject.toml"):
        (tmp / old).unlink(missing_ok=True)
    (tmp / name).write_bytes(data)
    config_mod._cache.clear()  # same size and mtime as the last example: not a new file
    return config_mod.load_config(Repo(root=tmp, git_dir=None, common_dir=None))


@pytest.fixture(scope="module")
def config_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("config")


@SETTINGS
@given(st.one_of(toml_documents(), st.binary(max_size=300)),
       st.sampled_from([".codemap.toml", "pyproject.toml"]))
def test_config_files_of_any_bytes_only_raise_input_error(config_dir: Path, data: bytes,
                                                          name: str) -> None:
    if name == "pyproject.toml" and data[:1] != b"\0":
        data = b"[tool.codemap]\n" + data
    config = refused_cleanly(lambda: _load(config_dir, name, data), InputError)
    if config is not None:
        assert config.source in (None, name)


def test_unknown_config_keys_warn_by_name(config_dir: Path) -> None:
    data = b'colour = "red"\n[trace]\nmaps = {}\nmapz = 1\n'
    config = _load(config_dir, ".codemap.toml", data)
    assert any("colour" in w for w in config.warnings)
    assert any("trace.mapz" in w for w in config.warnings)
    config = _load(config_dir, "pyproject.toml", b"[tool.codemap]\nexlude = []\n")
    assert any("tool.codemap.exlude" in w for w in config.warnings)


def test_config_parse_time_is_linear(config_dir: Path) -> None:
    def make(n: int) -> bytes:
        body = "".join(f'"/srv/app{k}" = "src/{k}"\n' for k in range(n))
        excl = ", ".join(f'"vendor{k}/**"' for k in range(n))
        return f"exclude = [{excl}]\n[trace.maps]\n{body}".encode()

    assert_linear(make, lambda data: _load(config_dir, ".codemap.toml", data), 300)


# ----------------------------------------------------------------------------- TARGET strings

TARGET_PIECES = ["shop/orders.py", "shop", "evil/mod.py", EVIL_FILE, "notes.txt", ":", "-", "1",
                 "0", "12", "999999999", "9" * 30, "load_order", "OrderService.handle", ".", "/",
                 "..", "../..", "/etc/passwd", "\x00", " ", "\x1b]0;x\x07", "²", "٣", "*", "[",
                 "shop.orders", "evil.mod.boom", "assets/logo.png"]
target_texts = st.one_of(
    st.text(max_size=40),
    st.lists(st.sampled_from(TARGET_PIECES), min_size=1, max_size=6).map("".join))


@FEW
@given(target_texts)
def test_resolve_target_only_raises_usage_errors(repo: Any, reader: Any, text: str) -> None:
    from codemap.targets import Target, resolve_target

    target = refused_cleanly(lambda: resolve_target(repo, reader, text), UsageError)
    if target is not None:
        assert isinstance(target, Target) and not target.path.startswith("/")
        if target.start_line is not None:
            assert 1 <= target.start_line <= (target.end_line or target.start_line)


@FEW
@given(target_texts)
def test_history_target_only_raises_codemap_errors(repo: Any, text: str) -> None:
    from codemap.history.target import resolve_history_target

    refused_cleanly(lambda: resolve_history_target(repo, text))


@SETTINGS
@given(target_texts)
def test_path_line_locations_only_raise_usage_errors(repo: Any, text: str) -> None:
    from codemap.index.service import parse_location

    found = refused_cleanly(lambda: parse_location(repo, text), UsageError)
    if found is not None:
        path, line = found
        assert isinstance(path, str) and path and 1 <= line < 10 ** 9


@FEW
@given(target_texts)
def test_symbol_at_only_raises_usage_errors(repo: Any, reader: Any, text: str) -> None:
    from codemap.index.service import symbol_at

    refused_cleanly(lambda: symbol_at(repo, text), UsageError)


def test_target_resolution_time_is_linear(repo: Any, reader: Any) -> None:
    from codemap.targets import resolve_target

    def run(text: str) -> None:
        refused_cleanly(lambda: resolve_target(repo, reader, text), UsageError)

    assert_linear(lambda n: "shop.orders.load_order" * n, run, 20)
    assert_linear(lambda n: "shop/orders.py:" + "1-" * n, run, 50)


# ----------------------------------------------------------------------------- --map, --since

@SETTINGS
@given(st.lists(st.one_of(st.text(max_size=30),
                          st.tuples(st.text(max_size=10), st.text(max_size=10))
                          .map(lambda t: f"{t[0]}={t[1]}")), max_size=5))
def test_map_options_only_raise_usage_errors(values: list[str]) -> None:
    from codemap.cli.cmd_trace import parse_maps

    maps = refused_cleanly(lambda: parse_maps(tuple(values)), UsageError)
    if maps is not None:
        assert len(maps) == len(values)
        assert all(src and "=" not in src and dst for src, dst in maps)


since_texts = st.one_of(
    st.text(max_size=40),
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.dates().map(str),
    st.floats().map(str),
    st.integers(-(10 ** 30), 10 ** 30).map(str),
    st.sampled_from(["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "nan", "-inf",
                     "1e400", "2026-01-05 14:30:00Z", "2026-13-01", "  2026-01-05  ", "Z"]))


@SETTINGS
@given(since_texts)
def test_since_times_only_raise_usage_errors(text: str) -> None:
    from codemap.history.suspects import parse_since

    value = refused_cleanly(lambda: parse_since(text), UsageError)
    assert value is None or isinstance(value, float)


# ----------------------------------------------------------------------------- review ranges

RANGE_PIECES = ["HEAD", "HEAD~1", "HEAD~2", "main", "feature", "..", "...", "^", "~", "@",
                "--output=x", "-p", "nosuch", "0" * 40, ":", "@{-1}", "HEAD^{tree}", " ", ""]


@FEW
@given(st.one_of(st.text(max_size=20),
                 st.lists(st.sampled_from(RANGE_PIECES), min_size=1, max_size=4).map("".join)),
       st.one_of(st.none(), st.sampled_from(["feature", "main", "--all", "nosuch", ""])))
def test_review_ranges_only_raise_codemap_errors(repo: Any, spec: str, branch: str | None) -> None:
    from codemap.review.rangespec import parse_range

    refused_cleanly(lambda: parse_range(repo, spec, branch))


# ----------------------------------------------------------------------------- CodeTour files

json_scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70),
                         st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=15)
STEP_KEYS = ["file", "directory", "line", "title", "description", "codemap", "uri", "pattern"]
ANCHOR_KEYS = ["symbol", "kind", "offset", "hash", "line_text"]
steps = st.dictionaries(st.sampled_from(STEP_KEYS), st.one_of(
    json_values, st.sampled_from(["shop/orders.py", "evil/mod.py", EVIL_FILE, "shop", "../x",
                                  "/etc/passwd", "a\x00b", "nope.py"]),
    st.dictionaries(st.sampled_from(ANCHOR_KEYS), st.one_of(
        json_scalars, st.sampled_from(["shop.orders.load_order", "function", "load_order"])),
        max_size=5)), max_size=6)
tours = st.fixed_dictionaries(
    {"title": st.one_of(st.text(max_size=10), json_scalars),
     "steps": st.one_of(st.lists(steps, max_size=5), json_values)},
    optional={"ref": st.sampled_from(["HEAD", "HEAD~1", "nosuch", "--all"]),
              "description": json_values, "isPrimary": json_values})


def _dump(value: Any) -> str:
    return json.dumps(value, allow_nan=True)


@SETTINGS
@given(st.one_of(tours.map(_dump), json_values.map(_dump), st.text(max_size=200),
                 st.sampled_from(["[" * 100_000, '{"title": "t", "steps": ' + "[" * 50_000,
                                  '{"title": "t", "steps": [{"line": Infinity}]}',
                                  '{"title": "t", "steps": [{"line": NaN}]}',
                                  '{"title": "t", "steps": [{"line": 1e999}]}',
                                  '{"title": "t", "steps": [{"file": "a.py", "line": 2,'
                                  ' "codemap": {"offset": Infinity}}]}'])))
def test_codetour_parser_only_raises_input_error(text: str) -> None:
    from codemap.codetour import CodeTour, parse_tour

    tour = refused_cleanly(lambda: parse_tour(text, "fuzz.tour"), InputError)
    if tour is not None:
        assert isinstance(tour, CodeTour)
        json.dumps(tour.to_json())
        for step in tour.steps:
            assert step.line is None or (isinstance(step.line, int) and step.line >= 1)


@FEW
@given(tours)
def test_checking_any_tour_only_raises_codemap_errors(repo: Any, reader: Any,
                                                       data: dict[str, Any]) -> None:
    from codemap.codetour import check_tour, index_sources, parse_tour

    tour = refused_cleanly(lambda: parse_tour(_dump(data), "fuzz.tour"), InputError)
    if tour is None:
        return
    symbols_of, find_elsewhere = index_sources(repo, reader)
    checks = refused_cleanly(lambda: check_tour(repo, tour, symbols_of, find_elsewhere))
    if checks is not None:
        assert len(checks) == len(tour.steps)


def test_codetour_parse_time_is_linear() -> None:
    from codemap.codetour import parse_tour

    def make(n: int) -> str:
        return _dump({"title": "t", "steps": [
            {"file": f"pkg/m{k}.py", "line": k + 1, "description": "d" * 40,
             "codemap": {"symbol": f"pkg.m{k}.f", "kind": "function", "offset": 1,
                         "hash": "ab" * 8, "line_text": "return x"}} for k in range(n)]})

    assert_linear(make, lambda text: parse_tour(text), 200)


# ----------------------------------------------------------------------------- requests, routes

def test_request_line_parse_time_is_linear() -> None:
    from codemap.endpoints.request import parse_request

    for make in (lambda n: "GET /" + "a/" * n, lambda n: "GET /x?" + "a=1&" * n,
                 lambda n: '"' + "POST /c HTTP/1.1 " * n, lambda n: "curl -X " * n + "http://h/"):
        assert_linear(make, parse_request, 200)


def test_route_pattern_compile_time_is_linear() -> None:
    from codemap.endpoints.patterns import compile_route

    for syntax, make in (("werkzeug", lambda n: "/users/<int:id>" * n),
                         ("starlette", lambda n: "/{a}/b" * n),
                         ("express", lambda n: "/:id(\\d+)" * n),
                         ("regex", lambda n: "^" + "(?P<x%d>[0-9]+)/" * 0 + "a+" * n + "$")):
        assert_linear(make, lambda text, s=syntax: compile_route(((text, s),)), 50)


def test_a_refusal_quoting_a_newline_is_still_one_line(repo: Any) -> None:
    """Found by the fuzzer above: a history target of backslash, newline, 0 was refused
    with a two-line message (the path quoted as it was)."""
    from codemap.history.target import resolve_history_target

    refused_cleanly(lambda: resolve_history_target(repo, "\\\n0"))
