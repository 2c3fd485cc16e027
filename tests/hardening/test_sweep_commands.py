"""Defects found by running every command over large, strange real repositories
(a 31,000-file monorepo with one commit, sdists with synthetic histories, the
real Node/Java/Go apps), each reproduced here on a small real git repository.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import GitRepoBuilder
from tests.hardening.runner import invoke


def _json(args: list[str]) -> dict:
    run = invoke(args)
    assert run.code == 0 and run.exception is None, run.describe()
    return run.json()


# ----------------------------------------------------------------------------- SYMBOL lookup


def test_bare_name_that_is_also_a_top_level_qualname_lists_every_definition(
        git_repo: GitRepoBuilder) -> None:
    """``callers get`` in a repository with a C-like top-level ``get`` (here: a module
    ``get.py``, qualname ``get``) answered only that one and hid every method ``get``."""
    git_repo.write("get.py", "VALUE = 1\n")
    git_repo.write("client.py", "class Client:\n    def get(self):\n        return 1\n\n\n"
                   "def use():\n    return Client().get()\n")
    git_repo.write("store.py", "class Store:\n    def get(self, k):\n        return k\n")
    git_repo.commit("three gets")
    root = str(git_repo.root)
    data = _json(["callers", "get", "--repo", root, "--json"])
    assert data["symbol"] is None
    found = {(m["qualname"], m["kind"]) for m in data["matches"]}
    assert found == {("get", "module"), ("client.Client.get", "method"),
                     ("store.Store.get", "method")}
    # a qualified name still answers its one symbol, and a unique qualname is not widened
    one = _json(["callers", "client.Client.get", "--repo", root, "--json"])
    assert one["symbol"]["qualname"] == "client.Client.get"
    assert [c["symbol"]["qualname"] for c in one["callers"]] == ["client.use"]
    assert _json(["callers", "use", "--repo", root, "--json"])["symbol"]["qualname"] == "client.use"
    # the TARGET commands share the lookup: ambiguous, a one-line error naming both
    who = invoke(["who", "get", "--repo", root])
    assert who.code == 2 and "matches 3 symbols" in who.err_text, who.describe()


# ----------------------------------------------------------------------------- endpoint


def test_request_fragment_is_not_part_of_the_query(git_repo: GitRepoBuilder) -> None:
    """``endpoint "get /x?y=1#z"`` reported the query as ``y=1#z``: a fragment never
    reaches a server."""
    git_repo.write("app.py", "from flask import Flask\napp = Flask(__name__)\n\n\n"
                   "@app.route('/x')\ndef x():\n    return 'x'\n")
    git_repo.commit("flask app")
    data = _json(["endpoint", "get /x?y=1#z", "--repo", str(git_repo.root), "--json"])
    assert data["request"]["path"] == "/x" and data["request"]["query"] == "y=1"
    assert [m["handler"]["qualname"] for m in data["matches"]] == ["app.x"]
    frag = _json(["endpoint", "GET /x#top", "--repo", str(git_repo.root), "--json"])
    assert frag["request"]["path"] == "/x" and frag["request"]["query"] == ""


# ----------------------------------------------------------------------------- show


def test_show_reads_only_the_lines_it_prints(git_repo: GitRepoBuilder) -> None:
    """``show`` of the root commit of a 31,000-file repository read the whole patch
    (hundreds of MB, 11 s) to print its first 4,000 lines; CRLF lines keep no ``\\r``."""
    from codemap.history.commits import MAX_DIFF_LINES

    git_repo.write("big.py", "".join(f"x{i} = {i}\n" for i in range(MAX_DIFF_LINES + 500)))
    big = git_repo.commit("big")
    git_repo.write("crlf.py", "def a():\r\n    return 1\r\n")
    small = git_repo.commit("crlf")
    root = str(git_repo.root)
    data = _json(["show", big, "--repo", root, "--json"])
    assert data["diff_truncated"] is True and len(data["diff"]) == MAX_DIFF_LINES
    assert data["diff"][0].startswith(" big.py")
    data = _json(["show", small, "--repo", root, "--json"])
    assert data["diff_truncated"] is False
    assert "+def a():" in data["diff"] and "+    return 1" in data["diff"]
    assert not any("\r" in line for line in data["diff"])
    text = invoke(["show", small, "--repo", root])
    assert text.code == 0 and "\\r" not in text.out_text and "+def a():" in text.out_text


def test_show_of_a_commit_with_no_changes(git_repo: GitRepoBuilder) -> None:
    git_repo.write("a.py", "A = 1\n")
    git_repo.commit("one")
    empty = git_repo.commit("nothing")  # --allow-empty
    data = _json(["show", empty, "--repo", str(git_repo.root), "--json"])
    assert data["diff"] == [] and data["diff_truncated"] is False


# ----------------------------------------------------------------------------- who DIR


def test_who_directory_batches_blames_and_matches_per_file_answers(
        git_repo: GitRepoBuilder) -> None:
    """``who DIR`` ran two git processes per file (a minute on a 6,000-file directory);
    the batched blame must give the very same roll-up, skipping binaries and links."""
    git_repo.write("pkg/a.py", "a = 1\nb = 2\n")
    git_repo.write("pkg/blob.bin", b"\x00\x01\x02\xff")
    git_repo.commit("a", author="Ann A <ann@example.com>", date="2026-02-01T10:00:00+00:00")
    git_repo.write("pkg/b.py", "c = 3\n")
    git_repo.write("pkg/a.py", "a = 1\nb = 20\nz = 9\n")
    (git_repo.root / "pkg" / "link.py").symlink_to("a.py")
    git_repo.commit("b", author="Bob B <bob@example.com>", date="2026-03-01T10:00:00+00:00")
    git_repo.write("pkg/b.py", "c = 3\nd = 4\n")  # uncommitted
    root = str(git_repo.root)
    data = _json(["who", "pkg", "--repo", root, "--json"])
    assert data["lines"] == 5
    shares = {a["email"]: a["lines"] for a in data["authors"]}
    per_file: dict[str, int] = {}
    for rel in ("pkg/a.py", "pkg/b.py"):
        for a in _json(["who", rel, "--repo", root, "--json"])["authors"]:
            per_file[a["email"]] = per_file.get(a["email"], 0) + a["lines"]
    assert shares == per_file
    assert shares["ann@example.com"] == 1 and shares["bob@example.com"] == 3
    skipped = {s["path"] for s in data["skipped"]}
    assert {"pkg/blob.bin", "pkg/link.py"} <= skipped
    again = _json(["who", "pkg", "--repo", root, "--json"])  # from the blame cache
    assert again["lines"] == 5 and again["authors"] == data["authors"]


# ----------------------------------------------------------------------------- review


def test_review_blast_radius_is_bounded_over_all_changed_symbols(
        git_repo: GitRepoBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    """``review`` of a root commit that adds a whole code base (240,000 symbols) walked
    every changed symbol's callers on its own and never finished; the walk now has a
    budget over all of them and says when it was cut."""
    from codemap.review import blast

    git_repo.write("lib.py", "def leaf():\n    return 1\n\n\ndef other():\n    return 3\n")
    git_repo.write("app.py", "from lib import leaf, other\n\n\ndef mid():\n    return leaf()\n\n\n"
                   "def top():\n    return mid()\n\n\ndef side():\n    return other()\n")
    git_repo.commit("base")
    git_repo.write("lib.py", "def leaf():\n    return 2\n\n\ndef other():\n    return 4\n")
    git_repo.commit("change")
    root = str(git_repo.root)
    full = _json(["review", "HEAD~1..HEAD", "--repo", root, "--json"])
    reached = {e["symbol"]["qualname"] for e in full["blast_radius"]}
    assert reached == {"app.mid", "app.top", "app.side"}
    assert full["blast_truncated"] is False
    monkeypatch.setattr(blast, "MAX_TOTAL", 1)
    cut = _json(["review", "HEAD~1..HEAD", "--repo", root, "--json"])
    assert cut["blast_truncated"] is True
    assert {e["symbol"]["qualname"] for e in cut["blast_radius"]} < reached
    assert {c["symbol"]["qualname"] for c in cut["changed"]} == {
        c["symbol"]["qualname"] for c in full["changed"]}


# ----------------------------------------------------------------------------- python -m


def test_python_dash_m_never_imports_the_repositorys_packages(git_repo: GitRepoBuilder) -> None:
    """``python -m codemap tour`` inside a repository with a top-level ``scipy/`` (the
    monorepo) crashed with ``module 'scipy' has no attribute 'sparse'``: ``-m`` puts the
    working directory on sys.path, so codemap's lazy imports ran the repository's code."""
    marker = git_repo.root.parent / "ran-repository-code"
    for name in ("networkx", "scipy", "rapidfuzz", "pathspec", "click"):
        git_repo.write(f"{name}/__init__.py",
                       f"open({str(marker)!r}, 'a').write({name!r})\nraise SystemExit(7)\n")
    git_repo.write("main.py", "def main():\n    return 1\n\n\nif __name__ == '__main__':\n"
                   "    main()\n")
    git_repo.commit("packages named like codemap's dependencies")
    for args in (["tour", "--json"], ["find", "main", "--json"], ["callers", "main", "--json"]):
        proc = subprocess.run([sys.executable, "-m", "codemap", *args], cwd=git_repo.root,
                              capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, (args, proc.stderr[-2000:])
        json.loads(proc.stdout)
    assert not marker.exists(), marker.read_text()


# ----------------------------------------------------------------------------- JSON output


def test_huge_json_answers_stay_one_document(monkeypatch: pytest.MonkeyPatch,
                                            git_repo: GitRepoBuilder) -> None:
    """80,000 transitive callers took 5 s in the indenting JSON encoder alone; answers
    past the limit are written compact, still one JSON document with the same data."""
    from codemap.cli import output

    git_repo.write("m.py", "".join(f"def f{i}():\n    return f{i + 1}()\n\n\n" for i in range(30))
                   + "def f30():\n    return 'ü\x1b'\n")
    git_repo.commit("chain")
    args = ["callers", "m.f30", "--depth", "50", "--repo", str(git_repo.root), "--json"]
    pretty = invoke(args)
    monkeypatch.setattr(output, "_INDENT_LIMIT", 10)
    compact = invoke(args)
    assert pretty.code == compact.code == 0
    assert compact.out.count(b"\n") == 1 and pretty.out.count(b"\n") > 100
    assert compact.json() == pretty.json()
    from codemap.graph import MAX_DEPTH

    assert len(compact.json()["callers"]) == min(30, MAX_DEPTH)


# ----------------------------------------------------------------------------- at


def test_location_with_a_column_as_compilers_print_it(git_repo: GitRepoBuilder) -> None:
    """``at uni/mod.py:3:5`` (PATH:LINE:COLUMN, as tsc, javac and Go print locations)
    said ``uni/mod.py:3 is not a file of the repository``; a file whose name really
    ends in ``:3`` is still read as a path."""
    git_repo.write("uni/mod.py", "class Ünïcode:\n    def 名前(self):\n        return 1\n")
    git_repo.write("odd:3", "not code\n")
    git_repo.commit("unicode names")
    root = str(git_repo.root)
    data = _json(["at", "uni/mod.py:3:5", "--repo", root, "--json"])
    assert data["symbol"]["qualname"] == "uni.mod.Ünïcode.名前"
    assert [p["qualname"] for p in data["parents"]] == ["uni.mod.Ünïcode", "uni.mod"]
    assert _json(["callers", "uni/mod.py:3:5", "--repo", root, "--json"])["symbol"]["name"] == "名前"
    odd = invoke(["at", "odd:3:1", "--repo", root, "--json"])
    assert odd.code == 0 and odd.json()["symbol"] is None, odd.describe()
    bad = invoke(["at", "uni/mod.py:3:x", "--repo", root])
    assert bad.code == 2 and bad.err_text.count("\n") == 1, bad.describe()
