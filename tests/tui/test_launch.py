"""Starting the UI: bad input becomes one clear line, before the screen is taken."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.errors import InputError, UsageError
from codemap.tui.launch import make_app, read_trace_file, start_mode
from codemap.tui.session import StartOptions


def test_start_modes():
    assert start_mode(StartOptions()) == "explore"
    assert start_mode(StartOptions(trace_text="x")) == "trace"
    assert start_mode(StartOptions(endpoint="GET /")) == "endpoint"


def test_unreadable_trace_file(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        read_trace_file(str(tmp_path / "missing.txt"))


def test_unknown_rev_is_a_git_error(demo):
    from codemap.errors import GitError

    with pytest.raises(GitError, match="unknown revision"):
        make_app(demo.repo, trace_file=demo.trace_file, rev="no-such-rev")


def test_rev_resolves_to_a_sha(demo):
    app = make_app(demo.repo, trace_file=demo.trace_file, rev="HEAD~1")
    assert app.session.rev is not None and len(app.session.rev) == 40


def test_missing_mode_is_a_usage_error(demo, monkeypatch):
    import codemap.tui.screens as screens

    spec = screens.mode_spec("endpoint")
    monkeypatch.setattr(screens, "screen_class", lambda s: None if s == spec else object)
    with pytest.raises(UsageError, match="endpoint mode is not available"):
        make_app(demo.repo, endpoint="GET /")


def test_cli_without_a_terminal_says_so(demo):
    result = CliRunner().invoke(cli, ["--repo", demo.repo, "--trace", demo.trace_file])
    assert result.exit_code == 2
    assert "needs a terminal" in result.output
    assert "Traceback" not in result.output


def test_cli_trace_file_missing_is_one_line(demo, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "codemap", "--repo", demo.repo, "--trace",
                           str(tmp_path / "nope.txt")], capture_output=True, text=True,
                          env={**os.environ, "TERM": "dumb"})
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_trace_from_stdin_without_a_tty(monkeypatch):
    import io

    class Pipe(io.BytesIO):
        def isatty(self):
            return False

    fake = io.TextIOWrapper(Pipe(b"Traceback (most recent call last):\n"))
    monkeypatch.setattr(sys, "stdin", fake)
    monkeypatch.setattr("codemap.tui.launch._reattach_terminal", lambda: None)
    text, name = read_trace_file("-")
    assert name == "stdin" and text.startswith("Traceback")
