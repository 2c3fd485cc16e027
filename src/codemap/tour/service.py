"""``codemap tour``: a generated walkthrough of a repository for a newcomer.

The tour starts where the program starts (its entry points), then visits
the modules and the functions everything else leans on, ranked by PageRank
over the call / import graph. Each stop says what it is in its authors'
words (docstring or leading comment), its key symbols, who owns it (and
the bus factor), how well tests cover it, how much of it an AI or a
generator wrote, and how often it changed lately. Test code is never a
stop (tests are entry points), and neither is generated code.
"""

from __future__ import annotations

import dataclasses
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any

from codemap.errors import GitError
from codemap.model import Symbol
from codemap.progress import CancelToken, Progress, ProgressHook, check_cancel, no_progress
from codemap.repo import Repo
from codemap.tour.centrality import pagerank, ranked
from codemap.tour.model import ENTRY_LABEL, EntryPoint, Stop, TourResult
from codemap.tour.structure import Structure

DEFAULT_MONTHS = 3.0
DEFAULT_STOPS = 20
ENTRY_QUOTA = {"console_script": 3, "package_main": 2, "cli": 2, "main": 2, "route": 2}
ENTRY_STOPS = 6
KEY_SYMBOLS = 5
# Third-party code copied into the repository (linguist's vendor.yml, the common part):
# never a stop, and its entry points come after the repository's own.
VENDORED = re.compile(r"(^|/)(vendor|_vendor|vendored|third_party|third-party|node_modules|"
                      r"bower_components|Godeps)/")
CODE_KINDS = ("function", "method", "class", "lambda")


def _file_text(repo: Repo, path: str) -> bytes:
    try:
        return repo.abspath(path).read_bytes()
    except OSError:
        return b""


class _Planner:
    """Chooses the stops from the ranked graph."""

    def __init__(self, st: Structure, is_test: Any, is_generated: Any) -> None:
        self.st = st
        self.is_test = is_test
        self.is_generated = is_generated
        self.sym_rank = pagerank(st.call_edges)
        self.file_rank = pagerank(st.file_edges)
        self.row_of = {s.id: rid for rid, s in st.symbols.items()}
        self.by_path = st.by_path()
        self.children: dict[int, list[int]] = {}
        for rid, par in st.parent.items():
            if par is not None:
                self.children.setdefault(par, []).append(rid)
        self.callees: dict[int, set[int]] = {}
        for a, b in st.call_edges:
            if a != b:
                self.callees.setdefault(a, set()).add(b)
        self.sym_order = {rid: i for i, (rid, _) in enumerate(ranked(self.sym_rank), 1)}
        self.file_order = {p: i for i, (p, _) in enumerate(ranked(self.file_rank), 1)}

    def ok_path(self, path: str) -> bool:
        return not VENDORED.search(path) and not self.is_test(path) \
            and not self.is_generated(path)

    def core_files(self, n: int) -> list[str]:
        out = []
        for path, _ in ranked(self.file_rank):
            if len(out) >= n:
                break
            if self.ok_path(path) and any(self.st.symbols[r].kind in CODE_KINDS
                                          for r in self.by_path.get(path, [])):
                out.append(path)
        return out

    def _presented(self, rid: int) -> int:
        """A constructor is presented as its class (``__init__`` -> the class)."""
        from codemap.index.callrules import call_rules

        sym = self.st.symbols[rid]
        par = self.st.parent.get(rid)
        if par is not None and self.st.symbols[par].kind == "class":
            rules = call_rules(sym.language)
            if sym.name in rules.constructors or (rules.constructor_is_class_name
                                                  and sym.name == self.st.symbols[par].name):
                return par
        return rid

    def core_symbols(self, n: int, skip: set[str]) -> list[int]:
        """The most central definitions; those called from several files first."""
        wide: list[int] = []
        narrow: list[int] = []
        seen: set[int] = set()
        for rid, _ in ranked(self.sym_rank):
            if len(wide) >= n:
                break
            shown = self._presented(rid)
            sym = self.st.symbols[shown]
            if shown in seen or sym.kind not in CODE_KINDS or sym.id in skip \
                    or not self.st.callers[rid] or not self.ok_path(sym.path):
                continue
            seen.add(shown)
            files = self.st.caller_files.get(rid, set()) | self.st.caller_files.get(shown, set())
            (wide if len(files - {sym.path}) >= 1 else narrow).append(shown)
        return (wide + narrow)[:n]

    def _with_constructors(self, rid: int) -> list[int]:
        out = [rid]
        if self.st.symbols[rid].kind == "class":
            out += [c for c in self.children.get(rid, []) if self._presented(c) == rid]
        return out

    def callers_of(self, rid: int) -> int:
        return sum(self.st.callers.get(r, 0) for r in self._with_constructors(rid))

    def caller_files_of(self, rid: int) -> set[str]:
        out: set[str] = set()
        for r in self._with_constructors(rid):
            out |= self.st.caller_files.get(r, set())
        return out

    def rank_of(self, rid: int) -> int:
        ranks = [self.sym_order[r] for r in self._with_constructors(rid) if r in self.sym_order]
        return min(ranks) if ranks else 0

    def score_of(self, rid: int) -> float:
        return max(self.sym_rank.get(r, 0.0) for r in self._with_constructors(rid))

    def best(self, rids: list[int], n: int = KEY_SYMBOLS) -> list[Symbol]:
        order = sorted(rids, key=lambda r: (-self.sym_rank.get(r, 0.0), r))
        return [self.st.symbols[r] for r in order[:n]]

    def key_symbols(self, sym: Symbol | None, path: str) -> list[Symbol]:
        if sym is None or sym.kind == "module":
            inner = [r for r in self.by_path.get(path, [])
                     if self.st.symbols[r].kind in CODE_KINDS]
            return self.best(inner)
        rid = self.row_of.get(sym.id)
        if rid is None:
            return []
        if sym.kind == "class":
            return self.best(self.children.get(rid, []))
        return self.best([c for c in self.callees.get(rid, set())
                          if self.st.symbols[c].kind != "module"])


