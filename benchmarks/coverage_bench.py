"""Coverage benchmark: loading coverage data for a 1,000-file project, against coverage.py.

Generates a Python project of N modules (default 1,000) in a temp git
repository, records real coverage data by running a driver under
``coverage run --branch`` with ``dynamic_context = test_function``, exports
it with ``coverage xml`` and ``coverage lcov``, then prints, in one run:

- baseline: ``coverage report`` on the same data (it parses every file);
- codemap ``load_coverage`` (read + map every measured file), per format;
- codemap resolving every file (statements, branches, tests, staleness),
  the work comparable to ``coverage report``;
- 1,000 ``CoverageSet.line`` look-ups after loading (what trace frames
  and the TUI gutter do);
- the full ``coverage_report(repo, None)`` with a warm index.

Target: load < 1 s for 1,000 files.

    python benchmarks/coverage_bench.py [--files 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

MODULE = '''\
"""Generated module {n}."""


def parse_{n}(text, strict=False):
    parts = text.split(",")
    if strict and len(parts) < 2:
        raise ValueError(text)
    out = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        out.append(part)
    return out


def total_{n}(values):
    acc = 0
    for v in values:
        if v > 10:
            acc += v * 2
        elif v < 0:
            acc -= v
        else:
            acc += v
    return acc


def unused_{n}(x):
    y = x + 1
    return y * 2


class Store{n}:
    def __init__(self):
        self.items = {{}}

    def put(self, key, value):
        if key in self.items:
            raise KeyError(key)
        self.items[key] = value

    def get(self, key, default=None):
        def fallback():
            return default
        return self.items.get(key) if key in self.items else fallback()
'''


def make_project(root: Path, files: int) -> None:
    for i in range(files):
        pkg = root / "proj" / f"pkg{i // 50}"
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").touch()
        (pkg / f"mod{i}.py").write_text(MODULE.format(n=i))
    (root / "proj" / "__init__.py").touch()
    tests = root / "tests"
    tests.mkdir()
    lines = ["import importlib", ""]
    for i in range(files):
        lines += [f"def test_mod{i}():",
                  f"    m = importlib.import_module('proj.pkg{i // 50}.mod{i}')",
                  f"    m.parse_{i}('a, b,,c', strict={i % 2 == 0})",
                  f"    m.total_{i}([1, 20, -3][: 1 + {i} % 3])",
                  f"    s = m.Store{i}()",
                  f"    s.put('k', {i})",
                  f"    s.get('k' if {i} % 2 else 'x')", ""]
    lines += ["if __name__ == '__main__':",
              "    for name, fn in sorted(globals().items()):",
              "        if name.startswith('test_'):",
              "            fn()"]
    (tests / "run_all.py").write_text("\n".join(lines) + "\n")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=b@x", "-c",
                    "commit.gpgsign=false", "commit", "-qm", "generated"], cwd=root, check=True)


def record(root: Path, out: Path) -> dict[str, Path]:
    rc = out / "rc"
    rc.write_text(f"[run]\nbranch = True\ndynamic_context = test_function\nsource = proj\n"
                  f"data_file = {out / '.coverage'}\n")
    py = sys.executable
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([py, "-m", "coverage", "run", f"--rcfile={rc}", "tests/run_all.py"], cwd=root,
                   check=True, env=env)
    subprocess.run([py, "-m", "coverage", "xml", f"--rcfile={rc}", "-q", "-o", str(out / "cov.xml")],
                   cwd=root, check=True)
    subprocess.run([py, "-m", "coverage", "lcov", f"--rcfile={rc}", "-q", "-o",
                    str(out / "cov.lcov")], cwd=root, check=True)
    return {"coverage.py": out / ".coverage", "cobertura": out / "cov.xml", "lcov": out / "cov.lcov",
            "rc": rc}


def best(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()

    from codemap.coverage.service import coverage_report, load_coverage
    from codemap.index.scan import list_repo_files
    from codemap.index.service import build_index
    from codemap.repo import find_repo

    with tempfile.TemporaryDirectory(prefix="codemap-covbench-") as tmp:
        root = Path(tmp) / "repo"
        out = Path(tmp) / "out"
        root.mkdir()
        out.mkdir()
        t0 = time.perf_counter()
        make_project(root, args.files)
        data = record(root, out)
        print(f"generated {args.files} modules and recorded coverage in "
              f"{time.perf_counter() - t0:.1f}s")
        repo = find_repo(root)
        files = list_repo_files(repo)

        def coverage_report_cmd() -> None:
            subprocess.run([sys.executable, "-m", "coverage", "report", f"--rcfile={data['rc']}"],
                           cwd=root, check=True, stdout=subprocess.DEVNULL)

        baseline = best(coverage_report_cmd, args.runs)
        print(f"baseline  coverage report (subprocess, parses every file): {baseline:.3f}s")
        for fmt in ("coverage.py", "cobertura", "lcov"):
            path = str(data[fmt])
            load = best(lambda p=path: load_coverage(repo, p, files=files), args.runs)

            def load_all(p: str = path) -> None:
                cov = load_coverage(repo, p, files=files)
                assert cov is not None
                for rel in cov.paths():
                    cov.file_summary(rel)

            resolved = best(load_all, args.runs)
            cov = load_coverage(repo, path, files=files)
            assert cov is not None
            paths = cov.paths()
            rnd = random.Random(7)
            picks = [(rnd.choice(paths), rnd.randint(1, 50)) for _ in range(1000)]

            def lookups(c=cov, picks=picks) -> None:
                for rel, line in picks:
                    c.line(rel, line)

            first = best(lookups, 1)
            warm = best(lookups, args.runs)
            verdict = "OK" if load < 1.0 else "SLOW"
            print(f"{fmt:<12} load {load:.3f}s [{verdict} < 1s] ({len(paths)} files mapped); "
                  f"load + resolve every file {resolved:.3f}s "
                  f"({resolved / baseline:.2f}x coverage report); "
                  f"1000 line() look-ups {first:.3f}s cold, {warm:.4f}s warm")
        build_index(repo)
        full = best(lambda: coverage_report(repo, None, coverage_file=str(data["coverage.py"])),
                    args.runs)
        report = coverage_report(repo, None, coverage_file=str(data["coverage.py"]))
        tests = statistics.mean(len(r.tests) for r in report.symbols)
        print(f"full report (warm index): {full:.3f}s for {len(report.symbols)} symbols "
              f"({full / baseline:.2f}x coverage report), {tests:.1f} tests per symbol")


if __name__ == "__main__":
    main()
