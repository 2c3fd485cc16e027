"""``codemap trace`` through the CLI: the JSON contract, bad input, --map, the config
file's trace maps, --rev (mapping at the deployed revision and line drift to HEAD),
and the fast path (no Textual, no GitPython).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

APP_V1 = """\
from shop.calc import helper


def legacy(x):
    return helper(x)


def main():
    legacy(0)


main()
"""

APP_V2 = """\
# comment 1
# comment 2
# comment 3
from shop.maths import helper


def main():
    helper(0)


main()
"""

CALC = "def helper(x):\n    return 10 / x\n"


def _invoke(*args: str, input: str | bytes | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["trace", *args], input=input)


@pytest.fixture
def deployed(git_repo: GitRepoBuilder) -> tuple[GitRepoBuilder, str, str]:
    """(repo, sha of v1, trace produced by running v1 with paths as in a container)."""
    git_repo.write("shop/__init__.py", "")
    git_repo.write("shop/app.py", APP_V1)
    git_repo.write("shop/calc.py", CALC)
    v1 = git_repo.commit("v1")
    proc = subprocess.run([sys.executable, "-m", "shop.app"], cwd=git_repo.root,
                          capture_output=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    trace = proc.stderr.decode().replace(str(git_repo.root) + "/", "/srv/app/")
    assert "ZeroDivisionError" in trace
    git_repo.write("shop/app.py", APP_V2)
    git_repo.remove("shop/calc.py")
    git_repo.write("shop/maths.py", "# moved from calc.py\n" + CALC)
    git_repo.commit("v2: drop legacy, rename calc")
    return git_repo, v1, trace


def test_json_follows_the_contract(deployed: tuple[GitRepoBuilder, str, str]) -> None:
    repo, _, trace = deployed
    out = _invoke("-", "--repo", str(repo.root), "--json", input=trace)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["language"] == "python"
    exc = data["exceptions"][0]
    assert (exc["type"], exc["message"]) == ("ZeroDivisionError", "division by zero")
    for frame in exc["frames"]:
        assert set(frame) >= {"raw", "file", "line", "column", "function", "in_repo", "path",
                              "symbol"}
        assert "coverage" not in frame  # no coverage data in this repository
        assert "head_line" not in frame  # only with --rev
        if not frame["in_repo"]:
            assert "last_commit" not in frame
    blamed = [f["last_commit"] for f in exc["frames"] if "last_commit" in f]
    assert blamed, "in-repo frames on committed lines carry their last commit"
    for commit in blamed:
        assert set(commit) >= {"sha", "author", "email", "date", "summary", "ai"}
    assert isinstance(data["suspects"], list) and "rev" not in data
    for suspect in data["suspects"]:
        assert set(suspect) >= {"sha", "summary", "author", "date", "score", "reasons", "ai"}
    sym = next(f["symbol"] for f in exc["frames"] if f["symbol"])
    assert set(sym) == {"id", "name", "qualname", "kind", "language", "path", "start_line",
                        "end_line"}


def test_rev_maps_against_the_deployed_files(deployed: tuple[GitRepoBuilder, str, str]) -> None:
    repo, v1, trace = deployed
    # at HEAD, shop/calc.py is gone and app.py changed: legacy() no longer exists
    head = json.loads(_invoke("-", "--repo", str(repo.root), "--json", input=trace).output)
    head_frames = {f["function"]: f for f in head["exceptions"][0]["frames"] if f["in_repo"]}
    assert head_frames["legacy"]["name_mismatch"] is True
    assert "helper" not in head_frames  # calc.py is not a file of HEAD
    out = _invoke("-", "--repo", str(repo.root), "--json", "--rev", v1[:10], input=trace)
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["rev"] == v1
    frames = {f["function"]: f for f in data["exceptions"][0]["frames"] if f["in_repo"]}
    assert set(frames) == {"<module>", "main", "legacy", "helper"}
    assert all(f["name_mismatch"] is False for f in frames.values())
    legacy = frames["legacy"]
    assert legacy["symbol"]["qualname"] == "shop.app.legacy"  # as deployed
    assert legacy["head_status"] == "deleted" and "head_line" not in legacy
    module = frames["<module>"]
    assert (module["line"], module["head_line"], module["head_status"]) == (12, 11, "moved")
    assert frames["main"]["head_status"] == "modified" and frames["main"]["head_line"] == 8
    helper = frames["helper"]
    assert helper["path"] == "shop/calc.py" and helper["head_path"] == "shop/maths.py"
    assert (helper["head_line"], helper["head_status"]) == (3, "moved")
    text = _invoke("-", "--repo", str(repo.root), "--rev", v1, input=trace).output
    assert "[deleted at HEAD]" in text and "[HEAD: shop/maths.py:3, moved]" in text
    cache = Path(repo.root, ".git", "codemap", "trace-symbols-v1")
    assert any(cache.iterdir())  # parsed files at REV are cached inside .git


def test_prefix_maps_from_the_command_line_and_the_config(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a/pkg/util.py", "def f():\n    return 1 / 0\n")
    git_repo.write("b/pkg/util.py", "def f():\n    return 1 / 0\n")
    git_repo.commit("two utils")
    text = ('Traceback (most recent call last):\n  File "/srv/x/pkg/util.py", line 2, in f\n'
            "    return 1 / 0\nZeroDivisionError: division by zero\n")
    plain = json.loads(_invoke("-", "--repo", str(git_repo.root), "--json", input=text).output)
    assert plain["exceptions"][0]["frames"][0]["match"] == "ambiguous"
    mapped = json.loads(_invoke("-", "--repo", str(git_repo.root), "--json", "--map", "/srv/x=a",
                                input=text).output)
    assert mapped["exceptions"][0]["frames"][0]["path"] == "a/pkg/util.py"
    git_repo.write(".codemap.toml", '[trace]\nmaps = { "/srv/x" = "b" }\n')
    configured = json.loads(_invoke("-", "--repo", str(git_repo.root), "--json",
                                    input=text).output)
    frame = configured["exceptions"][0]["frames"][0]
    assert (frame["path"], frame["match"]) == ("b/pkg/util.py", "prefix-map")
    # the command line wins over the config file
    both = json.loads(_invoke("-", "--repo", str(git_repo.root), "--json", "--map", "/srv/x=a",
                              input=text).output)
    assert both["exceptions"][0]["frames"][0]["path"] == "a/pkg/util.py"


@pytest.mark.parametrize(("content", "message"), [
    (b"", "no stack trace found in stdin (it is empty)"),
    (b"   \n\n", "no stack trace found in stdin (it is empty)"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00\x00binary", "(it is binary data, not text)"),
    (b"just a log line\nnothing to see\n", "no stack trace found in stdin"),
    (b"Traceback (most recent call last):\n", "no stack trace found in stdin"),
])
def test_unusable_input_is_one_line_and_exit_2(git_repo: GitRepoBuilder, content: bytes,
                                               message: str) -> None:
    git_repo.write("x.py", "x = 1\n")
    git_repo.commit("x")
    out = _invoke("-", "--repo", str(git_repo.root), input=content)
    assert out.exit_code == 2
    lines = out.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in out.output.replace(
        "(most recent call last)", "")


def test_bad_arguments(deployed: tuple[GitRepoBuilder, str, str], tmp_path: Path) -> None:
    repo, _, trace = deployed
    out = _invoke("-", "--repo", str(repo.root), "--rev", "no-such-rev", input=trace)
    assert out.exit_code == 2 and "unknown revision: no-such-rev" in out.output
    out = _invoke("-", "--repo", str(repo.root), "--map", "nonsense", input=trace)
    assert out.exit_code == 2 and "--map expects FROM=TO" in out.output
    out = _invoke(str(tmp_path / "missing.txt"), "--repo", str(repo.root))
    assert out.exit_code == 2 and "cannot read" in out.output
    plain = tmp_path / "plain"
    plain.mkdir()
    out = _invoke("-", "--repo", str(plain), "--rev", "HEAD", input=trace)
    assert out.exit_code == 2 and "not in a git repository" in out.output
    utf16 = tmp_path / "trace-utf16.txt"
    utf16.write_bytes(trace.encode("utf-16"))  # PowerShell's "> file"
    out = _invoke(str(utf16), "--repo", str(repo.root), "--json")
    assert out.exit_code == 0 and json.loads(out.output)["exceptions"]


def test_human_output_collapses_library_frames(deployed: tuple[GitRepoBuilder, str, str]) -> None:
    repo, v1, trace = deployed
    noisy = trace.replace(
        'Traceback (most recent call last):\n',
        'Traceback (most recent call last):\n'
        '  File "/usr/lib/python3.11/runpy.py", line 198, in _run_module_as_main\n'
        '    return _run_code(code, main_globals, None,\n'
        '  File "/usr/lib/python3.11/runpy.py", line 88, in _run_code\n'
        '    exec(code, run_globals)\n', 1)
    out = _invoke("-", "--repo", str(repo.root), "--rev", v1, input=noisy)
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert lines[0].startswith("python trace: 1 exception, 4 of")
    assert any(line.strip().startswith("... ") and "library frame" in line for line in lines)
    assert any(line.startswith("  > shop/calc.py:2  in helper") for line in lines)


def test_trace_json_never_loads_textual_or_gitpython(deployed: tuple[GitRepoBuilder, str, str],
                                                     tmp_path: Path) -> None:
    repo, _, trace = deployed
    path = tmp_path / "trace.txt"
    path.write_text(trace)
    code = (
        "import sys\nfrom codemap.cli.main import main\n"
        f"try:\n    main(['trace', {str(path)!r}, '--repo', {str(repo.root)!r}, '--json'])\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "bad = [m for m in ('textual', 'git', 'coverage', 'networkx') if m in sys.modules]\n"
        "print('LOADED', bad, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["exceptions"]
    assert "LOADED []" in proc.stderr.decode()


PING_PONG = (
    "def ping(n):\n"
    "    return pong(n + 1)\n"
    "\n"
    "\n"
    "def pong(n):\n"
    "    if n > 60:\n"
    "        raise RecursionError(f'gave up at {n}')\n"
    "    return ping(n + 1)\n"
)


def test_human_output_collapses_a_repeating_run_of_frames(git_repo: GitRepoBuilder) -> None:
    """Mutual recursion (CPython collapses only one repeated line itself): the first and
    the last copy of the ping/pong pair are shown, the copies between are counted; JSON
    keeps every frame."""
    git_repo.write("game/__init__.py", "")
    git_repo.write("game/rally.py", PING_PONG)
    git_repo.commit("rally")
    proc = subprocess.run([sys.executable, "-c", "from game.rally import ping; ping(0)"],
                          cwd=git_repo.root, capture_output=True, text=True)
    assert "RecursionError: gave up at 61" in proc.stderr
    full = _invoke("-", "--repo", str(git_repo.root), "--json", input=proc.stderr)
    frames = json.loads(full.output)["exceptions"][0]["frames"]
    assert len(frames) == 63  # <string>, 30 ping/pong pairs, ping and the raising pong
    out = _invoke("-", "--repo", str(git_repo.root), input=proc.stderr)
    assert out.exit_code == 0
    lines = [line for line in out.output.splitlines() if line.startswith(("    ", "  > "))]
    assert "    ... the 2 frames above repeat 28 more times" in lines
    shown = [line for line in lines if line[4:].startswith("game/rally.py:")]
    assert len(shown) == 6  # the first pair, the last pair, ping and the raising pong
    assert shown[-1].startswith("  > game/rally.py:7  in pong")


NOTED = """\
def check(rows):
    problems = [f"row {i}: empty" for i, row in enumerate(rows) if not row]
    if problems:
        err = ValueError("invalid rows:\\n" + "\\n".join(problems))
        err.add_note("while importing upload 7")
        raise err


