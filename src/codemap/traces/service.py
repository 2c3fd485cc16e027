"""``codemap trace``: find the traces in a paste and map every frame onto the code.

Frame -> file goes through :class:`codemap.pathmap.PathMapper` (the one
place foreign paths become repository paths), fed with the paths each
format proposes (JVM and Go frames name packages). File + line -> symbol
comes from the index (or, with ``--rev``, from the files parsed as they were
at that revision, :mod:`codemap.traces.revision`), and is checked against
the function name the runtime printed (:class:`codemap.traces.base.NameCheck`):
a mismatch usually means the code changed since the trace was produced (not
checked for frames read through a source map: the runtime printed the built
code's names).
Frames in build output (compiled or bundled JavaScript, :data:`TraceFormat.source_maps`)
are first followed through the build's source maps to the repository source
(:mod:`codemap.traces.generated`); such frames carry ``mapped_from``.

Enrichment hook: ``last_commit``/``coverage`` on frames and ``suspects`` on
the report are optional fields of :mod:`codemap.traces.report`, absent from
the JSON until another package fills them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from codemap.errors import InputError
from codemap.model import Symbol
from codemap.pathmap import PathMapper, PathMatch, implied_root
from codemap.repo import Repo
from codemap.traces.base import NameCheck, TraceFormat
from codemap.traces.detect import find_traces
from codemap.traces.generated import GENERATED_SUFFIXES, MappedPosition, SourceMaps
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
        return map_traces(found, mapper, lambda _path, _line: [],
                          SourceMaps(repo.root, mapper, all_maps))
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
    sources = SourceMaps(repo.root, mapper, all_maps,
                         read_revision=view.read if view is not None else None)
    report = map_traces(found, mapper, symbol_chain, sources,
                        reader.symbols_in_file if view is None else None)
    if any(f.name_mismatch for f in report.frames()):
        from codemap.traces.unindexed import clear_unindexed

        clear_unindexed(report.frames(), sources.read)
    installed = [f for f in report.frames() if f.match == "installed"]
    if installed and view is None:
        report.extras.setdefault("warnings", []).append(_installed_warning(installed))
    if view is not None:
        report.rev = view.sha
        _add_head_positions(report, view)
    if enrich:
        from codemap.traces.enrich import enrich as add_enrichment

        add_enrichment(repo, report, rev=report.rev or rev, since=since,
                       coverage_file=coverage_file,
                       files=files if view is None else reader.all_paths())
    return report


def _installed_warning(frames: list[TraceFrame]) -> str:
    """What to say of frames that ran an installed copy of the repository's package: where
    it was installed (its version is often in that path), and that it may not be this
    checkout's."""
    roots: list[str] = []
    for frame in frames:
        shared = implied_root(frame.file or "", frame.path or "")
        if shared is None:
            continue
        root = ("/" if (frame.file or "").startswith("/") else "") + shared[0] + "/"
        if root not in roots:
            roots.append(root)
    where = f" ({', '.join(roots[:2])}{', ...' if len(roots) > 2 else ''})" if roots else ""
    count = len(frames)
    return (f"{count} frame{'s' if count != 1 else ''} ran in an installed copy of this "
            f"repository's package{where}: its version may differ from this checkout; --rev "
            "with the deployed version's tag maps them onto that version")


def map_traces(found: list[FoundTrace], mapper: PathMapper,
               symbol_chain: Callable[[str, int], list[Symbol]],
               sources: SourceMaps | None = None,
               file_symbols: Callable[[str], list[Symbol]] | None = None) -> TraceReport:
    """Map parsed traces onto files (``mapper``) and symbols (``symbol_chain``:
    the symbols holding a line, innermost first; ``file_symbols``: a file's symbols, for
    frames that name their function but no line).

    ``sources`` maps frames of formats with ``source_maps`` that name build
    output (a file missing from the repository, or a committed bundle) through
    the build's source maps to the repository source they came from.
    """
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
                match = _pick([mapped[c] for c in cands])
                origin = _original(sources, fmt, raw_frame, match) if sources else None
                frames.append(_map_frame(fmt, raw_frame, match, symbol_chain, cache, origin,
                                         file_symbols))
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


