"""VS Code CodeTour ``.tour`` files: read, write, and keep their steps on their code.

A CodeTour step points at a file and a line number, so it drifts as soon as
lines above it move (the most common complaint about CodeTour). codemap
anchors each step it writes to its code, in a ``codemap`` object inside the
step that CodeTour ignores (its schema allows extra keys)::

    "codemap": {"symbol": "pkg.mod.View.handle", "kind": "method", "offset": 2,
                "hash": "1f0c…", "line_text": "user = load(request)"}

``symbol`` is the innermost definition holding the line, ``offset`` the
line's distance from the definition's first line, ``hash`` a digest of the
definition's text (of five lines around the step for top-level code) and
``line_text`` the stepped-on line. :func:`check_tour` finds each step's code
in the working tree again: the same definition by qualname (or, when it was
moved to another file, by name and content), then the line inside it.

A step is ``ok`` (same code, same line), ``moved`` (same code, another line
or file: follow ``line``/``path``), ``changed`` (the definition is there but
its text changed: the step may no longer say the truth), ``missing`` (the
file or definition vanished) or ``unverified`` (a hand-written step without
anchor and without a commit ``ref`` to take one from). Steps are never
silently re-pointed: the status says what happened.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemap.errors import InputError
from codemap.model import Symbol
from codemap.repo import Repo

ANCHOR_KEY = "codemap"
SCHEMA_URL = "https://aka.ms/codetour-schema"
WINDOW = 2  # lines either side of a top-level step that its hash covers
STATUSES = ("ok", "moved", "changed", "missing", "unverified")

SymbolSource = Callable[[str], "list[Symbol] | None"]  # path -> symbols, None when no file


@dataclass(frozen=True)
class Anchor:
    """What a step stands on: a definition and a line inside it, with digests."""

    symbol: str | None
    kind: str | None
    offset: int
    hash: str
    line_text: str

    def to_json(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "kind": self.kind, "offset": self.offset,
                "hash": self.hash, "line_text": self.line_text}

    @staticmethod
    def from_json(data: Any) -> Anchor | None:
        if not isinstance(data, dict):
            return None
        try:
            return Anchor(data.get("symbol") if isinstance(data.get("symbol"), str) else None,
                          data.get("kind") if isinstance(data.get("kind"), str) else None,
                          int(data.get("offset", 0)), str(data.get("hash", "")),
                          str(data.get("line_text", "")))
        except (TypeError, ValueError, OverflowError):  # e.g. an offset of Infinity
            return None


@dataclass
class TourStep:
    description: str
    file: str | None = None
    directory: str | None = None
    line: int | None = None
    title: str | None = None
    anchor: Anchor | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # keys codemap does not interpret

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.title is not None:
            out["title"] = self.title
        if self.directory is not None:
            out["directory"] = self.directory
        elif self.file is not None:
            out["file"] = self.file
        if self.line is not None:
            out["line"] = self.line
        out["description"] = self.description
        out.update(self.extra)
        if self.anchor is not None:
            out[ANCHOR_KEY] = self.anchor.to_json()
        return out


@dataclass
class CodeTour:
    title: str
    steps: list[TourStep]
    description: str | None = None
    ref: str | None = None
    is_primary: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"$schema": SCHEMA_URL, "title": self.title}
        if self.description is not None:
            out["description"] = self.description
        if self.ref is not None:
            out["ref"] = self.ref
        if self.is_primary is not None:
            out["isPrimary"] = self.is_primary
        out.update({k: v for k, v in self.extra.items() if k != "$schema"})
        out["steps"] = [s.to_json() for s in self.steps]
        return out


@dataclass(frozen=True)
class StepCheck:
    """Where a step's code is now."""

    index: int  # 1-based step number
    title: str | None
    status: str  # one of STATUSES
    path: str | None  # where to show the step now (file or directory)
    line: int | None
    old_path: str | None
    old_line: int | None
    reason: str
    symbol: Symbol | None = None


# ----------------------------------------------------------------------------- read / write


