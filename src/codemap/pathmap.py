"""Turn foreign paths into repository paths: the one place that does it.

Stack-trace frames and coverage data written on another machine name files
the way *that* machine saw them: ``/srv/app/pkg/mod.py`` in a container,
``/home/runner/work/x/x/src/a.ts`` on CI, ``C:\\build\\App\\Foo.cs`` on a
Windows agent, ``webpack:///./src/App.js`` from a bundler, ``file:///...``
from Node's ES modules. :class:`PathMapper` turns each into a path of the
repository (POSIX, repo-relative) or says why it cannot:

1. library locations (site-packages, node_modules, vendor/, the JDK, the Go
   root and module cache, ``<frozen ...>``, ``node:internal`` ...) are
   ``outside``: they are never matched against repository files, even when
   a file of the same name exists there; except an installed copy of one of
   the repository's own packages (``node_modules/<its package.json name>/``,
   ``site-packages/<its package>/``, ...: :mod:`codemap.ownpackages`), whose
   files are the repository's (``installed``);
2. the prefix map (``--map /srv/app=.`` and the config file) is applied
   first, longest prefix winning;
3. a path under ``repo_root``, or a relative path naming a repository file,
   is ``exact``;
4. otherwise the longest suffix of whole path segments shared with a
   repository file wins (``suffix``); several equally long matches are
   ``ambiguous`` and listed as candidates. :meth:`PathMapper.map_many` then
   settles ambiguous paths with the deployment roots learned from the
   unambiguous ones (all frames of one trace, all files of one coverage
   report usually share a root).

Repository files are indexed by basename, and answers are memoised per raw
path, so mapping every line of a large coverage report stays cheap.
"""

from __future__ import annotations

import posixpath
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from codemap.ownpackages import MAX_MANIFEST, OwnPackages

HOW_VALUES = ("exact", "prefix-map", "suffix", "installed", "ambiguous", "outside", "none")
# the answers that name one repository file for certain
SURE_HOWS = ("exact", "prefix-map", "suffix", "installed")


@dataclass(frozen=True)
class PathMatch:
    """The repository file a foreign path names, or why there is none.

    ``how`` is one of :data:`HOW_VALUES`. ``path`` is set for ``exact``,
    ``prefix-map`` and ``suffix``; ``candidates`` lists the equally good
    files for ``ambiguous`` (and the single answer otherwise).
    """

    path: str | None
    candidates: tuple[str, ...]
    how: str

    @property
    def in_repo(self) -> bool:
        return self.path is not None


# Paths that belong to runtimes, package managers and vendored code. Matched
# against the normalised path with a leading and trailing "/" (so each
# pattern can anchor on whole segments). Data, not code: add a runtime here.
OUTSIDE_PATTERNS: tuple[tuple[str, str], ...] = (
    ("python-packages", r"/(?:site|dist)-packages/"),
    ("python-stdlib", r"/lib(?:64)?/python\d+(?:\.\d+)?t?/"),
    ("python-stdlib-windows", r"/python\d*/lib/"),
    ("python-env", r"/\.(?:venv|tox|nox|pyenv)/"),
    ("node-modules", r"/node_modules/"),
    ("node-internal", r"^/node:"),
    ("vendored", r"/vendor/"),
    ("bower", r"/bower_components/"),
    ("jdk", r"/usr/lib/jvm/|/(?:jdk|jre)[-\w.]*/(?:lib|jmods|src)/"),
    ("jrt", r"^/jrt:/"),
    ("go-root", r"/(?:usr/local/go|usr/lib/go[-\d.]*|sdk/go[\d.]+|hostedtoolcache/go/[^/]+/[^/]+"
                r"|Cellar/go/[^/]+/libexec)/src/"),
    ("go-module-cache", r"/go/pkg/mod/|/pkg/mod/cache/"),
    ("go-module-version", r"/[^/]+@v\d[^/]*/"),
    ("ruby-gems", r"/(?:gems|rubygems)/"),
    ("ruby-stdlib", r"/lib/ruby/\d+\.\d+\.\d+/"),
    ("rust-std", r"^/rustc/[0-9a-f]+/"),
    ("rust-registry", r"/\.cargo/(?:registry|git)/"),
    ("dotnet-runtime", r"/_/src/(?:libraries|coreclr|mono)/"),
    ("php-pear", r"/usr/share/php/"),
)

_OUTSIDE_RE = re.compile("|".join(f"(?:{p})" for _, p in OUTSIDE_PATTERNS), re.IGNORECASE)

