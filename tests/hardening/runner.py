"""Running codemap commands for the hardening tests, and judging what they print.

In-process through click's CliRunner (fast: no interpreter start-up, the
index and caches stay warm) or, where a real process is needed (signals,
stdin from a pipe, hangs), through ``python -m codemap`` with a timeout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from tests.hardening.fixture import FORBIDDEN


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    out: bytes
    err: bytes
    exception: BaseException | None = None

    @property
    def out_text(self) -> str:
        return self.out.decode("utf-8", "surrogateescape")

    @property
    def err_text(self) -> str:
        return self.err.decode("utf-8", "surrogateescape")

    def json(self) -> Any:
        return json.loads(self.out.decode("utf-8"))

    def describe(self) -> str:
        return (f"codemap {' '.join(self.args)!r} -> {self.code}\nstdout: {self.out[:2000]!r}\n"
                f"stderr: {self.err[:2000]!r}\nexception: {self.exception!r}")


def invoke(args: list[str], *, stdin: bytes | None = None) -> Run:
    """Run a codemap command in this process."""
    from codemap.cli.main import cli

    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=True)
    exc = result.exception if not isinstance(result.exception, SystemExit) else None
    return Run(tuple(args), result.exit_code, result.stdout_bytes, result.stderr_bytes or b"", exc)


def spawn(args: list[str], *, cwd: Path | None = None, stdin: bytes | None = None,
          timeout: float = 60, env: dict[str, str] | None = None) -> Run:
    """Run ``python -m codemap`` as a real process (fails the test on a hang)."""
    proc = subprocess.run([sys.executable, "-m", "codemap", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=timeout,
                          stdin=subprocess.DEVNULL if stdin is None else None,
                          env={**os.environ, **(env or {})})
    return Run(tuple(args), proc.returncode, proc.stdout, proc.stderr)


def unsafe_characters(data: bytes) -> set[str]:
    """Characters in ``data`` that a terminal would act on: C0/C1 controls, DEL, and raw
    bytes that are not UTF-8 (shown as their surrogate escapes)."""
    text = data.decode("utf-8", "surrogateescape")
    return {repr(ch) for ch in text if ch in FORBIDDEN or "\udc80" <= ch <= "\udcff"}


def strings_in(value: Any) -> list[str]:
    """Every string (keys and values) inside a JSON document."""
    out: list[str] = []
    if isinstance(value, str):
        out.append(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            out.append(k)
            out.extend(strings_in(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(strings_in(v))
    return out


def assert_one_line_error(run: Run, code: int = 2) -> None:
    """The contract for bad input: status 2, one stderr line, no traceback, no stdout."""
    assert run.exception is None, run.describe()
    assert run.code == code, run.describe()
    lines = run.err_text.strip("\n").splitlines()
    assert len(lines) == 1 and lines[0].startswith("codemap: "), run.describe()
    assert "Traceback" not in run.err_text and "internal error" not in run.err_text, run.describe()
    assert run.out == b"", run.describe()
    assert not unsafe_characters(run.err), run.describe()