def _posix(path: str) -> str:
    p = path.replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def parse_tour(text: str, source: str = "tour") -> CodeTour:
    """A tour from its JSON text; :class:`InputError` naming ``source`` when unusable."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise InputError(f"{source} is not valid JSON ({exc})") from exc
    except RecursionError:
        raise InputError(f"{source} is not a CodeTour file (JSON nested too deeply)") from None
    if not isinstance(data, dict):
        raise InputError(f"{source} is not a CodeTour file (expected a JSON object)")
    title = data.get("title")
    steps = data.get("steps")
    if not isinstance(title, str) or not isinstance(steps, list):
        raise InputError(f"{source} is not a CodeTour file (it needs a 'title' and 'steps')")
    known = {"title", "description", "ref", "isPrimary", "steps"}
    tour = CodeTour(title, [], data.get("description") if isinstance(data.get("description"), str)
                    else None, data.get("ref") if isinstance(data.get("ref"), str) else None,
                    data.get("isPrimary") if isinstance(data.get("isPrimary"), bool) else None,
                    {k: v for k, v in data.items() if k not in known})
    step_keys = {"description", "file", "directory", "line", "title", ANCHOR_KEY}
    for n, raw in enumerate(steps, 1):
        if not isinstance(raw, dict):
            raise InputError(f"{source}: step {n} is not a JSON object")
        line = raw.get("line")
        if (isinstance(line, bool) or not isinstance(line, (int, float))
                or not math.isfinite(line) or line < 1):  # NaN and Infinity parse as JSON
            line = None
        file = raw.get("file") if isinstance(raw.get("file"), str) else None
        directory = raw.get("directory") if isinstance(raw.get("directory"), str) else None
        tour.steps.append(TourStep(
            str(raw.get("description", "")), _posix(file) if file else None,
            _posix(directory).rstrip("/") if directory else None,
            int(line) if line is not None else None,
            raw.get("title") if isinstance(raw.get("title"), str) else None,
            Anchor.from_json(raw.get(ANCHOR_KEY)),
            {k: v for k, v in raw.items() if k not in step_keys}))
    return tour


def read_tour(path: str | Path) -> CodeTour:
    p = Path(path).expanduser()
    try:
        text = p.read_bytes().decode("utf-8-sig", "replace")
    except FileNotFoundError:
        raise InputError(f"{path}: no such tour file") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a tour file") from None
    return parse_tour(text, str(path))


def write_tour(tour: CodeTour, path: str | Path) -> Path:
    """Write ``tour`` to ``path`` (atomically); returns the path written."""
    p = Path(path).expanduser()
    if p.is_dir():
        raise InputError(f"{path} is a directory; give a file name such as {p / 'tour.tour'}")
    tmp = p.with_name(p.name + ".tmp")
    try:
        tmp.write_text(json.dumps(tour.to_json(), indent=2, ensure_ascii=False) + "\n",
                       encoding="utf-8", errors="surrogateescape")
        tmp.replace(p)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return p


# ----------------------------------------------------------------------------- anchors


def _digest(lines: list[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def _innermost(symbols: list[Symbol], line: int) -> Symbol | None:
    best: Symbol | None = None
    for s in symbols:
        if s.kind == "module" or not s.start_line <= line <= s.end_line:
            continue
        if best is None or s.end_line - s.start_line < best.end_line - best.start_line:
            best = s
    return best


def _window(lines: list[str], line: int) -> list[str]:
    return lines[max(line - 1 - WINDOW, 0): line + WINDOW]


def make_anchor(lines: list[str], symbols: list[Symbol], line: int) -> Anchor:
    """The anchor of a step on ``line`` of a file with these ``lines`` and ``symbols``."""
    line = min(max(line, 1), max(len(lines), 1))
    text = lines[line - 1].strip() if lines else ""
    sym = _innermost(symbols, line)
    if sym is None:
        return Anchor(None, None, line - 1, _digest(_window(lines, line)), text)
    return Anchor(sym.qualname, sym.kind, line - sym.start_line,
                  _digest(lines[sym.start_line - 1: sym.end_line]), text)


def symbol_hash(lines: list[str], sym: Symbol) -> str:
    return _digest(lines[sym.start_line - 1: sym.end_line])


# ----------------------------------------------------------------------------- checking


class _Files:
    """Current file lines and symbols, read once each."""

    def __init__(self, repo: Repo, symbols_of: SymbolSource) -> None:
        self.repo = repo
        self.symbols_of = symbols_of
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, path: str) -> list[str] | None:
        if path not in self._lines:
            try:
                data = self.repo.abspath(path).read_bytes()
            except (OSError, ValueError):  # ValueError: a NUL in the step's file name
                self._lines[path] = None
            else:
                self._lines[path] = data.decode("utf-8", "surrogateescape").splitlines()
        return self._lines[path]


def _local(qualname: str) -> str:
    for sep in (":", "."):
        if sep in qualname:
            return qualname.rsplit(sep, 1)[-1]
    return qualname


def _line_in(lines: list[str], lo: int, hi: int, text: str, near: int) -> int | None:
    """The line in ``lo..hi`` whose stripped text is ``text``, nearest to ``near``."""
    if not text:
        return None
    hits = [n for n in range(max(lo, 1), min(hi, len(lines)) + 1) if lines[n - 1].strip() == text]
    return min(hits, key=lambda n: abs(n - near)) if hits else None


def _check_symbol(files: _Files, idx: int, step: TourStep, anchor: Anchor,
                  find_elsewhere: Callable[[str, str], list[Symbol]]) -> StepCheck:
    path = step.file or ""
    lines = files.lines(path)
    symbols = files.symbols_of(path) if lines is not None else None
    found: list[Symbol] = [s for s in (symbols or []) if s.qualname == anchor.symbol]
    where = path
    if not found and lines is not None and symbols:
        found = [s for s in symbols if s.kind == anchor.kind and _local(s.qualname)
                 == _local(anchor.symbol or "") and symbol_hash(lines, s) == anchor.hash]
    if not found:  # moved to another file? same name, same text
        for cand in find_elsewhere(_local(anchor.symbol or ""), anchor.hash):
            found, where = [cand], cand.path
            break
    if not found:
        gone = "file" if lines is None else "definition"
        return StepCheck(idx, step.title, "missing", None, None, path, step.line,
                         f"the {gone} is gone: {anchor.symbol} was in {path}")
    sym = found[0]
    cur = files.lines(where) or []
    same = symbol_hash(cur, sym) == anchor.hash
    guess = min(sym.start_line + anchor.offset, sym.end_line)
    line = _line_in(cur, sym.start_line, sym.end_line, anchor.line_text, guess) or guess
    if not same:
        return StepCheck(idx, step.title, "changed", where, line, path, step.line,
                         f"{anchor.symbol} changed since the step was written", sym)
    if where == path and line == step.line:
        return StepCheck(idx, step.title, "ok", where, line, path, step.line, "unchanged", sym)
    moved = f"moved to {where}:{line}" if where != path else f"moved from line {step.line} to {line}"
    return StepCheck(idx, step.title, "moved", where, line, path, step.line, moved, sym)


def _check_line(files: _Files, idx: int, step: TourStep, anchor: Anchor) -> StepCheck:
    path = step.file or ""
    lines = files.lines(path)
    if lines is None:
        return StepCheck(idx, step.title, "missing", None, None, path, step.line,
                         f"the file {path} is gone")
    old = step.line or 1
    if old <= len(lines) and _digest(_window(lines, old)) == anchor.hash:
        return StepCheck(idx, step.title, "ok", path, old, path, step.line, "unchanged")
    for n in sorted(range(1, len(lines) + 1), key=lambda n: abs(n - old)):
        if lines[n - 1].strip() == anchor.line_text and _digest(_window(lines, n)) == anchor.hash:
            return StepCheck(idx, step.title, "moved", path, n, path, step.line,
                             f"moved from line {old} to {n}")
    near = _line_in(lines, 1, len(lines), anchor.line_text, old)
    return StepCheck(idx, step.title, "changed", path, near or min(old, max(len(lines), 1)), path,
                     step.line, "the code around the step changed")


def check_step(files: _Files, idx: int, step: TourStep,
               find_elsewhere: Callable[[str, str], list[Symbol]]) -> StepCheck:
    if step.directory is not None:
        try:
            exists = files.repo.abspath(step.directory).is_dir()
        except ValueError:  # outside the repository, or a NUL in the name
            exists = False
        return StepCheck(idx, step.title, "ok" if exists else "missing",
                         step.directory if exists else None, None, step.directory, None,
                         "directory exists" if exists else f"the directory {step.directory} is gone")
    if step.file is None:
        return StepCheck(idx, step.title, "ok", None, None, None, None, "a step without code")
    anchor = step.anchor
    if anchor is None:
        lines = files.lines(step.file)
        if lines is None:
            return StepCheck(idx, step.title, "missing", None, None, step.file, step.line,
                             f"the file {step.file} is gone")
        if step.line is None:  # a step on a whole file: the file is what it stands on
            return StepCheck(idx, step.title, "ok", step.file, None, step.file, None,
                             "the file is there")
        if step.line > len(lines):
            return StepCheck(idx, step.title, "changed", step.file, len(lines) or None, step.file,
                             step.line, f"the file has only {len(lines)} lines now")
        return StepCheck(idx, step.title, "unverified", step.file, step.line, step.file,
                         step.line, "no anchor to check the line against")
    if anchor.symbol is not None:
        return _check_symbol(files, idx, step, anchor, find_elsewhere)
    return _check_line(files, idx, step, anchor)


def anchor_from_ref(repo: Repo, tour: CodeTour) -> int:
    """Give unanchored file steps the anchor their line had at the tour's ``ref``
    (when it names a commit); returns how many steps got one."""
    if not tour.ref or not repo.is_git:
        return 0
    from codemap.history.git import call_git, show_file
    from codemap.index.extract import extract_symbols

    res = call_git(repo, ["rev-parse", "--verify", "-q", f"{tour.ref}^{{commit}}"])
    sha = res.stdout.decode().strip()
    if res.returncode != 0 or not sha:
        return 0
    done = 0
    for step in tour.steps:
        if step.anchor is not None or step.file is None or step.line is None:
            continue
        data = show_file(repo, sha, step.file)
        if data is None:
            continue
        lines = data.decode("utf-8", "surrogateescape").splitlines()
        if step.line > len(lines):
            continue
        step.anchor = make_anchor(lines, extract_symbols(step.file, data), step.line)
        done += 1
    return done


def index_sources(repo: Repo, reader: Any) -> tuple[SymbolSource, Callable[[str, str], list[Symbol]]]:
    """``symbols_of`` and ``find_elsewhere`` for :func:`check_tour` backed by the index
    (files the index lacks are parsed on the fly)."""
    from codemap.index.extract import extract_symbols

    indexed = set(reader.files())
    cache: dict[str, list[Symbol] | None] = {}

    def symbols_of(path: str) -> list[Symbol] | None:
        if path not in cache:
            if path in indexed:
                cache[path] = reader.symbols_in_file(path)
            else:
                try:
                    data = repo.abspath(path).read_bytes()
                except (OSError, ValueError):  # unreadable, or outside the repository
                    cache[path] = None
                else:
                    cache[path] = extract_symbols(path, data,
                                                  lambda p: repo.abspath(p).is_file())
        return cache[path]

    files = _Files(repo, symbols_of)

    def find_elsewhere(name: str, digest: str) -> list[Symbol]:
        out = []
        for cand in reader.lookup(name):
            lines = files.lines(cand.path)
            if lines is not None and symbol_hash(lines, cand) == digest:
                out.append(cand)
        return out

    return symbols_of, find_elsewhere


def check_tour(repo: Repo, tour: CodeTour, symbols_of: SymbolSource,
               find_elsewhere: Callable[[str, str], list[Symbol]] | None = None
               ) -> list[StepCheck]:
    """Where each step's code is in the working tree now (see the module docstring)."""
    files = _Files(repo, symbols_of)
    anchor_from_ref(repo, tour)
    finder = find_elsewhere or (lambda _name, _hash: [])
    return [check_step(files, i, step, finder) for i, step in enumerate(tour.steps, 1)]


def reanchored(tour: CodeTour, checks: list[StepCheck], repo: Repo,
               symbols_of: SymbolSource) -> CodeTour:
    """A copy of ``tour`` whose steps point where their code is now, with fresh
    anchors; ``missing`` steps keep their old place and anchor."""
    files = _Files(repo, symbols_of)
    steps: list[TourStep] = []
    for step, check in zip(tour.steps, checks):
        new = TourStep(step.description, step.file, step.directory, step.line, step.title,
                       step.anchor, dict(step.extra))
        if check.status in ("ok", "moved", "changed", "unverified") and check.path and \
                step.directory is None:
            new.file, new.line = check.path, check.line
            lines = files.lines(check.path)
            if lines is not None and check.line is not None:
                new.anchor = make_anchor(lines, symbols_of(check.path) or [], check.line)
        steps.append(new)
    return CodeTour(tour.title, steps, tour.description, None, tour.is_primary, dict(tour.extra))
