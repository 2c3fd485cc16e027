"""Blame speed: a 3,000-line file with real history, codemap vs plain git blame.

The history is click 8.0.0 .. 8.1.7 from PyPI, one commit per release by
different authors (``src/click/core.py`` is ~3,000 lines at the end). The
script prints, best of ``--runs``:

* plain ``git blame`` of the file (the baseline, same run, same machine);
* codemap's first blame (empty cache: ``git blame --porcelain``, parsing,
  commit messages for AI provenance, notes and cache write) and its ratio to
  the baseline (target <= 1.3x);
* codemap's repeated blame (served from the SQLite cache, with a fresh
  connection as a new process would open it; target < 50 ms);
* the whole ``codemap who`` command line, cold and warm, for reference
  (includes Python start-up).

    python benchmarks/blame_bench.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.conftest import GitRepoBuilder  # noqa: E402
from tests.history.releases import commit_releases  # noqa: E402

PACKAGE = "click"
VERSIONS = ["8.0.0", "8.0.1", "8.0.2", "8.0.3", "8.0.4", "8.1.0", "8.1.1", "8.1.2", "8.1.3",
            "8.1.4", "8.1.5", "8.1.6", "8.1.7"]
FILE = "src/click/core.py"


def best(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return min(times)


def interleaved(runs: int, *funcs):  # type: ignore[no-untyped-def]
    """Times of each function, run in turn ``runs`` times (so a busy machine
    slows them alike): per function (best, median) seconds."""
    times: list[list[float]] = [[] for _ in funcs]
    for _ in range(runs):
        for i, func in enumerate(funcs):
            t = time.perf_counter()
            func()
            times[i].append(time.perf_counter() - t)
    return [(min(ts), statistics.median(ts)) for ts in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from codemap.history import store
    from codemap.history.blame import blame_file
    from codemap.repo import find_repo

    scratch = Path(tempfile.mkdtemp(prefix="codemap-blame-"))
    builder = GitRepoBuilder(scratch / "repo")
    t0 = time.perf_counter()
    commit_releases(builder, PACKAGE, VERSIONS, ROOT / "benchmarks" / ".cache")
    lines = (builder.root / FILE).read_text().count("\n")
    print(f"history: {len(VERSIONS)} releases of {PACKAGE} committed in "
          f"{time.perf_counter() - t0:.1f}s; {FILE}: {lines} lines")
    repo = find_repo(builder.root)
    cache_root = scratch / "cache"
    os.environ["CODEMAP_CACHE_DIR"] = str(cache_root)

    def plain() -> None:
        subprocess.run(["git", "blame", "--", FILE], cwd=builder.root, check=True,
                       capture_output=True)

    def first_ever() -> None:
        shutil.rmtree(cache_root, ignore_errors=True)
        store._stores.clear()
        blame_file(repo, FILE)

    def first() -> None:  # the cache exists, this file is not in it
        store._stores.clear()
        db = store.history_store(repo)._connect()
        assert db is not None
        db.execute("DELETE FROM entries")
        blame_file(repo, FILE)

    def cached() -> None:
        store._stores.clear()  # a fresh connection, as a new process would open
        blame_file(repo, FILE)

    plain()  # warm the OS file cache for both sides
    first_ever()
    (p_best, p_med), (f_best, f_med), (e_best, e_med) = interleaved(
        args.runs, plain, first, first_ever)
    blame_file(repo, FILE)
    c_best, c_med = interleaved(args.runs, cached)[0]
    owners = len({bl.sha for bl in blame_file(repo, FILE)})
    print(f"{args.runs} interleaved runs each: best / median")
    print(f"plain git blame            {p_best * 1000:7.1f} / {p_med * 1000:7.1f} ms   (baseline)")
    print(f"codemap blame, first time  {f_best * 1000:7.1f} / {f_med * 1000:7.1f} ms   "
          f"ratio {f_best / p_best:.2f}x / {f_med / p_med:.2f}x (target <= 1.3x)")
    print(f"codemap blame, new cache   {e_best * 1000:7.1f} / {e_med * 1000:7.1f} ms   "
          f"ratio {e_best / p_best:.2f}x / {e_med / p_med:.2f}x (first blame ever: creates the "
          "cache database)")
    print(f"codemap blame, cached      {c_best * 1000:7.1f} / {c_med * 1000:7.1f} ms   "
          "(target < 50 ms)")
    print(f"  {owners} commits own the file's lines")

    cli = [sys.executable, "-m", "codemap", "who", FILE, "--json"]

    def cli_cold() -> None:
        shutil.rmtree(cache_root, ignore_errors=True)
        subprocess.run(cli, cwd=builder.root, check=True, capture_output=True)

    def cli_warm() -> None:
        subprocess.run(cli, cwd=builder.root, check=True, capture_output=True)

    t_cli_cold = best(max(1, args.runs // 2), cli_cold)
    t_cli_warm = best(max(1, args.runs // 2), cli_warm)
    print(f"codemap who (CLI), cold    {t_cli_cold * 1000:8.1f} ms   (incl. Python start-up)")
    print(f"codemap who (CLI), warm    {t_cli_warm * 1000:8.1f} ms")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
