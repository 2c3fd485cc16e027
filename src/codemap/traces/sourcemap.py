"""Source Map v3: decode a map and answer "which original position is this?".

A trace of compiled or bundled JavaScript names the generated file
(``dist/app/cart.js:12:36``); the map written beside it by tsc, esbuild,
webpack, Rollup ... says which source line that position came from. This
module reads the format (https://tc39.es/ecma426/, the Source Map v3
proposal it grew from): ``version``, ``sources``, ``sourceRoot``, ``names``,
``mappings`` (base64 VLQ) and index maps (``sections`` holding maps).
Finding a map and turning its sources into repository paths is
:mod:`codemap.traces.generated`'s job.

Why not a PyPI library: the pure-Python ones (``sourcemap`` 0.2.1,
``python-sourcemaps`` 1.1, ``jssourcemap`` 1.0.3, ``libsourcemap``) have had
no release since 2015-2018, and Sentry's maintained ``symbolic`` is a large
native wheel for debug files, minidumps and more. The decoder is small, and
owning it lets it refuse hostile input cheaply: a size cap before anything
is parsed, VLQ values bounded, and ``mappings`` decoded lazily only up to
the line asked for (fields 2-5 are deltas that run across lines, so the
lines before must be summed, but they are never stored); the lines asked
for are kept as arrays (40 bytes a segment). For scale: esbuild's 14 MB map
of the minified TypeScript compiler (685,000 segments) answers a lookup on
its last line in about 0.7 s, and later lookups at once.

Lines and columns here are 0-based, as in the format.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_right
from dataclasses import dataclass
from itertools import chain

MAX_MAP_BYTES = 32 * 1024 * 1024  # bigger maps are refused, not parsed
MAX_SECTIONS = 10_000
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_MAX_SHIFT = 30  # 7 base64 digits: values stay below 2**35
_SEGMENT_CACHE = 1 << 18


class SourceMapError(ValueError):
    """The data is not a usable Source Map v3 (corrupt, too big, unsupported)."""


@dataclass(frozen=True)
class Original:
    """An original position: ``source`` as written in the map (``sourceRoot``
    applied), 0-based ``line`` and ``column``, and the ``name`` recorded there."""

    source: str
    line: int
    column: int
    name: str | None = None


def decode_vlq(segment: str) -> list[int]:
    """The signed integers of one base64 VLQ segment (``"AAgBC"`` -> ``[0, 0, 16, 1]``)."""
    out: list[int] = []
    value = 0
    shift = 0
    for ch in segment:
        digit = _B64.get(ch)
        if digit is None:
            raise SourceMapError(f"bad character {ch!r} in mappings")
        value += (digit & 31) << shift
        if digit & 32:
            shift += 5
            if shift > _MAX_SHIFT:
                raise SourceMapError("VLQ value too large")
            continue
        out.append(-(value >> 1) if value & 1 else value >> 1)
        value = 0
        shift = 0
    if shift:
        raise SourceMapError("truncated VLQ value")
    return out


class _Line:
    """The segments of one generated line, compactly: ``cols`` (sorted generated
    columns) and ``data`` (source index, line, column, name index per segment;
    source -1 for a segment that maps to nothing, name -1 for no name)."""

    __slots__ = ("cols", "data")

    def __init__(self, cols: array[int], data: array[int]) -> None:
        self.cols = cols
        self.data = data

    def segment(self, k: int) -> tuple[int, int, int, int]:
        return self.data[4 * k], self.data[4 * k + 1], self.data[4 * k + 2], self.data[4 * k + 3]


_NO_SEGMENTS = _Line(array("q"), array("q"))  # shared by every empty line; never changed


class _Regular:
    """A regular (non-index) map, decoded lazily line by line."""

    def __init__(self, data: dict[str, object]) -> None:
        sources = data.get("sources")
        mappings = data.get("mappings")
        if not isinstance(sources, list) or not isinstance(mappings, str):
            raise SourceMapError("a source map needs 'sources' and 'mappings'")
        root = data.get("sourceRoot")
        root = root if isinstance(root, str) else ""
        if root and not root.endswith("/"):
            root += "/"
        self.sources = [root + s if isinstance(s, str) else None for s in sources]
        names = data.get("names")
        self.names = [n if isinstance(n, str) else None for n in names] if isinstance(names, list) else []
        self._lines = mappings.split(";")
        # (source, original line, original column, name) at the start of each line
        # reached so far: any line decodes alone from its start state
        self._starts: list[tuple[int, int, int, int]] = [(0, 0, 0, 0)]
        self._kept: dict[int, _Line] = {}  # the lines asked for, decoded
        self._segments: dict[str, tuple[int, ...]] = {"": ()}  # each distinct segment decoded once

    def _vlq(self, seg: str) -> tuple[int, ...]:
        v = self._segments.get(seg)
        if v is None:
            v = tuple(decode_vlq(seg))
            if len(self._segments) < _SEGMENT_CACHE:
                self._segments[seg] = v
        return v

    def _line(self, index: int) -> _Line:
        hit = self._kept.get(index)
        if hit is not None:
            return hit
        starts, lines = self._starts, self._lines
        while len(starts) <= index:  # sum the deltas of the lines before, keeping nothing
            starts.append(self._advance(lines[len(starts) - 1], starts[-1]))
        found = self._decode(lines[index], starts[index]) if lines[index] else _NO_SEGMENTS
        self._kept[index] = found
        return found

    def _advance(self, text: str, state: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        """The state after line ``text``: only fields 2-5 run across lines."""
        src, oline, ocol, name = state
        vlq = self._vlq
        for seg in text.split(","):
            v = vlq(seg)
            n = len(v)
            if n >= 4:
                src += v[1]
                oline += v[2]
                ocol += v[3]
                if n == 5:
                    name += v[4]
            if n not in (0, 1, 4, 5):
                raise SourceMapError(f"a mappings segment has {n} fields")
        return src, oline, ocol, name

    def _decode(self, text: str, state: tuple[int, int, int, int]) -> _Line:
        # the hot loop for a minified bundle's one long line: segments repeat a
        # lot, so each distinct one is decoded once; values are checked on use
        src, oline, ocol, name = state
        col = 0
        segs: list[tuple[int, int, int, int, int]] = []
        add = segs.append
        vlq = self._vlq
        for seg in text.split(","):
            v = vlq(seg)
            n = len(v)
            if n == 4:
                col += v[0]
                src += v[1]
                oline += v[2]
                ocol += v[3]
                add((col, src, oline, ocol, -1))
            elif n == 5:
                col += v[0]
                src += v[1]
                oline += v[2]
                ocol += v[3]
                name += v[4]
                add((col, src, oline, ocol, name))
            elif n == 1:
                col += v[0]
                add((col, -1, 0, 0, -1))
            elif n:
                raise SourceMapError(f"a mappings segment has {n} fields")
        if any(segs[k][0] > segs[k + 1][0] for k in range(len(segs) - 1)):
            segs.sort(key=lambda t: t[0])
        try:  # 40 bytes a segment instead of about 170 as tuples
            return _Line(array("q", [t[0] for t in segs]),
                         array("q", chain.from_iterable(t[1:] for t in segs)))
        except OverflowError:
            raise SourceMapError("a mappings value is out of range") from None

    def lookup(self, line: int, column: int | None) -> Original | None:
        if line < 0 or line >= len(self._lines):
            return None
        segs = self._line(line)
        if not segs.cols:
            return None
        if column is None:  # no column printed: the line's first mapped segment
            k = next((k for k in range(len(segs.cols)) if segs.data[4 * k] >= 0), -1)
        else:  # the segment that starts at or before the column (greatest lower bound)
            k = bisect_right(segs.cols, column) - 1
        if k < 0:
            return None
        src, oline, ocol, name = segs.segment(k)
        if src < 0:
            return None
        if src >= len(self.sources) or oline < 0 or ocol < 0:
            raise SourceMapError("a mappings segment points outside the map")
        source = self.sources[src]
        if source is None:
            return None
        return Original(source, oline, ocol, self.names[name] if 0 <= name < len(self.names) else None)

    def last(self) -> Original | None:
        """The last mapped position of the file (a bundle's entry module usually ends it)."""
        for index in range(len(self._lines) - 1, -1, -1):
            if self._lines[index]:
                segs = self._line(index)
                for k in range(len(segs.cols) - 1, -1, -1):
                    if segs.data[4 * k] >= 0:
                        return self.lookup(index, segs.cols[k])
        return None


class SourceMap:
    """A decoded map (regular or index); :meth:`lookup` maps generated positions."""

    def __init__(self, data: object, *, _depth: int = 0) -> None:
        if not isinstance(data, dict):
            raise SourceMapError("a source map is a JSON object")
        if data.get("version") not in (3, "3"):
            raise SourceMapError("only version 3 source maps are supported")
        self._regular: _Regular | None = None
        self._sections: list[tuple[int, int, SourceMap]] = []
        self._keys: list[tuple[int, int]] = []
        sections = data.get("sections")
        if sections is None:
            self._regular = _Regular(data)
            self.names = self._regular.names
            return
        if _depth or not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
            raise SourceMapError("unsupported or oversized index map")
        self.names = []
        for sec in sections:
            off = sec.get("offset") if isinstance(sec, dict) else None
            if not isinstance(off, dict) or "map" not in sec:
                raise SourceMapError("an index map section needs 'offset' and 'map'")
            line, col = off.get("line"), off.get("column")
            if not isinstance(line, int) or not isinstance(col, int) or line < 0 or col < 0:
                raise SourceMapError("bad section offset")
            inner = SourceMap(sec["map"], _depth=_depth + 1)
            self.names = self.names or inner.names
            self._sections.append((line, col, inner))
        self._sections.sort(key=lambda s: (s[0], s[1]))
        self._keys = [(s[0], s[1]) for s in self._sections]

    @property
    def sources(self) -> list[str]:
        """Every source the map names (``sourceRoot`` applied), sections included."""
        if self._regular is not None:
            return [s for s in self._regular.sources if s is not None]
        return [s for _, _, inner in self._sections for s in inner.sources]

    def last(self) -> Original | None:
        """The original position of the file's last mapping (None when nothing maps)."""
        if self._regular is not None:
            return self._regular.last()
        for _, _, inner in reversed(self._sections):
            found = inner.last()
            if found is not None:
                return found
        return None

    def lookup(self, line: int, column: int | None) -> Original | None:
        """The original position of generated ``line``/``column`` (0-based), if mapped.

        ``column`` None (the trace printed none) takes the line's first mapping.
        """
        if self._regular is not None:
            return self._regular.lookup(line, column)
        k = bisect_right(self._keys, (line, column if column is not None else 0))
        if not k:
            return None
        sline, scol, inner = self._sections[k - 1]
        if line == sline and column is not None:
            column -= scol
        return inner.lookup(line - sline, column)


def parse_source_map(data: bytes | str) -> SourceMap:
    """Decode a map from its JSON text; :class:`SourceMapError` when unusable.

    A leading ``)]}'`` line (the anti-XSSI prefix the format allows) is skipped.
    """
    if len(data) > MAX_MAP_BYTES:
        raise SourceMapError(f"source map larger than {MAX_MAP_BYTES // (1024 * 1024)} MiB")
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff")
    if text.startswith(")]}"):
        text = text.partition("\n")[2]
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SourceMapError(f"not JSON: {exc}") from None
    return SourceMap(obj)
