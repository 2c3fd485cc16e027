"""Where execution starts, so call paths can begin somewhere real.

Detected from packaging metadata (``[project.scripts]``, setup.cfg / setup.py
console scripts, ``package.json`` ``bin``, ``main`` and ``exports``, followed
back from build output to its source), from source (a
module-level ``if __name__ == "__main__":`` block, ``__main__.py``, Go's
``main.main``, Java's ``main`` methods), test functions (per-language file
patterns and names, from the registry), and the route handlers of the
endpoints package when it is installed. Files are read, never executed.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterator
from typing import Any

from codemap.graphmodel import EntryPoint
from codemap.index.callrules import entry_rules
from codemap.index.store import IndexReader, row_symbol
from codemap.model import Symbol
from codemap.repo import Repo

MAX_META_DEPTH = 2  # packaging files this deep below the root are read (monorepos)
_COLS = "s.name, s.qualname, s.kind, f.language, f.path, s.start_line, s.end_line"
_SCRIPT = re.compile(r"""["']?([\w.\-]+)["']?\s*=\s*["']?([\w.]+)(?::([\w.]+))?""")


def detect_entry_points(repo: Repo, reader: IndexReader) -> list[EntryPoint]:
    found: list[EntryPoint] = []
    seen: set[tuple[str, str]] = set()
    for entry in _all(repo, reader):
        key = (entry.kind, entry.symbol.id)
        if key not in seen:
            seen.add(key)
            found.append(entry)
    return found


def _all(repo: Repo, reader: IndexReader) -> Iterator[EntryPoint]:
    paths = reader.all_paths()
    parsed = set(reader.files())
    meta = [p for p in paths if p.count("/") <= MAX_META_DEPTH and "node_modules/" not in p]
    for path in meta:
        base = path.rsplit("/", 1)[-1]
        if base == "pyproject.toml":
            yield from _pyproject(repo, reader, path)
        elif base == "setup.cfg":
            yield from _setup_cfg(repo, reader, path)
        elif base == "setup.py":
            yield from _setup_py(repo, reader, path)
        elif base == "package.json":
            yield from _package_json(repo, reader, path, parsed)
    yield from _main_symbols(reader)
    yield from _main_blocks(repo, reader, parsed)
    yield from _tests(reader, parsed)
    yield from _routes(repo)


def _read(repo: Repo, path: str) -> str:
    try:
        return (repo.root / path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _module_symbol(reader: IndexReader, path: str) -> Symbol | None:
    row = reader.conn.execute(
        f"SELECT {_COLS} FROM symbols s JOIN files f ON f.id = s.file_id "
        "WHERE f.path = ? AND s.parent_id IS NULL", (path,)).fetchone()
    return row_symbol(row) if row else None


def _script_target(reader: IndexReader, module: str, attr: str | None) -> Symbol | None:
    """The symbol a ``module:attr`` console-script reference names."""
    if attr:
        found = reader.lookup(f"{module}.{attr}")
        exact = [s for s in found if s.qualname == f"{module}.{attr}"]
        if exact:
            return exact[0]
    found = [s for s in reader.lookup(module) if s.kind == "module" and s.qualname == module]
    return found[0] if found else None


def _scripts(reader: IndexReader, items: Iterator[tuple[str, str]]) -> Iterator[EntryPoint]:
    for name, ref in items:
        module, _, attr = ref.strip().partition(":")
        attr = attr.split("[")[0].strip() or None
        sym = _script_target(reader, module.strip(), attr)
        if sym is not None:
            yield EntryPoint("console_script", name.strip(), sym)


def _pyproject(repo: Repo, reader: IndexReader, path: str) -> Iterator[EntryPoint]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        data = tomllib.loads(_read(repo, path))
    except Exception:  # malformed metadata: no scripts from it
        return
    tables = []
    project = data.get("project", {})
    for key in ("scripts", "gui-scripts"):
        tables.append(project.get(key, {}))
    tables.append(data.get("tool", {}).get("poetry", {}).get("scripts", {}))
    for table in tables:
        if isinstance(table, dict):
            yield from _scripts(reader, ((k, v) for k, v in table.items() if isinstance(v, str)))


def _setup_cfg(repo: Repo, reader: IndexReader, path: str) -> Iterator[EntryPoint]:
    import configparser

    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(_read(repo, path))
    except configparser.Error:
        return
    if parser.has_option("options.entry_points", "console_scripts"):
        lines = parser.get("options.entry_points", "console_scripts").splitlines()
        yield from _scripts(reader, (tuple(line.split("=", 1)) for line in lines if "=" in line))


def _setup_py(repo: Repo, reader: IndexReader, path: str) -> Iterator[EntryPoint]:
    text = _read(repo, path)
    block = re.search(r"console_scripts['\"]?\s*[:=]\s*\[(.*?)\]", text, re.DOTALL)
    if not block:
        return
    for m in _SCRIPT.finditer(block.group(1)):
        module, attr = m.group(2), m.group(3)
        sym = _script_target(reader, module, attr)
        if sym is not None:
            yield EntryPoint("console_script", m.group(1), sym)


# Where package sources usually live, and the names package.json targets
# have in build output: data for finding ``src/immer.ts`` behind ``dist/immer.js``.
SOURCE_DIRS = ("src", "source", "lib", "")
BUILD_DIRS = ("dist", "build", "out", "lib", "es", "esm", "cjs", "umd", "bin")
FORMAT_DIRS = ("cjs", "esm", "es", "umd", "mjs", "browser", "node", "legacy", "modern")
SOURCE_EXTS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")
_NOT_CODE = (".d.ts", ".d.mts", ".d.cts", ".json", ".css", ".map", ".node", ".wasm")
MAX_EXPORTS = 200


def _package_json(repo: Repo, reader: IndexReader, path: str,
                  parsed: set[str]) -> Iterator[EntryPoint]:
    """``bin``, ``main`` and ``exports`` targets; when a target is build output
    missing from the repository (``dist/`` is rarely committed), the source it
    is built from: the ``source`` field, the build's source map when the output
    is on disk, or a source file of the same stem (``dist/immer.js`` ->
    ``src/immer.ts``)."""
    try:
        data = json.loads(_read(repo, path))
    except ValueError:
        return
    if not isinstance(data, dict):
        return
    base = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    name = str(data.get("name", "main"))
    bins = data.get("bin")
    if isinstance(bins, str):
        bins = {str(data.get("name", "bin")): bins}
    items: list[tuple[str, str, str, bool]] = []  # kind, name, target, is the package's main
    if isinstance(bins, dict):
        items.extend(("cli", str(k), v, False) for k, v in bins.items() if isinstance(v, str))
    if isinstance(data.get("main"), str):
        items.append(("package_main", name, data["main"], True))
    for sub, target in _export_targets(data.get("exports")):
        label = name if sub == "." else f"{name}/{sub.removeprefix('./')}"
        items.append(("package_main", label, target, sub == "."))
    source = data.get("source") if isinstance(data.get("source"), str) else None
    finder = _SourceFinder(repo, reader, parsed)
    for kind, label, target, is_main in items:
        found = finder.find(base, target, source if is_main else None)
        if found is not None:
            sym = _module_symbol(reader, found)
            if sym is not None:
                yield EntryPoint(kind, label, sym)


def _export_targets(exports: object) -> list[tuple[str, str]]:
    """(subpath, file) pairs of a package.json ``exports`` value: a string, an
    array, conditions (``import``/``require``/``default`` ...) or subpaths
    (``"."``, ``"./cli"``); type declarations and wildcard patterns left out."""
    out: list[tuple[str, str]] = []

    def walk(value: object, sub: str, depth: int) -> None:
        if len(out) >= MAX_EXPORTS or depth > 8:
            return
        if isinstance(value, str):
            if "*" not in value and "*" not in sub and not value.endswith(_NOT_CODE):
                out.append((sub, value))
        elif isinstance(value, list):
            for item in value:
                walk(item, sub, depth + 1)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key == "types":
                    continue
                walk(item, key if key.startswith(".") else sub, depth + 1)

    walk(exports, ".", 0)
    return out


class _SourceFinder:
    """The repository file a package.json target names, or the source it is built from."""

    def __init__(self, repo: Repo, reader: IndexReader, parsed: set[str]) -> None:
        self._repo = repo
        self._reader = reader
        self._parsed = parsed
        self._maps: Any = None  # codemap.traces.generated.SourceMaps, made on first use

    def find(self, base: str, target: str, source: str | None) -> str | None:
        rel = _normalize(base + target)
        for cand in (rel, rel + ".js", rel + "/index.js", rel + ".ts", rel + "/index.ts"):
            if cand in self._parsed:
                return cand
        if source is not None:
            src = _normalize(base + source)
            if src in self._parsed:
                return src
        return self._from_source_map(rel) or self._same_stem(base, rel)

    def _from_source_map(self, rel: str) -> str | None:
        if self._maps is None:
            from codemap.pathmap import PathMapper
            from codemap.traces.generated import SourceMaps

            paths = self._reader.all_paths()
            self._maps = SourceMaps(self._repo.root,
                                    PathMapper(paths, repo_root=str(self._repo.root)))
        found = self._maps.entry_source(rel)
        return found if found in self._parsed else None

    def _same_stem(self, base: str, rel: str) -> str | None:
        """``dist/cjs/index.js`` -> ``src/index.ts``; ``dist/immer.legacy-esm.js`` -> ``src/immer.ts``."""
        inner = rel[len(base):] if base and rel.startswith(base) else rel
        parts = inner.split("/")
        if len(parts) < 2 or parts[0] not in BUILD_DIRS:
            return None
        dirs = [p for p in parts[1:-1] if p not in FORMAT_DIRS]
        name = parts[-1]
        stems = list(dict.fromkeys([name.rsplit(".", 1)[0], name.split(".", 1)[0]]))
        for src_dir in SOURCE_DIRS:
            if src_dir == parts[0]:
                continue
            for stem in stems:
                if not stem:
                    continue
                where = "/".join(x for x in (src_dir, *dirs, stem) if x)
                for tail in SOURCE_EXTS + tuple("/index" + ext for ext in SOURCE_EXTS):
                    if base + where + tail in self._parsed:
                        return base + where + tail
        return None


def _normalize(path: str) -> str:
    """``./dist/x.js`` -> ``dist/x.js`` (``.config/x.js`` keeps its dot)."""
    import posixpath

    return posixpath.normpath(path)


def _main_symbols(reader: IndexReader) -> Iterator[EntryPoint]:
    by_lang: dict[str, tuple[tuple[str, ...], str]] = {}
    for lang in {r[0] for r in reader.conn.execute(
            "SELECT DISTINCT language FROM files WHERE language IS NOT NULL")}:
        rules = entry_rules(lang)
        if rules.main_names:
            by_lang[lang] = (rules.main_names, rules.main_package)
    for lang, (names, package) in by_lang.items():
        marks = ",".join("?" * len(names))
        for row in reader.conn.execute(
                f"SELECT {_COLS} FROM symbols s JOIN files f ON f.id = s.file_id "
                f"WHERE f.language = ? AND s.name IN ({marks}) AND s.kind IN ('function','method')",
                (lang, *names)):
            sym = row_symbol(row)
            if package and sym.qualname != f"{package}.{sym.name}":
                continue
            yield EntryPoint("main", sym.qualname, sym)


def _main_blocks(repo: Repo, reader: IndexReader, parsed: set[str]) -> Iterator[EntryPoint]:
    langs = dict(reader.conn.execute("SELECT path, language FROM files WHERE language IS NOT NULL"))
    for path in sorted(parsed):
        rules = entry_rules(langs.get(path, ""))
        base = path.rsplit("/", 1)[-1]
        is_main = base in rules.main_files
        if not is_main and rules.main_block is not None:
            is_main = bool(rules.main_block.search(_read(repo, path)))
        if is_main:
            sym = _module_symbol(reader, path)
            if sym is not None:  # (a test file's main block runs its tests)
                yield EntryPoint("test" if in_test_file(path) else "main", sym.qualname, sym)


def in_test_file(path: str) -> bool:
    """Whether ``path`` is a test file, by its language's ``test_files`` patterns."""
    from codemap.lang.registry import language_for_path

    spec = language_for_path(path)
    patterns = tuple(entry_rules(spec.name).test_files) if spec is not None else ()
    return bool(patterns) and _is_test_file(path, patterns)


