"""From a frame in generated JavaScript to the repository source it was built from.

Production Node runs without ``--enable-source-maps`` and browsers report
bundle positions, so frames name ``dist/app/cart.js:12:36`` or
``https://cdn/app.3f2a.js:1:28471``: files that are build output, usually
ignored by git and missing from the index. When the build output is on disk
(an ignored ``dist/`` in the working tree, or a committed bundle), its source
map says where the position came from. :class:`SourceMaps` does that for
the frames of one trace:

1. **the generated file**: the frame's own repository file when it mapped
   directly (a committed bundle), otherwise a file on disk found by the same
   rules as :mod:`codemap.pathmap` (under the repository root, the prefix
   map, then path suffixes, also under the usual build directories
   :data:`BUILD_DIRS`). Only names ending in :data:`GENERATED_SUFFIXES`;
2. **its map**: the ``//# sourceMappingURL=`` comment on its last lines
   (a relative URL, or an inline ``data:application/json;base64,`` map),
   else ``FILE.map`` beside it;
3. **the original position** (:mod:`codemap.traces.sourcemap`), whose
   source is resolved against the map's location and ``sourceRoot``;
   bundler URLs (``webpack:///``) and foreign absolute paths go through the
   trace's :class:`~codemap.pathmap.PathMapper`. The answer counts only when
   it is a file of the repository.

Everything is read-only and bounded: files must resolve inside the
repository (symlinks included), sizes are capped, each file and map is
read at most once per trace, and anything unreadable or corrupt leaves the
frame as it was.
"""

from __future__ import annotations

import base64
import binascii
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from codemap.pathmap import SURE_HOWS, PathMapper, normalise_path
from codemap.traces.sourcemap import MAX_MAP_BYTES, SourceMap, SourceMapError, parse_source_map

# Frames in files with these endings may be build output worth a source map.
GENERATED_SUFFIXES = (".js", ".mjs", ".cjs")
# Where builds usually write, for frames that name a server path (``/static/js/x.js``).
BUILD_DIRS = ("dist", "build", "out", "lib", "public", "www", "static", ".next", "target")
MAX_GENERATED_BYTES = 64 * 1024 * 1024  # a generated file read whole (inline maps) at most
_TAIL = 64 * 1024  # enough for an external sourceMappingURL comment
_COMMENT = re.compile(rb"(?:^|\n)[ \t]*(?://|/\*)[#@][ \t]*sourceMappingURL=([^\s*]+)[ \t]*(?:\*/)?[ \t]*$")
_TRAILER = re.compile(rb"^[ \t]*(?://[^\n]*)?$")  # what may follow the comment (//# debugId=...)
_URL_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")

ReadFn = Callable[[str], "bytes | None"]


@dataclass(frozen=True)
class MappedPosition:
    """Where a generated position came from: 1-based ``line``/``column`` of ``path``
    (a repository file). ``generated`` and ``map`` are repository paths of the
    build output and its map (``map`` is ``"inline"`` for a data: URL);
    ``minified`` says the map renames identifiers (its ``names`` is not empty),
    so the function name the runtime printed may differ from the source's."""

    path: str
    line: int
    column: int | None
    name: str | None
    generated: str
    map: str
    minified: bool


@dataclass
class _Loaded:
    smap: SourceMap
    map_path: str  # repository path of the map, or "inline"
    base: str  # directory that relative sources are resolved against


