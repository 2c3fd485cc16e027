"""``codemap review``: what a change touches, who to ask, and how risky it is.

The steps, each owned by a module of this package: the range
(:mod:`.rangespec`), the changed files and lines (:mod:`.diff`), their
versions on both sides (:mod:`.blobs`), the changed symbols
(:mod:`.changes`), the blast radius through the index's call graph
(:mod:`.blast`), diff coverage and the tests that run the change
(:mod:`.diffcov`), AI provenance and owners (:mod:`.signals`), whether a
symbol's code changed or only its comments (:mod:`.trivia`) and the risk
ranking (:mod:`.risk`).

The call graph and coverage data describe the working tree. When HEAD of
the range is not what is checked out, changed symbols are matched to the
working tree's by path and qualname, and the answer says so in ``notes``.
"""

from __future__ import annotations

from collections import Counter

from codemap.model import Symbol
from codemap.progress import CancelToken, Progress, ProgressHook, check_cancel, no_progress
from codemap.repo import Repo
from codemap.review.blast import Blast, blast_radius
from codemap.review.changes import SymbolChange, changed_symbols
from codemap.review.model import ChangedFile, ChangedSymbol, ReviewResult
from codemap.review.risk import SymbolSignals, rank, score
from codemap.review.sides import SideSymbols
from codemap.review.trivia import judge

NINETY_DAYS = 90 * 86400


def _index_rows(repo: Repo, reader: object, changed: list[SymbolChange],
                head_data: dict[str, bytes], blob_of: dict[str, str]) -> tuple[dict[int, Symbol], int]:
    """Index row ids of the changed HEAD symbols (working-tree graph); how many were not found."""
    rows: dict[int, Symbol] = {}
    missing = 0
    same: dict[str, bool] = {}
    for sc in changed:
        if sc.change == "deleted" or not sc.direct:
            continue
        sym = sc.symbol
        if sym.path not in same:
            try:
                same[sym.path] = repo.abspath(sym.path).read_bytes() == \
                    head_data.get(blob_of.get(sym.path, ""))
            except OSError:
                same[sym.path] = False
        rid = reader.symbol_row_id(sym) if same[sym.path] else None  # type: ignore[attr-defined]
        if rid is None:
            for cand in reader.lookup(sym.qualname):  # type: ignore[attr-defined]
                if cand.path == sym.path:
                    rid = reader.symbol_row_id(cand)  # type: ignore[attr-defined]
                    break
        if rid is None:
            missing += 1
        else:
            rows[rid] = sym
    return rows, missing


