"""What the TUI asks the engine about calls, endpoints and per-symbol facts.

The companion of :mod:`codemap.tui.loaders` (same rules: plain functions, run
in thread workers, no Textual): callers and callees of a symbol, go to
definition from a call, a request matched to its route, and the facts endpoint
mode shows beside each node of a call tree (owner, coverage, recent changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codemap.errors import UsageError
from codemap.tui.loaders import FeatureUnavailable, history, symbol_at, symbols_in_file, who

if TYPE_CHECKING:  # pragma: no cover
    from codemap.model import Symbol
    from codemap.tui.session import Session


def symbol_coverage(session: Session, sym: Symbol) -> Any | None:
    """The coverage row of one symbol (statements, percent, tests), None without data."""
    cov = session.coverage()
    fc = cov.file(sym.path) if cov is not None else None
    if fc is None:
        return None
    from codemap.coverage.rollup import symbol_coverage as _rows

    try:
        data: bytes | None = session.repo.abspath(sym.path).read_bytes()
    except OSError:
        data = None
    source = data.decode("utf-8", errors="replace") if data is not None else None
    # the rollup gives each line to the innermost symbol holding it: it needs all the
    # file's symbols (parsed here while the index is not open yet), or a function would
    # count the lines of the functions nested in it (languages without a region rule)
    symbols = symbols_in_file(session, sym.path)
    if not symbols and data is not None:
        from codemap.index.extract import extract_symbols

        symbols = extract_symbols(sym.path, data)
    symbols = symbols or [sym]
    for row, candidate in zip(_rows(fc, symbols, source), symbols):
        if candidate.id == sym.id:
            return row
    return None


@dataclass(frozen=True)
class NodeFacts:
    """What endpoint mode shows beside each node of a call tree."""

    owner: str | None
    owner_share: float
    ai_share: float
    generated: bool
    coverage_percent: float | None
    commits_90d: int


def node_facts(session: Session, sym: Symbol) -> NodeFacts:
    """Owner, AI share, coverage and recent changes of one symbol."""
    from datetime import timedelta

    from codemap.tui.texts import parse_date

    owner, share, ai_share, generated, recent = None, 0.0, 0.0, False, 0
    if session.repo.is_git:
        w = who(session, sym.path, sym.start_line, sym.end_line)
        if w.authors:
            owner, share = w.authors[0].name, w.authors[0].share
        ai_share, generated = w.ai.share, bool(w.generated)
        since = session.now() - timedelta(days=90)
        for c in history(session, sym.path, sym.start_line, sym.end_line, limit=30).commits:
            when = parse_date(c.date)
            if when is not None and when >= since:
                recent += 1
    row = symbol_coverage(session, sym)
    return NodeFacts(owner, share, ai_share, generated, row.percent if row else None, recent)


def _graph() -> Any:
    try:
        from codemap import graph
    except ImportError as exc:
        raise FeatureUnavailable("the call graph is not available in this build") from exc
    return graph


def _field(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else getattr(obj, key, None)


def _edges(result: Any, key: str) -> list[tuple[Symbol, int | None]]:
    return [(_field(e, "symbol"), _field(e, "line")) for e in (_field(result, key) or [])
            if _field(e, "symbol") is not None]


def callers(session: Session, sym: Symbol) -> list[tuple[Symbol, int | None]]:
    """Direct callers of ``sym`` and the line of each call site."""
    return _edges(_graph().callers(session.repo, f"{sym.path}:{sym.start_line}", depth=1),
                  "callers")


def callees(session: Session, sym: Symbol) -> list[tuple[Symbol, int | None]]:
    """What ``sym`` calls directly, with the line of each call site (in ``sym``)."""
    return _edges(_graph().callees(session.repo, f"{sym.path}:{sym.start_line}", depth=1),
                  "callees")


def definitions(session: Session, path: str, line: int, word: str | None) -> list[Symbol]:
    """Go to definition from a call on ``path:line``: the callees called on that line
    (the one named ``word`` when given), else the symbols named ``word``."""
    found: list[Symbol] = []
    sym = symbol_at(session, path, line)
    if sym is not None:
        try:
            on_line = [callee for callee, site in callees(session, sym) if site == line]
        except FeatureUnavailable:
            on_line = []
        found = [c for c in on_line if c.name == word] if word else on_line
    if not found and word and session.reader is not None:
        found = session.reader.lookup(word)
    unique = {s.id: s for s in found}
    return list(unique.values())


def _endpoints() -> Any:
    try:
        from codemap.endpoints import service
    except ImportError as exc:
        raise FeatureUnavailable("endpoint matching is not available in this build") from exc
    return service


def match_endpoint(session: Session, request: str) -> Any:
    """The routes matching a request line (``GET /users/42``) or a route pattern."""
    if not request.strip():
        raise UsageError("type a request such as GET /users/42")
    return _endpoints().match_endpoint(session.repo, request)


def list_endpoints(session: Session) -> Any:
    return _endpoints().list_endpoints(session.repo)
