"""The text readers never raise anything but InputError, whatever the input."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from codemap.coverage.cobertura import parse_cobertura
from codemap.coverage.gocover import parse_go_profile
from codemap.coverage.jacoco import parse_jacoco
from codemap.coverage.lcov import parse_lcov
from codemap.coverage.recording import StaticRecording
from codemap.coverage.sniff import sniff_bytes
from codemap.errors import InputError

NAME = Path("fuzz.data")
READERS = (parse_lcov, parse_go_profile, parse_cobertura, parse_jacoco)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

numbers = st.one_of(st.integers(-5, 12), st.integers(-(10 ** 12), 10 ** 40).map(str),
                    st.sampled_from(["", "-", "1.5", "nan", "inf", "1e400", "0x10", " 3 ", "٣"]))
texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


def _accept(reader, data: bytes) -> None:
    try:
        result = reader(data, NAME)
    except InputError as exc:
        assert exc.message and "\n" not in exc.message.strip("\n")
        return
    assert isinstance(result, StaticRecording)
    for name in result.names():
        rec = result.file(name, None)
        assert all(isinstance(k, int) and k >= 1 for k in rec.hits)


@SETTINGS
@given(st.binary(max_size=400))
def test_arbitrary_bytes(data: bytes) -> None:
    for reader in READERS:
        _accept(reader, data)
    try:
        sniff_bytes(data, "fuzz")
    except InputError:
        pass


@st.composite
def lcov_docs(draw: st.DrawFn) -> bytes:
    keys = st.sampled_from(["TN", "SF", "DA", "BRDA", "FN", "FNDA", "LF", "LH", "BRF", "VER",
                            "end_of_record", "junk", ""])
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        key = draw(keys)
        fields = draw(st.lists(st.one_of(numbers.map(str), texts), max_size=5))
        lines.append(key if key == "end_of_record" else f"{key}:{','.join(fields)}")
    return "\n".join(lines).encode("utf-8", "surrogateescape")


@SETTINGS
@given(lcov_docs())
def test_lcov_like(data: bytes) -> None:
    _accept(parse_lcov, data)


@st.composite
def go_docs(draw: st.DrawFn) -> bytes:
    lines = [f"mode: {draw(st.sampled_from(['set', 'count', 'atomic', 'bogus', '']))}"]
    for _ in range(draw(st.integers(0, 10))):
        n = [draw(numbers) for _ in range(6)]
        name = draw(st.one_of(texts, st.just("github.com/a/b/c.go")))
        lines.append(f"{name}:{n[0]}.{n[1]},{n[2]}.{n[3]} {n[4]} {n[5]}")
    return "\n".join(lines).encode("utf-8", "surrogateescape")


@SETTINGS
@given(go_docs())
def test_go_like(data: bytes) -> None:
    _accept(parse_go_profile, data)


def _attrs(draw: st.DrawFn, names: list[str]) -> str:
    out = []
    for name in names:
        if draw(st.booleans()):
            value = str(draw(st.one_of(numbers, texts)))
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
            out.append(f'{name}="{value}"')
    return " ".join(out)


@st.composite
def cobertura_docs(draw: st.DrawFn) -> bytes:
    parts = [f"<coverage {_attrs(draw, ['timestamp', 'version'])}>"]
    if draw(st.booleans()):
        parts.append(f"<sources><source>{draw(texts).replace('&', '').replace('<', '')}"
                     "</source></sources>")
    parts.append("<packages><package><classes>")
    for _ in range(draw(st.integers(0, 3))):
        parts.append(f"<class {_attrs(draw, ['filename', 'name'])}><lines>")
        for _ in range(draw(st.integers(0, 4))):
            parts.append(f"<line {_attrs(draw, ['number', 'hits', 'branch', 'condition-coverage'])}/>")
        parts.append("</lines></class>")
    parts.append("</classes></package></packages></coverage>")
    return "".join(parts).encode("utf-8", "surrogateescape")


@SETTINGS
@given(cobertura_docs())
def test_cobertura_like(data: bytes) -> None:
    _accept(parse_cobertura, data)


@st.composite
def jacoco_docs(draw: st.DrawFn) -> bytes:
    parts = ["<report name='x'>", f"<sessioninfo {_attrs(draw, ['id', 'start', 'dump'])}/>"]
    for _ in range(draw(st.integers(0, 2))):
        parts.append(f"<package {_attrs(draw, ['name'])}>")
        for _ in range(draw(st.integers(0, 2))):
            parts.append(f"<sourcefile {_attrs(draw, ['name'])}>")
            for _ in range(draw(st.integers(0, 4))):
                parts.append(f"<line {_attrs(draw, ['nr', 'mi', 'ci', 'mb', 'cb'])}/>")
            parts.append("</sourcefile>")
        parts.append("</package>")
    parts.append("</report>")
    return "".join(parts).encode("utf-8", "surrogateescape")


@SETTINGS
@given(jacoco_docs())
def test_jacoco_like(data: bytes) -> None:
    _accept(parse_jacoco, data)
