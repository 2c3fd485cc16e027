"""``codemap who`` / ``codemap history`` through the CLI, checked against plain git
on repositories built from real releases, plus the bad-input cases."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder


def run_cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> dict:
    code, out, err = run_cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True,
                          check=True).stdout.decode("utf-8", "surrogateescape")


def blame_authors(root: Path, path: str, *extra: str) -> Counter[tuple[str, str]]:
    """(author, e-mail) -> lines, from plain ``git blame --line-porcelain``."""
    out = git(root, "blame", "--line-porcelain", *extra, "--", path)
    names = re.findall(r"^author (.*)$", out, re.M)
    mails = re.findall(r"^author-mail <(.*)>$", out, re.M)
    return Counter(zip(names, mails))


def test_who_file_matches_git_blame(six_history):
    root, _ = six_history
    data = run_json("who", "six.py", "--repo", str(root))
    expected = blame_authors(root, "six.py")
    total = sum(expected.values())
    assert data["lines"] == total
    assert data["target"] == {"path": "six.py", "start_line": 1, "end_line": total}
    assert {(a["name"], a["email"]): a["lines"] for a in data["authors"]} == dict(expected)
    assert [a["lines"] for a in data["authors"]] == sorted(expected.values(), reverse=True)
    for a in data["authors"]:
        assert a["share"] == round(a["lines"] / total, 4)
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$", a["last_date"])
    assert data["ai"] == {"lines": 0, "share": 0.0, "sources": [], "tools": {}}
    assert data["generated"] is False


def test_who_range_matches_git_blame(six_history):
    root, _ = six_history
    data = run_json("who", "six.py:200-260", "--repo", str(root))
    expected = blame_authors(root, "six.py", "-L", "200,260")
    assert data["target"] == {"path": "six.py", "start_line": 200, "end_line": 260}
    assert data["lines"] == 61
    assert {(a["name"], a["email"]): a["lines"] for a in data["authors"]} == dict(expected)


def test_who_directory_aggregates_every_file(six_history):
    root, _ = six_history
    data = run_json("who", ".", "--repo", str(root))
    expected: Counter[tuple[str, str]] = Counter()
    files = [f for f in git(root, "ls-files").splitlines()]
    for f in files:
        expected += blame_authors(root, f)
    assert data["target"] == {"path": ".", "start_line": None, "end_line": None}
    assert data["files"] == len(files)
    assert {(a["name"], a["email"]): a["lines"] for a in data["authors"]} == dict(expected)
    assert data["lines"] == sum(expected.values())


def _expected_log_L(root: Path, spec: str, *extra: str) -> list[tuple[str, int]]:
    out = git(root, "log", spec, "--format=%x01%H", *extra)
    commits = []
    for chunk in out.split("\x01")[1:]:
        sha, _, patch = chunk.partition("\n")
        changed = 0
        in_hunk = False
        for line in patch.splitlines():
            if line.startswith("@@"):
                in_hunk = True
            elif line.startswith("diff --git"):
                in_hunk = False
            elif in_hunk and line[:1] in "+-" and line:
                changed += 1
        commits.append((sha, changed))
    return commits


def test_history_of_lines_matches_git_log_L(six_history):
    root, shas = six_history
    for lo, hi in ((1, 30), (850, 900), (600, 610)):
        data = run_json("history", f"six.py:{lo}-{hi}", "--repo", str(root))
        got = [(c["sha"], c["lines_changed"]) for c in data["commits"]]
        assert got == _expected_log_L(root, f"-L{lo},{hi}:six.py")
        assert got and set(dict(got)) <= set(shas)
        dates = [c["date"] for c in data["commits"]]
        assert dates == sorted(dates, reverse=True)  # newest first


def test_history_limit_and_file_and_directory(six_history):
    root, _ = six_history
    data = run_json("history", "six.py:1-30", "--limit", "1", "--repo", str(root))
    assert len(data["commits"]) == 1
    assert data["commits"][0]["sha"] == _expected_log_L(root, "-L1,30:six.py")[0][0]
    data = run_json("history", "six.py", "--repo", str(root))
    assert [c["sha"] for c in data["commits"]] == git(
        root, "log", "--follow", "--format=%H", "--", "six.py").split()
    numstat = git(root, "log", "--follow", "--numstat", "--format=%x01%H", "--", "six.py")
    for chunk, commit in zip(numstat.split("\x01")[1:], data["commits"]):
        rows = [line.split("\t") for line in chunk.splitlines()[1:] if line]
        assert commit["lines_changed"] == sum(int(a) + int(d) for a, d, _ in rows)
    data = run_json("history", ".", "--repo", str(root))
    assert [c["sha"] for c in data["commits"]] == git(root, "log", "--format=%H").split()
    code, _, err = run_cli("history", "six.py", "--limit", "0", "--repo", str(root))
    assert code == 2 and "limit" in err.lower()


def test_history_follows_a_rename(six_copy: GitRepoBuilder, six_history):
    _, shas = six_history
    six_copy.git("mv", "six.py", "sixer.py")
    renamer = six_copy.commit("Rename six.py")
    data = run_json("history", "sixer.py", "--repo", str(six_copy.root))
    assert [c["sha"] for c in data["commits"]] == [renamer, *reversed(shas)]
    data = run_json("history", "sixer.py:850-900", "--repo", str(six_copy.root))
    assert [c["sha"] for c in data["commits"]] == [
        s for s, _ in _expected_log_L(six_copy.root, "-L850,900:sixer.py")]


def test_history_and_who_of_a_deleted_file(git_repo: GitRepoBuilder):
    git_repo.write("old.py", "a = 1\nb = 2\nc = 3\n")
    first = git_repo.commit("Add old.py")
    git_repo.write("old.py", "a = 1\nb = 20\nc = 3\n")
    second = git_repo.commit("Change b", author="Bob Baker <bob@example.com>")
    git_repo.remove("old.py")
    gone = git_repo.commit("Delete old.py")
    data = run_json("history", "old.py", "--repo", str(git_repo.root))
    assert [c["sha"] for c in data["commits"]] == [gone, second, first]
    data = run_json("history", "old.py:2", "--repo", str(git_repo.root))
    assert [c["sha"] for c in data["commits"]] == [second, first]
    assert data["start_rev"] == second
    code, out, err = run_cli("who", "old.py", "--repo", str(git_repo.root))
    assert code == 2 and out == ""
    assert "deleted in" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_no_git_at_all_exits_2(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    for cmd in ("who", "history"):
        code, out, err = run_cli(cmd, "a.py", "--repo", str(tmp_path))
        assert code == 2 and out == ""
        assert "not in a git repository" in err and "Traceback" not in err


def test_untrusted_text_is_verbatim_in_json_and_inert_in_text(git_repo: GitRepoBuilder):
    git_repo.write("a.py", "x = 1\n")
    evil_name = "Mallory \x1b]0;pwned\x07[bold red]X[/]"
    git_repo.commit("Fix \x1b[2J\x1b[31mred[/red] <script>", author=f"{evil_name} <m@example.com>")
    data = run_json("who", "a.py", "--repo", str(git_repo.root))
    assert data["authors"][0]["name"] == evil_name
    hist = run_json("history", "a.py", "--repo", str(git_repo.root))
    assert hist["commits"][0]["summary"] == "Fix \x1b[2J\x1b[31mred[/red] <script>"
    for cmd in ("who", "history"):
        code, out, _ = run_cli(cmd, "a.py", "--repo", str(git_repo.root))
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out
        assert "\\e" in out
    code, out, _ = run_cli("history", "a.py", "--repo", str(git_repo.root))
    assert "[31mred[/red] <script>" in out  # markup is shown as text, not interpreted


def test_invalid_utf8_author_and_message(git_repo: GitRepoBuilder):
    # git commit would repair invalid UTF-8 (as Latin-1), so write the commit object raw
    git_repo.write("a.py", "x = 1\n")
    git_repo.git("add", "a.py")
    tree = git_repo.git("write-tree").strip()
    raw = (f"tree {tree}\n".encode()
           + b"author Jos\xe9 \xff <j@example.com> 1767261600 +0000\n"
           + b"committer C <c@example.com> 1767261600 +0000\n\n"
           + b"caf\xe9 \xff summary\n")
    sha = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"],
                         cwd=git_repo.root, input=raw, capture_output=True,
                         check=True).stdout.decode().strip()
    git_repo.git("update-ref", "HEAD", sha)
    code, out, err = run_cli("who", "a.py", "--repo", str(git_repo.root), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["authors"][0]["name"] == "Jos\ufffd \ufffd"  # undecodable bytes, replaced
    code, out, err = run_cli("history", "a.py", "--repo", str(git_repo.root), "--json")
    assert code == 0, err
    assert json.loads(out)["commits"][0]["summary"] == "caf\ufffd \ufffd summary"
    code, out, _ = run_cli("history", "a.py", "--repo", str(git_repo.root))
    assert code == 0 and "caf\ufffd \ufffd summary" in out


def test_who_shallow_clone_says_history_truncated(six_history, tmp_path):
    root, _ = six_history
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)],
                   check=True, capture_output=True)
    data = run_json("who", "six.py", "--repo", str(clone))
    assert data["history_truncated"] is True and data["truncated_lines"] == data["lines"]
    code, out, _ = run_cli("who", "six.py", "--repo", str(clone))
    assert "history truncated" in out


def test_who_on_submodule_and_binary(git_repo: GitRepoBuilder, tmp_path):
    sub = GitRepoBuilder(tmp_path / "sub")
    sub.write("inner.py", "z = 3\n")
    sub.commit("Inner")
    git_repo.write("a.py", "x = 1\n")
    git_repo.write("img.bin", b"\0\1\2\3")
    git_repo.commit("Files")
    git_repo.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub.root),
                 "sub")
    git_repo.commit("Add submodule")
    code, _, err = run_cli("who", "sub", "--repo", str(git_repo.root))
    assert code == 2 and "submodule" in err and "--repo sub" in err
    data = run_json("who", ".", "--repo", str(git_repo.root))
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert reasons["sub"] == "submodule"
    assert "binary" in reasons["img.bin"]
    gitmodules = (git_repo.root / ".gitmodules").read_text().count("\n")
    assert data["lines"] == 1 + gitmodules and data["files"] == 2
    code, _, err = run_cli("who", "img.bin", "--repo", str(git_repo.root))
    assert code == 2 and "binary" in err


def test_declared_owners_beside_blame(git_repo: GitRepoBuilder):
    git_repo.write(".github/CODEOWNERS", "* @everyone\n/src/ @core-team\nsrc/*.js @frontend\n")
    git_repo.write("src/app.py", "print('hi')\n")
    git_repo.write("src/ui/app.js", "x\n")
    git_repo.commit("Code and owners")
    data = run_json("who", "src/app.py", "--repo", str(git_repo.root))
    assert data["declared_owners"] == ["@core-team"]
    assert data["declared_rule"] == {"file": ".github/CODEOWNERS", "line": 2, "pattern": "/src/",
                                     "owners": ["@core-team"]}
    data = run_json("who", "src/ui/app.js", "--repo", str(git_repo.root))
    assert data["declared_owners"] == ["@core-team"]  # src/*.js covers direct children only
    data = run_json("who", "src", "--repo", str(git_repo.root))
    assert data["declared_owners"] == ["@core-team"] and data["files"] == 2


def test_empty_repository_is_a_clear_error(git_repo: GitRepoBuilder):
    git_repo.write("a.py", "x = 1\n")
    for cmd in ("who", "history"):
        code, out, err = run_cli(cmd, "a.py", "--repo", str(git_repo.root))
        assert code == 2 and out == "" and "no commits yet" in err


def test_symbol_targets_follow_the_function(six_history):
    root, _ = six_history
    data = run_json("history", "with_metaclass", "--repo", str(root))
    sym = data["symbol"]
    assert sym["qualname"] == "six.with_metaclass" and sym["path"] == "six.py"
    assert data["target"] == {"path": "six.py", "start_line": sym["start_line"],
                              "end_line": sym["end_line"]}
    expected = _expected_log_L(root, f"-L{sym['start_line']},{sym['end_line']}:six.py")
    assert [(c["sha"], c["lines_changed"]) for c in data["commits"]] == expected
    who = run_json("who", "six.with_metaclass", "--repo", str(root))
    assert who["lines"] == sym["end_line"] - sym["start_line"] + 1
    expected_authors = blame_authors(root, "six.py", "-L", f"{sym['start_line']},{sym['end_line']}")
    assert {(a["name"], a["email"]): a["lines"] for a in who["authors"]} == dict(expected_authors)


def test_worktree_checkout(six_copy: GitRepoBuilder, six_history, tmp_path):
    _, shas = six_history
    wt = tmp_path / "wt"
    six_copy.git("worktree", "add", "-q", "--detach", str(wt), shas[2])
    data = run_json("who", "six.py", "--repo", str(wt))
    assert {(a["name"], a["email"]): a["lines"] for a in data["authors"]} == dict(
        blame_authors(wt, "six.py"))
    hist = run_json("history", "six.py", "--repo", str(wt))
    assert [c["sha"] for c in hist["commits"]] == list(reversed(shas[:3]))


def test_config_warnings_go_to_stderr(git_repo: GitRepoBuilder):
    git_repo.write(".codemap.toml", "colour = 'blue'\n")
    git_repo.write("a.py", "x = 1\n")
    git_repo.commit("Add")
    code, out, err = run_cli("who", "a.py", "--json", "--repo", str(git_repo.root))
    assert code == 0 and json.loads(out)["lines"] == 1
    assert err.strip() == "codemap: warning: .codemap.toml: colour: unknown key, ignored"
    git_repo.write(".codemap.toml", "colour = \n")
    code, out, err = run_cli("who", "a.py", "--repo", str(git_repo.root))
    assert code == 2 and out == "" and "invalid TOML" in err and "line 1" in err
