"""The repository's own packages, as an installed copy of them names its files.

A stack trace from production often runs through the repository's code as
*installed*: ``/srv/api/node_modules/fastify/lib/reply.js``,
``/usr/lib/python3.12/site-packages/attrs/_make.py``,
``/root/go/pkg/mod/github.com/acme/kit@v1.4.0/log/log.go``. Those are library
locations (:data:`codemap.pathmap.OUTSIDE_PATTERNS`), never matched against
repository files by their suffix, yet here they are this repository's files:
the package after the library location is one the repository defines.

:data:`LAYOUTS` says, per ecosystem, how an installed path names its package
and the file inside it; :data:`MANIFESTS` how the repository declares a
package's name (a manifest file and what in it gives the name). Both are
data: a new ecosystem is a row in each. Only manifests are read, and only
when a path in a library location is first met.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple

# An installed path: the library location, the package's key (group 1) and the file
# inside the package (group 2). The greedy ``.*`` takes the innermost location (a
# dependency's own node_modules inside the repository's installed package is not ours).
# (ecosystem, pattern)
LAYOUTS: tuple[tuple[str, str], ...] = (
    ("npm", r".*/node_modules/((?:@[^/]+/)?[^/@][^/]*)/(.+)$"),
    ("python", r".*/(?:site|dist)-packages/([^/]+)(?:/(.+))?$"),
    ("go", r".*/pkg/mod/(.+?)@v\d[^/]*/(.+)$"),
    ("cargo", r".*/\.cargo/registry/src/[^/]+/([^/]+?)-\d[^/]*/(.+)$"),
    ("gem", r".*/gems/([^/]+?)-\d[^/]*/(.+)$"),
)
_LAYOUT_RES = tuple((eco, re.compile(p)) for eco, p in LAYOUTS)


class Manifest(NamedTuple):
    ecosystem: str
    file_re: str  # a manifest's file name (matched against the basename)
    name_re: str  # the declared name in its text (group 1); "" for package.json's JSON


MANIFESTS: tuple[Manifest, ...] = (
    Manifest("npm", r"package\.json", ""),
    Manifest("go", r"go\.mod", r"(?m)^\s*module\s+\"?([^\s\"]+)"),
    Manifest("cargo", r"Cargo\.toml", r"(?ms)^\[package\][^\[]*?^\s*name\s*=\s*\"([^\"]+)\""),
    Manifest("gem", r".+\.gemspec", r"\.name\s*=\s*[\"']([^\"']+)[\"']"),
)
MAX_MANIFEST = 1 << 20  # bytes read of one manifest
_NAME_RES = {m.ecosystem: re.compile(m.name_re) for m in MANIFESTS if m.name_re}


def declared_name(ecosystem: str, text: str) -> str:
    """The package or module name a manifest's ``text`` declares ("" when none): the one
    reading of ``package.json``, ``go.mod``, ``Cargo.toml`` and ``.gemspec`` names (the
    coverage mapper and the call resolver read ``go.mod`` module paths through it)."""
    if ecosystem == "npm":
        return _json_name(text)
    pattern = _NAME_RES.get(ecosystem)
    m = pattern.search(text) if pattern is not None else None
    return m.group(1) if m else ""


def _go_unescape(path: str) -> str:
    """A Go module cache path as the module path (``!x`` stands for ``X``)."""
    return re.sub(r"!([a-z])", lambda m: m.group(1).upper(), path)


class OwnPackages:
    """Which installed packages are this repository's, and where they live in it.

    ``files`` are the repository's POSIX repo-relative paths; ``read`` gives a
    repository file's bytes (None when unreadable). Nothing is read until
    :meth:`locate` first meets a package path.
    """

    def __init__(self, files: Iterable[str], read: Callable[[str], bytes | None] | None) -> None:
        self._files = files if isinstance(files, (set, frozenset)) else set(files)
        self._read = read
        self._dirs: dict[tuple[str, str], str] | None = None

    def locate(self, path: str) -> str | None:
        """The repository path of ``path`` (normalised, ``/``-separated) when it is a file
        of an installed copy of one of the repository's packages; else None."""
        for eco, pattern in _LAYOUT_RES:
            m = pattern.match(path if path.startswith("/") else "/" + path)
            if m is None:
                continue
            key, rest = m.group(1), m.group(2) or ""
            if eco == "go":
                key = _go_unescape(key)
            base = self._packages().get((eco, key))
            if base is None:
                return None
            if eco == "python":  # the key is the package's own directory (or module file)
                found = base if not rest else f"{base}/{rest}"
            else:
                found = f"{base}/{rest}" if base else rest
            return found if found in self._files else None
        return None

    def _packages(self) -> dict[tuple[str, str], str]:
        if self._dirs is None:
            self._dirs = self._find()
        return self._dirs

    def _find(self) -> dict[tuple[str, str], str]:
        found: dict[tuple[str, str], set[str]] = {}
        for eco, name, where in [*self._declared(), *self._python()]:
            found.setdefault((eco, name), set()).add(where)
        # a name declared in two places tells nothing (fixtures, examples): left out
        return {key: next(iter(dirs)) for key, dirs in found.items() if len(dirs) == 1}

    def _declared(self) -> Iterable[tuple[str, str, str]]:
        """(ecosystem, declared name, its directory) of every manifest in the repository."""
        if self._read is None:
            return
        res = [(m.ecosystem, re.compile(m.file_re)) for m in MANIFESTS]
        for path in self._files:
            base = path.rsplit("/", 1)[-1]
            for ecosystem, file_re in res:
                if not file_re.fullmatch(base) or "/node_modules/" in f"/{path}":
                    continue
                data = self._read(path)
                if not data or len(data) > MAX_MANIFEST:
                    continue
                name = declared_name(ecosystem, data.decode("utf-8", "replace"))
                if name:
                    yield ecosystem, name, path.rsplit("/", 1)[0] if "/" in path else ""

    def _python(self) -> Iterable[tuple[str, str, str]]:
        """Top-level Python packages (a directory with ``__init__.py`` whose parent has
        none) and modules, as ``site-packages`` names them: those of a distribution
        only, beside its packaging file or in the ``src/`` directory beside it (a
        script in ``tools/`` is not installed, nor are test packages)."""
        files = self._files
        for path in files:
            if not path.endswith(".py"):
                continue
            parent = path.rsplit("/", 1)[0] if "/" in path else ""
            if path.endswith("/__init__.py"):
                home = parent.rsplit("/", 1)[0] if "/" in parent else ""
                name, where = parent.rsplit("/", 1)[-1], parent
                if _join(home, "__init__.py") in files:
                    continue  # a subpackage
            else:
                home, name, where = parent, path.rsplit("/", 1)[-1], path
                if _join(parent, "__init__.py") in files or name in ("setup.py", "conftest.py"):
                    continue  # a module of a package, or no module at all
            if name.split(".")[0] not in _NOT_INSTALLED and self._distributed(home):
                yield "python", name, where

    def _distributed(self, home: str) -> bool:
        """Whether what sits in directory ``home`` is installed: a packaging file is there,
        or ``home`` is a ``src/`` directory with one beside it."""
        if any(_join(home, f) in self._files for f in _PY_PACKAGING):
            return True
        if home == "src" or home.endswith("/src"):
            up = home.rsplit("/", 1)[0] if "/" in home else ""
            return any(_join(up, f) in self._files for f in _PY_PACKAGING)
        return False


_PY_PACKAGING = ("pyproject.toml", "setup.py", "setup.cfg")
_NOT_INSTALLED = frozenset({"tests", "test", "testing", "docs", "examples", "conftest"})


def _join(directory: str, name: str) -> str:
    return f"{directory}/{name}" if directory else name


def _json_name(text: str) -> str:
    try:
        data = json.loads(text)
    except ValueError:
        return ""
    name = data.get("name") if isinstance(data, dict) else None
    return name if isinstance(name, str) else ""
