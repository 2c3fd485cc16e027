"""A change of comments, docstrings or layout only ranks below every change of code.

Each test builds a real repository with two commits and reviews the second;
the Python one also has coverage data made by running its tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from codemap.repo import find_repo
from codemap.review import build_review
from codemap.review.model import ReviewResult
from tests.conftest import GitRepoBuilder
from tests.review.covered import covered_change

CORE = '''def h(x):
    return x


def a(x):
    return h(x) + 1


def b(x):
    return h(x) + 2


def c(x):
    return a(x) + b(x)


def k(s):
    n = s.split("=", 1)
    return n


def e(s):
    return k(s)
'''

CORE_CHANGED = CORE.replace("def h(x):\n", "def h(x):\n    # identity; keep cheap\n").replace(
    '    n = s.split("=", 1)\n    return n\n',
    '    key, value = s.split("=", 1)\n    return [key, value]\n')

CORE_TESTS = '''from pkg.core import a, b, c, e, h


def test_h():
    assert h(1) == 1


def test_chain():
    assert a(1) == 2 and b(1) == 3 and c(1) == 5


def test_e():
    assert e("x=1") == ["x", "1"]
'''


def risk(result: ReviewResult) -> dict[str, object]:
    return {e.symbol.name: e for e in result.risk}


def test_comment_only_change_ranks_below_the_logic_change(git_repo: GitRepoBuilder,
                                                          tmp_path: Path) -> None:
    covered_change(git_repo, tmp_path, "core", CORE, CORE_CHANGED, CORE_TESTS)

    result = build_review(find_repo(git_repo.root), "HEAD~1..HEAD")
    ranked = [e.symbol.name for e in result.risk]
    assert ranked == ["k", "h"]  # h has more callers, but only a comment changed
    h, k = risk(result)["h"], risk(result)["k"]
    assert h.score == 0.0 and h.code_changed is False
    assert h.reasons == ["comments only: no statement changed"]
    assert k.code_changed is True and k.score > 0
    changed = {c.symbol.name: c for c in result.changed}
    assert changed["h"].code_changed is False and changed["k"].code_changed is True


PY_BASE = '''def doc(x):
    """Return x."""
    return x


def inline(x):
    return x


def indent(x):
    if x:
        x += 1
    return x


def wrap(x):
    return max(x, 1, 2)


def text(x):
    return """a
