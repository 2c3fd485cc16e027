"""Start the UI from the command line: read the inputs, pick the mode, run the app.

Everything that can be wrong with the command line (an unreadable trace
file, a mode this build lacks, no terminal) is found here, before the
screen is taken, and raised as a one-line :class:`~codemap.errors.CodemapError`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from codemap.errors import InputError, UsageError
from codemap.tui.session import Session, StartOptions

MAX_TRACE_BYTES = 16 * 1024 * 1024


def read_trace_file(trace_file: str) -> tuple[str, str]:
    """(text, display name) of ``--trace FILE`` (``-``: standard input)."""
    if trace_file == "-":
        if sys.stdin.isatty():
            raise UsageError("--trace - reads the trace from standard input, but it is a terminal")
        data = sys.stdin.buffer.read(MAX_TRACE_BYTES + 1)
        name = "stdin"
        _reattach_terminal()
    else:
        path = Path(trace_file).expanduser()
        try:
            with open(path, "rb") as fh:
                data = fh.read(MAX_TRACE_BYTES + 1)
        except OSError as exc:
            raise InputError(f"cannot read {trace_file}: {exc.strerror or exc}") from None
        name = path.name
    if len(data) > MAX_TRACE_BYTES:
        raise InputError(f"{trace_file}: larger than 16 MB; cut the trace out of the log first")
    return data.decode("utf-8", "replace"), name


def _reattach_terminal() -> None:
    """After reading a piped trace, read keys from the terminal instead."""
    try:
        fd = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError("a piped trace needs a terminal for the UI; use "
                         "`codemap trace` for non-interactive use") from None
    os.dup2(fd, 0)
    os.close(fd)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115


def start_mode(options: StartOptions) -> str:
    if options.trace_text is not None:
        return "trace"
    if options.endpoint is not None:
        return "endpoint"
    if options.tour_file is not None:
        return "tour"
    if options.review_range is not None:
        return "review"
    return "explore"


def make_app(repo_path: str | None = None, trace_file: str | None = None,
             endpoint: str | None = None, rev: str | None = None, tour_file: str | None = None,
             review_range: str | None = None, coverage_file: str | None = None):  # type: ignore[no-untyped-def]
    """The configured app, not yet running (tests and benchmarks drive it headless)."""
    from codemap import api
    from codemap.tui.screens import mode_spec, screen_class

    repo = api.open_repo(repo_path)
    if rev is not None:
        from codemap.history.git import resolve_rev

        repo.require_git("--rev")
        rev = resolve_rev(repo, rev)
    text, name = read_trace_file(trace_file) if trace_file is not None else (None, None)
    options = StartOptions(text, name, endpoint, tour_file, review_range)
    mode = start_mode(options)
    spec = mode_spec(mode)
    if spec is None or screen_class(spec) is None:
        raise UsageError(f"{mode} mode is not available in this build")
    from codemap.tui.app import CodemapApp

    session = Session(repo, options=options, rev=rev, coverage_file=coverage_file)
    return CodemapApp(session, mode=mode)


def launch_tui(repo_path: str | None = None, trace_file: str | None = None,
               endpoint: str | None = None, rev: str | None = None,
               tour_file: str | None = None, review_range: str | None = None) -> None:
    """Open the terminal UI (called by ``codemap`` with no subcommand)."""
    if not sys.stdout.isatty():
        raise UsageError("the terminal UI needs a terminal; use the subcommands "
                         "(codemap trace, codemap find, ...) in scripts")
    app = make_app(repo_path, trace_file, endpoint, rev, tour_file, review_range)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
