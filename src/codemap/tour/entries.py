"""Where a program starts: the entry points a tour begins with.

Two sources:

* the call graph's entry-point detection (:func:`codemap.graph.entry_points`):
  console scripts and ``package.json`` ``bin``/``main`` declared in packaging
  metadata, ``__main__.py`` and ``if __name__ == "__main__"`` blocks, Go and
  Java ``main``, tests, and route handlers;
* command-line commands **registered** with a framework: click / typer
  decorators, argparse ``set_defaults(func=...)``, commander ``.action(fn)``
  (the table :data:`CLI_RULES`, matched against the index's call sites).

Each entry point is reported once per (kind, symbol).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from codemap.model import Symbol
from codemap.repo import Repo
from codemap.tour.model import ENTRY_KINDS, EntryPoint


@dataclass(frozen=True)
class CliRule:
    """A call site that registers a command-line command.

    ``decorates``: the call is a decorator and the decorated definition is
    the command; otherwise ``handler`` is a regex over the call's source
    line whose first group names the handler function.
    """

    language: str
    name: str  # regex on the call's name
    receiver: str  # regex on the call's receiver text
    framework: str
    decorates: bool = True
    handler: str = ""


CLI_RULES: tuple[CliRule, ...] = (
    CliRule("python", r"^(command|group)$", r"^(click|[A-Za-z_]\w*)$", "click/typer"),
    CliRule("python", r"^callback$", r"^[A-Za-z_]\w*$", "typer"),
    CliRule("python", r"^set_defaults$", r".", "argparse", decorates=False,
            handler=r"\bfunc\s*=\s*([A-Za-z_][\w.]*)"),
    CliRule("javascript", r"^action$", r".", "commander", decorates=False,
            handler=r"\.action\(\s*([A-Za-z_$][\w$.]*)\s*\)"),
    CliRule("typescript", r"^action$", r".", "commander", decorates=False,
            handler=r"\.action\(\s*([A-Za-z_$][\w$.]*)\s*\)"),
)


@dataclass(frozen=True)
class CommandFileRule:
    """Commands a framework finds by file layout, not by a registration call: each file
    matching ``files`` (a path regex whose first group is the command's name) defines the
    command in the definition whose qualname ends with ``handler``."""

    language: str
    files: str
    handler: str
    framework: str
    shown: str  # how the command is run, "{}" standing for its name


COMMAND_FILE_RULES: tuple[CommandFileRule, ...] = (
    # Django: <app>/management/commands/<name>.py, class Command(BaseCommand), its handle()
    CommandFileRule("python", r"(?:^|/)management/commands/([a-z_][a-z0-9_]*)\.py$",
                    ".Command.handle", "django", "manage.py {}"),
)
_DECORATED_KINDS = ("function", "method", "class")
_SOURCES = {"console_script": "packaging metadata (console scripts, package.json bin)",
            "package_main": "packaging metadata", "main": "a main function or block",
            "test": "a test", "route": "an HTTP route"}


def _line_text(repo: Repo, path: str, line: int, cache: dict[str, list[str]]) -> str:
    lines = cache.get(path)
    if lines is None:
        try:
            lines = repo.abspath(path).read_bytes().decode("utf-8", "replace").splitlines()
        except OSError:
            lines = []
        cache[path] = lines
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _decorated(reader: Any, path: str, line: int) -> Symbol | None:
    """The definition whose decorator sits on ``line`` (its range starts at or before it)."""
    best: Symbol | None = None
    for sym in reader.symbols_in_file(path):
        if sym.kind in _DECORATED_KINDS and sym.start_line <= line <= sym.end_line:
            if best is None or sym.start_line >= best.start_line:
                best = sym
    if best is not None and line - best.start_line > 20:  # a call inside the body, not a decorator
        return None
    return best


def cli_commands(repo: Repo, reader: Any) -> list[EntryPoint]:
    """Commands registered with a command-line framework (see :data:`CLI_RULES`)."""
    out: list[EntryPoint] = []
    texts: dict[str, list[str]] = {}
    names = {r.name.strip("^$") for r in CLI_RULES}
    plain = [n for n in names if re.fullmatch(r"\w+", n)]
    alts = [a for n in names if not re.fullmatch(r"\w+", n) for a in n.strip("()").split("|")]
    wanted = sorted(set(plain) | set(alts))
    rows = reader.conn.execute(
        f"SELECT f.path, f.language, c.name, c.receiver, c.line FROM calls c "
        f"JOIN files f ON f.id = c.file_id WHERE c.name IN ({','.join('?' * len(wanted))}) "
        f"ORDER BY f.path, c.line", wanted).fetchall()
    for path, language, name, receiver, line in rows:
        for rule in CLI_RULES:
            if rule.language != language or not re.search(rule.name, name) \
                    or not re.search(rule.receiver, receiver or ""):
                continue
            sym: Symbol | None = None
            if rule.decorates:
                text = _line_text(repo, path, line, texts).lstrip()
                if not text.startswith("@"):
                    continue
                sym = _decorated(reader, path, line)
            else:
                m = re.search(rule.handler, _line_text(repo, path, line, texts))
                if not m:
                    continue
                target = m.group(1).rsplit(".", 1)[-1]
                local = [s for s in reader.symbols_in_file(path) if s.name == target]
                found = local or reader.lookup(target)
                sym = found[0] if len(found) == 1 or local else None
            if sym is None:
                continue
            out.append(EntryPoint("cli", sym.name, sym, sym.path, sym.start_line,
                                  f"{rule.framework} registration at {path}:{line}"))
            break
    return out


def file_commands(reader: Any) -> list[EntryPoint]:
    """Commands a framework finds by file layout (see :data:`COMMAND_FILE_RULES`)."""
    out: list[EntryPoint] = []
    for path, language in reader.conn.execute(
            "SELECT path, language FROM files WHERE language IS NOT NULL ORDER BY path"):
        for rule in COMMAND_FILE_RULES:
            m = re.search(rule.files, path) if rule.language == language else None
            if m is None or m.group(1).startswith("_"):
                continue
            handlers = [s for s in reader.symbols_in_file(path)
                        if s.qualname.endswith(rule.handler)]
            if len(handlers) == 1:
                sym = handlers[0]
                out.append(EntryPoint("cli", rule.shown.format(m.group(1)), sym, sym.path,
                                      sym.start_line, f"{rule.framework} command ({path})"))
    return out


def _graph_kind(raw: Any) -> str:
    kind = str(getattr(raw, "kind", "") or "main")
    if kind in ENTRY_KINDS:
        return kind
    return "test" if "test" in kind else "main"


def graph_entry_points(repo: Repo, reader: Any) -> list[EntryPoint]:
    """Scripts, mains, tests and route handlers as the call graph detects them."""
    from codemap.graph import entry_points

    out: list[EntryPoint] = []
    for raw in entry_points(repo, reader):
        sym = raw.symbol
        kind = raw.kind if raw.kind in ENTRY_KINDS else "main"
        detail = raw.name if kind == "route" else ""
        out.append(EntryPoint(kind, raw.name, sym, sym.path, sym.start_line,
                              _SOURCES.get(kind, "call graph"), detail))
    return out


def detect_entry_points(repo: Repo, reader: Any, *, notes: list[str] | None = None
                        ) -> list[EntryPoint]:
    """Every entry point of the repository: the call graph's, then CLI registrations."""
    found: list[EntryPoint] = []
    sources = (("entry points", lambda: graph_entry_points(repo, reader)),
               ("command-line registrations", lambda: cli_commands(repo, reader)),
               ("commands found by file layout", lambda: file_commands(reader)))
    for label, get in sources:
        try:
            found.extend(get())
        except ImportError as exc:  # a part of codemap this build does not have
            if notes is not None:
                notes.append(f"{label}: not available ({exc.name or exc})")
    seen: set[tuple[str, str]] = set()
    out: list[EntryPoint] = []
    for ep in found:
        key = (ep.kind, ep.symbol.id if ep.symbol is not None else f"{ep.path}:{ep.name}")
        if key not in seen:
            seen.add(key)
            out.append(ep)
    return out
