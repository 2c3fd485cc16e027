"""Every command, run over the hostile fixture repository: it never writes the
repository, its plain text is inert and its JSON keeps repository text verbatim.

The commands run once per module (in-process, with the repository as the
working directory, as a user would run them), between two snapshots of the
repository: every byte of the working tree and of ``.git`` (except
``.git/codemap/``, codemap's own cache), ``git status --porcelain`` and every
ref. The fixture's ``.git/index`` holds stale stat data for one file, so a
git process started without ``GIT_OPTIONAL_LOCKS=0`` that refreshed the index
would rewrite it and fail the test.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from codemap.cli.main import COMMANDS
from tests.hardening.fixture import BAD_FILE, EVIL_FILE, OSC, Fixture
from tests.hardening.runner import Run, invoke, strings_in, unsafe_characters


@dataclass(frozen=True)
class Planned:
    command: str
    case: str
    args: tuple[str, ...]
    json: bool
    hostile: bool  # the answer shows hostile repository text
    stdin: Path | None = None  # a file whose bytes are piped into stdin

    @property
    def id(self) -> str:
        return f"{self.command}-{self.case}-{'json' if self.json else 'text'}"


def plan(fx: Fixture) -> list[Planned]:
    out = fx.outside
    trace = str(fx.trace)
    tour_file = str(out / "tour.tour")
    both: list[tuple[str, str, list[str], bool]] = [
        ("index", "refresh", ["index"], False),
        ("index", "export", ["index", "--export", str(out / "index-{mode}.sqlite")], False),
        ("at", "hostile-file", ["at", f"{EVIL_FILE}:6"], True),
        ("at", "method", ["at", "shop/orders.py:11"], False),
        ("find", "named", ["find", "named"], True),
        ("trace", "file", ["trace", trace], True),
        ("trace", "rev-since-map", ["trace", trace, "--rev", "HEAD~1", "--since",
                                    "2025-12-15T00:00:00Z", "--map", "/srv/app=.",
                                    "--coverage", str(fx.coverage)], True),
        ("graph", "whole", ["graph"], True),
        ("callers", "depth", ["callers", "evil.mod.helper", "--depth", "3"], True),
        ("callees", "depth", ["callees", "named", "--depth", "2"], True),
        ("paths", "entry-points", ["paths", "--to", "boom"], True),
        ("paths", "from", ["paths", "--from", "named", "--to", "boom"], True),
        ("endpoints", "all", ["endpoints"], True),
        ("endpoint", "hostile-handler", ["endpoint", "GET /hostile/3"], True),
        ("endpoint", "hostile-route", ["endpoint", "GET /evil/{x}"], False),
        ("who", "dir", ["who", "evil"], True),
        ("who", "codeowners", ["who", "shop/orders.py:10-12"], True),
        ("who", "undecodable-name", ["who", os.fsdecode(BAD_FILE)], True),
        ("history", "dir", ["history", "evil"], True),
        ("history", "undecodable-name", ["history", os.fsdecode(BAD_FILE)], True),
        ("history", "symbol", ["history", "load_order"], True),
        ("show", "head", ["show", "HEAD"], True),
        ("coverage", "all", ["coverage"], True),
        ("coverage", "file", ["coverage", "shop/orders.py", "--coverage", str(fx.coverage)], True),
        ("tour", "default", ["tour"], True),
        ("review", "range", ["review", "HEAD~2..HEAD"], True),
        ("review", "branch", ["review", "--branch", "feature"], False),
        ("demo", "no-ui", ["demo", "--no-ui", "--dir", str(out / "demo-{mode}")], False),
    ]
    planned: list[Planned] = []
    for command, case, args, hostile in both:
        for as_json in (False, True):
            mode = "json" if as_json else "text"
            full = tuple(a.replace("{mode}", mode) for a in args) + (("--json",) if as_json else ())
            planned.append(Planned(command, case, full, as_json, hostile))
    planned += [
        Planned("trace", "stdin", ("trace", "-"), False, True, fx.trace),
        Planned("trace", "stdin", ("trace", "-", "--json"), True, True, fx.trace),
        Planned("tour", "markdown", ("tour", "--markdown"), False, True),
        Planned("tour", "codetour", ("tour", "--codetour", tour_file), False, False),
        Planned("tour", "check", ("tour", "--check", tour_file), False, True),
        Planned("tour", "check", ("tour", "--check", tour_file, "--json"), True, True),
    ]
    return planned


def _git(root: Path, *args: str) -> bytes:
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}  # our own look must not write either
    return subprocess.run(["git", *args], cwd=root, capture_output=True, check=True,
                          env=env).stdout


def snapshot(root: Path) -> dict[str, object]:
    """Every file and directory below ``root`` (bytes, mode, link target), except
    codemap's cache, plus what git says about the tree and the refs."""
    tree: dict[bytes, object] = {}
    base = os.fsencode(root)
    skip = os.path.join(base, b".git", b"codemap")
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if os.path.join(dirpath, d) != skip]
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, base)
            if stat.S_ISLNK(st.st_mode):
                tree[rel] = ("link", os.readlink(full))
            elif stat.S_ISDIR(st.st_mode):
                tree[rel] = ("dir", st.st_mode)
            else:
                with open(full, "rb") as fh:
                    tree[rel] = ("file", st.st_mode, fh.read())
    return {
        "tree": tree,
        "status": _git(root, "status", "--porcelain", "-z", "--untracked-files=all"),
        "refs": _git(root, "for-each-ref", "--format=%(refname) %(objectname)"),
        "head": _git(root, "symbolic-ref", "HEAD"),
    }