b
c""" + x


def escape(x):
    return "a\\nb" + x


def blank(x):
    y = x
    return y


def fstring(x):
    f"{print(x)}"
    return x
'''

PY_HEAD = (PY_BASE
           .replace('"""Return x."""', '"""Return x, unchanged."""')
           .replace("def inline(x):\n    return x\n", "def inline(x):\n    return x  # as is\n")
           .replace("        x += 1\n    return x", "        x += 1\n        return x")
           .replace("    return max(x, 1, 2)", "    return max(\n        x, 1, 2)")
           .replace("a\nb\nc", "a\nB\nc")
           .replace('"a\\nb"', '"c\\nb"')
           .replace("    y = x\n    return y", "    y = x\n\n    return y")
           .replace('f"{print(x)}"', 'f"{print(x, x)}"'))


def test_python_comments_docstrings_layout_and_code_told_apart(git_repo: GitRepoBuilder) -> None:
    git_repo.write("m.py", PY_BASE)
    git_repo.commit("base")
    git_repo.write("m.py", PY_HEAD)
    git_repo.commit("head")
    result = build_review(find_repo(git_repo.root), "HEAD~1..HEAD")
    by = risk(result)
    # a blank line does not even make its function changed "directly": it is not ranked
    assert set(by) == {"doc", "inline", "indent", "wrap", "text", "escape", "fstring"}
    no_code = {name: e.reasons[0] for name, e in by.items() if e.code_changed is False}
    assert no_code == {
        "doc": "docstrings only: no statement changed",
        "inline": "comments only: no statement changed",
        "wrap": "layout only: no statement changed",
    }
    # a statement moved into the if block, a string's text, an f-string's call: code
    assert {n for n, e in by.items() if e.code_changed} == {"indent", "text", "escape", "fstring"}
    codes = [e.code_changed for e in result.risk]
    assert codes == sorted(codes, key=lambda c: c is False)  # every code change first


# (path, BASE source, HEAD source) per language: h gains a comment, k changes its logic
LANGS = {
    "javascript": ("m.js", "function h(x) {\n  return x;\n}\n\nfunction k(s) {\n  return s + 1;\n}\n"
                           "\nfunction a() { return h(1) + h(2); }\n",
                   "// comment\n/* block */\n"),
    "typescript": ("m.ts", "function h(x: number): number {\n  return x;\n}\n\n"
                           "function k(s: number): number {\n  return s + 1;\n}\n", "// comment\n"),
    "go": ("m.go", "package m\n\nfunc h(x int) int {\n\treturn x\n}\n\nfunc k(s int) int {\n"
                   "\treturn s + 1\n}\n", "// comment\n"),
    "java": ("M.java", "class M {\n  int h(int x) {\n    return x;\n  }\n\n  int k(int s) {\n"
                       "    return s + 1;\n  }\n}\n", "/* comment */\n"),
    "rust": ("m.rs", "fn h(x: i32) -> i32 {\n    x\n}\n\nfn k(s: i32) -> i32 {\n    s + 1\n}\n",
             "// comment\n"),
    "csharp": ("M.cs", "class M {\n  int h(int x) {\n    return x;\n  }\n\n  int k(int s) {\n"
                       "    return s + 1;\n  }\n}\n", "// comment\n"),
    "php": ("m.php", "<?php\nfunction h($x) {\n  return $x;\n}\n\nfunction k($s) {\n"
                     "  return $s + 1;\n}\n", "# comment\n"),
    "ruby": ("m.rb", "def h(x)\n  x\nend\n\ndef k(s)\n  s + 1\nend\n", "# comment\n"),
    "kotlin": ("m.kt", "fun h(x: Int): Int {\n  return x\n}\n\nfun k(s: Int): Int {\n"
                       "  return s + 1\n}\n", "/* comment */\n"),
    "c": ("m.c", "int h(int x) {\n  return x;\n}\n\nint k(int s) {\n  return s + 1;\n}\n",
          "/* comment */\n"),
    "cpp": ("m.cpp", "int h(int x) {\n  return x;\n}\n\nint k(int s) {\n  return s + 1;\n}\n",
            "// comment\n"),
}


def _comment_into_h(source: str, comment: str) -> str:
    lines = source.splitlines(keepends=True)
    at = next(i for i, ln in enumerate(lines) if " h(" in ln and ("{" in ln or ln.startswith("def")))
    return "".join(lines[:at + 1] + [comment] + lines[at + 1:])


@pytest.mark.parametrize("language", sorted(LANGS))
def test_comment_only_in_every_language(git_repo: GitRepoBuilder, language: str) -> None:
    path, base, comment = LANGS[language]
    git_repo.write(path, base)
    git_repo.commit("base")
    head = _comment_into_h(base, comment)
    head = head.replace("s + 1", "s - 1")
    git_repo.write(path, head)
    git_repo.commit("head")
    result = build_review(find_repo(git_repo.root), "HEAD~1..HEAD")
    by = risk(result)
    assert by["h"].code_changed is False, by["h"]
    assert by["h"].reasons == ["comments only: no statement changed"]
    assert by["k"].code_changed is True
    assert [e.symbol.name for e in result.risk].index("k") < \
        [e.symbol.name for e in result.risk].index("h")


@pytest.mark.parametrize(("path", "base", "directive", "plain"), [
    ("m.go", "package m\n\nfunc k(s int) int {\n\treturn s\n}\n", "//go:build linux\n\n",
     "// plain words\n\n"),
    ("m.rb", "def k(s)\n  s\nend\n", "# frozen_string_literal: true\n", "# plain words\n"),
    ("m.py", "def k(s):\n    return s\n", "# -*- coding: latin-1 -*-\n", "# plain words\n"),
])
def test_comments_that_tools_read_count_as_code(git_repo: GitRepoBuilder, path: str, base: str,
                                                directive: str, plain: str) -> None:
    git_repo.write(path, base)
    git_repo.commit("base")
    git_repo.write(path, directive + base)
    git_repo.commit("directive")
    git_repo.write(path, plain + directive + base)
    git_repo.commit("plain comment")
    repo = find_repo(git_repo.root)
    module = lambda r: next(e for e in r.risk if e.symbol.kind == "module")  # noqa: E731
    assert module(build_review(repo, "HEAD~2..HEAD~1")).code_changed is True
    assert module(build_review(repo, "HEAD~1..HEAD")).code_changed is False
