"""Entry points that packaging metadata declares.

* ``pyproject.toml``: ``[project.scripts]``, ``[project.gui-scripts]``,
  ``[project.entry-points.console_scripts]`` and Poetry's
  ``[tool.poetry.scripts]``: ``name = "pkg.mod:func"``;
* ``setup.cfg``: ``[options.entry_points]`` ``console_scripts`` /
  ``gui_scripts``;
* ``setup.py``: ``"name = pkg.mod:func"`` strings (read as text, never run);
* ``package.json``: ``bin`` (a path, or names to paths) and ``main``;
* a Python package's ``__main__.py`` (``python -m pkg``).

Every metadata file of the repository is read (monorepos have several);
paths in ``package.json`` are relative to its directory. A target that the
index does not know is still reported, with its path and no symbol.
"""

from __future__ import annotations

import configparser
import json
import posixpath
import re
from typing import Any

from codemap.model import Symbol
from codemap.repo import Repo
from codemap.tour.model import EntryPoint

_SETUP_PY_SCRIPT = re.compile(r"""["']\s*([\w.\-]+)\s*=\s*([\w.]+)\s*:\s*([\w.]+)\s*(?:\[[^\]]*\])?\s*["']""")
_SKIP_DIRS = ("node_modules/", "vendor/", "third_party/", ".tox/", "site-packages/")


def _toml(text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except Exception:  # an unreadable pyproject is not the tour's business
        return {}


def _read(repo: Repo, path: str) -> str | None:
    try:
        return repo.abspath(path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def _target(reader: Any, spec: str) -> tuple[Symbol | None, str | None]:
    """The symbol and path of a ``module:attr`` entry-point target."""
    spec = spec.split("[", 1)[0].strip()
    module, _, attr = spec.partition(":")
    module, attr = module.strip(), attr.strip()
    if attr:
        for sym in reader.lookup(f"{module}.{attr}"):
            return sym, sym.path
    for sym in reader.lookup(module):
        if sym.kind == "module":
            if attr:
                for inner in reader.symbols_in_file(sym.path):
                    if inner.qualname.endswith("." + attr) or inner.name == attr:
                        return inner, sym.path
            return sym, sym.path
    return None, None


def _module_symbol(reader: Any, path: str) -> Symbol | None:
    for sym in reader.symbols_in_file(path):
        if sym.kind == "module":
            return sym
    return None


def _python_scripts(repo: Repo, reader: Any, path: str, text: str) -> list[EntryPoint]:
    out: list[EntryPoint] = []
    pairs: list[tuple[str, str, str]] = []  # (name, target, section)
    if path.endswith("pyproject.toml"):
        data = _toml(text)
        project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
        sections = [("project.scripts", project.get("scripts")),
                    ("project.gui-scripts", project.get("gui-scripts"))]
        eps = project.get("entry-points")
        if isinstance(eps, dict):
            sections += [(f"project.entry-points.{g}", eps.get(g))
                         for g in ("console_scripts", "gui_scripts")]
        tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
        poetry = tool.get("poetry", {}) if isinstance(tool.get("poetry"), dict) else {}
        sections.append(("tool.poetry.scripts", poetry.get("scripts")))
        for section, table in sections:
            if isinstance(table, dict):
                for name, target in table.items():
                    if isinstance(target, dict):  # poetry: {callable = "..."}
                        target = target.get("callable") or target.get("reference")
                    if isinstance(target, str) and ":" in target:
                        pairs.append((str(name), target, section))
    elif path.endswith("setup.cfg"):
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read_string(text)
        except configparser.Error:
            return []
        if parser.has_section("options.entry_points"):
            for group in ("console_scripts", "gui_scripts"):
                raw = parser.get("options.entry_points", group, fallback="")
                for line in raw.splitlines():
                    name, sep, target = line.partition("=")
                    if sep and ":" in target:
                        pairs.append((name.strip(), target.strip(),
                                      f"options.entry_points {group}"))
    else:  # setup.py, as text
        for m in _SETUP_PY_SCRIPT.finditer(text):
            pairs.append((m.group(1), f"{m.group(2)}:{m.group(3)}", "entry_points"))
    for name, target, section in pairs:
        sym, where = _target(reader, target)
        out.append(EntryPoint("console_script", name, sym, where,
                              sym.start_line if sym else None, f"{path} [{section}]",
                              target.strip()))
    return out


def _package_json(reader: Any, path: str, text: str, known: set[str]) -> list[EntryPoint]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    if not isinstance(data, dict):
        return []
    base = posixpath.dirname(path)
    pkg = data.get("name") if isinstance(data.get("name"), str) else (base or "package")
    out: list[EntryPoint] = []

    def entry(kind: str, name: str, rel: str, what: str) -> None:
        target = posixpath.normpath(posixpath.join(base, rel)) if rel else ""
        if target.startswith("../") or not target:
            return
        candidates = [target] + [target + ext for ext in (".js", ".mjs", ".cjs", ".ts")] + \
            [f"{target}/index.js", f"{target}/index.ts"]
        hit = next((c for c in candidates if c in known), None)
        sym = _module_symbol(reader, hit) if hit else None
        out.append(EntryPoint(kind, name, sym, hit or target, 1 if hit else None,
                              f"{path} {what}", rel))

    bins = data.get("bin")
    if isinstance(bins, str):
        entry("console_script", pkg.rsplit("/", 1)[-1], bins, '"bin"')
    elif isinstance(bins, dict):
        for name, rel in bins.items():
            if isinstance(rel, str):
                entry("console_script", str(name), rel, f'"bin" {name}')
    if isinstance(data.get("main"), str):
        entry("package_main", pkg, data["main"], '"main"')
    return out


def declared_entry_points(repo: Repo, reader: Any) -> list[EntryPoint]:
    """Entry points declared by the repository's packaging metadata files."""
    paths = [p for p in reader.all_paths() if not any(d in p for d in _SKIP_DIRS)]
    known = set(paths)
    out: list[EntryPoint] = []
    for path in paths:
        base = path.rsplit("/", 1)[-1]
        if base in ("pyproject.toml", "setup.cfg", "setup.py"):
            text = _read(repo, path)
            if text:
                out.extend(_python_scripts(repo, reader, path, text))
        elif base == "package.json":
            text = _read(repo, path)
            if text:
                out.extend(_package_json(reader, path, text, known))
    for path in paths:
        if path.endswith("/__main__.py") or path == "__main__.py":
            sym = _module_symbol(reader, path)
            pkg = sym.qualname.rsplit(".", 1)[0] if sym and "." in sym.qualname else \
                posixpath.dirname(path).replace("/", ".")
            out.append(EntryPoint("package_main", f"python -m {pkg}", sym, path, 1,
                                  "__main__.py of the package"))
    return out