class SourceMaps:
    """Source-map lookups for one trace, memoised per generated file.

    ``mapper`` decides what a repository file is (the index, or the files at
    ``--rev``). ``read_revision`` reads a path at the trace's revision when it
    is committed there (``None``: the working tree only).
    """

    def __init__(self, root: str | os.PathLike[str], mapper: PathMapper,
                 prefix_map: Sequence[tuple[str, str]] = (),
                 read_revision: ReadFn | None = None) -> None:
        self._root = Path(root)
        self._real_root = os.path.realpath(root)
        self._mapper = mapper
        self._prefix_map = [(n.text, dst.strip().replace("\\", "/")) for src, dst in prefix_map
                            if (n := normalise_path(src)) is not None]
        self._read_revision = read_revision
        self._located: dict[str, str | None] = {}
        self._loaded: dict[str, _Loaded | None] = {}
        self._resolved: dict[tuple[str, str], str | None] = {}

    # -- public ---------------------------------------------------------

    def original(self, printed: str, direct: str | None, line: int,
                 column: int | None) -> MappedPosition | None:
        """The repository source behind ``printed``:``line``:``column`` (1-based, as
        runtimes print them), or None. ``direct`` is the repository file the frame
        already mapped to, if any."""
        if line < 1:
            return None
        generated = direct if direct is not None else self._locate(printed)
        if generated is None or not generated.endswith(GENERATED_SUFFIXES):
            return None
        loaded = self._load(generated)
        if loaded is None:
            return None
        try:
            orig = loaded.smap.lookup(line - 1, column - 1 if column else None)
        except (SourceMapError, RecursionError):
            self._loaded[generated] = None  # corrupt further on: stop using this map
            return None
        if orig is None:
            return None
        path = self._source_path(loaded, orig.source)
        if path is None:
            return None
        return MappedPosition(path, orig.line + 1, orig.column + 1 if column else None, orig.name,
                              generated, loaded.map_path, bool(loaded.smap.names))

    def entry_source(self, generated: str) -> str | None:
        """The repository source that build output ``generated`` was made from:
        the map's only repository source, else the one with the same file stem,
        else the source of its last mapping (where bundlers put the entry module)."""
        if not generated.endswith(GENERATED_SUFFIXES):
            return None
        loaded = self._load(generated)
        if loaded is None:
            return None
        found: list[str] = []
        for source in loaded.smap.sources[:10_000]:
            path = self._source_path(loaded, source)
            if path is not None and path not in found:
                found.append(path)
        if len(found) <= 1:
            return found[0] if found else None
        stem = _stem(generated)
        same = [p for p in found if _stem(p) == stem]
        if len(same) == 1:
            return same[0]
        try:
            last = loaded.smap.last()
        except (SourceMapError, RecursionError):
            return None
        return self._source_path(loaded, last.source) if last is not None else None

    # -- finding the generated file -------------------------------------

    def _locate(self, printed: str) -> str | None:
        if printed not in self._located:
            self._located[printed] = self._find_on_disk(printed)
        return self._located[printed]

    def _find_on_disk(self, printed: str) -> str | None:
        norm = normalise_path(printed)
        if norm is None or not norm.text.endswith(GENERATED_SUFFIXES) or "node_modules" in norm.segments:
            return None
        segs = norm.segments
        cands: list[str] = []
        root = self._real_root.replace("\\", "/")
        if norm.absolute:
            for r in (root, str(self._root).replace("\\", "/")):
                if norm.text.startswith(r.rstrip("/") + "/"):
                    # under the repository: that file or nothing, as in PathMapper
                    rel = norm.text[len(r.rstrip("/")) + 1:]
                    return rel if self._inside(rel) is not None else None
        for src, dst in self._prefix_map:
            if norm.text == src or norm.text.startswith(src + "/"):
                rest = norm.text[len(src):].lstrip("/")
                cands.append(posixpath.normpath(posixpath.join(dst or ".", rest)).lstrip("/"))
        for k in range(len(segs), 0, -1):
            tail = "/".join(segs[-k:])
            cands.append(tail)
            if k >= min(2, len(segs)):
                cands.extend(f"{d}/{tail}" for d in BUILD_DIRS)
        for cand in cands:
            if cand.startswith("../") or cand in ("", ".", ".."):
                continue
            if self._inside(cand) is not None:
                return cand
        return None

    def _inside(self, rel: str) -> str | None:
        """The real path of repository file ``rel`` when it is a regular file that
        resolves inside the repository (symlinks followed), else None."""
        try:
            real = os.path.realpath(self._root / rel)
        except (OSError, ValueError):
            return None
        if not real.startswith(self._real_root.rstrip(os.sep) + os.sep) or not os.path.isfile(real):
            return None
        return real

    # -- reading --------------------------------------------------------

    def read(self, rel: str, limit: int = 8 * 1024 * 1024) -> bytes | None:
        """A repository file's bytes, at the revision traced when there is one (None:
        missing, outside the repository or larger than ``limit``)."""
        return self._read(rel, limit)

    def _read(self, rel: str, limit: int, *, tail: int | None = None) -> bytes | None:
        """``rel``'s bytes (its last ``tail`` bytes when given); None when missing,
        outside the repository or larger than ``limit``."""
        if self._read_revision is not None:
            data = self._read_revision(rel)
            if data is not None:
                if len(data) > limit:
                    return data[-tail:] if tail else None
                return data[-tail:] if tail else data
        real = self._inside(rel)
        if real is None:
            return None
        try:
            with open(real, "rb") as fh:
                size = os.fstat(fh.fileno()).st_size
                if tail is not None and size > tail:
                    fh.seek(size - tail)
                    return fh.read(tail)
                if size > limit:
                    return None
                return fh.read(limit + 1)[:limit]
        except OSError:
            return None

    def _load(self, generated: str) -> _Loaded | None:
        if generated not in self._loaded:
            try:
                self._loaded[generated] = self._load_map(generated)
            except (SourceMapError, RecursionError, MemoryError):
                self._loaded[generated] = None
        return self._loaded[generated]

    def _load_map(self, generated: str) -> _Loaded | None:
        gen_dir = posixpath.dirname(generated)
        url = self._comment_url(generated)
        if url is not None and url.startswith("data:"):
            return _Loaded(parse_source_map(_data_url(url)), "inline", gen_dir)
        tried: list[str] = []
        if url is not None:
            rel = _relative_url(gen_dir, url)
            if rel is not None:
                tried.append(rel)
        tried.append(generated + ".map")
        for rel in tried:
            data = self._read(rel, MAX_MAP_BYTES)
            if data is not None:
                return _Loaded(parse_source_map(data), rel, posixpath.dirname(rel))
        return None

    def _comment_url(self, generated: str) -> str | None:
        """The URL of the ``sourceMappingURL`` comment on the file's last lines."""
        data = self._read(generated, MAX_GENERATED_BYTES, tail=_TAIL)
        if data is None:
            return None
        url = _find_comment(data)
        if url is None and len(data) >= _TAIL and b"\n" not in data.rstrip():
            # the last line is longer than the tail: perhaps a large inline map
            whole = self._read(generated, MAX_GENERATED_BYTES)
            url = _find_comment(whole) if whole is not None else None
        return url

    # -- original sources -> repository files ----------------------------

    def _source_path(self, loaded: _Loaded, source: str) -> str | None:
        key = (loaded.base, source)
        if key not in self._resolved:
            self._resolved[key] = self._resolve_source(loaded.base, source)
        return self._resolved[key]

    def _resolve_source(self, base: str, source: str) -> str | None:
        text = source.strip().replace("\\", "/")
        if not text or "\0" in text:
            return None
        foreign = (text.startswith("/") or bool(_URL_SCHEME.match(text)))
        if not foreign:
            joined = posixpath.normpath(posixpath.join(base or ".", unquote(text.split("?", 1)[0])))
            if joined == ".." or joined.startswith("../") or joined.startswith("/"):
                return None  # climbs out of the repository
            text = joined
        match = self._mapper.map(text)
        return match.path if match.how in SURE_HOWS else None