def _entry_order(ep: EntryPoint) -> tuple[bool, int, str]:
    """``__main__``/``main`` before demo blocks, shallow paths before deep ones.
    (Vendored entry points are never stops: the code is someone else's.)"""
    path = ep.path or ""
    named_main = path.endswith("__main__.py") or (ep.symbol is not None
                                                  and ep.symbol.name == "main")
    return not named_main, path.count("/"), path


def _entry_stops(entries: list[EntryPoint]) -> list[EntryPoint]:
    taken: dict[str, int] = {}
    out: list[EntryPoint] = []
    seen: set[str] = set()
    for kind in ENTRY_QUOTA:
        for ep in sorted((e for e in entries if e.kind == kind), key=_entry_order):
            if ep.path is None or VENDORED.search(ep.path) or len(out) >= ENTRY_STOPS:
                continue
            key = ep.symbol.id if ep.symbol else ep.path
            if key in seen or taken.get(kind, 0) >= ENTRY_QUOTA[kind]:
                continue
            seen.add(key)
            taken[kind] = taken.get(kind, 0) + 1
            out.append(ep)
    return out


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def build_tour(repo: Repo, *, months: float = DEFAULT_MONTHS, max_stops: int = DEFAULT_STOPS,
               now: datetime | None = None, coverage_file: str | None = None,
               progress: ProgressHook | None = None,
               cancel: CancelToken | None = None) -> TourResult:
    """The onboarding tour of ``repo`` (see the module docstring)."""
    from codemap.errors import UsageError
    from codemap.history.generated import generated_verdict
    from codemap.index.service import open_index
    from codemap.tour.churn import file_churn, months_ago
    from codemap.tour.describe import describe, summary
    from codemap.tour.entries import detect_entry_points
    from codemap.tour.facts import FactGatherer
    from codemap.tour.structure import load_structure, test_path_matcher

    if months <= 0:
        raise UsageError("--months must be more than 0")
    if max_stops < 1:
        raise UsageError("the tour needs at least one stop")
    report = progress or no_progress
    notes: list[str] = []
    now = now or datetime.now(timezone.utc)
    reader = open_index(repo, progress=progress, cancel=cancel)
    head = None
    refused = False
    if repo.is_git:
        from codemap.history.git import head_sha

        try:
            head = head_sha(repo)
        except GitError as exc:  # git refuses the repository: the tour goes on without history
            notes.append(f"{exc.message}; owners, bus factor, AI share and churn are left empty")
            # (read as a plain directory from here on; the index stays where it was)
            repo = dataclasses.replace(repo, git_dir=None, common_dir=None)
            refused = True
    check_cancel(cancel)
    report(Progress("tour", 0, 4))
    gen_cache: dict[str, bool] = {}

    def is_generated(path: str) -> bool:
        if path not in gen_cache:
            verdict = generated_verdict(repo, path) if path else None
            gen_cache[path] = bool(verdict and verdict.generated)
        return gen_cache[path]

    # Entry-point detection reads route files in worker processes: let it run (on its own
    # reader) while this thread loads the graph and ranks it.
    entry_notes: list[str] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(lambda: detect_entry_points(
            repo, open_index(repo, refresh=False), notes=entry_notes))
        st = load_structure(reader)
        plan = _Planner(st, test_path_matcher(st.languages), is_generated)
        entries = found.result()
    notes.extend(entry_notes)
    if not st.imports_resolved:
        notes.append("imports could not be resolved: modules are ranked by calls only")
    report(Progress("tour", 1, 4))
    check_cancel(cancel)

    # -- choose the stops ---------------------------------------------------------------
    entry_eps = _entry_stops(entries)[: max(1, max_stops // 3)]
    rest = max_stops - len(entry_eps)
    # a module already shown as an entry point (a main module) is not shown twice
    entry_modules = {ep.symbol.path for ep in entry_eps
                     if ep.symbol is not None and ep.symbol.kind == "module"}
    wanted = max(1, rest * 2 // 5)
    core_files = [path for path in plan.core_files(wanted + len(entry_modules))
                  if path not in entry_modules][:wanted]
    skip = {ep.symbol.id for ep in entry_eps if ep.symbol is not None}
    core_syms = plan.core_symbols(max(0, rest - len(core_files)), skip)
    chosen: list[tuple[str, str, Symbol | None, EntryPoint | None]] = []
    for ep in entry_eps:
        chosen.append(("entry point", ep.path or "", ep.symbol, ep))
    module_of = {s.path: s for s in st.symbols.values() if s.kind == "module"}
    for path in core_files:
        chosen.append(("core module", path, module_of.get(path), None))
    for rid in core_syms:
        sym = st.symbols[rid]
        chosen.append(("core function", sym.path, sym, None))

    # -- facts ------------------------------------------------------------------------------
    since = min(months_ago(months, now), now.timestamp() - 90 * 86400)
    churn = file_churn(repo, since)
    if not repo.is_git and not refused:
        notes.append(f"{repo.root} is not a git repository: owners, bus factor, AI share and "
                     "churn are left empty")
    cov = None
    try:
        from codemap.coverage.service import load_coverage

        cov = load_coverage(repo, coverage_file, files=reader.all_paths())
    except ImportError:  # pragma: no cover - coverage support not installed
        notes.append("coverage support is not available")
    if cov is None:
        notes.append("no coverage data found: coverage_percent is empty")
    gatherer = FactGatherer(repo, churn, cov, now.timestamp())
    gatherer.prepare((path, sym) for _, path, sym, _ in chosen)
    report(Progress("tour", 2, 4))
    check_cancel(cancel)

    stops: list[Stop] = []
    file_symbols: dict[str, list[Symbol]] = {}
    churn_since = months_ago(months, now)
    for step, (section, path, sym, ep) in enumerate(chosen, 1):
        data = _file_text(repo, path) if path else b""
        if path not in file_symbols:
            file_symbols[path] = [st.symbols[r] for r in sorted(
                plan.by_path.get(path, []), key=lambda r: (st.symbols[r].start_line, r))]
        facts = gatherer.facts(path, sym, file_symbols[path])
        commits = churn.commits(path, churn_since) if churn.available else None
        doc = describe(sym, data) if sym is not None and data else None
        rid = plan.row_of.get(sym.id) if sym is not None else None
        if section == "core module":
            score = plan.file_rank.get(path, 0.0)
            rank_no = plan.file_order.get(path, 0)
            importers = st.importers.get(path, set())
            verbs = "calls into it or imports it" if len(importers) == 1 else \
                "call into it or import it"
            why = f"module #{rank_no} by centrality: {_plural(len(importers), 'other file')} {verbs}"
            title = f"Module {sym.qualname if sym else path}"
            callers = len(importers)
        else:
            score = plan.score_of(rid) if rid is not None else 0.0
            rank_no = plan.rank_of(rid) if rid is not None else 0
            callers = plan.callers_of(rid) if rid is not None else 0
            if ep is not None:
                label = ENTRY_LABEL.get(ep.kind, ep.kind)
                title = f"Entry point: {ep.name} ({label})"
                why = f"{label} declared in {ep.source}" if ep.kind in (
                    "console_script", "package_main") else f"{label}: {ep.source}"
                if ep.detail and ep.detail not in why:
                    why += f" -> {ep.detail}"
            else:
                assert sym is not None
                files = len(plan.caller_files_of(rid)) if rid is not None else 0
                title = f"{sym.kind.capitalize()} {sym.qualname}"
                why = (f"#{rank_no} by centrality: called from {_plural(callers, 'place')} "
                       f"in {_plural(files, 'file')}")
        stops.append(Stop(
            title=title, path=path, symbol=sym, why=why, centrality=round(score, 6),
            owners=facts.owners, coverage_percent=facts.coverage_percent,
            ai_share=facts.ai_share, commits_90d=facts.commits_90d, step=step,
            section=section, kind=sym.kind if sym else "file",
            line=sym.start_line if sym is not None and sym.kind != "module" else None,
            summary=summary(doc), description=doc,
            key_symbols=plan.key_symbols(sym, path), bus_factor=facts.bus_factor,
            declared_owners=facts.declared_owners, generated=facts.generated,
            commits=commits, callers=callers, rank=rank_no))
    report(Progress("tour", 4, 4))
    return TourResult(
        entry_points=entries, stops=stops, repository=repo.root.name, head=head, months=months,
        files=len(reader.files()), symbols=len(st.symbols), edges=len(st.call_edges),
        generated_files=sum(gen_cache.values()),
        coverage_sources=[s.path for s in cov.sources()] if cov is not None else [],
        notes=notes)

