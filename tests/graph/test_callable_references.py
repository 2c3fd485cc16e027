"""Callables named without being called at the site: Java method references
(``p::price``, ``Foo::new``) and JavaScript computed-name methods
(``[kRun]() {}`` called as ``this[kRun]()``, the private-symbol style of yargs
and Node's own sources). Both run from the frame that names them, and the
runtime names such frames after them, so a trace through them must land on
the method, not on its class."""

from __future__ import annotations

import subprocess

import pytest

from codemap.index.service import open_index
from codemap.repo import find_repo

JAVA = (
    "package com.acme.orders;\n"                                          # 1
    "\n"
    "import java.util.List;\n"
    "\n"
    "public class OrderService {\n"                                       # 5
    "    static class Repo {\n"
    "        Repo() {}\n"
    "        int load(String id) { return Integer.parseInt(id); }\n"
    "    }\n"
    "\n"                                                                  # 10
    "    class Pricer {\n"
    "        int price(String id) { return new Repo().load(id) * 2; }\n"
    "    }\n"
    "\n"
    "    public int total(List<String> ids) {\n"                          # 15
    "        Pricer p = new Pricer();\n"
    "        return ids.stream().mapToInt(p::price).sum();\n"
    "    }\n"
    "\n"
    "    public List<Repo> repos(List<String> ids) {\n"                   # 20
    "        ids.forEach(this::check);\n"
    "        return ids.stream().map(s -> new Repo()).toList();\n"
    "    }\n"
    "\n"
    "    public Object make(List<String> ids) {\n"                        # 25
    "        return ids.stream().map(Repo::new);\n"
    "    }\n"
    "\n"
    "    void check(String id) {}\n"
    "}\n"                                                                 # 30
)

JS = (
    "const kRun = Symbol('run');\n"                                       # 1
    "export class Yargs {\n"
    "  [kRun](args) {\n"
    "    return this.finish(args);\n"
    "  }\n"                                                               # 5
    "  finish(args) { return args; }\n"
    "  parse(args) {\n"
    "    return this[kRun](args);\n"
    "  }\n"
    "  [Symbol.iterator]() { return [].values(); }\n"                     # 10
    "}\n"
)


def test_java_method_references_are_calls_from_the_naming_frame(build_graph) -> None:
    edges = build_graph({"src/main/java/com/acme/orders/OrderService.java": JAVA})
    svc = "com.acme.orders.OrderService"
    assert edges[(f"{svc}.total", f"{svc}.Pricer.price")] == "exact"
    assert edges[(f"{svc}.repos", f"{svc}.check")] == "exact"
    # Repo::new constructs a Repo: the constructor runs from make
    assert (f"{svc}.make", f"{svc}.Repo.Repo") in edges
    # a method reference names its method: nothing else is called
    assert not [callee for caller, callee in edges if caller == f"{svc}.total"
                and callee not in (f"{svc}.Pricer.price", f"{svc}.Pricer")]


def test_javascript_computed_name_methods_are_symbols_and_this_subscript_calls_reach_them(
        build_graph, git_repo) -> None:
    edges = build_graph({"lib/yargs.js": JS})
    assert edges[("lib/yargs.js:Yargs.parse", "lib/yargs.js:Yargs.kRun")] in ("exact", "likely")
    assert ("lib/yargs.js:Yargs.kRun", "lib/yargs.js:Yargs.finish") in edges
    reader = open_index(find_repo(str(git_repo.root)))
    rows = dict(reader.conn.execute(
        "SELECT name, start_line || '-' || end_line FROM symbols WHERE kind = 'method'"))
    assert rows["kRun"] == "3-5"
    assert rows["Symbol.iterator"] == "10-10"


@pytest.mark.skipif(subprocess.run(["node", "--version"], capture_output=True).returncode != 0,
                    reason="node is not installed")
def test_a_real_v8_frame_in_a_computed_name_method_maps_to_that_method(git_repo, tmp_path) -> None:
    """V8 names the frame ``[kRun]`` (the symbol's description in brackets); the frame's
    line must land on the method, not on the class around it."""
    git_repo.write("lib/yargs.mjs", JS.replace("return this.finish(args);",
                                              "return args.missing.value;"))
    git_repo.commit("yargs-like class")
    script = tmp_path / "run.mjs"
    script.write_text(f"import {{ Yargs }} from '{git_repo.root}/lib/yargs.mjs';\n"
                      "new Yargs().parse({});\n")
    run = subprocess.run(["node", str(script)], capture_output=True, text=True)
    assert "at [run]" in run.stderr, run.stderr  # V8's own naming of the frame
    from codemap import api

    report = api.trace(run.stderr, str(git_repo.root)).to_json()
    frames = {f["function"]: f for exc in report["exceptions"] for f in exc["frames"]
              if f["in_repo"]}
    assert frames["[run]"]["symbol"]["qualname"] == "lib/yargs.mjs:Yargs.kRun"