# Names that are not files at all: <frozen runpy>, <string>, <anonymous>,
# [native code], node:fs, native, eval sources.
_PSEUDO_RE = re.compile(
    r"^(?:<[^>]*>|\[[^\]]*\]|native|unknown|node:.*|internal/.*|evalmachine\.<anonymous>"
    r"|eval(?: at .*)?|<frozen .*|Unknown Source|Native Method|\{main\}|\[internal\].*)$",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(//)?(.*)$", re.DOTALL)
_WIN_DRIVE_RE = re.compile(r"^/?([a-zA-Z]):(?=/|$)")
_SCHEMES_WITH_HOST = {"http", "https", "ws", "wss", "app", "chrome-extension", "moz-extension",
                      "safari-extension", "capacitor", "ionic"}
_BUNDLER_SCHEMES = {"webpack", "webpack-internal", "turbopack", "rollup", "vite", "ng"}


@dataclass(frozen=True)
class _Norm:
    segments: tuple[str, ...]  # normalised path segments, never "." or ".."
    absolute: bool
    windows: bool  # compare case-insensitively
    text: str  # "/".join(segments), with a leading "/" when absolute


def normalise_path(raw: str) -> _Norm | None:
    """Strip URL schemes, bundler prefixes, drive letters; split into segments.

    Returns None for pseudo-files (``<string>``, ``node:fs``) and empty input.
    """
    text = raw.strip().strip("\"'")
    if not text or _PSEUDO_RE.match(text):
        return None
    windows = "\\" in text or bool(_WIN_DRIVE_RE.match(text))
    text = text.replace("\\", "/")
    if text.startswith("async "):  # Chrome 109 "at fn (async http://...)" quirk
        text = text[6:]
    m = _URL_RE.match(text)
    if m and not _WIN_DRIVE_RE.match(text):
        scheme = m.group(1).lower()
        rest = m.group(3)
        if scheme == "file":
            text = unquote(rest.split("?", 1)[0].split("#", 1)[0])
            if m.group(2) and not text.startswith("/"):
                # file://host/path -> /path
                text = "/" + text.split("/", 1)[1] if "/" in text else ""
            if _WIN_DRIVE_RE.match(text):
                windows = True
        elif scheme in _BUNDLER_SCHEMES:
            rest = rest.split("?", 1)[0]
            if rest.startswith("/"):  # webpack:///./src or webpack:///abs
                text = rest[1:] if rest.startswith("/./") or rest.startswith("/../") else rest
            else:  # webpack://project-name/./src/x.js
                first, _, after = rest.partition("/")
                text = after if after.startswith(("./", "../")) or after else first
        elif scheme in _SCHEMES_WITH_HOST or m.group(2):
            path = rest.split("/", 1)[1] if "/" in rest else ""
            text = unquote(path.split("?", 1)[0].split("#", 1)[0])
        elif scheme in ("jrt", "node"):
            return _Norm((), True, False, f"/{scheme}:{rest}")
        else:
            return None
    drive = _WIN_DRIVE_RE.match(text)
    if drive:
        text = text[drive.end():] or "/"
        windows = True
    absolute = text.startswith("/")
    if text.startswith("//"):  # UNC \\server\share\path: drop server and share
        parts = [p for p in text.split("/") if p]
        text = "/" + "/".join(parts[2:])
    segments: list[str] = []
    for seg in text.split("/"):
        if not seg or seg == ".":
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    if not segments:
        return None
    joined = "/".join(segments)
    return _Norm(tuple(segments), absolute, windows, ("/" + joined) if absolute else joined)


def _split_map_prefix(prefix: str) -> str:
    """A prefix-map ``from`` side in the normalised form paths are compared in
    (empty when it names nothing usable, such as ``/`` or ``.``)."""
    norm = normalise_path(prefix)
    return norm.text if norm is not None else ""


class PathMapper:
    """Maps foreign file paths onto one repository's files.

    ``repo_files`` are the repository's POSIX repo-relative paths.
    ``prefix_map`` pairs ``(foreign_prefix, repo_prefix)``; ``repo_prefix``
    is repo-relative (``.`` for the root) or an absolute path under
    ``repo_root``. ``repo_root`` is the repository's absolute path on this
    machine (absolute paths under it are exact). ``read`` gives a repository
    file's bytes, for the manifests that name its packages (by default read
    under ``repo_root``; none without it).
    """

    def __init__(self, repo_files: Iterable[str], prefix_map: Sequence[tuple[str, str]] = (),
                 repo_root: str | None = None,
                 read: Callable[[str], bytes | None] | None = None) -> None:
        files: set[str] = set()
        for f in repo_files:
            if "\\" in f or f.startswith(("/", "./")):
                f = f.replace("\\", "/").lstrip("/")
                f = f[2:] if f.startswith("./") else f
            if f:
                files.add(f)
        self._files = files
        # built on first use: most traces need a handful of lookups
        self._folded_index: dict[str, list[str]] | None = None
        self._base_index: dict[str, list[str]] | None = None
        root = (repo_root or "").replace("\\", "/").rstrip("/")
        self._root = posixpath.normpath(root) if root else ""
        maps: list[tuple[str, str]] = []
        for src, dst in prefix_map:
            s = _split_map_prefix(src)
            if s == "":
                continue
            maps.append((s, dst.strip().replace("\\", "/")))
        maps.sort(key=lambda pair: len(pair[0]), reverse=True)
        self._maps = maps
        self._memo: dict[str, PathMatch] = {}
        if read is None and self._root:
            read = _file_reader(self._root)
        self._own = OwnPackages(files, read)

    # -- public ---------------------------------------------------------

    def map(self, raw_path: str) -> PathMatch:
        """Where ``raw_path`` lives in the repository (memoised)."""
        hit = self._memo.get(raw_path)
        if hit is None:
            hit = self._map(raw_path)
            if len(self._memo) < 200_000:
                self._memo[raw_path] = hit
        return hit

    def map_many(self, raw_paths: Iterable[str]) -> list[PathMatch]:
        """:meth:`map` each path, then settle ambiguous ones by learned roots.

        An unambiguous suffix match ``/srv/app/pkg/mod.py -> pkg/mod.py``
        teaches that ``/srv/app`` is deployed from the repository root; an
        ambiguous path whose candidates include exactly one consistent with
        a learned root resolves to it (``how == "suffix"``).
        """
        raws = list(raw_paths)
        results = [self.map(r) for r in raws]
        if not any(r.how == "ambiguous" for r in results):
            return results
        roots: set[tuple[str, str]] = set()
        for raw, res in zip(raws, results, strict=True):
            if res.how in SURE_HOWS and res.path:
                root = implied_root(raw, res.path)
                if root is not None:
                    roots.add(root)
        if not roots:
            return results
        out: list[PathMatch] = []
        for raw, res in zip(raws, results, strict=True):
            if res.how == "ambiguous":
                agree = [c for c in res.candidates if implied_root(raw, c) in roots]
                if len(agree) == 1:
                    res = PathMatch(agree[0], (agree[0],), "suffix")
            out.append(res)
        return out

    # -- internals ------------------------------------------------------

    def _map(self, raw_path: str) -> PathMatch:
        if raw_path in self._files:  # e.g. a repo dir named internal/ or a file named native
            return PathMatch(raw_path, (raw_path,), "exact")
        norm = normalise_path(raw_path)
        if norm is None:
            return PathMatch(None, (), "outside" if raw_path.strip() else "none")
        if norm.absolute and self._root:
            rel = self._under_root(norm)
            if rel is not None:  # only the part below the root says "library"
                if _is_outside(rel):
                    return self._outside(rel)
                found = self._lookup_exact(rel, norm.windows)
                if found is not None:
                    return PathMatch(found, (found,), "exact")
                return PathMatch(None, (), "none")
        mapped = self._apply_prefix_map(norm)
        if mapped is not None:
            if _is_outside(mapped):
                return self._outside(mapped)
            found = self._lookup_exact(mapped, norm.windows)
            if found is not None:
                return PathMatch(found, (found,), "prefix-map")
        if _is_outside(norm.text):
            return self._outside(norm.text)
        if not norm.absolute:
            found = self._lookup_exact(norm.text, norm.windows)
            if found is not None:
                return PathMatch(found, (found,), "exact")
        return self._suffix(norm)

    def _outside(self, path: str) -> PathMatch:
        """A path in a library location: ``outside``, unless it is a file of an
        installed copy of one of the repository's own packages."""
        found = self._own.locate(path)
        if found is not None:
            return PathMatch(found, (found,), "installed")
        return PathMatch(None, (), "outside")

    def _apply_prefix_map(self, norm: _Norm) -> str | None:
        text = norm.text
        cmp_text = text.casefold() if norm.windows else text
        for src, dst in self._maps:
            cmp_src = src.casefold() if norm.windows else src
            if cmp_text == cmp_src:
                rest = ""
            elif cmp_text.startswith(cmp_src + "/"):
                rest = text[len(src) + 1:]
            else:
                continue
            target = dst
            if target.startswith("/") and self._root:
                rootslash = self._root + "/"
                if target == self._root:
                    target = "."
                elif target.startswith(rootslash):
                    target = target[len(rootslash):]
            joined = posixpath.normpath(posixpath.join(target or ".", rest)) if rest else (
                posixpath.normpath(target or "."))
            return joined.lstrip("/") if not joined.startswith("..") else None
        return None

    def _under_root(self, norm: _Norm) -> str | None:
        root = self._root
        text = norm.text
        if norm.windows:
            root_cmp = _WIN_DRIVE_RE.sub("", root).casefold()
            text_cmp = text.casefold()
        else:
            root_cmp, text_cmp = root, text
        if not root_cmp or root_cmp == "/":
            return None
        if text_cmp.startswith(root_cmp + "/"):
            return text[len(root_cmp) + 1:]
        return None

    @property
    def _folded(self) -> dict[str, list[str]]:
        if self._folded_index is None:
            index: dict[str, list[str]] = {}
            for rel in self._files:
                index.setdefault(rel.casefold(), []).append(rel)
            self._folded_index = index
        return self._folded_index

    @property
    def _by_base(self) -> dict[str, list[str]]:
        if self._base_index is None:
            index: dict[str, list[str]] = {}
            for rel in self._files:
                index.setdefault(rel[rel.rfind("/") + 1:].casefold(), []).append(rel)
            self._base_index = index
        return self._base_index

    def _lookup_exact(self, rel: str, fold: bool) -> str | None:
        if rel in self._files:
            return rel
        if fold:
            hits = self._folded.get(rel.casefold())
            if hits and len(hits) == 1:
                return hits[0]
        return None

    def _suffix(self, norm: _Norm) -> PathMatch:
        segs = norm.segments
        cands = self._by_base.get(segs[-1].casefold())
        if not cands:
            return PathMatch(None, (), "none")
        fold = norm.windows
        rev = segs[::-1]
        best = 0
        best_paths: list[str] = []
        for path in cands:
            rsegs = path.split("/")[::-1]
            n = 0
            limit = min(len(rsegs), len(rev))
            while n < limit and _eq(rev[n], rsegs[n], fold):
                n += 1
            # One shared segment is evidence only when it is all there is:
            # the candidate sits at the root, or the raw path is a bare name.
            if n == 0 or (n == 1 and len(rsegs) > 1 and len(rev) > 1):
                continue
            if n > best:
                best, best_paths = n, [path]
            elif n == best:
                best_paths.append(path)
        if not best_paths:
            return PathMatch(None, (), "none")
        if len(best_paths) == 1:
            return PathMatch(best_paths[0], (best_paths[0],), "suffix")
        return PathMatch(None, tuple(sorted(best_paths)), "ambiguous")


def implied_root(raw: str, repo_path: str) -> tuple[str, str] | None:
    """(foreign prefix, repo prefix) that turns ``raw`` into ``repo_path``: the segments
    before the longest shared suffix on each side (the foreign one case-folded for a
    Windows path); None when they share no last segment."""
    norm = normalise_path(raw)
    if norm is None:
        return None
    rsegs = repo_path.split("/")
    n = 0
    fold = norm.windows
    while (n < len(rsegs) and n < len(norm.segments)
           and _eq(norm.segments[-1 - n], rsegs[-1 - n], fold)):
        n += 1
    if n == 0:
        return None
    foreign = "/".join(norm.segments[: len(norm.segments) - n])
    if fold:
        foreign = foreign.casefold()
    return (foreign, "/".join(rsegs[: len(rsegs) - n]))


def _file_reader(root: str) -> Callable[[str], bytes | None]:
    """Reads a repository file under ``root`` (a regular file, at most 1 MB; None else)."""
    def read(rel: str) -> bytes | None:
        path = Path(root, rel)
        try:
            if not stat.S_ISREG(path.lstat().st_mode):
                return None
            with open(path, "rb") as fh:
                return fh.read(MAX_MANIFEST + 1)
        except OSError:
            return None

    return read


def _is_outside(path: str) -> bool:
    """Whether ``path`` (normalised, absolute or relative) is library code."""
    return _OUTSIDE_RE.search(path + "/" if path.startswith("/") else "/" + path + "/") is not None


def _eq(a: str, b: str, fold: bool) -> bool:
    return a == b or (fold and a.casefold() == b.casefold())
