"""The Source Map v3 decoder: VLQ values worked out by hand, lookups on small maps
whose every segment is checked by hand, index maps, and corrupt or oversized input.

The real maps (tsc, esbuild) are exercised end to end in
test_sourcemapped_traces.py, against node's own ``--enable-source-maps``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from codemap.traces import sourcemap
from codemap.traces.sourcemap import (
    Original,
    SourceMapError,
    decode_vlq,
    parse_source_map,
)

BUILT = Path(__file__).parent / "sourcemap_project" / "built"


# Base64 digits: A=0 .. Z=25, a=26 .. z=51, 0=52 .. 9=61, +=62, /=63. The low bit
# of a number's first digit is its sign; bit 5 (32) of each digit says "more follows".
@pytest.mark.parametrize(("text", "values"), [
    ("A", [0]),                # 0
    ("C", [1]),                # 2 -> +1
    ("D", [-1]),               # 3 -> sign bit set -> -1
    ("e", [15]),               # 30 -> +15, the largest one-digit value
    ("f", [-15]),              # 31
    ("gB", [16]),              # g=32: continue, bits 0; B=1 -> 1<<5 = 32 -> +16
    ("hB", [-16]),             # h=33: bits 1 (sign) -> 33 -> -16
    ("2H", [123]),             # 2=54: bits 22, continue; H=7 -> 22 + 7*32 = 246 -> +123
    ("AAgBC", [0, 0, 16, 1]),  # the example of the Source Map v3 proposal
    # l=37: bits 5, continue; p=41: bits 9 -> 9*32 = 288; B=1 -> 1*1024; 5+288+1024 = 1317,
    # odd -> -(1317 >> 1) = -658; then A, A and E=4 -> +2
    ("lpBAAE", [-658, 0, 0, 2]),
])
def test_vlq_by_hand(text: str, values: list[int]) -> None:
    assert decode_vlq(text) == values


@pytest.mark.parametrize("text", ["g", "A!", "A=", "gggggggggB"])
def test_vlq_rejects_bad_input(text: str) -> None:
    with pytest.raises(SourceMapError):
        decode_vlq(text)


# Line 0: "AAAA"  -> col 0  -> source 0, line 0, col 0
#         "IAAIA" -> col 4  -> source 0, line 0, col 4, name 0 ("greet")
#         "E"     -> col 6  -> maps to nothing
# Line 1: (empty)
# Line 2: "AACA"  -> col 0  -> source 0, line 1, col 4 (line/col/source are deltas across lines)
#         "KCCCA" -> col 5  -> source 1, line 2, col 5, name 0 ("greet"; name delta 0)
HAND = {"version": 3, "file": "out.js", "sourceRoot": "src", "sources": ["a.ts", "b.ts"],
        "names": ["greet"], "mappings": "AAAA,IAAIA,E;;AACA,KCCCA"}


def test_lookup_hand_checked_segments() -> None:
    smap = parse_source_map(json.dumps(HAND))
    assert smap.lookup(0, 0) == Original("src/a.ts", 0, 0)
    assert smap.lookup(0, 3) == Original("src/a.ts", 0, 0)  # greatest lower bound
    assert smap.lookup(0, 4) == Original("src/a.ts", 0, 4, "greet")
    assert smap.lookup(0, 5) == Original("src/a.ts", 0, 4, "greet")
    assert smap.lookup(0, 6) is None  # a one-field segment maps to nothing
    assert smap.lookup(1, 0) is None  # no segment on that line
    assert smap.lookup(2, 0) == Original("src/a.ts", 1, 4)
    assert smap.lookup(2, 99) == Original("src/b.ts", 2, 5, "greet")
    assert smap.lookup(2, None) == Original("src/a.ts", 1, 4)  # no column: first mapping
    assert smap.lookup(3, 0) is None and smap.lookup(-1, 0) is None
    assert smap.sources == ["src/a.ts", "src/b.ts"]
    assert smap.last() == Original("src/b.ts", 2, 5, "greet")  # the last mapping of the file
    assert smap.names == ["greet"]


def test_segments_out_of_order_are_sorted() -> None:
    # "IAAI" (col 4 -> line 0 col 4) written before "HAAH"? Deltas: second segment
    # col 4-4=0 is written as "JAAJ" (-4): it maps col 0 -> line 0 col 0.
    smap = parse_source_map(json.dumps({"version": 3, "sources": ["a.js"], "names": [],
                                        "mappings": "IAAI,JAAJ"}))
    assert smap.lookup(0, 1) == Original("a.js", 0, 0)
    assert smap.lookup(0, 4) == Original("a.js", 0, 4)


def test_index_map_sections() -> None:
    cart = json.loads((BUILT / "tsc" / "cart.js.map").read_text())
    pricing = json.loads((BUILT / "tsc" / "pricing.js.map").read_text())
    index = {"version": 3, "sections": [
        {"offset": {"line": 0, "column": 0}, "map": pricing},
        {"offset": {"line": 100, "column": 10}, "map": cart},
    ]}
    whole = parse_source_map(json.dumps(index))
    alone_cart = parse_source_map(json.dumps(cart))
    alone_pricing = parse_source_map(json.dumps(pricing))
    assert whole.lookup(7, 14) == alone_pricing.lookup(7, 14)
    # the second section: lines shift by 100; on its first line columns shift by 10
    assert whole.lookup(109, 44) == alone_cart.lookup(9, 44) is not None
    assert whole.lookup(100, 12) == alone_cart.lookup(0, 2)
    assert set(whole.sources) == {"../src/pricing.ts", "../src/cart.ts"}


def test_lines_can_be_asked_in_any_order() -> None:
    smap = parse_source_map(json.dumps(HAND))
    assert smap.lookup(2, 99) == Original("src/b.ts", 2, 5, "greet")  # line 2 first
    assert smap.lookup(0, 4) == Original("src/a.ts", 0, 4, "greet")  # then back to line 0
    assert smap.lookup(2, 0) == Original("src/a.ts", 1, 4)


def test_xssi_prefix_and_byte_order_mark() -> None:
    text = ")]}'\n" + json.dumps(HAND)
    assert parse_source_map(text.encode()).lookup(0, 0) == Original("src/a.ts", 0, 0)
    assert parse_source_map("\ufeff" + json.dumps(HAND)).lookup(0, 0) is not None


@pytest.mark.parametrize("data", [
    b"", b"not json", b"[]", b'{"version": 2, "sources": [], "mappings": ""}',
    b'{"version": 3, "mappings": "AAAA"}', b'{"version": 3, "sources": [], "mappings": 5}',
    b'{"version": 3, "sections": [{"offset": {"line": -1, "column": 0}, "map": {}}]}',
    b'{"version": 3, "sections": [{"offset": {"line": 0, "column": 0}, "map": '
    b'{"version": 3, "sections": []}}]}',  # nested index maps are not allowed
    b"[" * 100_000,  # deep nesting: no RecursionError escapes
])
def test_corrupt_maps_raise_one_error_type(data: bytes) -> None:
    with pytest.raises(SourceMapError):
        parse_source_map(data)


@pytest.mark.parametrize("mappings", ["AAAA,A!AA", "AAAAAA", "AA", "AAAg"])
def test_corrupt_mappings_fail_on_lookup(mappings: str) -> None:
    smap = parse_source_map(json.dumps({"version": 3, "sources": ["a.js"], "mappings": mappings}))
    with pytest.raises(SourceMapError):
        smap.lookup(0, 0)


def test_segment_pointing_past_the_sources_is_refused() -> None:
    smap = parse_source_map(json.dumps({"version": 3, "sources": ["a.js"], "mappings": "ACAA"}))
    with pytest.raises(SourceMapError):
        smap.lookup(0, 0)


def test_oversized_map_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sourcemap, "MAX_MAP_BYTES", 1000)
    big = json.dumps({**HAND, "sourcesContent": ["x" * 2000]})
    with pytest.raises(SourceMapError, match="larger than"):
        parse_source_map(big)


def test_lookups_decode_only_up_to_the_line_asked() -> None:
    lines = ["AAAA"] * 1000 + ["!!!!"]  # a corrupt last line is never reached
    smap = parse_source_map(json.dumps({"version": 3, "sources": ["a.js"],
                                        "mappings": ";".join(lines)}))
    assert smap.lookup(10, 0) == Original("a.js", 0, 0)
    with pytest.raises(SourceMapError):
        smap.lookup(1000, 0)
