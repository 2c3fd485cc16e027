"""callers / callees / paths / graph / entry points, through the library and the CLI."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from codemap.cli.main import cli
from codemap.graph import call_paths, callees, callers, entry_points, whole_graph
from codemap.index.service import open_index
from codemap.repo import find_repo

FILES = {
    "app/__init__.py": "",
    "app/cli.py": (
        "from app.core import handle\n"
        "def main():\n"
        "    return handle(1)\n"
        "if __name__ == '__main__':\n"
        "    main()\n"
    ),
    "app/core.py": (
        "def handle(x):\n"
        "    return step(x)\n"
        "def step(x):\n"
        "    return leaf(x) if x else handle(x)\n"
        "def leaf(x):\n"
        "    return x\n"
        "def get():\n"
        "    return leaf(0)\n"
    ),
    "app/other.py": "def get():\n    return 2\n",
    "tests/test_core.py": "from app.core import leaf\ndef test_leaf():\n    assert leaf(1)\n",
    "pyproject.toml": '[project]\nname = "app"\n[project.scripts]\napp = "app.cli:main"\n',
    "package.json": '{"name": "tool", "bin": {"tool": "bin/tool.js"}, "main": "lib/index.js"}\n',
    "bin/tool.js": "const { run } = require('../lib/index');\nrun();\n",
    "lib/index.js": "function run() { return 1; }\nmodule.exports = { run };\n",
}


@pytest.fixture
def repo(git_repo):
    for rel, text in FILES.items():
        git_repo.write(rel, text)
    git_repo.commit("fixture")
    return find_repo(str(git_repo.root))


def test_callers_with_depth_handles_cycles(repo) -> None:
    direct = callers(repo, "leaf")
    assert direct.symbol is not None and direct.symbol.qualname == "app.core.leaf"
    assert {c.symbol.qualname for c in direct.callers} == {
        "app.core.step", "app.core.get", "tests.test_core.test_leaf"}
    assert all(c.depth == 1 and c.via == direct.symbol.id for c in direct.callers)
    step = next(c for c in direct.callers if c.symbol.qualname == "app.core.step")
    assert step.line == 4 and step.confidence == "exact"

    deep = callers(repo, "app.core.leaf", depth=5)
    depth_of = {c.symbol.qualname: c.depth for c in deep.callers}
    assert depth_of["app.core.handle"] == 2
    assert depth_of["app.cli.main"] == 3
    assert depth_of["app.cli"] == 4  # the __main__ block of the module
    names = [c.symbol.id for c in deep.callers]
    assert len(names) == len(set(names))  # each symbol once, even around the handle/step cycle


def test_callees_and_recursion(repo) -> None:
    result = callees(repo, "app.core.handle", depth=3)
    depth_of = {c.symbol.qualname: c.depth for c in result.callees}
    assert depth_of == {"app.core.step": 1, "app.core.leaf": 2, "app.core.handle": 2}


def test_ambiguous_and_unknown_symbols(repo) -> None:
    many = callers(repo, "get")
    assert many.symbol is None and many.callers == []
    assert sorted(s.qualname for s in many.matches) == ["app.core.get", "app.other.get"]
    none = callees(repo, "hadnle")
    assert none.symbol is None and none.callees == [] and none.matches == []
    assert "app.core.handle" in [s.qualname for s in none.near]
    by_line = callers(repo, "app/core.py:6")  # path:line inside the symbol
    assert by_line.symbol is not None and by_line.symbol.qualname == "app.core.leaf"


def test_paths_from_and_from_entry_points(repo) -> None:
    result = call_paths(repo, "leaf", source="app.cli.main")
    assert [s.qualname for s in result.paths[0].symbols] == [
        "app.cli.main", "app.core.handle", "app.core.step", "app.core.leaf"]
    assert [e.line for e in result.paths[0].edges] == [3, 2, 4]
    assert all(e.confidence == "exact" for e in result.paths[0].edges)

    found = call_paths(repo, "leaf", max_paths=10)
    lengths = [len(p.edges) for p in found.paths]
    assert lengths == sorted(lengths)  # shortest first
    assert found.paths[0].entry is not None and found.paths[0].entry.kind == "test"
    kinds = {p.entry.kind for p in found.paths if p.entry}
    assert {"test", "console_script", "main"} <= kinds
    assert len(call_paths(repo, "leaf", max_paths=1).paths) == 1
    assert call_paths(repo, "leaf", source="app.cli.main", max_length=2).paths == []


def test_entry_points(repo) -> None:
    found = {(e.kind, e.symbol.qualname) for e in entry_points(repo, open_index(repo))}
    assert ("console_script", "app.cli.main") in found
    assert ("main", "app.cli") in found  # if __name__ == "__main__"
    assert ("test", "tests.test_core.test_leaf") in found
    assert ("cli", "bin/tool.js") in found  # package.json bin
    assert ("package_main", "lib/index.js") in found


def test_whole_graph(repo) -> None:
    graph = whole_graph(repo)
    ids = {s.id for s in graph.symbols}
    assert graph.edges and all(e.caller in ids and e.callee in ids for e in graph.edges)
    assert any(e.caller == "bin/tool.js:1" and e.callee == "lib/index.js:1" for e in graph.edges)


def _run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, args)
    return result.exit_code, result.stdout, result.stderr


def test_cli_json_contract(repo) -> None:
    root = str(repo.root)
    code, out, _ = _run(["callers", "leaf", "--depth", "2", "--repo", root, "--json"])
    data = json.loads(out)
    assert code == 0 and data["symbol"]["qualname"] == "app.core.leaf"
    first = data["callers"][0]
    assert {"symbol", "line", "depth", "confidence"} <= set(first)
    code, out, _ = _run(["callees", "main", "--repo", root, "--json"])
    assert code == 0 and json.loads(out)["callees"][0]["symbol"]["name"] == "handle"
    code, out, _ = _run(["callers", "get", "--repo", root, "--json"])
    assert code == 0 and len(json.loads(out)["matches"]) == 2
    code, out, _ = _run(["callers", "nothing_like_this", "--repo", root, "--json"])
    assert code == 0 and json.loads(out)["callers"] == []
    code, out, _ = _run(["paths", "--to", "leaf", "--from", "main", "--repo", root, "--json"])
    path = json.loads(out)["paths"][0]
    assert code == 0 and {"caller", "callee", "line", "confidence"} <= set(path["edges"][0])
    code, out, _ = _run(["graph", "--repo", root, "--json"])
    assert code == 0 and {"symbols", "edges"} <= set(json.loads(out))


def test_cli_text_and_bad_arguments(repo) -> None:
    root = str(repo.root)
    code, out, _ = _run(["callers", "leaf", "--depth", "2", "--repo", root])
    assert code == 0 and "app.core.step" in out
    code, out, _ = _run(["callers", "hadnle", "--repo", root])
    assert code == 0 and "did you mean" in out and "app.core.handle" in out
    code, out, _ = _run(["paths", "--to", "leaf", "--repo", root])
    assert code == 0 and "path 1" in out
    code, _, err = _run(["callers", "leaf", "--depth", "0", "--repo", root])
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    code, _, err = _run(["paths", "--to", "leaf", "--max", "0", "--repo", root])
    assert code == 2 and "--max" in err


def test_generated_file_with_thousands_of_calls(git_repo) -> None:
    body = "".join(f"def f{i}():\n    return f{i + 1}() + g{i % 7}()\n" for i in range(3000))
    body += "def f3000():\n    return 0\n" + "".join(f"def g{i}():\n    return {i}\n" for i in range(7))
    git_repo.write("gen/big.py", body)
    git_repo.commit("generated")
    repo = find_repo(str(git_repo.root))
    started = time.perf_counter()
    deep = callers(repo, "f3000", depth=20)
    assert time.perf_counter() - started < 30
    assert [c.symbol.name for c in deep.callers][:3] == ["f2999", "f2998", "f2997"]
    assert max(c.depth for c in deep.callers) == 20  # depth is capped
    assert len(callers(repo, "g3").callers) == 429


def test_callers_of_a_class_include_its_instantiations(git_repo) -> None:
    git_repo.write("k/shapes.py", "class Box:\n    def __init__(self, n):\n        self.n = n\n"
                                  "def make():\n    return Box(1)\n")
    git_repo.commit("class")
    result = callers(find_repo(str(git_repo.root)), "Box")
    assert [(c.symbol.qualname, c.line) for c in result.callers] == [("k.shapes.make", 5)]
