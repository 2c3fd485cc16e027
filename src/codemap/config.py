"""The per-repository configuration file.

Settings that belong to a repository (where its code runs in production, which
bots write its commits, which files are generated) live with it, in
``.codemap.toml`` at the repository root or, when that file does not exist,
in ``[tool.codemap]`` of ``pyproject.toml``. Only one of them is read: a
``.codemap.toml`` wins over ``pyproject.toml``.

Schema (every key optional)::

    # .codemap.toml          (in pyproject.toml: the same keys under [tool.codemap])
    max_file_size = 1_000_000        # bytes; bigger files are not indexed or blamed
    exclude = ["vendor/**", "*.snap"] # gitignore-style patterns left out of the index

    [trace]
    # Deployed path prefix -> repository-relative directory ("." = the root).
    # Tried in the order written; a frame path is rewritten by the first match.
    maps = { "/srv/app" = ".", "/usr/local/lib/python3.12/site-packages/acme" = "src/acme" }

    [ai]
    # Extra entries for the AI identity table (codemap/data/ai_identities.toml
    # describes the fields): who counts as an AI assistant in commits.
    identities = [
      { tool = "corp-agent", emails = ["agent@corp.example"], names = ["corp-agent[bot]"] },
    ]

    [generated]
    # Extra gitignore-style patterns of machine-generated files.
    patterns = ["*_generated.go", "api/openapi/**"]

Unknown keys do not stop codemap: each one becomes a warning naming the key
(``Config.warnings``; the CLI prints them on stderr). A file that is not valid
TOML, or a key with a value of the wrong type, raises :class:`InputError`
naming the file (and, for syntax errors, the line).

This module is imported by every command, so it imports nothing heavy and
parses the file at most once per change of its modification time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemap.errors import InputError
from codemap.repo import Repo

CONFIG_FILE = ".codemap.toml"
PYPROJECT_FILE = "pyproject.toml"
DEFAULT_MAX_FILE_SIZE = 1_000_000

# Keys an AI identity entry may carry (see codemap/data/ai_identities.toml).
IDENTITY_KEYS = frozenset({
    "tool", "emails", "email_patterns", "names", "name_patterns", "coauthor_patterns",
    "message_patterns", "note",
})

_TOP_KEYS = frozenset({"max_file_size", "exclude", "trace", "ai", "generated"})
_SECTION_KEYS = {"trace": frozenset({"maps"}), "ai": frozenset({"identities"}),
                 "generated": frozenset({"patterns"})}


@dataclass(frozen=True)
class Config:
    """The repository's settings, with defaults for every key left out."""

    trace_maps: tuple[tuple[str, str], ...] = ()
    ai_identities: tuple[Mapping[str, Any], ...] = ()
    generated_patterns: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    exclude: tuple[str, ...] = ()
    source: str | None = None  # repo-relative name of the file read, None when none
    warnings: tuple[str, ...] = ()


DEFAULT_CONFIG = Config()

_cache: dict[tuple[str, str, int, int], Config] = {}


def load_config(repo: Repo) -> Config:
    """The configuration of ``repo`` (defaults when it has no config file)."""
    own = repo.root / CONFIG_FILE
    stat = _stat(own)
    if stat is not None:
        return _cached(own, stat, None)
    pyproject = repo.root / PYPROJECT_FILE
    stat = _stat(pyproject)
    if stat is not None:
        return _cached(pyproject, stat, ("tool", "codemap"))
    return DEFAULT_CONFIG


def _stat(path: Path) -> os.stat_result | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st if path.is_file() else None


def _cached(path: Path, st: os.stat_result, section: tuple[str, ...] | None) -> Config:
    key = (str(path), ".".join(section or ()), st.st_mtime_ns, st.st_size)
    hit = _cache.get(key)
    if hit is None:
        hit = _parse_file(path, section)
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = hit
    return hit


