"""How fast can a query-based index of Django be at all? The floor under codemap's
extraction, measured against Universal Ctags in the same run.

The foundation's target is a cold index within 4x of ``ctags -R``. codemap
extracts facts with tree-sitter queries (per-language ``tags.scm``, as the brief
asks). This benchmark measures what the tree-sitter engine alone costs on the
same tree, before codemap does anything with the answers:

- through the Python binding codemap uses: parse, then ``QueryCursor.matches``
  (the matches become Python objects; nothing is read from them);
- through the C API (``floor.c``, built here with the system C compiler against
  the tree-sitter runtime's sources from PyPI and the Python grammar's from the
  npm registry, the versions installed): parse, then the query's matches
  counted. This is the floor a compiled extractor would stand on.

Each is run on one core, and on every core (the files split between processes,
as the index splits them), and printed with its ratio to ctags. Sources and
the corpus are downloaded at run time and cached in ``benchmarks/.cache``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _corpus import CACHE, best_of, ctags_seconds, fresh_copy, sdist  # noqa: E402
from index_bench import parse_only  # noqa: E402
from jstrace import fetch_npm  # noqa: E402


def build_floor() -> Path:
    """Compile ``floor.c`` with the tree-sitter runtime and the Python grammar."""
    # (the runtime's sdist is named tree_sitter-VERSION)
    runtime = sdist("tree_sitter", version("tree-sitter")) / "tree_sitter" / "core" / "lib"
    grammar = fetch_npm("tree-sitter-python", version("tree-sitter-python"), CACHE) / "src"
    out = Path(tempfile.mkdtemp(prefix="codemap-floor-")) / "floor"
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-O3", "-o", str(out), str(HERE / "query_floor" / "floor.c"),
                    str(runtime / "src" / "lib.c"), str(grammar / "parser.c"),
                    str(grammar / "scanner.c"), f"-I{runtime / 'include'}",
                    f"-I{runtime / 'src'}", f"-I{grammar}", "-w"], check=True)
    return out


def run_floor(binary: Path, files: list[str], workers: int) -> tuple[float, str]:
    """Wall seconds for ``workers`` floor processes over ``files`` (split between them),
    and the first process's own report."""
    query = Path(__file__).resolve().parents[1] / "src/codemap/lang/queries/python/tags.scm"
    lists = []
    for i in range(workers):  # each process reads its list from a file: all start at once
        fh = tempfile.TemporaryFile("w+")
        fh.write("\n".join(files[i::workers]) + "\n")
        fh.seek(0)
        lists.append(fh)
    start = time.perf_counter()
    procs = [subprocess.Popen([str(binary), str(query)], stdin=fh, stdout=subprocess.PIPE,
                              text=True) for fh in lists]
    outs = [proc.communicate()[0] for proc in procs]
    took = time.perf_counter() - start
    for fh in lists:
        fh.close()
    if any(proc.returncode for proc in procs):
        sys.exit("the floor program failed")
    return took, outs[0].strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--version", default="5.1.4")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    for tool in ("ctags", os.environ.get("CC", "cc"), "npm"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed here (universal-ctags, a C compiler, npm)")
    tree = fresh_copy(sdist("Django", args.version))
    files = sorted(str(p) for p in tree.rglob("*.py") if p.stat().st_size <= 1_000_000)
    binary = build_floor()
    cores = os.cpu_count() or 1
    print(f"corpus: Django {args.version}, {len(files)} .py files; {cores} cores; "
          f"tree-sitter {version('tree-sitter')}, tree-sitter-python "
          f"{version('tree-sitter-python')}")

    def ctags() -> float:
        return ctags_seconds(tree)

    ctags_best, ctags_med = best_of(args.runs, ctags)
    c_one, report = min((run_floor(binary, files, 1) for _ in range(args.runs)),
                        key=lambda r: r[0])
    c_all = min(run_floor(binary, files, cores)[0] for _ in range(args.runs))
    py_one = min(parse_only(tree, 1, query=True) for _ in range(args.runs))
    py_all = min(parse_only(tree, cores, query=True) for _ in range(args.runs))
    parse_all = min(parse_only(tree, cores) for _ in range(args.runs))
    print(f"C floor, one process: {report}")
    print(f"{'measure (best of ' + str(args.runs) + ')':<52}{'s':>7}{'x ctags':>9}")
    for name, secs in [
        ("ctags -R (baseline)", ctags_best),
        (f"parse only, Python binding, {cores} cores", parse_all),
        ("parse + tags query, Python binding, 1 core", py_one),
        (f"parse + tags query, Python binding, {cores} cores", py_all),
        ("parse + tags query, C API, 1 core", c_one),
        (f"parse + tags query, C API, {cores} cores", c_all),
    ]:
        print(f"{name:<52}{secs:>7.3f}{secs / ctags_best:>8.2f}x")
    budget = 4 * ctags_best
    print(f"the 4x budget: {budget:.3f} s; left after the engine alone: "
          f"{budget - py_all:.3f} s through the Python binding, {budget - c_all:.3f} s "
          f"through the C API (for start-up, listing, extraction, writing, indexes)")


if __name__ == "__main__":
    main()
