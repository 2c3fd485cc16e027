"""coverage.py data files (``.coverage``, parallel ``.coverage.*``), read through its API.

The SQLite data file holds the executed lines (or arcs, with ``--branch``)
of each measured file, per context (``--context``, ``dynamic_context =
test_function``, pytest-cov ``--cov-context=test``). We open it with
``coverage.CoverageData(read_only=True)`` after checking, on our own
read-only connection, that it really is a coverage.py database: for a
foreign SQLite file coverage.py would otherwise add its schema to it.
Statements come from :mod:`.pyanalysis` on the local copy of each file,
lazily, since that parse is the expensive part. Several data files (an
uncombined parallel run) are read together; nothing is combined on disk.

coverage.py < 5 wrote a JSON file behind a ``!coverage.py:`` banner; that
is recognised and refused with a clear message, as coverage.py does.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import sqlite3
import threading
from pathlib import Path
from typing import Any

from codemap.coverage import import_coveragepy
from codemap.coverage.pyanalysis import (
    PyRules,
    analyse_source,
    apply_analysis,
    executed_only,
    read_source,
)
from codemap.coverage.recording import RecordedFile, Recording
from codemap.errors import InputError

FORMAT = "coverage.py"
RANK = 4
SQLITE_MAGIC = b"SQLite format 3\x00"
LEGACY_BANNER = b"!coverage.py: This is a private format"
PYTHON_SUFFIXES = (".py", ".pyw", ".pyi")


def _check_database(path: Path) -> tuple[int, str | None]:
    """(schema version, recorded-at text) of a coverage.py database, or InputError."""
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{path}: cannot open as SQLite ({exc})") from None
    try:
        try:
            row = conn.execute("SELECT version FROM coverage_schema").fetchone()
        except sqlite3.DatabaseError as exc:
            if "no such table" in str(exc):
                raise InputError(f"{path}: an SQLite file, but not coverage.py data") from None
            raise InputError(f"{path}: corrupt coverage.py data ({exc})") from None
        if row is None or not isinstance(row[0], int):
            raise InputError(f"{path}: coverage.py data without a schema version")
        when = None
        try:
            meta = conn.execute("SELECT value FROM meta WHERE key = 'when'").fetchone()
            when = meta[0] if meta else None
        except sqlite3.DatabaseError:
            pass
        return row[0], when
    finally:
        conn.close()


def _open_data(path: Path) -> tuple[Any, str | None]:
    """A read-only ``CoverageData`` on ``path`` and its recorded-at text."""
    import_coveragepy()
    from coverage import CoverageData
    from coverage.sqldata import SCHEMA_VERSION

    schema, when = _check_database(path)
    if schema != SCHEMA_VERSION:
        import coverage

        raise InputError(f"{path}: coverage.py data schema {schema}, but the installed coverage.py "
                         f"{coverage.__version__} reads schema {SCHEMA_VERSION}; regenerate it "
                         f"or export it with `coverage xml`")
    kwargs: dict[str, Any] = {}
    if "read_only" in inspect.signature(CoverageData.__init__).parameters:
        kwargs["read_only"] = True
    data = CoverageData(basename=str(path), **kwargs)
    try:
        data.read()
        data.measured_files()
    except Exception as exc:  # DataError, sqlite3 errors on a damaged file
        raise InputError(f"{path}: unreadable coverage.py data ({exc})") from None
    return data, when


class CoveragePyRecording(Recording):
    """One or more coverage.py data files read together."""

    format = FORMAT
    rank = RANK

    def __init__(self, paths: list[Path], rules: PyRules) -> None:
        stamps: list[float] = []
        self._datas: list[Any] = []
        for path in paths:
            raw_head = _head(path)
            if raw_head.startswith(LEGACY_BANNER):
                raise InputError(f"{path}: coverage.py 4.x data, which coverage.py 5 and later "
                                 f"cannot read either; re-run the tests with a current coverage.py")
            if not raw_head.startswith(SQLITE_MAGIC):
                raise InputError(f"{path}: not a coverage.py data file")
            data, when = _open_data(path)
            self._datas.append(data)
            stamps.append(_parse_when(when) or _mtime(path))
        import coverage

        super().__init__(paths[0], timestamp=max(stamps) if stamps else None,
                         tool=f"coverage.py {coverage.__version__}")
        self.paths = paths
        self.rules = rules
        if rules.warning:
            self.warnings.append(rules.warning)
        self._arcs = bool(self._datas) and all(d.has_arcs() for d in self._datas)
        self._names: dict[str, list[Any]] = {}
        for data in self._datas:
            for name in data.measured_files():
                self._names.setdefault(name, []).append(data)
        self._contexts = any(any(c for c in d.measured_contexts()) for d in self._datas)
        self._lock = threading.Lock()

    @property
    def has_branches(self) -> bool:
        return self._arcs

    @property
    def has_contexts(self) -> bool:
        return self._contexts

    def names(self) -> list[str]:
        return list(self._names)

    @staticmethod
    def _collect(data: Any, name: str, lines: set[int], arcs: set[tuple[int, int]] | None,
                 contexts: dict[int, list[str]] | None) -> None:
        lines.update(data.lines(name) or ())
        if arcs is not None:
            arcs.update(data.arcs(name) or ())
        if contexts is not None:
            for line, names in data.contexts_by_lineno(name).items():
                merged = contexts.setdefault(line, [])
                merged.extend(n for n in names if n not in merged)

    def file(self, name: str, source: Path | None) -> RecordedFile:
        with self._lock:  # CoverageData keeps one connection per thread; keep reads simple
            lines: set[int] = set()
            arcs: set[tuple[int, int]] | None = set() if self._arcs else None
            contexts: dict[int, list[str]] | None = {} if self._contexts else None
            tracer = ""
            for data in self._names.get(name, []):
                self._collect(data, name, lines, arcs, contexts)
                tracer = tracer or (data.file_tracer(name) or "")
        if source is None:
            return executed_only(name, lines, contexts, "the file is not in the repository")
        if tracer or not source.name.endswith(PYTHON_SUFFIXES):
            return executed_only(name, lines, contexts,
                                 f"measured by the plugin {tracer}" if tracer else "not Python source")
        try:
            text = read_source(source)
            analysis = analyse_source(text, self.rules, arcs=arcs is not None)
        except Exception as exc:  # NotPython (syntax errors), unreadable or undecodable source
            return executed_only(name, lines, contexts, f"coverage.py cannot parse it ({exc})")
        return apply_analysis(name, analysis, lines, arcs, contexts)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(64)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def _parse_when(text: str | None) -> float | None:
    """coverage.py's ``meta.when`` ("%Y-%m-%d %H:%M:%S", local time) as epoch seconds."""
    if not text:
        return None
    try:
        return _dt.datetime.strptime(str(text), "%Y-%m-%d %H:%M:%S").timestamp()
    except ValueError:
        return None


def read_coveragepy(paths: list[Path], rules: PyRules) -> CoveragePyRecording:
    """Read one ``.coverage`` file, or the parallel files of one run together."""
    if not paths:
        raise InputError("no coverage.py data files")
    return CoveragePyRecording(paths, rules)