def _stem(path: str) -> str:
    """``dist/immer.legacy-esm.js`` -> ``immer``."""
    return path.rsplit("/", 1)[-1].split(".", 1)[0]


def _find_comment(data: bytes) -> str | None:
    """The URL of a ``//# sourceMappingURL=`` comment among the last lines of ``data``."""
    end = len(data)
    pos = data.rfind(b"sourceMappingURL=")
    while pos != -1:
        line_start = data.rfind(b"\n", 0, pos) + 1
        line_end = data.find(b"\n", pos)
        line_end = end if line_end == -1 else line_end
        m = _COMMENT.search(data, max(0, line_start - 1), line_end)
        if m is not None:
            rest = data[line_end:].split(b"\n")
            if len(rest) <= 6 and all(_TRAILER.match(r) for r in rest):
                return m.group(1).decode("utf-8", "replace")
            return None
        if end - pos > 4096:
            return None  # not on the last lines
        pos = data.rfind(b"sourceMappingURL=", 0, pos)
    return None


def _data_url(url: str) -> bytes:
    """The bytes of an inline ``data:application/json[;charset=...][;base64],...`` map."""
    head, sep, body = url.partition(",")
    if not sep or "json" not in head.lower():
        raise SourceMapError("inline map is not JSON")
    if len(body) > MAX_MAP_BYTES * 4 // 3 + 4:
        raise SourceMapError("inline map too large")
    if head.lower().endswith(";base64"):
        try:
            return base64.b64decode(body + "=" * (-len(body) % 4), validate=False)
        except (binascii.Error, ValueError):
            raise SourceMapError("inline map is not valid base64") from None
    return unquote(body).encode("utf-8", "surrogatepass")


def _relative_url(gen_dir: str, url: str) -> str | None:
    """A map URL as a repository path: relative to the generated file's directory.

    Remote (``https://``) and root-relative (``/static/x.map``) URLs cannot be
    followed here: their file name is tried beside the generated file.
    """
    url = unquote(url.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
    if not url:
        return None
    if url.startswith("/") or _URL_SCHEME.match(url):
        name = url.rstrip("/").rsplit("/", 1)[-1]
        return posixpath.join(gen_dir, name) if name and name not in (".", "..") else None
    joined = posixpath.normpath(posixpath.join(gen_dir or ".", url))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        return None
    return joined
