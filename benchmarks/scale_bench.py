"""Scale benchmark: a 20,000+ file repository built from real packages downloaded at run time.

Builds one git repository out of several real sdists from PyPI (Django,
SymPy, pandas, SciPy, NumPy, Matplotlib by default; cached in
``benchmarks/.cache``, never committed), then prints: cold index time and
peak memory of the whole process tree, warm no-change and one-file re-index
times, and the end-to-end latency of the query commands, next to
``ctags -R`` on the same tree as the baseline.

    python benchmarks/scale_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _corpus import best_of, codemap_cmd, run_measured, sdist  # noqa: E402

PACKAGES = [("Django", "5.1.4"), ("sympy", "1.13.3"), ("pandas", "2.2.3"), ("scipy", "1.14.1"),
            ("numpy", "2.1.3"), ("matplotlib", "3.9.3")]


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    root = build_repo()
    files = subprocess.run(["git", "ls-files"], cwd=root, capture_output=True, text=True,
                           check=True).stdout.split()
    print(f"corpus: {' + '.join(f'{n} {v}' for n, v in PACKAGES)}: {len(files)} files in git")

    def ctags() -> float:
        start = time.perf_counter()
        subprocess.run(["ctags", "-R", "-f", str(Path(tempfile.mkdtemp()) / "tags"), "."],
                       cwd=root, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    ctags_best, _ = best_of(1, ctags)
    cache = tempfile.mkdtemp(prefix="codemap-cache-")
    env = {"CODEMAP_CACHE_DIR": cache}
    cold, peak, result = run_measured(codemap_cmd("index", "--json"), cwd=root, env=env)
    print(f"index result: {result.stdout.decode()[:400]}")
    warm, _ = best_of(args.runs, lambda: run_measured(codemap_cmd("index"), cwd=root, env=env)[0])
    target = root / "django" / "django" / "db" / "models" / "query.py"
    original = target.read_bytes()

    def one_change() -> float:
        target.write_bytes(original + f"\n# touched {time.time()}\n".encode())
        return run_measured(codemap_cmd("index"), cwd=root, env=env)[0]

    change, _ = best_of(args.runs, one_change)
    target.write_bytes(original)
    run_measured(codemap_cmd("index"), cwd=root, env=env)
    queries = {
        "at": ["at", "django/django/db/models/query.py:500", "--json"],
        "find": ["find", "QuerySet", "--json"],
        "callers --depth 3": ["callers", "django.db.models.query.QuerySet.filter", "--depth", "3",
                              "--json"],
        "who (file)": ["who", "django/django/db/models/query.py", "--json"],
        "endpoints": ["endpoints", "--json"],
    }
    rows = [("ctags -R (baseline)", ctags_best), ("codemap index, cold", cold),
            ("codemap index, warm no change", warm), ("codemap index, one file changed", change)]
    for label, argv in queries.items():
        try:
            best, _ = best_of(args.runs, lambda argv=argv: run_measured(
                codemap_cmd(*argv), cwd=root, env=env)[0])
        except RuntimeError as exc:
            print(f"{label}: failed: {str(exc)[:200]}")
            continue
        rows.append((f"codemap {label} (end to end)", best))
    for label, seconds in rows:
        print(f"{label:<44}{seconds:>9.3f} s")
    print(f"peak memory, cold index (process tree): {peak} MiB (target < 600 MiB)")
    print(f"ratio cold codemap / ctags: {cold / ctags_best:.2f}x")


if __name__ == "__main__":
    main()
