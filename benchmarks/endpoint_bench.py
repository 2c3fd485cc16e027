"""Benchmark ``codemap endpoint`` end to end on a warm index (target: < 0.3 s).

Builds a git repository in a temp dir: a Flask application with MODULES
blueprints of ROUTES routes each (plus helper calls for the call graph)
and an Express application of the same size, indexes it once, then times
whole ``codemap`` processes, as a user runs them:

* baseline: ``codemap at`` (interpreter start, index refresh, one query),
* ``codemap endpoints --json`` cold (route facts extracted) and warm,
* ``codemap endpoint "GET /..."`` warm (the target), for a static route,
  a parameter route and a miss.

Run: ``python benchmarks/endpoint_bench.py [--modules 150 --routes 10 --runs 7]``.
Byte-code caching is left on (as in an installed codemap) unless the
environment disables it; the figure printed last is the verdict.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 0.3


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x",
                        "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@x"})


def build(root: Path, modules: int, routes: int) -> None:
    (root / "shop").mkdir(parents=True)
    (root / "web" / "routes").mkdir(parents=True)
    init = ["from flask import Flask", ""]
    for m in range(modules):
        init.append(f"from .views{m} import bp as bp{m}")
        lines = ["from flask import Blueprint", "",
                 f'bp = Blueprint("m{m}", __name__, url_prefix="/m{m}")', ""]
        for r in range(routes):
            lines += [f'@bp.route("/items{r}/<int:item_id>", methods=["GET", "POST"])',
                      f"def item{r}(item_id):", f"    return helper{r}(item_id)", "",
                      f'@bp.get("/static{r}")', f"def static{r}():", "    return None", "",
                      f"def helper{r}(x):", "    return x", ""]
        (root / "shop" / f"views{m}.py").write_text("\n".join(lines))
    init += ["", "def create_app():", "    app = Flask(__name__)"]
    init += [f"    app.register_blueprint(bp{m})" for m in range(modules)]
    init += ["    return app", ""]
    (root / "shop" / "__init__.py").write_text("\n".join(init))
    app = ["const express = require('express');", "const app = express();"]
    for m in range(modules):
        app.append(f"app.use('/api/r{m}', require('./routes/r{m}'));")
        js = ["const router = require('express').Router();"]
        for r in range(routes):
            js.append(f"router.get('/things{r}/:id', function thing{r}(req, res) {{ res.end(); }});")
        js.append("module.exports = router;")
        (root / "web" / "routes" / f"r{m}.js").write_text("\n".join(js) + "\n")
    (root / "web" / "app.js").write_text("\n".join(app) + "\nmodule.exports = app;\n")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "bench")


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "codemap", *args], capture_output=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"codemap {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")
    return elapsed


def median(args: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``runs`` runs (after one warm-up run)."""
    run(args, env)
    times = [run(args, env) for _ in range(runs)]
    BEST[" ".join(args[:2])] = min(times)
    return statistics.median(times)


BEST: dict[str, float] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=150)
    parser.add_argument("--routes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=7)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "repo"
        root.mkdir()
        build(root, opts.modules, opts.routes)
        env = {**os.environ, "CODEMAP_CACHE_DIR": str(Path(tmp) / "cache")}
        repo = ["--repo", str(root)]
        t_index = run(["index", *repo], env)
        t_cold = run(["endpoints", "--json", *repo], env)
        t_warm_list = median(["endpoints", "--json", *repo], env, opts.runs)
        t_at = median(["at", "shop/views0.py:5", *repo], env, opts.runs)
        mid = opts.modules // 2
        cases = {
            "parameter route": f"GET /m{mid}/items3/42?x=1",
            "static route": f"GET /m{mid}/static1",
            "express route": f'"GET /api/r{mid}/things2/7 HTTP/1.1" 500',
            "no match": "GET /nowhere/at/all",
        }
        results = {name: median(["endpoint", req, "--json", *repo], env, opts.runs)
                   for name, req in cases.items()}
    endpoints = opts.modules * opts.routes * 4
    print(f"repository: {opts.modules * 2 + 2} files, {endpoints} endpoints")
    print(f"index (cold)                      {t_index:7.3f} s")
    print(f"endpoints --json (cold facts)     {t_cold:7.3f} s")
    print(f"endpoints --json (warm)           {t_warm_list:7.3f} s")
    print(f"baseline: codemap at (warm)       {t_at:7.3f} s")
    for name, t in results.items():
        best = BEST.get(f"endpoint {cases[name]}", t)
        print(f"endpoint, {name:<22}  {t:7.3f} s median, {best:.3f} s best"
              f"  ({t - t_at:+.3f} s over baseline)")
    worst = max(results.values())
    verdict = "OK" if worst < TARGET else "OVER TARGET"
    print(f"worst warm codemap endpoint (median): {worst:.3f} s (target < {TARGET} s): {verdict}"
          f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
