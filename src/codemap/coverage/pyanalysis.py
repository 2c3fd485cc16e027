"""Which lines of a Python file are statements, by coverage.py's own parser.

A ``.coverage`` file stores only the lines that ran, so the statements (and,
for branch data, the possible arcs) come from parsing the current source the
way ``coverage report`` does: :class:`coverage.parser.PythonParser` with the
project's exclusion rules (``exclude_lines``/``exclude_also``,
``partial_branches``) read from the repository's coverage configuration
(``.coveragerc``, ``.coveragerc.toml``, ``setup.cfg``, ``tox.ini``,
``pyproject.toml``, first one with coverage settings wins, as coverage.py
does). Parsing never runs the code, and we never build a
``coverage.Coverage`` object, so no plugin is imported and nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from codemap.coverage import import_coveragepy
from codemap.coverage.recording import RecordedFile

CONFIG_FILES = ((".coveragerc", True), (".coveragerc.toml", True), ("setup.cfg", False),
                ("tox.ini", False), ("pyproject.toml", False))


@dataclass(frozen=True)
class PyRules:
    """The exclusion rules of a repository's coverage.py configuration."""

    exclude: str
    partial: str
    config_file: str | None
    warning: str | None = None


def python_rules(root: Path) -> PyRules:
    """The rules from ``root``'s coverage configuration (coverage.py defaults when none)."""
    import_coveragepy()
    from coverage.config import CoverageConfig
    from coverage.misc import join_regex

    config = CoverageConfig()
    used: str | None = None
    warning: str | None = None
    warnings: list[str] = []
    for name, ours in CONFIG_FILES:
        candidate = root / name
        if not candidate.is_file():
            continue
        try:
            if config.from_file(str(candidate), warnings.append, our_file=ours):
                used = name
                break
        except Exception as exc:  # ConfigError, TOML errors, bad regexes: fall back to defaults
            warning = f"{name}: coverage settings unreadable ({exc}); using coverage.py defaults"
            config = CoverageConfig()
            break
    try:
        config.post_process()
    except Exception:  # pragma: no cover - post_process only normalises paths
        config = CoverageConfig()
    return PyRules(join_regex(config.exclude_list),
                   join_regex(config.partial_list + config.partial_always_list), used, warning)


@dataclass(frozen=True)
class PySource:
    """coverage.py's analysis of one source text (``parser`` is its ``PythonParser``)."""

    parser: Any
    statements: frozenset[int]
    excluded: frozenset[int]
    possible_arcs: frozenset[tuple[int, int]]
    exit_counts: dict[int, int]
    no_branch: frozenset[int]


def read_source(path: Path) -> str:
    """The text of a Python file as coverage.py reads it (encoding cookie, final newline)."""
    import_coveragepy()
    from coverage.python import get_python_source

    return get_python_source(str(path))


def analyse_source(text: str, rules: PyRules, *, arcs: bool) -> PySource:
    """Parse ``text``; raises coverage's ``NotPython`` for code that does not parse."""
    import_coveragepy()
    from coverage.parser import PythonParser

    parser = PythonParser(text=text, exclude=rules.exclude)
    parser.parse_source()
    if arcs:
        possible = frozenset(parser.arcs())
        exit_counts = dict(parser.exit_counts())
        no_branch = frozenset(parser.lines_matching(rules.partial)) if rules.partial else frozenset()
    else:
        possible, exit_counts, no_branch = frozenset(), {}, frozenset()
    return PySource(parser, frozenset(parser.statements), frozenset(parser.excluded),
                    possible, exit_counts, no_branch)


def apply_analysis(name: str, src: PySource, lines: set[int], arcs: set[tuple[int, int]] | None,
                   contexts: dict[int, list[str]] | None) -> RecordedFile:
    """Executed lines/arcs of one file + its analysis -> :class:`RecordedFile`.

    Mirrors ``coverage.results.analysis_from_file_reporter`` and
    ``Analysis.branch_stats``: executed lines are moved to the first line of
    their statement; for branch data, self-arcs become the line's single
    exit, and a branch line's missing exits are the possible arcs not taken
    (except from ``partial_branches`` lines or into excluded lines).
    """
    parser = src.parser
    translated = parser.translate_lines(lines)
    executed = translated & src.statements
    hits = {ln: (1 if ln in executed else 0) for ln in src.statements}
    branches: dict[int, tuple[int, int]] = {}
    missing_arcs: dict[int, list[int]] = {}
    if arcs is not None:
        dests: dict[int, set[int]] = {}
        for a, b in src.possible_arcs:
            dests.setdefault(a, set()).add(b)
        single = {a: next(iter(bs)) for a, bs in dests.items() if len(bs) == 1}
        renamed: set[tuple[int, int]] = set()
        for a, b in parser.translate_arcs(arcs):
            if a != b:
                renamed.add((a, b))
            elif a in single:
                renamed.add((a, single[a]))
        taken = parser.translate_arcs(renamed)
        for line, count in src.exit_counts.items():
            if count <= 1:
                continue
            missing = sorted(b for b in dests.get(line, ())
                             if (line, b) not in taken and line not in src.no_branch
                             and b not in src.excluded)
            branches[line] = (count, count - len(missing))
            if missing:
                missing_arcs[line] = missing
    ctx: dict[int, list[str]] | None = None
    if contexts is not None:
        ctx = {}
        for line, names in contexts.items():
            first = parser.first_line(line)
            if first in src.statements:
                merged = ctx.setdefault(first, [])
                merged.extend(n for n in names if n not in merged)
    return RecordedFile(name, hits=hits, branches=branches, missing_arcs=missing_arcs,
                        contexts=ctx, excluded=src.excluded,
                        recorded_lines=max(lines, default=0),
                        stray_lines=sorted(translated - src.statements - src.excluded),
                        aliases={a: b for a, b in parser.multiline_map.items()
                                 if a != b and b in src.statements})


def executed_only(name: str, lines: set[int], contexts: dict[int, list[str]] | None,
                  note: str) -> RecordedFile:
    """When the source cannot be analysed: the executed lines are all we know."""
    return RecordedFile(name, hits={ln: 1 for ln in lines if ln > 0}, contexts=contexts,
                        statements_known=False, note=note,
                        recorded_lines=max(lines, default=0))
