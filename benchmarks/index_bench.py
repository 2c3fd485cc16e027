"""Index benchmark: codemap against Universal Ctags on Django's source, in the same run.

Downloads Django's sdist from PyPI at run time (never committed), then prints:
cold index time (and the same cold index with the call resolver switched off),
warm no-change re-index, re-index after one changed file (a
comment appended, which keeps the call graph; and a new call, which resolves it again),
peak memory, ``codemap at`` / ``codemap find`` (plain and dotted) end to
end on the warm index (the first ``find`` after an index builds the names
cache, and is not timed), the tree-sitter parse-only time of the same files
(one core and all cores), and ``ctags -R`` on the same tree, with the ratio
codemap / ctags.

    python benchmarks/index_bench.py [--version 5.1.4] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import best_of, codemap_cmd, ctags_seconds, fresh_copy, run_measured, sdist, timed  # noqa: E402

# `codemap ARGS` with the call resolver switched off (it cannot be imported: the index
# leaves the edges to a later command), as the CLI runs it
_NO_RESOLVER = """
import sys
sys.modules["codemap.index.resolve"] = None
from codemap.cli.main import main
main(sys.argv[1:])
"""


def _parse_chunk(paths: list[str], query: bool = False) -> int:
    """Parse ``paths``; ``query``: also run each language's tags query over the tree and
    take its matches (as the extraction does) without looking at them. Returns the
    number of matches."""
    from codemap.index.extract import _cursor, _parser
    from codemap.lang.registry import language_for_path

    n = 0
    for p in paths:
        spec = language_for_path(p)
        with open(p, "rb") as fh:
            tree = _parser(spec.name).parse(fh.read())
        if query:
            cursor = _cursor(spec.name)
            if cursor:
                n += len(cursor.matches(tree.root_node))
    return n


def parse_only(root: Path, workers: int, query: bool = False) -> float:
    """Seconds to parse every file of the corpus codemap indexes (``query``: and run the
    tags queries: the C floor of extracting facts with queries, no Python per match)."""
    from codemap.lang.registry import language_for_path

    files = [str(p) for p in root.rglob("*") if p.is_file() and language_for_path(p.name)
             and p.stat().st_size <= 1_000_000]
    start = time.perf_counter()
    if workers == 1:
        _parse_chunk(files, query)
    else:
        chunks = [files[i::workers * 8] for i in range(workers * 8)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(partial(_parse_chunk, query=query), chunks))
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="5.1.4")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if shutil.which("ctags") is None:
        sys.exit("universal-ctags is needed as the baseline: apt-get install universal-ctags")
    tree = fresh_copy(sdist("Django", args.version))
    py_files = list(tree.rglob("*.py"))
    lines = sum(p.read_bytes().count(b"\n") for p in py_files)
    print(f"corpus: Django {args.version} sdist, {len(py_files)} .py files, {lines} lines, "
          f"{os.cpu_count()} cores")

    def ctags() -> float:
        return ctags_seconds(tree)

    import json

    cold_times, resolve_times, symbols_times = [], [], []
    for _ in range(args.runs):
        # the same cold `codemap index` with the call resolver switched off, alternated
        # with the full one: the foundation's index alone
        plain = tempfile.mkdtemp(prefix="codemap-cache-")
        symbols_times.append(timed(
            [codemap_cmd()[0], "-c", _NO_RESOLVER, "index", "--json"], cwd=tree,
            env={"CODEMAP_CACHE_DIR": plain})[0])
        shutil.rmtree(plain, ignore_errors=True)
        cache = tempfile.mkdtemp(prefix="codemap-cache-")
        t, result = timed(codemap_cmd("index", "--json"), cwd=tree,
                          env={"CODEMAP_CACHE_DIR": cache})
        cold_times.append(t)
        resolve_times.append(json.loads(result.stdout)["resolve_seconds"])
        if len(cold_times) < args.runs:
            shutil.rmtree(cache, ignore_errors=True)
    # the peak memory of cold indexes apart: sampling it slows what it samples (run_measured)
    peaks = []
    for _ in range(2):
        sampled = tempfile.mkdtemp(prefix="codemap-cache-")
        peaks.append(run_measured(codemap_cmd("index", "--json"), cwd=tree,
                                  env={"CODEMAP_CACHE_DIR": sampled})[1])
        shutil.rmtree(sampled, ignore_errors=True)
    env = {"CODEMAP_CACHE_DIR": cache}
    ctags_best, ctags_med = best_of(args.runs, ctags)
    warm_best, warm_med = best_of(args.runs, lambda: timed(
        codemap_cmd("index"), cwd=tree, env=env)[0])
    target = tree / "django" / "db" / "models" / "base.py"
    original = target.read_bytes()

    def one_change() -> float:
        target.write_bytes(original + f"\n# touched {time.time()}\n".encode())
        return timed(codemap_cmd("index"), cwd=tree, env=env)[0]

    change_best, change_med = best_of(args.runs, one_change)

    def one_change_new_call() -> float:
        """An edit the call graph sees (a new function calling another): the call facts
        differ, so the graph is resolved again (an edit that only moves lines, like the
        comment above, keeps it: codemap.index.keepedges)."""
        stamp = time.time_ns()
        target.write_bytes(original + f"\n\ndef _touched_{stamp}():\n"
                                      f"    return Model.check()\n".encode())
        return timed(codemap_cmd("index"), cwd=tree, env=env)[0]

    change_call_best, change_call_med = best_of(args.runs, one_change_new_call)

    def one_change_symbols() -> float:
        """The foundation's re-index after an edit: the changed file re-parsed, as every
        symbol-level command (at, find, trace, who) does it; call edges are left to the
        next graph command."""
        target.write_bytes(original + f"\n# touched again {time.time()}\n".encode())
        return timed(codemap_cmd("at", "django/db/models/base.py:100", "--json"),
                            cwd=tree, env=env)[0]

    change_sym_best, change_sym_med = best_of(args.runs, one_change_symbols)
    target.write_bytes(original)
    timed(codemap_cmd("index"), cwd=tree, env=env)
    at_best, at_med = best_of(args.runs, lambda: timed(
        codemap_cmd("at", "django/db/models/query.py:500", "--json"), cwd=tree, env=env)[0])
    timed(codemap_cmd("find", "QuerySet", "--json"), cwd=tree, env=env)  # names cache
    find_best, find_med = best_of(args.runs, lambda: timed(
        codemap_cmd("find", "QuerySet", "--json"), cwd=tree, env=env)[0])
    dotted_best, dotted_med = best_of(args.runs, lambda: timed(
        codemap_cmd("find", "QuerySet.filter", "--json"), cwd=tree, env=env)[0])
    parse1 = parse_only(tree, 1)
    parse_n = parse_only(tree, os.cpu_count() or 1)
    query_n = parse_only(tree, os.cpu_count() or 1, query=True)
    cold_best = min(cold_times)

    print(f"{'measure':<38}{'best s':>9}{'median s':>10}")
    rows = [
        ("ctags -R (baseline)", ctags_best, ctags_med),
        ("codemap index, cold", cold_best, sorted(cold_times)[len(cold_times) // 2]),
        ("cold, without call resolution", min(symbols_times),
         sorted(symbols_times)[len(symbols_times) // 2]),
        ("codemap index, warm, no change", warm_best, warm_med),
        ("codemap index, one file changed", change_best, change_med),
        ("codemap index, one file, a call added", change_call_best, change_call_med),
        ("codemap at, just after a one-file edit", change_sym_best, change_sym_med),
        ("codemap at (end to end)", at_best, at_med),
        ("codemap find (end to end)", find_best, find_med),
        ("codemap find, dotted (end to end)", dotted_best, dotted_med),
        ("tree-sitter parse only, 1 core", parse1, parse1),
        (f"tree-sitter parse only, {os.cpu_count()} cores", parse_n, parse_n),
        (f"parse + tags query matches, {os.cpu_count()} cores", query_n, query_n),
    ]
    for name, best, med in rows:
        print(f"{name:<38}{best:>9.3f}{med:>10.3f}")
    print(f"at / find end to end: {at_best:.3f} s / {find_best:.3f} s (target < 0.25 s each; "
          f"Python start-up included)")
    print(f"peak memory, cold index (process tree, sum of PSS): {max(peaks)} MiB (target < 400)")
    resolve = resolve_times[cold_times.index(cold_best)]
    without = min(symbols_times)
    print(f"of the best cold index: the resolving step {resolve:.3f} s; the best cold index "
          f"with the resolver switched off {without:.3f} s: resolution adds "
          f"{100 * (cold_best - without) / without:.0f}% (target <= 50%)")
    print(f"ratio cold codemap / ctags: {cold_best / ctags_best:.2f}x; without call resolution "
          f"{without / ctags_best:.2f}x (target <= 4x)")
    print(f"ratio cold codemap / parse-only on all cores: {cold_best / parse_n:.2f}x")
    print(f"the query floor (parse + tags query matches on all cores, nothing extracted, "
          f"listed or written) / ctags: {query_n / ctags_best:.2f}x")


if __name__ == "__main__":
    main()