def _is_test_file(path: str, patterns: tuple[str, ...]) -> bool:
    """``tests/**/*.py``: under a ``tests`` directory; ``test_*.py``: by file name."""
    base = path.rsplit("/", 1)[-1]
    for pattern in patterns:
        directory, sep, glob = pattern.partition("/**")
        if sep:
            glob = glob.lstrip("/") or "*"
            inside = path.startswith(directory + "/") or f"/{directory}/" in path
            if inside and fnmatch.fnmatch(base, glob):
                return True
        elif fnmatch.fnmatch(base, pattern):
            return True
    return False


def _tests(reader: IndexReader, parsed: set[str]) -> Iterator[EntryPoint]:
    """Test functions (by name), every method of test classes, or whole test files."""
    langs = dict(reader.conn.execute("SELECT path, language FROM files WHERE language IS NOT NULL"))
    for path in sorted(parsed):
        rules = entry_rules(langs.get(path, ""))
        if not rules.test_files or not _is_test_file(path, rules.test_files):
            continue
        symbols = reader.symbols_in_file(path)
        if rules.test_names is None and rules.test_classes is None:
            if symbols:  # tests are anonymous callbacks (describe/it): the file runs them
                yield EntryPoint("test", path, symbols[0])
            continue
        test_classes = {s.qualname for s in symbols if s.kind == "class"
                        and rules.test_classes is not None and rules.test_classes.search(s.name)}
        for sym in symbols:
            if sym.kind not in ("function", "method"):
                continue
            owner = sym.qualname[: -len(sym.name) - 1]
            by_name = rules.test_names is not None and rules.test_names.search(sym.name)
            if by_name or (owner in test_classes and owner.rsplit(".", 1)[-1] != sym.name):
                yield EntryPoint("test", sym.qualname, sym)


def _routes(repo: Repo) -> Iterator[EntryPoint]:
    """Route handlers from :mod:`codemap.endpoints` (when that package is installed)."""
    try:
        from codemap.endpoints.service import list_endpoints
    except ImportError:
        return
    try:
        result = list_endpoints(repo)
    except Exception:  # the endpoints package failing must not break call paths
        return
    for endpoint in getattr(result, "endpoints", None) or []:
        handler = getattr(endpoint, "handler", None)
        if isinstance(handler, Symbol):
            name = f"{getattr(endpoint, 'method', '')} {getattr(endpoint, 'route', '')}".strip()
            yield EntryPoint("route", name, handler)
