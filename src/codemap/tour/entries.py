"""Where a program starts: the entry points a tour begins with.

Four sources, each a different kind of evidence:

* **declared** in packaging metadata (:mod:`codemap.tour.packaging`):
  console scripts of ``pyproject.toml`` / ``setup.cfg`` / ``setup.py``,
  ``package.json`` ``bin`` and ``main``, and ``__main__.py`` packages;
* **registered** as command-line commands: click / typer decorators,
  argparse ``set_defaults(func=...)``, commander ``.action(fn)`` (the table
  :data:`CLI_RULES`, matched against the index's call sites);
* **routes** from :mod:`codemap.endpoints` (each handler);
* **mains and tests** from the call graph's entry-point detection
  (:func:`codemap.graph.entry_points`).

Each entry point is reported once per (kind, symbol), first source first.
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
_DECORATED_KINDS = ("function", "method", "class")


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


def _graph_kind(raw: Any) -> str:
    kind = str(getattr(raw, "kind", "") or "main")
    if kind in ENTRY_KINDS:
        return kind
    return "test" if "test" in kind else "main"


def graph_entry_points(repo: Repo, reader: Any) -> list[EntryPoint]:
    """Mains and tests as the call graph detects them."""
    from codemap.graph import entry_points

    out: list[EntryPoint] = []
    for raw in entry_points(repo, reader):
        sym = getattr(raw, "symbol", None)
        if sym is None and isinstance(raw, Symbol):
            sym = raw
        kind = _graph_kind(raw) if not isinstance(raw, Symbol) else "main"
        name = str(getattr(raw, "name", "") or (sym.name if sym else ""))
        out.append(EntryPoint(kind, name, sym, sym.path if sym else getattr(raw, "path", None),
                              sym.start_line if sym else None,
                              str(getattr(raw, "reason", "") or getattr(raw, "source", "") or
                                  "call graph")))
    return out


def route_entry_points(repo: Repo) -> list[EntryPoint]:
    from codemap.endpoints.service import list_endpoints

    out: list[EntryPoint] = []
    for ep in list_endpoints(repo).endpoints:
        handler = getattr(ep, "handler", None)
        label = f"{ep.method} {ep.route}"
        out.append(EntryPoint("route", label, handler, handler.path if handler else None,
                              handler.start_line if handler else None,
                              f"{getattr(ep, 'framework', '')} route".strip(), label))
    return out


def endpoint_handlers(repo: Repo) -> dict[str, str]:
    """Handler symbol id -> "METHOD /route" (the first route each handler serves)."""
    out: dict[str, str] = {}
    for ep in route_entry_points(repo):
        if ep.symbol is not None:
            out.setdefault(ep.symbol.id, ep.detail)
    return out


def detect_entry_points(repo: Repo, reader: Any, *, notes: list[str] | None = None
                        ) -> list[EntryPoint]:
    """Every entry point of the repository, declared ones first."""
    from codemap.tour.packaging import declared_entry_points

    found: list[EntryPoint] = []
    sources = (("packaging metadata", lambda: declared_entry_points(repo, reader)),
               ("command-line registrations", lambda: cli_commands(repo, reader)),
               ("routes", lambda: route_entry_points(repo)),
               ("mains and tests", lambda: graph_entry_points(repo, reader)))
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
