"""The ``codemap`` click group.

Subcommands are loaded lazily (one module each under ``codemap.cli``), so
``codemap at`` or ``codemap find`` never import Textual, GitPython or the
modules of other commands. With no subcommand, ``codemap`` opens the TUI.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from codemap.cli.options import run_guarded
from codemap.safe import inert_line

# name -> "module:function". The only place a command is registered.
COMMANDS: dict[str, str] = {
    "index": "codemap.cli.cmd_index:index_cmd",
    "at": "codemap.cli.cmd_index:at_cmd",
    "find": "codemap.cli.cmd_index:find_cmd",
    "trace": "codemap.cli.cmd_trace:trace_cmd",
    "graph": "codemap.cli.cmd_graph:graph_cmd",
    "callers": "codemap.cli.cmd_graph:callers_cmd",
    "callees": "codemap.cli.cmd_graph:callees_cmd",
    "paths": "codemap.cli.cmd_graph:paths_cmd",
    "endpoints": "codemap.cli.cmd_endpoints:endpoints_cmd",
    "endpoint": "codemap.cli.cmd_endpoints:endpoint_cmd",
    "who": "codemap.cli.cmd_history:who_cmd",
    "history": "codemap.cli.cmd_history:history_cmd",
    "show": "codemap.cli.cmd_history:show_cmd",
    "coverage": "codemap.cli.cmd_coverage:coverage_cmd",
    "tour": "codemap.cli.cmd_tour:tour_cmd",
    "review": "codemap.cli.cmd_review:review_cmd",
    "demo": "codemap.cli.cmd_demo:demo_cmd",
}

HELP = {
    "index": "Build or refresh the index.",
    "at": "The symbol enclosing PATH:LINE and its parents.",
    "find": "Fuzzy search over symbol names and qualnames.",
    "trace": "Map a stack trace onto the code.",
    "graph": "The whole static call graph.",
    "callers": "Who calls SYMBOL (transitively with --depth).",
    "callees": "What SYMBOL calls (transitively with --depth).",
    "paths": "Call paths from entry points (or --from) to a symbol.",
    "endpoints": "Every HTTP route and its handler.",
    "endpoint": "Match a request to its route, handler and call tree.",
    "who": "Who wrote a file, range or symbol (humans, AI, generators).",
    "history": "Commits that changed a file, range or symbol.",
    "show": "One commit: message, AI provenance and diff.",
    "coverage": "Line and test coverage per symbol.",
    "tour": "A generated onboarding walkthrough.",
    "review": "What a change touches, who to ask and how risky it is.",
    "demo": "Build the bundled example repository and open the UI on it.",
}


class OneLineUsageError(click.ClickException):
    """A click usage error shown as the contract asks: one ``codemap:`` line on stderr."""

    def __init__(self, exc: click.ClickException) -> None:
        super().__init__(exc.format_message())
        self.exit_code = exc.exit_code
        ctx = getattr(exc, "ctx", None)
        self.hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""

    def show(self, file: Any = None) -> None:
        click.echo(f"codemap: {inert_line(self.format_message())}{self.hint}", err=True)


class LazyGroup(click.Group):
    """A click group whose commands are imported only when invoked.

    Usage errors (a missing argument, a bad option value) become one line on
    stderr with exit status 2, like every other user error.
    """

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except OneLineUsageError:
            raise
        except click.ClickException as exc:
            raise OneLineUsageError(exc) from exc

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OneLineUsageError:
            raise
        except click.ClickException as exc:
            raise OneLineUsageError(exc) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("codemap.cli"):
                return _unavailable(cmd_name)
            raise
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Help text without importing every command module.
        with formatter.section("Commands"):
            formatter.write_dl([(name, HELP.get(name, "")) for name in COMMANDS])


def _unavailable(name: str) -> click.Command:
    @click.command(name, context_settings={"ignore_unknown_options": True})
    @click.argument("args", nargs=-1, type=click.UNPROCESSED)
    def cmd(args: Any) -> None:
        raise click.UsageError(f"'{name}' is not available in this build")

    return cmd


@click.group(cls=LazyGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--repo", "repo_path", type=click.Path(file_okay=False), default=None,
              help="Repository to open (default: the current directory).")
@click.option("--trace", "trace_file", type=click.Path(dir_okay=False, allow_dash=True), default=None,
              help="Open the UI on this stack trace ('-' reads stdin).")
@click.option("--endpoint", "endpoint", default=None, help='Open the UI on a request, e.g. "GET /users/42".')
@click.option("--rev", "rev", default=None, help="The deployed revision the trace came from.")
@click.option("--tour", "tour_file", type=click.Path(dir_okay=False), default=None,
              help="Walk an existing CodeTour .tour file.")
@click.option("--review", "review_range", default=None, help="Open the review mode on BASE..HEAD.")
@click.version_option(package_name="codemap")
@click.pass_context
def cli(ctx: click.Context, repo_path: str | None, trace_file: str | None, endpoint: str | None,
        rev: str | None, tour_file: str | None, review_range: str | None) -> None:
    """codemap: from a stack trace, an endpoint or a diff to the code that matters.

    With no command, opens the terminal UI.
    """
    if ctx.invoked_subcommand is not None:
        return

    def launch() -> None:
        from codemap.tui.launch import launch_tui

        launch_tui(repo_path=repo_path, trace_file=trace_file, endpoint=endpoint, rev=rev,
                   tour_file=tour_file, review_range=review_range)

    run_guarded(launch)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="codemap", standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("codemap: interrupted", err=True)
        sys.exit(130)