def _original(sources: SourceMaps, fmt: TraceFormat, raw: RawFrame,
              match: PathMatch) -> MappedPosition | None:
    """The source-mapped position of a frame in build output, if it has one.

    Asked only for frames that did not land on a repository source: missing
    files (an ignored ``dist/``) and repository files that may be bundles.
    """
    if not fmt.source_maps or not raw.file or not raw.line or match.how == "outside":
        return None
    if match.path is not None and not match.path.endswith(GENERATED_SUFFIXES):
        return None
    return sources.original(raw.file, match.path, raw.line, raw.column)


def _map_frame(fmt: TraceFormat, raw: RawFrame, match: PathMatch,
               symbol_chain: Callable[[str, int], list[Symbol]],
               cache: dict[tuple[str, int], list[Symbol]],
               origin: MappedPosition | None = None,
               file_symbols: Callable[[str], list[Symbol]] | None = None) -> TraceFrame:
    if origin is not None:
        # the frame as the source map tells it; what the runtime printed moves
        # to ``mapped_from`` (and stays verbatim in ``raw``)
        frame = TraceFrame(raw.raw, origin.path, origin.line, origin.column, raw.function,
                           True, origin.path, None, "source-map", extras=dict(raw.extras))
        frame.extras["mapped_from"] = _mapped_from(raw, origin)
    else:
        frame = TraceFrame(raw.raw, raw.file, raw.line, raw.column, raw.function,
                           match.path is not None, match.path, None, match.how,
                           extras=dict(raw.extras))
    if match.how == "ambiguous" and origin is None:
        frame.candidates = list(match.candidates)
    if raw.module and "module" not in frame.extras:
        frame.extras["module"] = raw.module
    if frame.path is None:
        return frame
    if frame.line is None:  # (``Unknown Source``: a build without line numbers)
        if file_symbols is not None and raw.function:
            _symbol_by_name(fmt, raw, frame, file_symbols)
        return frame
    key = (frame.path, frame.line)
    chain = cache.get(key)
    if chain is None:
        chain = cache[key] = symbol_chain(frame.path, frame.line)
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
    # a frame read through a source map printed the *built* function's name, which a
    # minifier renames and a compiler re-infers (TypeScript down-levelled to ES5 turns
    # ``this._next = function`` in a constructor into ``OperatorSubscriber._this._next``):
    # the name then proves nothing, and the position comes from the build's own map
    frame.name_mismatch = None if origin is not None else True
    return frame


def _symbol_by_name(fmt: TraceFormat, raw: RawFrame, frame: TraceFrame,
                    file_symbols: Callable[[str], list[Symbol]]) -> None:
    """A frame with a file but no line: the one symbol of the file its qualified name names
    (``symbol_by: name``); none when several do (overloads) or none does."""
    check = fmt.names(raw.function) if raw.function else None
    if check is None or not check.qualname_suffixes or frame.path is None:
        return
    found = [sym for sym in file_symbols(frame.path) if _qualname_matches(check, sym)]
    if len(found) == 1:
        frame.symbol = found[0]
        frame.extras["symbol_by"] = "name"


def _mapped_from(raw: RawFrame, origin: MappedPosition) -> dict[str, object]:
    """The generated position a source-mapped frame came from (frame JSON ``mapped_from``)."""
    out: dict[str, object] = {"file": raw.file, "path": origin.generated, "line": raw.line,
                              "column": raw.column, "map": origin.map}
    if origin.name:
        out["name"] = origin.name
    return out


def _matches(check: NameCheck, sym: Symbol) -> bool:
    if sym.name in check.names or sym.kind in check.kinds:
        return True
    return _qualname_matches(check, sym)


def _qualname_matches(check: NameCheck, sym: Symbol) -> bool:
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
