"""Machine-generated files: protobuf stubs, lock files, minified bundles, ...

Who "wrote" a generated file is the generator, not the person who committed
it, so ownership and AI share treat such files apart. Evidence, strongest
first:

1. ``linguist-generated`` in ``.gitattributes`` (asked of ``git check-attr``,
   so nested attribute files and macros work); ``-linguist-generated`` or
   ``linguist-generated=false`` says "not generated" and overrides the rest;
2. well-known path patterns (``codemap/data/generated.toml`` plus the
   config file's ``[generated] patterns``);
3. content markers: Go's ``// Code generated ... DO NOT EDIT.``,
   ``@generated``, compiler headers, a trailing source-map comment, and
   minified JS/CSS (average line length above 110, as linguist does).

:func:`generated_verdict` answers None when there is no evidence either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from codemap.repo import Repo

DATA_FILE = "generated.toml"
ATTRIBUTE = "linguist-generated"


@dataclass(frozen=True)
class GeneratedVerdict:
    """Whether a file is machine-generated, and the evidence."""

    generated: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Marker:
    name: str
    regex: re.Pattern[str]
    head_lines: int | None
    tail_lines: int | None
    extensions: tuple[str, ...]


@dataclass(frozen=True)
class _Rules:
    path_specs: tuple[tuple[str, str, Any], ...]  # (category, pattern, compiled spec)
    markers: tuple[_Marker, ...]
    minified_ext: tuple[str, ...]
    minified_len: int


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    return tomllib.loads(resources.files("codemap").joinpath("data", DATA_FILE)
                         .read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def _rules(extra: tuple[str, ...]) -> _Rules:
    import pathspec

    data = _data()
    specs: list[tuple[str, str, Any]] = []
    for category, patterns in list(data["paths"].items()) + [("config", list(extra))]:
        for pattern in patterns:
            specs.append((category, pattern, pathspec.GitIgnoreSpec.from_lines([pattern])))
    markers = tuple(
        _Marker(m["name"], re.compile(m["regex"], re.MULTILINE),
                m.get("head_lines") if "tail_lines" not in m else None,
                m.get("tail_lines"), tuple(m.get("extensions", ())))
        for m in data["markers"])
    mini = data["minified_content"]
    return _Rules(tuple(specs), markers, tuple(mini["extensions"]),
                  int(mini["average_line_length"]))


def attribute_values(repo: Repo, paths: Iterable[str]) -> dict[str, str]:
    """``linguist-generated`` for each path as git sees it (``set``, ``unset``,
    ``unspecified`` or a value), from one ``git check-attr`` process."""
    from codemap.history.git import run_git

    wanted = [p for p in paths if p and "\0" not in p]
    if not wanted or not repo.is_git:
        return {}
    out = run_git(repo, ["check-attr", "--stdin", "-z", ATTRIBUTE],
                  input_bytes=b"".join(p.encode("utf-8", "surrogateescape") + b"\0"
                                       for p in wanted), check=False)
    fields = out.split(b"\0")
    values: dict[str, str] = {}
    for i in range(0, len(fields) - 2, 3):
        values[fields[i].decode("utf-8", "surrogateescape")] = fields[i + 2].decode("ascii",
                                                                                  "replace")
    return values


def _suffix(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _head_end(text: str, lines: int) -> int:
    pos = -1
    for _ in range(lines):
        pos = text.find("\n", pos + 1)
        if pos < 0:
            return len(text)
    return pos


def _tail_start(text: str, lines: int) -> int:
    pos = len(text.rstrip("\n"))
    for _ in range(lines):
        pos = text.rfind("\n", 0, pos)
        if pos < 0:
            return 0
    return pos + 1


def _content_evidence(rules: _Rules, path: str, data: bytes) -> list[str]:
    text = data.decode("utf-8", "replace")
    ext = _suffix(path)
    found: list[str] = []
    for marker in rules.markers:
        if marker.extensions and ext not in marker.extensions:
            continue
        lo, hi = 0, len(text)
        if marker.tail_lines:
            lo = _tail_start(text, marker.tail_lines)
        elif marker.head_lines:
            hi = _head_end(text, marker.head_lines)
        m = marker.regex.search(text, lo, hi)
        if m:
            line_no = text.count("\n", 0, m.start()) + 1
            found.append(f"{marker.name} at line {line_no}: {m.group(0).strip()[:100]}")
    if ext in rules.minified_ext and text:
        lines = text.splitlines()
        average = sum(len(line) for line in lines) / max(len(lines), 1)
        if average > rules.minified_len:
            found.append(f"minified: average line length {average:.0f} characters")
    return found


def generated_verdict(repo: Repo, path: str, data: bytes | None = None, *,
                      attribute: str | None = None,
                      extra_patterns: tuple[str, ...] | None = None) -> GeneratedVerdict | None:
    """Is ``path`` machine-generated? ``data`` is its content (read from the
    working tree when None and the file exists). ``attribute`` is the
    ``linguist-generated`` value when already known (see
    :func:`attribute_values`), asked of git otherwise."""
    if attribute is None and repo.is_git:
        attribute = attribute_values(repo, [path]).get(path)
    if attribute in ("set", "true"):
        return GeneratedVerdict(True, (f"{ATTRIBUTE} set in .gitattributes",))
    if attribute in ("unset", "false"):
        return GeneratedVerdict(False, (f"-{ATTRIBUTE} in .gitattributes (marked not generated)",))
    if extra_patterns is None:
        from codemap.config import load_config

        extra_patterns = load_config(repo).generated_patterns
    rules = _rules(tuple(extra_patterns))
    sources: list[str] = []
    for category, pattern, spec in rules.path_specs:
        if spec.match_file(path):
            sources.append(f"path matches {pattern} ({category})")
            break
    if data is None:
        try:
            with open(repo.abspath(path), "rb") as fh:
                data = fh.read(4_000_000)
        except OSError:
            data = b""
    if data and b"\0" not in data[:8000]:
        sources.extend(_content_evidence(rules, path, data))
    if not sources:
        return None
    return GeneratedVerdict(True, tuple(sources))