def _parse_file(path: Path, section: tuple[str, ...] | None) -> Config:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path.name}: line {line}: not valid UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name}: invalid TOML: {exc}") from exc
    prefix = ""
    if section is not None:
        for part in section:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return DEFAULT_CONFIG
        prefix = ".".join(section) + "."
        if not isinstance(data, dict):
            raise InputError(f"{path.name}: [{prefix[:-1]}] must be a table")
    return config_from_mapping(data, source=path.name, prefix=prefix)


def config_from_mapping(data: Mapping[str, Any], *, source: str = CONFIG_FILE,
                        prefix: str = "") -> Config:
    """Validate parsed TOML data into a :class:`Config` (also used by tests and the TUI)."""
    warnings: list[str] = []

    def where(key: str) -> str:
        return f"{source}: {prefix}{key}"

    for key in data:
        if key not in _TOP_KEYS:
            warnings.append(f"{where(key)}: unknown key, ignored")
    for section, allowed in _SECTION_KEYS.items():
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, dict):
            raise InputError(f"{where(section)} must be a table")
        for key in table:
            if key not in allowed:
                warnings.append(f"{where(section + '.' + key)}: unknown key, ignored")

    max_size = data.get("max_file_size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(max_size, bool) or not isinstance(max_size, int) or max_size <= 0:
        raise InputError(f"{where('max_file_size')} must be a positive integer")

    exclude = _strings(data.get("exclude", []), where("exclude"))
    generated = _strings(data.get("generated", {}).get("patterns", []),
                         where("generated.patterns"))

    maps_raw = data.get("trace", {}).get("maps", {})
    maps: list[tuple[str, str]] = []
    if isinstance(maps_raw, dict):
        for src, dst in maps_raw.items():
            if not isinstance(dst, str):
                raise InputError(f"{where('trace.maps')}: the value for {src!r} must be a string")
            maps.append((src, dst))
    elif isinstance(maps_raw, list):  # [["/srv/app", "."], ...] keeps an explicit order
        for item in maps_raw:
            if (not isinstance(item, list) or len(item) != 2
                    or not all(isinstance(x, str) for x in item)):
                raise InputError(f"{where('trace.maps')}: each entry must be [\"from\", \"to\"]")
            maps.append((item[0], item[1]))
    else:
        raise InputError(f"{where('trace.maps')} must be a table of prefix = directory")

    idents_raw = data.get("ai", {}).get("identities", [])
    if not isinstance(idents_raw, list):
        raise InputError(f"{where('ai.identities')} must be an array of tables")
    identities: list[Mapping[str, Any]] = []
    for i, entry in enumerate(idents_raw):
        label = f"{where('ai.identities')}[{i}]"
        if not isinstance(entry, dict):
            raise InputError(f"{label} must be a table")
        if not isinstance(entry.get("tool"), str) or not entry["tool"]:
            raise InputError(f"{label} needs a tool name (tool = \"...\")")
        clean: dict[str, Any] = {"tool": entry["tool"]}
        for key, value in entry.items():
            if key == "tool":
                continue
            if key not in IDENTITY_KEYS:
                warnings.append(f"{label}.{key}: unknown key, ignored")
            elif key == "note":
                clean[key] = str(value)
            else:
                clean[key] = _strings(value, f"{label}.{key}")
        identities.append(clean)

    return Config(trace_maps=tuple(maps), ai_identities=tuple(identities),
                  generated_patterns=generated, max_file_size=max_size, exclude=exclude,
                  source=source, warnings=tuple(warnings))


def _strings(value: Any, label: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{label} must be a list of strings")
    return tuple(value)


_WARNED: set[str] = set()


def warn_once(message: str) -> None:
    """Print a config warning on stderr (inert), once per process however many
    commands or packages load the config."""
    import sys

    from codemap.safe import inert_line

    if message in _WARNED:
        return
    _WARNED.add(message)
    print(f"codemap: warning: {inert_line(message)}", file=sys.stderr)


def reset_warnings() -> None:
    """Forget which warnings were printed (at the start of each command)."""
    _WARNED.clear()
