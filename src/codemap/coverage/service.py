"""What the façade calls: load a repository's coverage data, report it per symbol.

:func:`load_coverage` finds (or is given) the data files, reads each with
the reader its content calls for, and maps them onto the repository;
other features (trace frames, the TUI gutter, tour, review) use the
:class:`~codemap.coverage.loaded.CoverageSet` it returns.
:func:`coverage_report` answers ``codemap coverage TARGET``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from codemap.coverage.discover import DataFile, discover
from codemap.coverage.loaded import CoverageSet
from codemap.coverage.model import CoverageReport, FileSummary, SymbolCoverage, TargetRange
from codemap.coverage.pyanalysis import PyRules
from codemap.coverage.recording import Recording
from codemap.errors import CodemapError, InputError
from codemap.repo import Repo

LOOKED_FOR = ".coverage, coverage.xml, coverage/lcov.info, lcov.info, cover.out, coverage.out, " \
             "target/site/jacoco/jacoco.xml, build/reports/jacoco/"


class _Rules:
    """coverage.py's exclusion rules for the repository, read on first need."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._rules: PyRules | None = None

    def __call__(self) -> PyRules:
        if self._rules is None:
            from codemap.coverage.pyanalysis import python_rules

            self._rules = python_rules(self.repo.root)
        return self._rules


def _read(found: DataFile, rules: _Rules) -> Recording:
    from codemap.coverage.sniff import read_coverage_file

    if len(found.paths) > 1:
        from codemap.coverage.coveragepy import read_coveragepy

        return read_coveragepy(list(found.paths), rules())
    return read_coverage_file(found.paths[0], rules)


def _stamp(rec: Recording) -> None:
    """Recordings without their own timestamp were recorded when their file was written."""
    if rec.timestamp is None:
        try:
            rec.timestamp = rec.path.stat().st_mtime
        except OSError:
            pass


def load_coverage(repo: Repo, coverage_file: str | None = None, *,
                  files: Iterable[str] | None = None) -> CoverageSet | None:
    """The repository's coverage data, or None when there is none.

    ``coverage_file`` (a path, absolute or relative to the current
    directory) is read and must be usable: :class:`InputError` otherwise.
    Without it the usual locations are searched; a found file that cannot
    be used becomes a warning on the returned set. ``files`` are the
    repository's files (default: listed from git or the file system).
    """
    rules = _Rules(repo)
    recordings: list[Recording] = []
    warnings: list[str] = []
    if coverage_file is not None:
        path = Path(coverage_file).expanduser()
        if not path.exists():
            raise InputError(f"{coverage_file}: no such coverage file")
        recordings.append(_read(DataFile((path,)), rules))
    else:
        found = discover(repo.root)
        if not found:
            return None
        for item in found:
            try:
                recordings.append(_read(item, rules))
            except InputError as exc:
                if not item.must_sniff:
                    warnings.append(f"skipped {exc.message}")
    for rec in recordings:
        _stamp(rec)
    if files is None:
        from codemap.index.scan import list_repo_files

        files = list_repo_files(repo)
    from codemap.config import load_config

    try:
        prefix_map = load_config(repo).trace_maps
    except CodemapError:
        prefix_map = ()
    return CoverageSet(repo, recordings, files, prefix_map=prefix_map, warnings=warnings)


def _source_text(repo: Repo, path: str) -> str | None:
    try:
        return repo.abspath(path).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None


def coverage_report(repo: Repo, target: str | None, *, coverage_file: str | None = None,
                    detail: bool | None = None) -> CoverageReport:
    """Coverage per symbol of TARGET (a path, ``path:line``, ``path:start-end``, a
    symbol, or None for every covered file); ``detail`` adds per-line listings
    (default: when a target is given)."""
    from codemap.coverage.rollup import range_summary, symbol_coverage, symbol_lines
    from codemap.index.service import open_index

    cov = load_coverage(repo, coverage_file)
    if cov is None:
        raise InputError(f"no coverage data found in {repo.root} (looked for {LOOKED_FOR}); "
                         f"pass --coverage FILE")
    if not cov.recordings:
        raise InputError("no usable coverage data: " + "; ".join(cov.warnings))
    reader = open_index(repo, need_edges=False)
    want_detail = detail if detail is not None else target is not None
    symbols_out: list[SymbolCoverage] = []
    files_out: list[FileSummary] = []
    target_range: TargetRange | None = None
    summary = None
    if target is None:
        paths = cov.paths()
        for path in paths:
            fc = cov.file(path)
            if fc is None:
                continue
            symbols = reader.symbols_in_file(path)
            if symbols:
                symbols_out.extend(symbol_coverage(fc, symbols, _source_text(repo, path),
                                                   detail=want_detail))
            files_out.append(_summary(cov, path))
    else:
        from codemap.targets import resolve_target

        tgt = resolve_target(repo, reader, target)
        if tgt.is_dir:
            prefix = "" if tgt.path in (".", "") else tgt.path.rstrip("/") + "/"
            paths = [p for p in cov.paths() if p.startswith(prefix)]
        else:
            paths = [tgt.path]
        for path in paths:
            fc = cov.file(path)
            if fc is None:
                cov.warnings.append(f"{path}: the coverage data does not cover this file")
                continue
            symbols = reader.symbols_in_file(path)
            start, end = tgt.start_line, tgt.end_line
            if start is not None and end is not None and not tgt.is_dir:
                target_range = TargetRange(path, start, end)
                whole_symbol = tgt.symbol is not None and \
                    (tgt.symbol.start_line, tgt.symbol.end_line) == (start, end)
                if whole_symbol:
                    chosen = [s for s in symbols if s.kind != "module"
                              and start <= s.start_line and s.end_line <= end]
                else:
                    chosen = [s for s in symbols if s.kind != "module"
                              and s.start_line <= end and s.end_line >= start]
                source = _source_text(repo, path)
                rows = symbol_coverage(fc, symbols, source, detail=want_detail)
                chosen_ids = {id(s) for s in chosen}
                symbols_out.extend(r for r, s in zip(rows, symbols, strict=True)
                                   if id(s) in chosen_ids)
                target_sym = next((s for s in symbols if whole_symbol and tgt.symbol is not None
                                   and s.id == tgt.symbol.id), None)
                only = symbol_lines(symbols, source, target_sym) if target_sym else None
                summary = range_summary(fc, start, end, detail=want_detail, only=only)
            else:
                symbols_out.extend(symbol_coverage(fc, symbols, _source_text(repo, path),
                                                   detail=want_detail))
            files_out.append(_summary(cov, path))
    return CoverageReport(symbols=symbols_out, target=target_range, range=summary,
                          files=files_out, sources=cov.sources(), unmapped=sorted(cov.unmapped),
                          warnings=list(cov.warnings))


def _summary(cov: CoverageSet, path: str) -> FileSummary:
    found = cov.file_summary(path)
    assert found is not None
    return found
