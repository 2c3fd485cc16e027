"""Scale benchmark: a 20,000+ file repository built from real packages downloaded at run time.

Builds one git repository out of several real sdists from PyPI (Django,
SymPy, pandas, SciPy, NumPy, Matplotlib by default; cached in
``benchmarks/.cache``, never committed), then prints: cold index time and
peak memory of the whole process tree (sum of PSS, with the share of the
main process and of its children at the peak), warm no-change and one-file
re-index times, and the end-to-end latency (a new process each run, Python
start-up included) of the common query commands on the warm index: ``at``,
``find`` (plain and dotted), ``callers``, ``callees``, ``trace``, ``who``,
``history``, ``endpoints``; best, median and worst of ``--runs``, next to
``ctags -R`` on the same tree as the baseline. Targets (issue #10): peak
memory < 600 MiB, no query slower than 0.5 s.

    python benchmarks/scale_bench.py [--runs 3] [--repo DIR]

``--repo`` reuses a monorepo built by an earlier run (its path is printed).
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
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import best_of, codemap_cmd, measure_tree, sdist, timed  # noqa: E402

PACKAGES = [("Django", "5.1.4"), ("sympy", "1.13.3"), ("pandas", "2.2.3"), ("scipy", "1.14.1"),
            ("numpy", "2.1.3"), ("matplotlib", "3.9.3")]
QUERY_TARGET = 0.5
MEMORY_TARGET = 600


def build_repo() -> Path:
    root = Path(tempfile.mkdtemp(prefix="codemap-scale-")) / "monorepo"
    root.mkdir(parents=True)
    for name, version in PACKAGES:
        shutil.copytree(sdist(name, version), root / name.lower(), symlinks=True)
    env = {"GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "PATH": "/usr/bin:/bin"}
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "commit", "-q", "-m", "import"], cwd=root, check=True, env=env)
    return root


def write_trace(root: Path) -> Path:
    """A Python traceback through real symbols of the index, from several packages."""
    from codemap.index.service import open_index
    from codemap.repo import find_repo

    reader = open_index(find_repo(root), need_edges=False)
    wanted = ["django/django/core/handlers/base.py", "django/django/views/generic/base.py",
              "django/django/db/models/query.py", "pandas/pandas/core/frame.py",
              "pandas/pandas/core/groupby/groupby.py", "numpy/numpy/_core/fromnumeric.py",
              "sympy/sympy/core/expr.py"]
    lines = ["Traceback (most recent call last):"]
    for rel in wanted:
        syms = [s for s in reader.symbols_in_file(rel) if s.kind in ("function", "method")]
        if not syms:
            continue
        sym = syms[len(syms) // 2]
        line = (sym.start_line + sym.end_line) // 2
        lines.append(f'  File "/srv/app/{rel}", line {line}, in {sym.name}')
        lines.append("    pass")
    lines.append("ValueError: benchmark")
    path = Path(tempfile.mkdtemp(prefix="codemap-trace-")) / "trace.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def timings(runs: int, func: Callable[[], float]) -> tuple[float, float, float, float]:
    """(first, best, median, worst): the first run after the index fills caches (route
    facts, blame) that the later ones read, so it is reported on its own too."""
    times = [func() for _ in range(runs)]
    return times[0], min(times), statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repo", type=Path, default=None, help="reuse a monorepo built before")
    ap.add_argument("--cache", type=Path, default=None,
                    help="reuse the index a run before left in this CODEMAP_CACHE_DIR: "
                         "measure the queries only (no ctags, cold index or re-index figures)")
    args = ap.parse_args()
    root = args.repo.resolve() if args.repo else build_repo()
    files = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True,
                           check=True).stdout.split(b"\0")
    print(f"corpus: {' + '.join(f'{n} {v}' for n, v in PACKAGES)}: {len(files) - 1} files in "
          f"git at {root}")

    def ctags() -> float:
        start = time.perf_counter()
        subprocess.run(["ctags", "-R", "-f", str(Path(tempfile.mkdtemp()) / "tags"), "."],
                       cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    rows: list[tuple[str, float, float, float, float]] = []
    if args.cache is None:
        ctags_best, _ = best_of(1, ctags) if shutil.which("ctags") else (float("nan"), 0.0)
        cache = tempfile.mkdtemp(prefix="codemap-cache-")
        env = {"CODEMAP_CACHE_DIR": cache}
        cold, peak, peak_main, result = measure_tree(codemap_cmd("index", "--json"), cwd=root,
                                                     env=env)
        peak_children = peak - peak_main
        print(f"index result: {result.stdout.decode()[:400]}")
        warm, _ = best_of(args.runs,
                          lambda: timed(codemap_cmd("index"), cwd=root, env=env)[0])
        target = root / "django" / "django" / "db" / "models" / "query.py"
        original = target.read_bytes()

        def one_change() -> float:
            target.write_bytes(original + f"\n# touched {time.time()}\n".encode())
            return timed(codemap_cmd("index"), cwd=root, env=env)[0]

        change, _ = best_of(args.runs, one_change)
        target.write_bytes(original)
        rows = [("ctags -R (baseline)", ctags_best, ctags_best, ctags_best, ctags_best),
                ("codemap index, cold", cold, cold, cold, cold),
                ("codemap index, warm no change", warm, warm, warm, warm),
                ("codemap index, one file changed", change, change, change, change)]
    else:
        cache = str(args.cache.resolve())
        env = {"CODEMAP_CACHE_DIR": cache}
    timed(codemap_cmd("index"), cwd=root, env=env)
    # the index runs above wrote about 400 MB: their dirty pages are flushed now, so the
    # queries are not timed against the kernel's writeback of an earlier command
    os.sync()
    os.environ["CODEMAP_CACHE_DIR"] = cache  # write_trace reads the same index in-process
    trace = write_trace(root)
    queries = {
        "at": ["at", "django/django/db/models/query.py:500", "--json"],
        "find": ["find", "QuerySet", "--json"],
        "find (dotted)": ["find", "QuerySet.filter", "--json"],
        "callers --depth 3": ["callers", "django.db.models.query.QuerySet.filter", "--depth", "3",
                              "--json"],
        "callees": ["callees", "django.db.models.query.QuerySet.filter", "--json"],
        "trace": ["trace", str(trace), "--json"],
        "who (file)": ["who", "django/django/db/models/query.py", "--json"],
        "history (file)": ["history", "django/django/db/models/query.py", "--json"],
        "endpoints": ["endpoints", "--json"],
    }
    slowest = ("", 0.0)
    slowest_first = ("", 0.0)
    for label, argv in queries.items():
        try:
            first, best, med, worst = timings(args.runs, lambda argv=argv: timed(
                codemap_cmd(*argv), cwd=root, env=env)[0])
        except RuntimeError as exc:
            print(f"{label}: failed: {str(exc)[:200]}")
            continue
        rows.append((f"codemap {label} (end to end)", first, best, med, worst))
        if med > slowest[1]:
            slowest = (label, med)
        if first > slowest_first[1]:
            slowest_first = (label, first)
    print(f"{'measure':<46}{'first s':>9}{'best s':>9}{'median s':>10}{'worst s':>9}")
    for label, first, best, med, worst in rows:
        print(f"{label:<46}{first:>9.3f}{best:>9.3f}{med:>10.3f}{worst:>9.3f}")
    for what, (name, secs) in (("median", slowest), ("first run after the index", slowest_first)):
        print(f"slowest query ({what}): {name} {secs:.3f} s "
              f"(target < {QUERY_TARGET} s: {'met' if secs < QUERY_TARGET else 'NOT met'})")
    if args.cache is None:
        print(f"peak memory, cold index (process tree, sum of PSS): {peak} MiB = main process "
              f"{peak_main} + children {peak_children} (target < {MEMORY_TARGET} MiB)")
        print(f"ratio cold codemap / ctags: {cold / ctags_best:.2f}x")


if __name__ == "__main__":
    main()
