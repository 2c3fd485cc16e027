"""Speed of the call graph on Django: what resolution adds to a cold index, and warm queries.

Django's sdist (``benchmarks/.cache/Django-5.1.4.tar.gz``, fetched with pip
when missing) is extracted into ``benchmarks/.cache/bench/`` as a git work
tree of its own (``git init``, nothing committed), so the CLI can be pointed
at it. Every figure is measured in this run, against a baseline of this run:

1. a cold index with the resolver switched off (the baseline) and a cold
   index with it, each in a fresh cache directory and a fresh process;
   best of ``--runs``;
2. the resolver alone on the built index (inside a rolled-back transaction);
3. ``codemap callers SYMBOL --depth 3 --json`` end to end on the warm
   index (a subprocess each time), best and median of ``--runs``;
4. ``ctags -R`` for scale, when ctags is installed.

Targets: resolution adds at most 50% to the cold index; callers with depth 3
answers in under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
DJANGO = "Django-5.1.4"
SYMBOL = "django.db.models.query.QuerySet.filter"

_INDEX = """
import os, sys, time, resource
if sys.argv[2] == "off":
    sys.modules["codemap.index.resolve"] = None  # the resolver cannot be imported: skipped
from codemap.index.service import build_index
from codemap.repo import find_repo
started = time.perf_counter()
stats = build_index(find_repo(sys.argv[1]))
wall = time.perf_counter() - started
usage = [resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(f"{wall:.3f} {cpu:.3f} {stats.files} {stats.edges}")
"""

_RESOLVE = """
import resource, sqlite3, sys, time
from codemap.index import resolve

def cpu():
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))

conn = sqlite3.connect(sys.argv[1], isolation_level=None)
best = None
for _ in range(int(sys.argv[2])):
    conn.execute("BEGIN")
    started, used = time.perf_counter(), cpu()
    resolve.resolve_all(conn)
    wall, used = time.perf_counter() - started, cpu() - used
    conn.execute("ROLLBACK")
    best = (wall, used) if best is None or wall < best[0] else best
print(f"{best[0]:.3f} {best[1]:.3f}")
"""


def django_tree() -> Path:
    """The extracted Django sdist as a git work tree of its own."""
    tarball = CACHE / f"{DJANGO}.tar.gz"
    if not tarball.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        ":all:", "Django==5.1.4", "-d", str(CACHE), "-q"], check=True)
        found = sorted(CACHE.glob("[Dd]jango-5.1.4.tar.gz"))
        tarball = found[0]
    root = CACHE / "bench" / DJANGO
    if not (root / ".git").exists():
        if root.exists():
            shutil.rmtree(root)
        root.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tarball) as tar:
            tar.extractall(root.parent, filter="data")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def cold_index(root: Path, resolver: str, runs: int) -> tuple[float, float, str]:
    best: tuple[float, float, str] | None = None
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="codemap-bench-") as cache:
            env = {**os.environ, "CODEMAP_CACHE_DIR": cache}
            out = subprocess.run([sys.executable, "-c", _INDEX, str(root), resolver], env=env,
                                 capture_output=True, text=True, check=True).stdout.split()
        wall, cpu = float(out[0]), float(out[1])
        if best is None or wall < best[0]:
            best = (wall, cpu, f"{out[2]} files, {out[3]} edges")
    assert best is not None
    return best


def warm_callers(root: Path, env: dict[str, str], runs: int) -> list[float]:
    codemap = str(Path(sys.executable).with_name("codemap"))
    cmd = [codemap, "callers", SYMBOL, "--depth", "3", "--json", "--repo", str(root)]
    subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the index
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    root = django_tree()
    print(f"tree: {root} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")

    base_wall, base_cpu, base_info = cold_index(root, "off", args.runs)
    full_wall, full_cpu, full_info = cold_index(root, "on", args.runs)
    print(f"cold index, resolver off : {base_wall:6.2f} s wall {base_cpu:6.2f} s cpu  ({base_info})")
    print(f"cold index, resolver on  : {full_wall:6.2f} s wall {full_cpu:6.2f} s cpu  ({full_info})")
    added = (full_wall - base_wall) / base_wall if base_wall else 0.0
    print(f"resolution adds          : {100 * added:5.1f} % of the cold index (target <= 50 %)")

    warm = tempfile.mkdtemp(prefix="codemap-bench-warm-")
    env = {**os.environ, "CODEMAP_CACHE_DIR": warm}
    try:
        subprocess.run([sys.executable, "-c", _INDEX, str(root), "on"], env=env,
                       capture_output=True, check=True)
        db = next(Path(warm).glob("*/index.sqlite"))
        out = subprocess.run([sys.executable, "-c", _RESOLVE, str(db), str(args.runs)],
                             capture_output=True, text=True, check=True).stdout.split()
        alone_wall, alone_cpu = float(out[0]), float(out[1])
        print(f"resolver alone           : {alone_wall:6.2f} s wall {alone_cpu:6.2f} s cpu "
              f"(both processes) = {100 * alone_wall / base_wall:.0f} % of the baseline's wall, "
              f"{100 * alone_cpu / base_cpu:.0f} % of its cpu")
        times = warm_callers(root, env, max(args.runs, 5))
        best, median = min(times), statistics.median(times)
        print(f"callers --depth 3 (warm) : {best:6.3f} s best, {median:.3f} s median "
              f"(target < 0.3 s)")
    finally:
        shutil.rmtree(warm, ignore_errors=True)

    ctags = shutil.which("ctags")
    if ctags:
        started = time.perf_counter()
        subprocess.run([ctags, "-R", "-f", os.devnull, str(root)], capture_output=True)
        print(f"ctags -R (for scale)     : {time.perf_counter() - started:6.2f} s")
    ok = added <= 0.5 and best < 0.3
    print("ok" if ok else "BELOW TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
