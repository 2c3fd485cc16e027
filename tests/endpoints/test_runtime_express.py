"""Static Express endpoints against the router stack Express builds at run time.

The applications: the one ``express-generator`` (the Express project's own
app generator on npm) writes, and a multi-module application of our own
(``EXPRESS_APP``: routers mounted across ``require``, ``router.route()``
chains, a route module that receives the app). ``express@4`` and the
generator are installed with npm into pytest's cache; the router stack is
read by ``express_routes.js`` under node.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from codemap import api
from tests.endpoints.test_frameworks import EXPRESS_APP

pytestmark = pytest.mark.slow

PACKAGES = ("express@4", "express-generator@4", "cookie-parser", "morgan", "http-errors", "debug")
DUMP = Path(__file__).with_name("express_routes.js")


def _runtime(node_modules: Path, app: Path) -> list[dict]:
    proc = subprocess.run(["node", str(DUMP), str(app)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NODE_PATH": str(node_modules)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)["routes"]


def _norm(route: str) -> str:
    return route.rstrip("/") or "/"  # Express matches /users and /users/ alike


def _check(root: Path, routes: list[dict]) -> None:
    endpoints = api.endpoints(str(root)).endpoints
    assert routes
    found = 0
    missing = []
    for r in routes:
        first = r["source"].splitlines()[0].strip()
        ok = False
        for e in endpoints:
            if e.method != r["method"] or _norm(e.route) != _norm(r["route"]) or e.handler is None:
                continue
            lines = (root / e.handler.path).read_text().splitlines()
            body = "\n".join(lines[e.handler.start_line - 1:e.handler.end_line])
            if first in body and (not r["name"] or r["name"] == e.handler.name):
                ok = True
        found += ok
        if not ok:
            missing.append(r)
    assert found / len(routes) >= 0.95, missing
    # every reported handler is one the router stack holds
    runtime_keys = {(r["method"], _norm(r["route"])) for r in routes}
    for e in endpoints:
        assert (e.method, _norm(e.route)) in runtime_keys, e


def test_express_generator_app(node_modules, tmp_path, git_repo):
    modules = node_modules(*PACKAGES)
    cli = modules / "express-generator" / "bin" / "express-cli.js"
    subprocess.run(["node", str(cli), "--no-view", str(git_repo.root)], check=True,
                   capture_output=True, timeout=120, input=b"y\n")
    git_repo.commit("generated app")
    _check(git_repo.root, _runtime(modules, git_repo.root / "app.js"))


def test_multi_module_app(node_modules, git_repo):
    modules = node_modules(*PACKAGES)
    for rel, text in EXPRESS_APP.items():
        git_repo.write(rel, text)
    git_repo.commit("app")
    _check(git_repo.root, _runtime(modules, git_repo.root / "app.js"))
