"""Tour and review benchmark on a ~1,000-file repository built from real releases.

Builds (once, cached in ``benchmarks/.cache``) a git repository holding
networkx 3.4.2 and pip 24.2 side by side, then 50 commits that move both to
their next releases (networkx 3.5, pip 24.3.1), from the wheels on PyPI.
Prints, each as the best of N runs of the real command in a fresh process:

* ``codemap index`` (cold, then warm: nothing changed),
* ``codemap tour --json`` with a warm index (first run, then repeated),
* ``codemap review BASE..HEAD --json`` over the 50-commit range (first
  run after the index, then repeated),

next to a baseline measured in the same run: the plain git commands a
person would type for the same questions (``git log --since`` with names,
``git diff -U0`` plus ``git log`` over the range). Targets (issue #9):
tour < 5 s and review < 2 s with a warm index.

    python benchmarks/tour_review_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from tests.review.realrepo import build_big_history  # noqa: E402

CACHE = HERE / ".cache"


def timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.strip()[-400:]}")
    return elapsed


def best(runs: int, cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    return min(timed(cmd, cwd, env) for _ in range(runs))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root, shas = build_big_history(CACHE / "big-history", CACHE / "wheels")
    files = len(subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                               check=True).stdout.splitlines())
    base, head = shas[0], shas[-1]
    print(f"corpus: networkx + pip, {files} files, range {base[:10]}..{head[:10]} "
          f"({len(shas) - 1} commits); load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")
    cache = Path(tempfile.mkdtemp(prefix="codemap-bench-cache-"))
    env = {**os.environ, "CODEMAP_CACHE_DIR": str(cache)}
    codemap = [sys.executable, "-m", "codemap"]
    try:
        cold = timed([*codemap, "index"], root, env)
        warm = best(args.runs, [*codemap, "index"], root, env)
        print(f"codemap index:            cold {cold:6.2f}s   warm {warm:6.2f}s")
        first = timed([*codemap, "tour", "--json"], root, env)
        again = best(args.runs, [*codemap, "tour", "--json"], root, env)
        base_tour = best(args.runs, ["git", "log", "--since=3.months", "--name-only",
                                     "--format=%H %ae"], root, env)
        print(f"codemap tour:             first {first:5.2f}s   again {again:6.2f}s   "
              f"(target < 5 s; baseline git log --name-only {base_tour:.2f}s)")
        rng = f"{base}..{head}"
        first = timed([*codemap, "review", rng, "--json"], root, env)
        again = best(args.runs, [*codemap, "review", rng, "--json"], root, env)
        base_review = best(args.runs, ["sh", "-c", f"git diff -U0 {rng} && git log {rng}"],
                           root, env)
        print(f"codemap review (50 commits): first {first:5.2f}s   again {again:6.2f}s   "
              f"(target < 2 s; baseline git diff -U0 + git log {base_review:.2f}s)")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
