"""Build the demo repository: real history, real coverage, a real crash.

``codemap demo`` needs something worth looking at on any machine, offline:
a small two-language application (a Python order service and its
JavaScript checkout client) whose git history is made by running ``git``
with several authors and dates, including one AI-assisted commit and one
generated file. The builder then runs the demo's own tests under
coverage.py (recording which test ran each line) and serves one request
that crashes, capturing the traceback. Everything happens inside a fresh
directory; the sources and the history are package data
(``demo/app/history.toml`` and ``demo/app/steps/``).

The service is a Flask app. It runs with ``demo/app/runtime/`` (a small
stand-in for the parts of Flask it uses) first on ``PYTHONPATH``, copied
beside the repository, so the demo needs no extra package and its
traceback is the same on every machine.

This is the one place codemap runs code of the repository it shows: the
demo is ours, and running it is the point.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from codemap.errors import CodemapError, UsageError
from codemap.progress import CancelToken, Progress, ProgressHook, check_cancel, no_progress

REPO_DIR = "shopfront"
RUNTIME_DIR = "runtime"
TRACE_FILE = "crash.txt"
MANIFEST = "demo.json"
ENDPOINT = "GET /orders/42"
CRASH_COMMAND = ("-m", "shop", "GET", "/orders/42")
TEST_COMMAND = ("-m", "coverage", "run", "-m", "unittest", "discover", "-s", "tests", "-t", ".")
DOT_PREFIX = "dot-"


class DemoBuildError(CodemapError):
    """A step of building the demo failed (git, the demo's tests, the crash)."""


@dataclass(frozen=True)
class DemoRepo:
    """Where the built demo lives and what it holds."""

    root: str  # the directory holding everything below
    repo: str  # the git repository of the demo application
    trace_file: str  # the crash traceback, captured from running the demo
    coverage_file: str  # coverage.py data with per-test contexts
    endpoint: str  # the request that crashes
    culprit: str  # sha of the commit that introduced the bug
    head: str
    commits: list[str]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Step:
    """One commit of the demo's history."""

    dir: str
    author: str
    date: str
    message: str
    remove: tuple[str, ...] = ()
    culprit: bool = False


def _app_files() -> Traversable:
    return resources.files("codemap.demo").joinpath("app")


def load_steps(now: datetime | None = None) -> list[Step]:
    """The demo history of ``history.toml``, its dates moved to keep their age at ``now``
    (default: the current time)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    data = tomllib.loads(_app_files().joinpath("history.toml").read_text(encoding="utf-8"))
    shift = (now or datetime.now(timezone.utc)) - datetime.fromisoformat(data["as_of"])
    steps = []
    for raw in data["commit"]:
        date = (datetime.fromisoformat(raw["date"]) + shift).isoformat(timespec="seconds")
        steps.append(Step(raw["dir"], raw["author"], date, raw["message"],
                          tuple(raw.get("remove", ())), "Co-Authored-By: Claude" in raw["message"]))
    return steps


def _clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for child processes: no inherited git or coverage settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "COVERAGE_")) and k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"})
    env.update(extra or {})
    return env


def _run(args: list[str], cwd: Path, what: str, env: dict[str, str] | None = None,
         ok_codes: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[bytes]:
    try:
        proc = subprocess.run(args, cwd=cwd, env=env or _clean_env(), capture_output=True,
                              timeout=120)
    except FileNotFoundError as exc:
        raise DemoBuildError(f"cannot build the demo: {args[0]} is not installed") from exc
    except subprocess.TimeoutExpired as exc:
        raise DemoBuildError(f"cannot build the demo: {what} took too long") from exc
    if proc.returncode not in ok_codes:
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise DemoBuildError(f"cannot build the demo: {what} failed ({tail[0]})")
    return proc


def _git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    proc = _run(["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args],
                repo, f"git {args[0]}", env)
    return proc.stdout.decode("utf-8", "replace").strip()


def _person(text: str) -> tuple[str, str]:
    name, _, email = text.rpartition(" <")
    return name, email.rstrip(">")


def _copy_tree(src: Traversable, dest: Path) -> None:
    for entry in src.iterdir():
        name = entry.name
        if name == "__pycache__":
            continue
        if name.startswith(DOT_PREFIX):
            name = "." + name[len(DOT_PREFIX):]
        target = dest / name
        if entry.is_dir():
            target.mkdir(exist_ok=True)
            _copy_tree(entry, target)
        else:
            target.write_bytes(entry.read_bytes())


def _commit(repo: Path, step: Step) -> str:
    _copy_tree(_app_files().joinpath("steps", step.dir), repo)
    for rel in step.remove:
        (repo / rel).unlink(missing_ok=True)
    name, email = _person(step.author)
    env = _clean_env({"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                      "GIT_AUTHOR_DATE": step.date, "GIT_COMMITTER_NAME": name,
                      "GIT_COMMITTER_EMAIL": email, "GIT_COMMITTER_DATE": step.date})
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", step.message, env=env)
    return _git(repo, "rev-parse", "HEAD")


def _prepare(dest: Path | None) -> Path:
    if dest is None:
        return Path(tempfile.mkdtemp(prefix="codemap-demo-"))
    dest = dest.expanduser().resolve()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise UsageError(f"{dest} exists and is not an empty directory")
    dest.mkdir(parents=True, exist_ok=True)
    return dest


def build_demo(dest: str | os.PathLike[str] | None = None, *, python: str | None = None,
               progress: ProgressHook | None = None, cancel: CancelToken | None = None,
               now: datetime | None = None) -> DemoRepo:
    """Build the demo in ``dest`` (an empty or new directory; default: a new temp dir).

    ``python`` runs the demo's tests and its crash (default: this interpreter,
    which has coverage.py since codemap depends on it). The history is dated
    relative to ``now`` (default: the current time; tests pin it).
    """
    report = progress or no_progress
    python = python or sys.executable
    root = _prepare(Path(dest) if dest is not None else None)
    try:
        return _build(root, python, report, cancel, now)
    except BaseException:
        if dest is None:
            shutil.rmtree(root, ignore_errors=True)
        raise


def _build(root: Path, python: str, report: ProgressHook, cancel: CancelToken | None,
           now: datetime | None) -> DemoRepo:
    steps = load_steps(now)
    total = len(steps) + 2
    repo = root / REPO_DIR
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    commits: list[str] = []
    culprit = ""
    for i, step in enumerate(steps):
        check_cancel(cancel)
        report(Progress("demo: commits", i, total))
        sha = _commit(repo, step)
        commits.append(sha)
        if step.culprit:
            culprit = sha
    check_cancel(cancel)
    report(Progress("demo: tests", len(steps), total))
    runtime = root / RUNTIME_DIR
    runtime.mkdir()
    _copy_tree(_app_files().joinpath(RUNTIME_DIR), runtime)
    env = _clean_env({"PYTHONPATH": str(runtime)})
    _run([python, *TEST_COMMAND], repo, "running the demo's tests under coverage", env)
    check_cancel(cancel)
    report(Progress("demo: crash", len(steps) + 1, total))
    crash = _run([python, *CRASH_COMMAND], repo, "running the demo's crash", env, ok_codes=(1,))
    trace_file = root / TRACE_FILE
    trace_file.write_bytes(crash.stderr)
    demo = DemoRepo(str(root), str(repo), str(trace_file), str(repo / ".coverage"), ENDPOINT,
                    culprit, commits[-1], commits)
    (root / MANIFEST).write_text(json.dumps(demo.to_json(), indent=2) + "\n", encoding="utf-8")
    report(Progress("demo: done", total, total))
    return demo
