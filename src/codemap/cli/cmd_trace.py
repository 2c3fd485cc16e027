"""``codemap trace``: a thin wrapper over :func:`codemap.api.trace`.

Reads FILE (or stdin), refuses empty, binary and trace-less input with one
line and exit 2, and prints the report as JSON or as a short human summary:
exceptions in input order, in-repo frames in full, runs of library frames
collapsed into a count. Exception messages and frame text come from
production and are printed through :func:`codemap.safe.inert_line`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from codemap.cli.options import json_option, repo_option, run_guarded
from codemap.cli.output import echo_line, emit_json
from codemap.errors import InputError, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from codemap.traces.report import TraceFrame, TraceReport

MAX_INPUT = 512 * 1024 * 1024
MESSAGE_LINES = 8  # lines of a multi-line exception message shown after its first

_RELATION = {
    "cause": "the cause of the exception above",
    "raised-from": "raised from the exception above",
    "context": "raised while handling the exception above",
    "suppressed": "suppressed by the exception above",
    "group": "member of the exception group",
    "goroutine": "another goroutine",
    "thread": "another thread",
}


def read_input(source: str) -> tuple[str, str]:
    """(text, label) of FILE or ``-``; InputError for unreadable, empty or binary input."""
    label = "stdin" if source == "-" else source
    try:
        if source == "-":
            if sys.stdin.isatty():
                raise UsageError("no trace given: pass a FILE or pipe a trace into stdin (-)")
            data = sys.stdin.buffer.read(MAX_INPUT + 1)
        else:
            with open(source, "rb") as fh:
                data = fh.read(MAX_INPUT + 1)
    except OSError as exc:
        raise InputError(f"cannot read {label}: {exc.strerror or exc}") from exc
    if len(data) > MAX_INPUT:
        raise InputError(f"{label} is larger than {MAX_INPUT // (1024 * 1024)} MB")
    if not data.strip():
        raise InputError(f"no stack trace found in {label} (it is empty)")
    text = _decode(data)
    if text is None:
        raise InputError(f"no stack trace found in {label} (it is binary data, not text)")
    return text, label


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # PowerShell's "> file" writes UTF-16
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    head = data[:8192]
    if b"\0" in head:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    sample = text[:8192]
    if sample and sample.count("\ufffd") > len(sample) // 10:
        return None
    return text


def parse_maps(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        src, sep, dst = value.partition("=")
        if not sep or not src.strip():
            raise UsageError(f"--map expects FROM=TO (e.g. /srv/app=.), got {value!r}")
        out.append((src.strip(), dst.strip() or "."))
    return out


@click.command("trace")
@click.argument("source", metavar="[FILE|-]", required=False, default="-")
@repo_option
@click.option("--rev", default=None, help="The deployed revision the trace came from.")
@click.option("--map", "maps", multiple=True, metavar="FROM=TO",
              help="Rewrite frame paths starting with FROM to the repository directory TO "
                   "(repeatable; tried before the config file's [trace] maps).")
@click.option("--since", default=None, help="Only consider commits since TIME for suspects.")
@click.option("--coverage", "coverage_file", default=None, type=click.Path(dir_okay=False),
              help="Coverage data to annotate frames with.")
@json_option
def trace_cmd(source: str, repo_path: str | None, rev: str | None, maps: tuple[str, ...],
              since: str | None, coverage_file: str | None, as_json: bool) -> None:
    """Map a stack trace (FILE, or stdin) onto the code.

    Any supported format (Python, pytest, Node/V8, Firefox/Safari, JVM, Go,
    Ruby, Rust, .NET, PHP), possibly surrounded by log noise, several traces
    per paste. Frames are listed in call order, the raising frame last.
    """
    from codemap import api
    from codemap.traces.service import NoTraceFound

    def run() -> None:
        text, label = read_input(source)
        try:
            report = api.trace(text, repo_path, rev=rev, maps=parse_maps(maps), since=since,
                               coverage_file=coverage_file)
        except NoTraceFound as exc:
            raise InputError(f"no stack trace found in {label}") from exc
        if as_json:
            emit_json(report.to_json())
        else:
            print_report(report)

    run_guarded(run)


def print_report(report: TraceReport) -> None:
    """The human summary (every piece of trace text made inert)."""
    frames = report.frames()
    in_repo = sum(1 for f in frames if f.in_repo)
    head = f"{report.language} trace: {len(report.exceptions)} exception"
    head += "s" if len(report.exceptions) != 1 else ""
    head += f", {in_repo} of {len(frames)} frames in the repository"
    if report.rev:
        head += f", mapped at {report.rev[:12]}"
    echo_line(head)
    for exc in report.exceptions:
        echo_line("")
        title = exc.type or "(no exception type)"
        first, *more = exc.message.splitlines() if exc.message else [""]
        if first:
            title += f": {first}"
        if exc.relation:
            echo_line(f"[{_RELATION.get(exc.relation, exc.relation)}]")
        echo_line(title)
        _print_message_rest(more)
        if exc.extras.get("truncated"):
            echo_line("(the runtime printed only the innermost frames: the outermost callers "
                      "are missing)")
        _print_frames(exc.frames)
    if report.suspects:
        echo_line("")
        echo_line("suspect commits (most likely first):")
        for sus in report.suspects[:5]:
            ai = "  [AI]" if sus.ai else ""
            echo_line(f"  {sus.score:.2f}  {sus.sha[:10]}  {sus.date[:10]}  {sus.author}: "
                      f"{sus.summary}{ai}")
            for reason in sus.reasons[:3]:
                echo_line(f"          - {reason}")
    for warning in report.extras.get("warnings", []):
        echo_line(f"warning: {warning}")


def _print_message_rest(lines: list[str]) -> None:
    """The lines of a multi-line exception message after its first (a note added to the
    exception, a validation error's list), indented under it; at most MESSAGE_LINES."""
    for text in lines[:MESSAGE_LINES]:
        echo_line(f"  | {text}")
    if len(lines) > MESSAGE_LINES:
        echo_line(f"  | ... ({len(lines) - MESSAGE_LINES} more lines of the message: --json has "
                  "them all)")


def _print_frames(frames: list[TraceFrame]) -> None:
    if not frames:
        echo_line("    (no frames)")
        return
    from codemap.traces.repeats import Repeat

    frames = _collapse(frames)
    last_repo = max((k for k, f in enumerate(frames)
                     if not isinstance(f, Repeat) and f.in_repo), default=-1)
    library: list[TraceFrame] = []

    def flush() -> None:
        if library:
            names = [f.function for f in library if f.function][:2]
            hint = f" ({', '.join(names)}{', ...' if len(library) > 2 else ''})" if names else ""
            echo_line(f"    ... {len(library)} library frame{'s' if len(library) > 1 else ''}{hint}")
            library.clear()

    for k, frame in enumerate(frames):
        if isinstance(frame, Repeat):  # a folded repeating run
            flush()
            echo_line(f"    ... {frame.describe()}")
            continue
        if not frame.in_repo and not frame.candidates:
            library.append(frame)
            continue
        flush()
        echo_line(_frame_line(frame, raising=k == last_repo))
    flush()


def _collapse(frames: list[TraceFrame]) -> list[Any]:
    """The frames with the middle copies of each repeating run replaced by its
    :class:`~codemap.traces.repeats.Repeat` (a recursion, a stack overflow)."""
    from codemap.traces.repeats import frame_key, repeats

    out: list[Any] = []
    at = 0
    for run in repeats([frame_key(f) for f in frames]):
        out.extend(frames[at:run.start])
        out.append(run)
        at = run.end
    out.extend(frames[at:])
    return out


def _frame_line(frame: TraceFrame, raising: bool) -> str:
    mark = "  > " if raising else "    "
    if frame.path is None:  # ambiguous
        where = f"{frame.file}:{frame.line or '?'}"
        return f"{mark}{where}  ambiguous: {', '.join(frame.candidates or [])}"
    where = f"{frame.path}:{frame.line}" if frame.line else frame.path
    text = f"{mark}{where}"
    mapped = frame.extras.get("mapped_from")
    if mapped:  # printed position of built code, read through its source map
        col = f":{mapped['column']}" if mapped.get("column") else ""
        text += (f"  (from {mapped.get('path') or mapped.get('file')}:{mapped.get('line')}{col}"
                 " via source map)")
    if frame.function:
        text += f"  in {frame.function}"
    sym = frame.symbol
    if sym is not None:
        text += f"  -> {sym.kind} {sym.qualname} ({sym.start_line}-{sym.end_line})"
    if frame.name_mismatch:
        text += "  [name differs from the trace: code changed since?]"
    if frame.coverage is not None:
        cov = frame.coverage
        text += ("  [covered by " + str(len(cov["tests"])) + " tests]" if cov["covered"] and cov["tests"]
                 else "  [covered]" if cov["covered"] else "  [NOT covered]")
    if frame.last_commit is not None:
        lc = frame.last_commit
        text += f"  [{lc.sha[:8]} {lc.date[:10]} {lc.author}{' AI' if lc.ai else ''}]"
    if frame.head_status is not None:
        if frame.head_status == "deleted":
            text += "  [deleted at HEAD]"
        elif frame.head_status != "unchanged":
            moved = f"{frame.head_path}:{frame.head_line}" if frame.head_path != frame.path else (
                f"line {frame.head_line}")
            text += f"  [HEAD: {moved}, {frame.head_status}]"
    return text