check([""] * 12)
"""


def test_text_shows_a_multi_line_message_as_lines(git_repo: GitRepoBuilder) -> None:
    """A message of several lines (a validation error's list, a PEP 678 note) is printed
    line by line under the exception, not as one line of ``\\x0a`` escapes; a long one is
    cut, and --json keeps it whole."""
    if sys.version_info < (3, 11):
        pytest.skip("BaseException.add_note is Python 3.11+")
    git_repo.write("rows.py", NOTED)
    git_repo.commit("rows")
    proc = subprocess.run([sys.executable, "rows.py"], cwd=git_repo.root, capture_output=True,
                          text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert "while importing upload 7" in proc.stderr  # the real trace prints the note
    out = _invoke("-", "--repo", str(git_repo.root), input=proc.stderr)
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    title = lines.index("ValueError: invalid rows:")
    assert lines[title + 1:title + 9] == [f"  | row {i}: empty" for i in range(8)]
    assert lines[title + 9] == ("  | ... (5 more lines of the message: --json has them all)")
    assert "\\x0a" not in out.output
    data = json.loads(_invoke("-", "--repo", str(git_repo.root), "--json",
                              input=proc.stderr).output)
    message = data["exceptions"][0]["message"]
    assert message.splitlines()[-1] == "while importing upload 7"
    assert len(message.splitlines()) == 14
