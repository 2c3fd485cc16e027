"""``codemap trace``: find the traces in a paste and map every frame onto the code.

Frame -> file goes through :class:`codemap.pathmap.PathMapper` (the one
place foreign paths become repository paths), fed with the paths each
format proposes (JVM and Go frames name packages). File + line -> symbol
comes from the index (or, with ``--rev``, from the files parsed as they were
at that revision, :mod:`codemap.traces.revision`), and is checked against
the function name the runtime printed (:class:`codemap.traces.base.NameCheck`):
a mismatch usually means the code changed since the trace was produced.

Enrichment hook: ``last_commit``/``coverage`` on frames and ``suspects`` on
the report are optional fields of :mod:`codemap.traces.report`, absent from
the JSON until another package fills them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from codemap.errors import InputError
from codemap.model import Symbol
from codemap.pathmap import PathMapper, PathMatch
from codemap.repo import Repo
from codemap.traces.base import NameCheck, TraceFormat
from codemap.traces.detect import find_traces
from codemap.traces.model import FoundTrace, RawFrame
from codemap.traces.registry import BY_NAME
from codemap.traces.report import TraceException, TraceFrame, TraceReport


class NoTraceFound(InputError):
    """The input holds no stack trace of any supported format."""


def trace_report(repo: Repo, text: str, *, rev: str | None = None,
                 maps: Sequence[tuple[str, str]] = (), since: str | None = None,
                 coverage_file: str | None = None, enrich: bool = True,
                 files_only: Sequence[str] | None = None) -> TraceReport:
    """Parse ``text`` and map it onto ``repo`` (as of ``rev`` when given).

    ``maps`` (``--map FROM=TO``) are tried before the config file's
    ``[trace] maps``. ``since`` and ``coverage_file`` are for the enrichers
    (suspects, coverage) that run after mapping; mapping itself ignores them.
    ``files_only``: map onto these repository files without the index (no
    symbols, no enrichment): what a UI can show while the index is still
    being built.
    """
    found = find_traces(text)
    if not found:
        raise NoTraceFound("no stack trace found in the input")
    from codemap.config import load_config

    all_maps = [*maps, *load_config(repo).trace_maps]
    if files_only is not None and rev is None:
        mapper = PathMapper(files_only, all_maps, repo_root=str(repo.root))
        return map_traces(found, mapper, lambda _path, _line: [])
    from codemap.index.service import open_index

    reader = open_index(repo, need_edges=False)
    view = None
    if rev is not None:
        from codemap.traces.revision import RevisionView

        view = RevisionView(repo, rev)
        files = view.files()
        symbol_chain: Callable[[str, int], list[Symbol]] = view.symbol_chain
    else:
        files = reader.all_paths()

        def symbol_chain(path: str, line: int) -> list[Symbol]:
            sym = reader.symbol_at(path, line)
            return [sym, *reader.parents(sym)] if sym is not None else []

    mapper = PathMapper(files, all_maps, repo_root=str(repo.root))
    report = map_traces(found, mapper, symbol_chain)
    if view is not None:
        report.rev = view.sha
        _add_head_positions(report, view)
    if enrich:
        from codemap.traces.enrich import enrich as add_enrichment

        add_enrichment(repo, report, rev=report.rev or rev, since=since,
                       coverage_file=coverage_file,
                       files=files if view is None else reader.all_paths())
    return report


def map_traces(found: list[FoundTrace], mapper: PathMapper,
               symbol_chain: Callable[[str, int], list[Symbol]]) -> TraceReport:
    """Map parsed traces onto files (``mapper``) and symbols (``symbol_chain``:
    the symbols holding a line, innermost first)."""
    # every frame's candidate paths, mapped together so deployment roots learned
    # from unambiguous frames settle ambiguous ones
    plan: list[tuple[TraceFormat, RawFrame, tuple[str, ...]]] = []
    raws: list[str] = []
    for trace in found:
        fmt = BY_NAME[trace.format]
        for exc in trace.exceptions:
            for frame in exc.frames:
                cands = fmt.paths(frame)
                plan.append((fmt, frame, cands))
                raws.extend(cands)
    mapped = dict(zip(raws, mapper.map_many(raws), strict=True))
    cache: dict[tuple[str, int], list[Symbol]] = {}
    exceptions: list[TraceException] = []
    k = 0
    for trace in found:
        for exc in trace.exceptions:
            frames: list[TraceFrame] = []
            for raw_frame in exc.frames:
                fmt, _, cands = plan[k]
                k += 1
                frames.append(_map_frame(fmt, raw_frame, [mapped[c] for c in cands],
                                         symbol_chain, cache))
            exceptions.append(TraceException(exc.type, exc.message, frames, exc.format,
                                             exc.relation, dict(exc.extras)))
    return TraceReport(_language(found, exceptions), exceptions)


def _pick(matches: list[PathMatch]) -> PathMatch:
    """The first in-repo answer among a frame's candidate paths; stop at a library path."""
    best: PathMatch | None = None
    for match in matches:
        if match.path is not None or match.how == "outside":
            return match
        if best is None or (match.how == "ambiguous" and best.how != "ambiguous"):
            best = match
    return best or PathMatch(None, (), "none")


