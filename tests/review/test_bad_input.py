"""Awkward ranges: empty, deletions only, merges, renames, binary files, missing branches."""

from __future__ import annotations

import json

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

BASE_CODE = '''"""Shapes."""


def area(w, h):
    return w * h


def perimeter(w, h):
    return 2 * (w + h)


class Box:
    def __init__(self, w, h):
        self.w, self.h = w, h

    def size(self):
        return area(self.w, self.h)
'''


def review(repo: GitRepoBuilder, *args: str):
    return CliRunner().invoke(cli, ["review", "--repo", str(repo.root), *args])


def review_json(repo: GitRepoBuilder, *args: str) -> dict:
    result = review(repo, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def changed(doc: dict) -> set[tuple[str, str]]:
    return {(c["change"], c["symbol"]["qualname"]) for c in doc["changed"]}


def one_line_error(result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("codemap: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def base_repo(git_repo: GitRepoBuilder) -> str:
    git_repo.write("shapes.py", BASE_CODE)
    return git_repo.commit("shapes")


def test_empty_range_is_an_empty_answer(git_repo: GitRepoBuilder) -> None:
    sha = base_repo(git_repo)
    doc = review_json(git_repo, f"{sha}..{sha}")
    assert doc["changed"] == [] and doc["blast_radius"] == [] and doc["risk"] == []
    assert doc["base"] == doc["head"] == sha
    assert any("holds no commits" in n for n in doc["notes"])
    text = review(git_repo, "HEAD..HEAD")
    assert text.exit_code == 0 and "Changed symbols (0)" in text.stdout


def test_malformed_ranges_exit_2(git_repo: GitRepoBuilder) -> None:
    base_repo(git_repo)
    one_line_error(review(git_repo, ".."), "names no revisions")
    one_line_error(review(git_repo, "nope..HEAD"), "unknown revision", "nope")
    one_line_error(review(git_repo, "--", "-x..HEAD"), "not a revision")
    one_line_error(review(git_repo), "give a range")


def test_missing_branch_exit_2_one_line(git_repo: GitRepoBuilder) -> None:
    base_repo(git_repo)
    one_line_error(review(git_repo, "--branch", "no-such-branch"), "no branch named",
                   "no-such-branch", "main")


def test_not_a_repository(tmp_path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    result = CliRunner().invoke(cli, ["review", "HEAD~1..HEAD", "--repo", str(plain)])
    one_line_error(result, "git")


def test_only_deletions(git_repo: GitRepoBuilder) -> None:
    base = base_repo(git_repo)
    git_repo.write("shapes.py", BASE_CODE.replace(
        'def perimeter(w, h):\n    return 2 * (w + h)\n\n\n', ""))
    git_repo.write("extra.py", "def gone():\n    return 1\n")
    git_repo.commit("add extra")
    mid = git_repo.git("rev-parse", "HEAD").strip()
    git_repo.remove("extra.py")
    git_repo.commit("drop extra")
    doc = review_json(git_repo, f"{mid}..HEAD")
    assert changed(doc) == {("deleted", "extra"), ("deleted", "extra.gone")}
    assert all(c["lines_added"] == 0 and c["symbol"]["path"] == "extra.py" for c in doc["changed"])
    assert doc["diff_coverage"]["lines"] == 0 and doc["provenance"]["ai_lines"] == 0
    whole = review_json(git_repo, f"{base}..{mid}")
    assert ("deleted", "shapes.perimeter") in changed(whole)
    assert all(c["change"] != "deleted" or c["symbol"]["start_line"] == 8
               for c in whole["changed"] if c["symbol"]["path"] == "shapes.py")


def test_merge_commits(git_repo: GitRepoBuilder) -> None:
    base = base_repo(git_repo)
    git_repo.git("checkout", "-q", "-b", "feature")
    git_repo.write("shapes.py", BASE_CODE.replace("return w * h", "return abs(w * h)"))
    git_repo.commit("feature: abs area", author="Bob Builder <bob@example.com>")
    git_repo.git("checkout", "-q", "main")
    git_repo.write("notes.py", "def note():\n    return 'n'\n")
    git_repo.commit("main: notes")
    git_repo.git("merge", "-q", "--no-ff", "feature", "-m", "Merge feature")
    merge = git_repo.git("rev-parse", "HEAD").strip()
    # the merge commit alone: what it brought in (against its first parent)
    doc = review_json(git_repo, merge)
    assert changed(doc) == {("modified", "shapes.area")}
    # the range across the merge: everything since the base
    doc = review_json(git_repo, f"{base}..{merge}")
    assert changed(doc) == {("modified", "shapes.area"), ("added", "notes"),
                            ("added", "notes.note")}
    assert len(doc["commits"]) == 3  # two commits and the merge
    # --branch: the feature branch against its merge base with main
    git_repo.git("checkout", "-q", "-b", "feature2", base)
    git_repo.write("shapes.py", BASE_CODE + "\n\ndef volume(w, h, d):\n    return w * h * d\n")
    git_repo.commit("feature2: volume")
    git_repo.git("checkout", "-q", "main")
    doc = review_json(git_repo, "--branch", "feature2")
    assert doc["base"] == base and changed(doc) == {("added", "shapes.volume")}
    one_line_error(review(git_repo, "--branch", "main"), "default branch")


def test_renames(git_repo: GitRepoBuilder) -> None:
    base_repo(git_repo)
    git_repo.git("mv", "shapes.py", "geometry.py")
    git_repo.commit("pure rename")
    doc = review_json(git_repo, "HEAD~1..HEAD")
    assert doc["changed"] == []
    assert [(f["status"], f["old_path"], f["path"]) for f in doc["files"]] == \
        [("renamed", "shapes.py", "geometry.py")]
    git_repo.git("mv", "geometry.py", "plane.py")
    git_repo.write("plane.py", BASE_CODE.replace("return 2 * (w + h)", "return (w + h) * 2"))
    git_repo.commit("rename and edit")
    doc = review_json(git_repo, "HEAD~1..HEAD")
    assert changed(doc) == {("modified", "plane.perimeter")}
    assert doc["changed"][0]["symbol"]["path"] == "plane.py"
    assert doc["files"][0]["old_path"] == "geometry.py"


def test_binary_changes(git_repo: GitRepoBuilder) -> None:
    base_repo(git_repo)
    git_repo.write("logo.png", bytes(range(256)) * 4)
    git_repo.commit("logo")
    git_repo.write("logo.png", bytes(reversed(range(256))) * 4)
    git_repo.write("shapes.py", BASE_CODE + "\n\ndef square(s):\n    return area(s, s)\n")
    git_repo.commit("new logo and square")
    doc = review_json(git_repo, "HEAD~1..HEAD")
    assert changed(doc) == {("added", "shapes.square")}
    logo = next(f for f in doc["files"] if f["path"] == "logo.png")
    assert logo["binary"] and logo["lines_added"] == 0 and logo["symbols"] == 0
    assert any("binary" in n for n in doc["notes"])


def test_root_commit_review(git_repo: GitRepoBuilder) -> None:
    sha = base_repo(git_repo)
    doc = review_json(git_repo, sha)
    assert changed(doc) == {("added", "shapes"), ("added", "shapes.area"),
                            ("added", "shapes.perimeter"), ("added", "shapes.Box"),
                            ("added", "shapes.Box.__init__"), ("added", "shapes.Box.size")}
    assert doc["head"] == sha and doc["owners"] == []
