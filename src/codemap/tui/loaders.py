"""Through this module (and :mod:`.calls`, for calls and endpoints) the TUI asks
the engine for data.

Each function is plain Python (no Textual), runs in a thread worker, and
returns engine objects (or the small dataclasses below). Screens never call
the engine directly: they run one of these in a named worker and receive
the answer as a message. Analysis lives in the engine packages; what is
here is only choosing which engine call answers a screen's question.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codemap.errors import CodemapError
from codemap.progress import CancelToken, ProgressHook

if TYPE_CHECKING:  # pragma: no cover
    from codemap.history.blame import BlameLine, ParentBlame
    from codemap.history.commits import CommitDetail
    from codemap.index.store import IndexReader
    from codemap.model import FindResult, Symbol
    from codemap.traces.report import TraceReport
    from codemap.tui.session import Session

MAX_FILE_BYTES = 64 * 1024 * 1024


class FeatureUnavailable(CodemapError):
    """An engine this screen needs is not part of this build yet."""


@dataclass(frozen=True)
class SourceText:
    """A file's lines as the code view shows them (at ``rev``, or the working tree)."""

    path: str
    rev: str | None
    lines: list[str]
    note: str | None = None  # why the file could not be shown, when it could not


# ----------------------------------------------------------------------------- index


def index_exists(session: Session) -> bool:
    from codemap.index.service import db_path

    return db_path(session.repo).exists()


def open_reader(session: Session, *, refresh: bool, progress: ProgressHook | None = None,
                cancel: CancelToken | None = None) -> IndexReader:
    """Open the index (refreshing or building it first when ``refresh``)."""
    from codemap.index.service import open_index

    reader = open_index(session.repo, refresh=refresh, progress=progress, cancel=cancel)
    session.set_reader(reader, ready=refresh)
    return reader


def repo_files(session: Session) -> list[str]:
    """Every file of the repository: from the index when open, else from git / the disk."""
    if session.reader is not None:
        return session.reader.all_paths()
    from codemap.index.scan import list_repo_files

    return sorted(list_repo_files(session.repo))


def find_symbols(session: Session, query: str, limit: int = 50) -> FindResult:
    from codemap.index.service import find_symbols as _find

    reader = session.reader
    if reader is None:
        from codemap.model import FindResult

        return FindResult(query, [])
    return _find(session.repo, query, limit=limit, reader=reader)


def symbols_in_file(session: Session, path: str) -> list[Symbol]:
    reader = session.reader
    return reader.symbols_in_file(path) if reader is not None else []


def symbol_at(session: Session, path: str, line: int) -> Symbol | None:
    reader = session.reader
    return reader.symbol_at(path, line) if reader is not None else None


# ----------------------------------------------------------------------------- source


