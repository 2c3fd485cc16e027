"""A frame that ran in a function the index has no symbol for (a named function expression
returned by another function, an anonymous callback V8 names) is not flagged "name
differs: code changed since?" against the enclosing symbol; a frame whose line now lies in
another named function still is. Traces made by running node."""

from __future__ import annotations

import json
import subprocess

from click.testing import CliRunner

from codemap.cli.main import cli
from tests.conftest import GitRepoBuilder

LIB = """\
function routes() {
  return function dispatch(p) {
    throw new Error('no route ' + p);
  };
}

module.exports = { routes };
"""

APP = "const { routes } = require('./lib');\nroutes()('x');\n"

MOVED = """\
function other() {
  const n = 1;
  return n;
}
function routes() {
  return null;
}

module.exports = { routes };
"""


def _frames(root: str, trace: str) -> dict[str, dict]:
    out = CliRunner().invoke(cli, ["trace", "-", "--repo", root, "--json"], input=trace)
    assert out.exit_code == 0, out.output
    return {f["function"]: f for f in json.loads(out.output)["exceptions"][0]["frames"]
            if f["in_repo"]}


def test_a_function_expression_inside_a_symbol_is_no_name_mismatch(
        git_repo: GitRepoBuilder) -> None:
    git_repo.write("lib.js", LIB)
    git_repo.write("app.js", APP)
    git_repo.commit("a router")
    run = subprocess.run(["node", "app.js"], cwd=git_repo.root, capture_output=True, text=True)
    assert "no route x" in run.stderr
    frame = _frames(str(git_repo.root), run.stderr)["dispatch"]
    assert frame["symbol"]["qualname"] == "lib.js:routes" and frame["line"] == 3
    assert frame.get("name_mismatch") is None  # V8 names the unindexed function: no evidence
    git_repo.write("lib.js", MOVED)  # line 3 is now in another named function
    git_repo.commit("routes rewritten")
    moved = _frames(str(git_repo.root), run.stderr)["dispatch"]
    assert moved["symbol"]["qualname"] == "lib.js:other"
    assert moved["name_mismatch"] is True
