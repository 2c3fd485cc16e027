"""``codemap who`` and ``codemap history``: thin wrappers over codemap.history.

Repository text (author names, e-mails, commit summaries, evidence lines)
is printed through :func:`codemap.safe.inert_line` in text mode and kept
verbatim in JSON.
"""

from __future__ import annotations

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json


def _config_warnings(repo_path: str | None) -> None:
    from codemap import api
    from codemap.config import load_config, warn_once

    repo = api.open_repo(repo_path)
    for warning in load_config(repo).warnings:
        warn_once(warning)


def _cache_notice(repo_path: str | None) -> None:
    from codemap import api
    from codemap.history.store import history_store

    repo = api.open_repo(repo_path)
    if repo.is_git and history_store(repo).rebuilt:
        click.echo("codemap: the history cache was unreadable; it has been rebuilt", err=True)


def _range(path: str, start: int | None, end: int | None) -> str:
    if start is None:
        return path
    return f"{path}:{start}" if start == end else f"{path}:{start}-{end}"


def _day(date: str) -> str:
    return date[:10]


@click.command("who")
@click.argument("target")
@repo_option
@json_option
def who_cmd(target: str, repo_path: str | None, as_json: bool) -> None:
    """Who wrote TARGET: a path, path:line, path:start-end, directory or symbol.

    Authors by blamed lines (through .mailmap), the AI-written share with its
    evidence, whether the file is generated, and the CODEOWNERS owners.
    """
    from codemap import api

    def run() -> None:
        _config_warnings(repo_path)
        result = api.who(target, repo_path)
        _cache_notice(repo_path)
        if as_json:
            emit_json(result)
            return
        t = result.target
        head = _range(t.path, t.start_line, t.end_line)
        if result.symbol is not None:
            head += f"  ({result.symbol.kind} {result.symbol.qualname})"
        files = f" in {result.files} files" if t.start_line is None and result.files != 1 else ""
        echo_line(f"{head}  {result.lines} lines{files}")
        for a in result.authors:
            echo_line(f"  {a.lines:>6}  {a.share * 100:5.1f}%  {a.name} <{a.email}>"
                      f"  last {_day(a.last_date)}")
        ai = result.ai
        if ai.lines:
            tools = ", ".join(f"{k} {v}" for k, v in ai.tools.items())
            echo_line(f"AI-written: {ai.lines} lines ({ai.share * 100:.1f}%): {tools}")
            for source in ai.sources:
                echo_line(f"  evidence: {source}")
        else:
            echo_line("AI-written: none found")
        if result.generated:
            echo_line("generated: yes")
        elif result.generated_files:
            echo_line(f"generated files (left out): {len(result.generated_files)}")
        for source in result.generated_sources[:5]:
            echo_line(f"  evidence: {source}")
        if result.declared_rule is not None:
            r = result.declared_rule
            owners = " ".join(r.owners) or "(none: explicitly unowned)"
            echo_line(f"declared owners: {owners}  ({r.file}:{r.line} {r.pattern})")
        if result.history_truncated:
            echo_line(f"history truncated: {result.truncated_lines} lines are older than this "
                      "shallow clone (blamed to its oldest commit)")
        if result.uncommitted_lines:
            echo_line(f"not committed yet: {result.uncommitted_lines} lines")
        for s in result.skipped[:10]:
            echo_line(f"skipped {s.path}: {s.reason}")
        if len(result.skipped) > 10:
            echo_line(f"skipped {len(result.skipped) - 10} more files")

    run_guarded(run)


@click.command("history")
@click.argument("target")
@click.option("--limit", "-n", type=click.IntRange(min=1), default=20, show_default=True,
              help="At most this many commits.")
@repo_option
@json_option
def history_cmd(target: str, limit: int, repo_path: str | None, as_json: bool) -> None:
    """Commits that changed TARGET, newest first.

    A line range or a symbol follows its lines back through time (git log -L);
    a file follows renames; a directory lists every commit below it.
    """
    from codemap import api

    def run() -> None:
        _config_warnings(repo_path)
        result = api.history(target, limit, repo_path)
        _cache_notice(repo_path)
        if as_json:
            emit_json(result)
            return
        t = result.target
        note = f" (from {result.start_rev[:12]}, before it was deleted)" if result.start_rev else ""
        echo_line(f"{_range(t.path, t.start_line, t.end_line)}: {len(result.commits)} commits"
                  f"{note}")
        for c in result.commits:
            ai = f"  [AI: {c.ai_tool or 'unknown'}]" if c.ai else ""
            echo_line(f"{c.sha[:12]}  {_day(c.date)}  {c.author:<20.20}  "
                      f"{c.lines_changed:>5}  {c.summary}{ai}")

    run_guarded(run)


@click.command("show")
@click.argument("rev")
@repo_option
@json_option
def show_cmd(rev: str, repo_path: str | None, as_json: bool) -> None:
    """One commit (REV: a sha, branch or tag): its message, AI provenance and diff,
    as the UI's commit panel shows it."""
    from codemap import api

    def run() -> None:
        _config_warnings(repo_path)
        detail = api.show(rev, repo_path)
        if as_json:
            emit_json(detail)
            return
        info = detail.info
        echo_line(f"commit {info.sha}")
        echo_line(f"Author: {info.author} <{info.email}>")
        echo_line(f"Date:   {info.date}")
        if detail.ai:
            echo_line(f"AI-assisted ({detail.ai_tool or 'unknown tool'})")
            for source in detail.ai_sources:
                echo_line(f"  evidence: {source}")
        echo_line("")
        for line in info.message.splitlines():
            echo_line(f"    {line}")
        echo_line("")
        for line in detail.diff:
            echo_line(line)
        if detail.diff_truncated:
            echo_line("... (diff truncated)")

    run_guarded(run)