def read_source(session: Session, path: str, rev: str | None = None) -> SourceText:
    """``path``'s lines at ``rev`` (default: the session's revision, else the working tree).

    Cheap on purpose (the first screen waits for it): whether the file is
    generated is asked separately (:func:`generated`)."""
    rev = rev if rev is not None else session.rev
    repo = session.repo
    data: bytes | None
    if rev is not None:
        from codemap.history.git import show_file

        data = show_file(repo, rev, path)
        if data is None:
            return SourceText(path, rev, [], note=f"{path} does not exist at {rev[:12]}")
    else:
        try:
            with open(repo.abspath(path), "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            return SourceText(path, rev, [], note=f"cannot read {path}: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES:
        return SourceText(path, rev, [], note=f"{path} is larger than 64 MB")
    if b"\0" in data[:8000]:
        return SourceText(path, rev, [], note=f"{path} is a binary file")
    lines = data.decode("utf-8", "replace").splitlines()
    return SourceText(path, rev, lines)


def generated(session: Session, path: str) -> bool:
    """Is ``path`` machine-generated (linguist attribute, path pattern, header)?"""
    from codemap.history.generated import generated_verdict

    try:
        verdict = generated_verdict(session.repo, path)
    except CodemapError:
        return False
    return bool(verdict and verdict.generated)


def read_external(file: str) -> SourceText:
    """A file outside the repository that a library frame names (stdlib, site-packages),
    when it exists on this machine; read only, never blamed."""
    from pathlib import Path

    path = Path(file)
    if not path.is_absolute() or not path.is_file():
        return SourceText(file, None, [], note=f"{file} is outside the repository "
                                               "(library code, not on this machine)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return SourceText(file, None, [], note=f"cannot read {file}: {exc.strerror or exc}")
    if len(data) > MAX_FILE_BYTES or b"\0" in data[:8000]:
        return SourceText(file, None, [], note=f"{file} is not a text file codemap can show")
    return SourceText(file, None, data.decode("utf-8", "replace").splitlines(),
                      note="outside the repository")


def coverage_for(session: Session, path: str) -> Any:
    """The coverage data (None without any), with ``path`` already resolved in it, so
    that the gutter's per-line questions are dictionary lookups in the UI thread."""
    cov = session.coverage()
    if cov is not None:
        cov.file(path)
    return cov


# ----------------------------------------------------------------------------- history


@dataclass(frozen=True)
class GutterFacts:
    """What the gutter needs beyond the source: blame, and whether the file is generated."""

    lines: list[BlameLine]
    generated: bool


def blame(session: Session, path: str, rev: str | None = None) -> list[BlameLine]:
    """Blame of the whole file (empty outside git or for files git does not know)."""
    if not session.repo.is_git:
        return []
    from codemap.history.blame import blame_file

    return blame_file(session.repo, path, rev=rev if rev is not None else session.rev)


def gutter_facts(session: Session, path: str, rev: str | None = None) -> GutterFacts:
    lines = blame(session, path, rev)
    return GutterFacts(lines, generated(session, path) if rev is None else False)


def blame_parent(session: Session, line: BlameLine) -> ParentBlame | None:
    """Blame from the parent of ``line``'s commit (tig's "blame parent")."""
    from codemap.history.blame import reblame_parent

    return reblame_parent(session.repo, line)


def who(session: Session, path: str, start: int | None = None, end: int | None = None) -> Any:
    from codemap.history.service import who as _who

    target = path if start is None else f"{path}:{start}-{end if end is not None else start}"
    return _who(session.repo, target)


def history(session: Session, path: str, start: int | None = None, end: int | None = None,
            limit: int = 10) -> Any:
    from codemap.history.service import history as _history

    target = path if start is None else f"{path}:{start}-{end if end is not None else start}"
    return _history(session.repo, target, limit=limit)


def commit_detail(session: Session, sha: str) -> CommitDetail:
    """A commit's message, provenance verdict and patch (``codemap show``'s answer)."""
    from codemap.history.commits import commit_detail as _commit_detail

    return _commit_detail(session.repo, sha)


# ----------------------------------------------------------------------------- traces


def map_trace(session: Session, text: str, *, with_index: bool) -> TraceReport:
    """Parse and map a trace, without enrichment (that comes next, see :func:`enrich_trace`).

    With the index: ``codemap trace``'s mapping (symbols included). Without it
    (cold start): files and lines only, from the repository's file list, so the
    screen shows frames and source while the index builds; map again with the
    index for the symbols."""
    from codemap.traces.service import trace_report

    return trace_report(session.repo, text, rev=session.rev,
                        coverage_file=session.coverage_file, enrich=False,
                        files_only=None if with_index else repo_files(session))


def enrich_trace(session: Session, report: TraceReport) -> TraceReport:
    """A copy of ``report`` with what ``codemap trace`` adds after mapping: each
    frame's last commit and coverage, and the suspect commits."""
    import copy

    from codemap.traces.enrich import enrich

    enriched = copy.deepcopy(report)
    enrich(session.repo, enriched, rev=enriched.rev or session.rev, since=None,
           coverage_file=session.coverage_file, files=repo_files(session))
    return enriched