@dataclass
class Session:
    fx: Fixture
    before: dict[str, object]
    after: dict[str, object]
    runs: dict[str, tuple[Planned, Run]]


@pytest.fixture(scope="module")
def session(in_repo: Fixture) -> Session:
    fx = in_repo
    before = snapshot(fx.root)
    runs: dict[str, tuple[Planned, Run]] = {}
    for p in plan(fx):
        runs[p.id] = (p, invoke(list(p.args), stdin=p.stdin.read_bytes() if p.stdin else None))
    return Session(fx, before, snapshot(fx.root), runs)


def test_every_command_is_planned(hostile: Fixture) -> None:
    assert {p.command for p in plan(hostile)} == set(COMMANDS)


def test_never_writes_the_repository(session: Session) -> None:
    failed = [run.describe() for _p, run in session.runs.values()
              if run.code != 0 or run.exception is not None]
    assert not failed, "\n\n".join(failed)
    before, after = session.before, session.after
    changed = sorted(k for k in set(before["tree"]) | set(after["tree"])  # type: ignore[arg-type]
                     if before["tree"].get(k) != after["tree"].get(k))  # type: ignore[attr-defined]
    assert not changed, f"codemap changed these paths of the repository: {changed}"
    assert before["status"] == after["status"]
    assert before["refs"] == after["refs"] and before["head"] == after["head"]
    # the exported index, the CodeTour file and the demo went where they were asked to
    assert (session.fx.outside / "index-json.sqlite").stat().st_size > 0
    assert (session.fx.outside / "tour.tour").is_file()
    assert (session.fx.outside / "demo-text").is_dir()
    assert (session.fx.root / ".git" / "codemap").is_dir()


def _ids(json_mode: bool) -> list[str]:
    """Run ids at collection time (the plan needs no file to exist)."""
    fake = Fixture(Path("/r"), Path("/t"), Path("/c"), Path("/o"))
    return [p.id for p in plan(fake) if p.json == json_mode]


@pytest.mark.parametrize("run_id", _ids(False))
def test_plain_text_is_inert(session: Session, run_id: str) -> None:
    planned, run = session.runs[run_id]
    assert run.code == 0, run.describe()
    assert not unsafe_characters(run.out), run.describe()
    assert not unsafe_characters(run.err), run.describe()
    if planned.hostile:
        # the hostile text is shown (escaped), not dropped
        assert "\\e]0;pwned\\x07" in run.out_text, run.describe()
    if planned.command not in ("demo",):
        # the config file's hostile unknown key is warned about, inert
        assert "\\e]0;pwned\\x07[bold red]key" in run.err_text, run.describe()


@pytest.mark.parametrize("run_id", _ids(True))
def test_json_keeps_repository_text_verbatim(session: Session, run_id: str) -> None:
    planned, run = session.runs[run_id]
    assert run.code == 0, run.describe()
    data = run.json()  # exactly one JSON document, valid UTF-8
    assert not unsafe_characters(run.err), run.describe()
    # escaped as \uXXXX: safe even when the JSON itself is shown in a terminal
    assert not unsafe_characters(run.out), run.describe()
    if planned.hostile:
        texts = strings_in(data)
        assert any(OSC in t for t in texts), run.describe()
    json.dumps(data)


def test_json_fields_hold_the_exact_hostile_values(session: Session) -> None:
    """Spot checks that specific fields carry the repository's text unchanged."""
    from tests.hardening.fixture import AUTHOR_NAME, HOSTILE, ROUTE

    runs = {k: r for k, (_p, r) in session.runs.items()}
    at = runs["at-hostile-file-json"].json()
    assert at["symbol"]["path"] == EVIL_FILE
    routes = {e["route"] for e in runs["endpoints-all-json"].json()["endpoints"]}
    assert ROUTE in routes
    who = runs["who-dir-json"].json()
    assert any(a["name"].startswith(AUTHOR_NAME) for a in who["authors"])
    history = runs["history-dir-json"].json()
    assert any(HOSTILE in c["summary"] for c in history["commits"])
    coverage = runs["coverage-all-json"].json()
    assert any(HOSTILE in t for row in coverage["symbols"] for t in row["tests"])
    trace = runs["trace-file-json"].json()
    message = trace["exceptions"][0]["message"]
    # a coloured terminal capture has its SGR colours stripped by design; the rest is kept
    assert OSC in message and "[link=http://x]click[/link]" in message


def test_no_command_imports_textual(hostile: Fixture, tmp_path: Path) -> None:
    """Every headless run (all JSON runs of the plan) in one fresh interpreter: Textual,
    the TUI's dependency, is never imported (the style guide's layering promise)."""
    import sys

    fx = Fixture(hostile.root, hostile.trace, hostile.coverage, tmp_path)
    runs = [list(p.args) for p in plan(fx) if (p.json or p.case == "codetour") and not p.stdin]
    code = (
        "import json, sys\n"
        "from click.testing import CliRunner\n"
        "from codemap.cli.main import cli\n"
        f"for args in json.loads({json.dumps(json.dumps(runs))}):\n"
        "    r = CliRunner().invoke(cli, args)\n"
        "    assert r.exit_code == 0, (args, r.output, r.stderr)\n"
        "    assert 'textual' not in sys.modules, ('textual imported by', args)\n"
        "print('ok', len(sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=hostile.root, capture_output=True,
                          timeout=300)
    assert proc.returncode == 0 and proc.stdout.startswith(b"ok"), proc.stderr[-3000:]