def _map_frame(fmt: TraceFormat, raw: RawFrame, matches: list[PathMatch],
               symbol_chain: Callable[[str, int], list[Symbol]],
               cache: dict[tuple[str, int], list[Symbol]]) -> TraceFrame:
    match = _pick(matches)
    frame = TraceFrame(raw.raw, raw.file, raw.line, raw.column, raw.function,
                       match.path is not None, match.path, None, match.how,
                       extras=dict(raw.extras))
    if match.how == "ambiguous":
        frame.candidates = list(match.candidates)
    if raw.module and "module" not in frame.extras:
        frame.extras["module"] = raw.module
    if match.path is None or raw.line is None:
        return frame
    key = (match.path, raw.line)
    chain = cache.get(key)
    if chain is None:
        chain = cache[key] = symbol_chain(match.path, raw.line)
    if not chain:
        return frame
    check = fmt.names(raw.function) if raw.function else None
    if check is None:
        frame.symbol = chain[0]
        return frame
    for sym in chain:
        if _matches(check, sym):
            frame.symbol = sym
            frame.name_mismatch = False
            return frame
    frame.symbol = chain[0]
    frame.name_mismatch = True
    return frame


def _matches(check: NameCheck, sym: Symbol) -> bool:
    if sym.name in check.names or sym.kind in check.kinds:
        return True
    for suffix in check.qualname_suffixes:
        q = sym.qualname
        for variant in (suffix, suffix.replace("::", ".")):
            if q == variant or (q.endswith(variant) and q[-len(variant) - 1] in ".:/#$"):
                return True
    return False


def _language(found: list[FoundTrace], exceptions: list[TraceException]) -> str:
    """The first trace's language, refined by the languages of its in-repo files."""
    from codemap.lang.registry import language_for_path

    if not found:
        return "unknown"
    first = found[0]
    seen: Counter[str] = Counter()
    for exc in exceptions[:len(first.exceptions)]:
        for frame in exc.frames:
            if frame.path:
                spec = language_for_path(frame.path)
                if spec is not None:
                    seen[spec.name] += 1
    if seen:
        return seen.most_common(1)[0][0]
    return first.language


def _add_head_positions(report: TraceReport, view: object) -> None:
    from codemap.traces.revision import RevisionView

    assert isinstance(view, RevisionView)
    wanted = [(f.path, f.line) for f in report.frames() if f.path and f.line]
    positions = view.head_positions(wanted)  # type: ignore[arg-type]
    for frame in report.frames():
        if not frame.path or not frame.line:
            continue
        pos = positions.get((frame.path, frame.line))
        if pos is None:
            continue
        frame.head_path = pos.path
        frame.head_line = pos.line
        frame.head_status = pos.status
