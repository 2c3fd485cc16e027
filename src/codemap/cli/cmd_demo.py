"""``codemap demo``: build the bundled example repository and open the UI on its crash.

The library does the work (:func:`codemap.demo.builder.build_demo`); this
command shows progress, then opens trace mode, or with ``--no-ui`` prints
where the demo is (for scripts and tests).
"""

from __future__ import annotations

import sys
import threading

import click

from codemap.cli.options import json_option, run_guarded
from codemap.cli.output import echo_line, emit_json
from codemap.errors import UsageError


@click.command("demo")
@click.option("--dir", "dest", type=click.Path(file_okay=False), default=None,
              help="Build into this empty (or new) directory instead of a temp dir.")
@click.option("--no-ui", is_flag=True,
              help="Only build; print the demo repository's path (with --json: its manifest).")
@json_option
def demo_cmd(dest: str | None, no_ui: bool, as_json: bool) -> None:
    """Build a small example repository (history, an AI-assisted commit, a generated
    file, coverage, a crash trace) in a temp dir and open the UI on its crash."""

    def run() -> None:
        from codemap.cli.cmd_index import StderrProgress
        from codemap.demo.builder import build_demo

        if not (no_ui or as_json) and not sys.stdout.isatty():
            raise UsageError("codemap demo opens the terminal UI and needs a terminal; "
                             "use --no-ui to only build it")

        bar = StderrProgress()
        try:
            demo = build_demo(dest, progress=bar, cancel=threading.Event())
        finally:
            bar.close()
        if as_json:
            emit_json(demo.to_json())
            return
        if no_ui:
            echo_line(demo.repo)
            return
        from codemap.tui.launch import launch_tui

        click.echo(f"codemap: the demo repository is {demo.repo}; its crash trace is "
                   f"{demo.trace_file}", err=True)
        launch_tui(repo_path=demo.repo, trace_file=demo.trace_file)

    run_guarded(run)