def _entries(repo: Repo, reader: object, notes: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(symbol id -> entry-point kind, handler id -> "METHOD /route")."""
    from codemap.tour.entries import detect_entry_points

    kinds: dict[str, str] = {}
    handlers: dict[str, str] = {}
    for ep in detect_entry_points(repo, reader, notes=notes):
        if ep.symbol is None:
            continue
        if ep.kind == "route":
            handlers.setdefault(ep.symbol.id, ep.detail or ep.name)
        else:
            kinds.setdefault(ep.symbol.id, ep.kind)
    return kinds, handlers


def _test_id(sym: Symbol) -> str:
    module_q = sym.qualname
    local = sym.qualname
    path_stem = sym.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    marker = f"{path_stem}."
    if marker in module_q:
        local = module_q.split(marker, 1)[1]
    elif ":" in module_q:
        local = module_q.rsplit(":", 1)[1]
    return f"{sym.path}::{local.replace('.', '::')}"


def _dangling(reader: object, deleted: list[SymbolChange]) -> dict[str, int]:
    """Name -> call sites in the working tree that still call a deleted symbol's name
    (only names that no remaining definition carries)."""
    names = sorted({sc.symbol.name for sc in deleted
                    if sc.symbol.kind in ("function", "method", "class")})
    names = [n for n in names if not reader.lookup(n)]  # type: ignore[attr-defined]
    out: dict[str, int] = {}
    for start in range(0, len(names), 500):
        chunk = names[start:start + 500]
        marks = ",".join("?" * len(chunk))
        out.update(reader.conn.execute(  # type: ignore[attr-defined]
            f"SELECT name, COUNT(*) FROM calls WHERE name IN ({marks}) GROUP BY name", chunk))
    return out


def build_review(repo: Repo, range_spec: str | None, branch: str | None = None, *,
                 coverage_file: str | None = None, progress: ProgressHook | None = None,
                 cancel: CancelToken | None = None) -> ReviewResult:
    """Review the change ``range_spec`` (``BASE..HEAD``, ``BASE...HEAD``, a commit) or
    ``branch`` against its merge base; see :mod:`codemap.review.rangespec`."""
    from codemap.config import load_config
    from codemap.coverage.service import load_coverage
    from codemap.index.service import open_index
    from codemap.lang.registry import language_for_path
    from codemap.review import signals
    from codemap.review.blobs import read_blobs
    from codemap.review.diff import diff_files
    from codemap.review.diffcov import diff_coverage
    from codemap.review.rangespec import commits_in, parse_range
    from codemap.review.symcache import open_symbol_cache
    from codemap.tour.churn import file_churn

    report = progress or no_progress
    notes: list[str] = []
    rng = parse_range(repo, range_spec, branch)
    shas = commits_in(repo, rng)
    commits = signals.range_commits(repo, shas)
    if not shas:
        notes.append(f"the range {rng.base_label}..{rng.head_label} holds no commits")
    report(Progress("diff", 0, 1))
    changes = diff_files(repo, rng.base, rng.head)
    check_cancel(cancel)
    config = load_config(repo)
    wanted = [b for fc in changes if not fc.binary
              for b, p in ((fc.old_blob, fc.old_path), (fc.new_blob, fc.new_path))
              if b and p and language_for_path(p) is not None]
    head_text = [fc.new_blob for fc in changes if fc.new_blob and not fc.binary]
    blobs = read_blobs(repo, [*wanted, *head_text])
    reader = open_index(repo)
    cache = open_symbol_cache(repo)
    sides = SideSymbols(repo, rng, blobs, config.max_file_size, reader, cache, notes)
    try:
        sides.prepare(changes)
        changed = changed_symbols(changes, sides)
    finally:
        cache.close()
    head_symbols = sides.head_symbols
    report(Progress("diff", 1, 1))
    check_cancel(cancel)

    blob_of = {fc.new_path: fc.new_blob or "" for fc in changes if fc.new_path}
    starts, unmatched = _index_rows(repo, reader, changed, blobs, blob_of)
    if unmatched:
        notes.append(f"{unmatched} changed symbols are not in the working tree's call graph "
                     "(HEAD of the range is not what is checked out): no blast radius for them")
    entry_kinds, handlers = _entries(repo, reader, notes)
    test_ids = {sid for sid, kind in entry_kinds.items() if kind == "test"}
    blast: Blast = blast_radius(reader, starts, entry_kinds=entry_kinds, endpoints=handlers,
                                tests=test_ids)
    check_cancel(cancel)

    prov, ai_by_path = signals.provenance(repo, changes, commits, rng.head, blobs)
    cov = load_coverage(repo, coverage_file)
    dcov, testing = diff_coverage(repo, cov, changes, changed, blobs, head_symbols,
                                   set(prov.generated_files))
    if cov is None:
        notes.append("no coverage data found: diff coverage and the tests that run the change "
                     "are unknown (static test callers are still listed)")
    check_cancel(cancel)

    spans: dict[str, set[int]] = {}
    for sc in changed:
        if not sc.direct or sc.change == "added":
            continue
        base_sym = sc.symbol if sc.change == "deleted" else sc.base_symbol
        if base_sym is None:
            continue
        if base_sym.kind == "module":
            fc = next((f for f in changes if f.old_path == base_sym.path), None)
            lines = set(fc.removed) if fc else set()
        else:
            lines = set(range(base_sym.start_line, base_sym.end_line + 1))
        spans.setdefault(base_sym.path, set()).update(lines)
    people, declared, cut, base_blame = signals.owners(
        repo, spans, rng.base, rng.base_is_commit, [fc.path for fc in changes])
    if cut:
        notes.append(f"owners come from the {signals.MAX_OWNER_FILES} most changed files")
    check_cancel(cancel)

    churn = None
    if rng.base_is_commit:
        from codemap.history.git import run_git

        base_time = int(run_git(repo, ["show", "-s", "--format=%ct", rng.base]).decode().strip()
                        or 0)
        churn = file_churn(repo, base_time - NINETY_DAYS, rev=rng.base)
    change_authors = {c.email.lower() for c in commits}
    static_tests = {e.symbol.id: _test_id(e.symbol) for e in blast.entries if e.test}
    tests_by_origin: dict[str, set[str]] = {}
    for e in blast.entries:
        if e.test:
            tests_by_origin.setdefault(e.changed, set()).add(static_tests[e.symbol.id])

    dangling = _dangling(reader, [sc for sc in changed if sc.change == "deleted" and sc.direct])
    verdicts = judge(changes, changed, blobs, sides.base_symbols, head_symbols)
    out_changed: list[ChangedSymbol] = []
    risks = []
    # with per-line test contexts, the tests that ran the changed lines are known: the
    # call graph's test callers fill in only where coverage cannot tell
    known = {sid for sid, t in testing.items() if t.contexts}
    all_tests: set[str] = {test for origin, found in tests_by_origin.items()
                           if origin not in known for test in found}
    fallback_tests: set[str] = set()
    for sc in changed:
        sym = sc.symbol
        t = testing.get(sym.id) if sc.change != "deleted" else None
        static = tests_by_origin.get(sym.id, set()) \
            if sc.change != "deleted" and sym.id not in known else set()
        tests = sorted(set(t.tests if t else []) | static)
        all_tests.update(tests)
        symbol_tests = sorted(set(t.symbol_tests) - set(tests)) if t else []
        fallback_tests.update(symbol_tests)
        deleted = sc.change == "deleted"  # its id is a BASE id: never look it up at HEAD
        reach = 0 if deleted else blast.reach.get(sym.id, 0)
        verdict = verdicts.get(sym.id) if sc.change == "modified" else None
        out_changed.append(ChangedSymbol(
            sym, sc.change, sc.lines_added, sc.lines_removed, sc.direct,
            "base" if deleted else "head", sc.base_symbol, tests,
            t.percent if t else None, reach, symbol_tests,
            verdict.code if verdict else (True if sc.change != "modified" else None)))
        if not sc.direct:
            continue
        sig = SymbolSignals(reach=reach,
                            entries=[] if deleted else blast.entry_reach.get(sym.id, []),
                            change_authors=change_authors,
                            guess_reach=0 if deleted else blast.guess_reach.get(sym.id, 0))
        if verdict is not None:
            sig.code_changed, sig.no_code_reason = verdict.code, verdict.reason()
        if t is not None:
            sig.statements, sig.covered, sig.tests, sig.coverage_known = \
                t.statements, t.covered, tests, True
        elif cov is not None and sc.change != "deleted" and sym.path not in dcov.skipped:
            sig.coverage_known = True
            sig.statements = None if sym.path in dcov.unmeasured else 0
        ai = ai_by_path.get(sym.path, {}) if sc.change != "deleted" else {}
        sig.ai_lines = sum(1 for n in sc.changed_lines if n in ai)
        if sig.ai_lines:
            sig.ai_tool = Counter(ai[n] for n in sc.changed_lines if n in ai).most_common(1)[0][0]
        base_path = sym.path if sc.change == "deleted" else (
            sc.base_symbol.path if sc.base_symbol else None)
        if churn is not None and base_path:
            sig.churn_90d = churn.commits(base_path)
        base_sym = sym if sc.change == "deleted" else sc.base_symbol
        if base_sym is not None and base_sym.kind != "module":
            blamed = base_blame.get(base_sym.path, {})
            sig.base_authors = Counter(
                (bl.author, bl.email.lower()) for n, bl in blamed.items()
                if base_sym.start_line <= n <= base_sym.end_line and not bl.uncommitted)
        if sc.change == "deleted" and sym.kind in ("function", "method", "class"):
            sig.dangling_calls = dangling.get(sym.name, 0)
        risks.append(score(sc, sig))

    generated = set(prov.generated_files)
    symbols_per_file = Counter(c.symbol.path for c in changed)
    files = [ChangedFile(fc.path, fc.old_path if fc.old_path != fc.new_path else None,
                         fc.status_word, len(fc.added), len(fc.removed), fc.binary,
                         (language_for_path(fc.path).name if language_for_path(fc.path) else None),
                         fc.path in generated, fc.similarity, symbols_per_file.get(fc.path, 0))
             for fc in changes]
    binary = [fc.path for fc in changes if fc.binary]
    if binary:
        notes.append(f"{len(binary)} binary or submodule changes carry no lines: "
                     + ", ".join(binary[:5]) + (" ..." if len(binary) > 5 else ""))
    return ReviewResult(
        base=rng.base, head=rng.head, changed=out_changed, blast_radius=blast.entries,
        diff_coverage=dcov, tests=sorted(all_tests), provenance=prov, owners=people,
        risk=rank(risks), base_label=rng.base_label, head_label=rng.head_label,
        merge_base=rng.merge_base, commits=commits, files=files, declared_owners=declared,
        blast_truncated=blast.truncated, notes=notes,
        symbol_tests=sorted(fallback_tests - all_tests))
