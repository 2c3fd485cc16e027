"""How much of the real call graph does codemap's static call graph find?

For real packages downloaded at run time (sdists from PyPI, a tarball from
npm; cached in ``benchmarks/.cache/``, never committed), run the package's
own test suite (Python, under ``sys.setprofile``) or a workload (JavaScript,
instrumented), record the caller -> callee edges that really happen between
functions defined in the package, and compare with codemap's edges:

* recall: the share of observed edges codemap has;
* precision proxy: for callers the run executed, the share of codemap's
  edges out of them that were observed (edges to classes without a
  constructor in the package are left out: no code runs for them, so a
  tracer cannot observe them).

Usage: ``python benchmarks/callgraph_recall.py [--only NAME] [--misses N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"
sys.path.insert(0, str(HERE))

TARGET_RECALL = {"python": 0.85, "javascript": 0.75}
TARGET_PRECISION = {"python": 0.6}


@dataclass(frozen=True)
class PyPackage:
    name: str
    version: str
    style: str
    package: str  # the package directory inside the sdist
    tests: tuple[str, ...]  # pytest arguments (paths) inside the sdist
    extra: tuple[str, ...] = ()


PY_PACKAGES = (
    PyPackage("click", "8.1.7", "class-heavy", "src/click", ("tests",)),
    PyPackage("toolz", "1.0.0", "functional", "toolz", ("toolz/tests",)),
    PyPackage("jinja2", "3.1.4", "large", "src/jinja2", ("tests",)),
    PyPackage("more-itertools", "10.5.0", "functional", "more_itertools", ("tests",)),
    PyPackage("parso", "0.8.4", "large", "parso", ("test",)),
    PyPackage("pyparsing", "3.1.4", "large", "pyparsing", ("tests",)),
)


@dataclass
class Outcome:
    name: str
    language: str
    style: str
    observed: int = 0
    found: int = 0
    static_out: int = 0
    static_observed: int = 0
    skipped: int = 0  # observed edges into generators: from who iterates, not who created
    index_seconds: float = 0.0
    run_seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.observed if self.observed else 0.0

    @property
    def precision(self) -> float:
        return self.static_observed / self.static_out if self.static_out else 0.0


# ---- fetching -----------------------------------------------------------------------------
def fetch_sdist(name: str, version: str) -> Path:
    """Download (once) and extract an sdist; returns the extracted root."""
    sdists = CACHE / "sdists"
    sdists.mkdir(parents=True, exist_ok=True)
    tarballs = [p for p in sdists.glob("*.tar.gz")
                if p.name.lower().startswith(f"{name.lower()}-{version}")]
    if not tarballs:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        ":all:", f"{name}=={version}", "-d", str(sdists), "-q"], check=True)
        tarballs = [p for p in sdists.glob("*.tar.gz")
                    if p.name.lower().startswith(f"{name.lower()}-{version}")]
    return extract(tarballs[0], CACHE / "src")


def extract(tarball: Path, into: Path) -> Path:
    into.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tarball) as tar:
        top = tar.getnames()[0].split("/")[0]
        dest = into / top
        if not dest.exists():
            tar.extractall(into, filter="data")
    return dest


# ---- the static side ----------------------------------------------------------------------------
def index_tree(root: Path) -> tuple[object, float]:
    """Index ``root`` as its own repository (cache under benchmarks/.cache/index)."""
    os.environ["CODEMAP_CACHE_DIR"] = str(CACHE / "index")
    from codemap.index.service import build_index, open_index
    from codemap.repo import Repo

    repo = Repo(root=root, git_dir=None, common_dir=None)
    started = time.perf_counter()
    build_index(repo, full=True)
    seconds = time.perf_counter() - started
    return open_index(repo, refresh=False), seconds


class SymbolMap:
    """Maps runtime functions (file, first line, name) to index symbol rows."""

    def __init__(self, reader: object, root: Path, files: set[str]) -> None:
        self.root = root
        self.by_file: dict[str, list[tuple[int, str, str, int, int]]] = {}
        conn = reader.conn  # type: ignore[attr-defined]
        marks = ",".join("?" * len(files))
        self.kind: dict[int, str] = {}
        self.label: dict[int, str] = {}
        for sid, path, name, qual, kind, start, end in conn.execute(
                "SELECT s.id, f.path, s.name, s.qualname, s.kind, s.start_line, s.end_line "
                f"FROM symbols s JOIN files f ON f.id = s.file_id WHERE f.path IN ({marks})",
                sorted(files)):
            self.by_file.setdefault(path, []).append((sid, name, kind, start, end))
            self.kind[sid] = kind
            self.label[sid] = f"{qual} ({path}:{start})"

    def find(self, rel: str, first: int, name: str, *, exact_only: bool) -> int | None:
        syms = self.by_file.get(rel, ())
        if name == "<module>":
            for sid, _n, kind, _s, _e in syms:
                if kind == "module":
                    return sid
        for sid, sname, kind, start, _e in syms:
            if start == first and (sname == name or kind == "lambda"):
                return sid
        if exact_only:
            return None
        best = None
        for sid, _n, _k, start, end in syms:
            if start <= first <= end and (best is None or end - start < best[1]):
                best = (sid, end - start)
        return best[0] if best else None


def generator_symbols(root: Path, smap: SymbolMap) -> set[int]:
    """Symbols of generator functions (``yield`` in their own body), found with ``ast``.

    A tracer sees a generator's body start when it is first iterated, from the frame that
    iterates it, never where it was created: calls into generators are not observable, so
    both sides leave them out.
    """
    import ast

    found: set[int] = set()
    for rel, syms in smap.by_file.items():
        if not rel.endswith(".py"):
            continue
        try:
            tree = ast.parse((root / rel).read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            continue
        starts: set[int] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _yields(node):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                starts.add(first)
        found.update(sid for sid, _n, kind, start, _e in syms
                     if start in starts and kind in ("function", "method"))
    return found


def finalizers(smap: SymbolMap) -> set[int]:
    """``__del__`` methods: the garbage collector runs them inside whatever frame happens to
    be running, so the tracer credits them to an unrelated caller; both sides leave them out."""
    return {sid for syms in smap.by_file.values() for sid, name, kind, _s, _e in syms
            if name == "__del__" and kind == "method"}


def _yields(func: object) -> bool:
    import ast

    stack = list(func.body)  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def compare(outcome: Outcome, reader: object, smap: SymbolMap,
            observed: set[tuple[int, int]], ran: set[int], misses: int,
            skip: set[int] = frozenset()) -> None:  # type: ignore[assignment]
    conn = reader.conn  # type: ignore[attr-defined]
    ours = set(smap.kind)
    observed = {e for e in observed if e[1] not in skip}
    static: dict[tuple[int, int], str] = {}
    for caller, callee, conf in conn.execute("SELECT caller_id, callee_id, confidence FROM edges"):
        if caller in ours and callee in ours and callee not in skip:
            static.setdefault((caller, callee), conf)
    outcome.observed = len(observed)
    outcome.found = sum(1 for e in observed if e in static)
    out_of_ran = [e for e in static if e[0] in ran and smap.kind.get(e[1]) != "class"]
    outcome.static_out = len(out_of_ran)
    outcome.static_observed = sum(1 for e in out_of_ran if e in observed)
    outcome.misses = [f"{smap.label[a]} -> {smap.label[b]}"
                      for a, b in sorted(observed - set(static))][:misses]
    outcome.false = [f"{smap.label[a]} -> {smap.label[b]} [{static[(a, b)]}]"
                     for a, b in sorted(e for e in out_of_ran if e not in observed)][:misses]


# ---- Python ----------------------------------------------------------------------------------------
def run_python(pkg: PyPackage, misses: int) -> Outcome:
    root = fetch_sdist(pkg.name, pkg.version)
    outcome = Outcome(f"{pkg.name} {pkg.version}", "python", pkg.style)
    trace_file = CACHE / "traces" / f"{pkg.name}-{pkg.version}.json"
    trace_file.parent.mkdir(parents=True, exist_ok=True)
    pkg_dir = root / pkg.package
    started = time.perf_counter()
    if not trace_file.exists():
        cmd = [sys.executable, str(HERE / "pytrace_runner.py"), str(pkg_dir), str(trace_file), "--",
               *pkg.tests, "-q", "-p", "no:cacheprovider", "-o", "filterwarnings=ignore",
               "-o", "addopts=", "--continue-on-collection-errors", *pkg.extra]
        subprocess.run(cmd, cwd=root, check=False, stdout=subprocess.DEVNULL, timeout=1800)
    outcome.run_seconds = time.perf_counter() - started
    data = json.loads(trace_file.read_text())
    if data.get("status") not in (0, 1):  # interrupted, internal error, usage error, no tests
        print(f"warning: the {pkg.name} test run ended with pytest status {data.get('status')}:"
              " the trace covers only part of the suite (--retrace after fixing)", file=sys.stderr)
    reader, outcome.index_seconds = index_tree(root)
    files = {str(Path(f).relative_to(root)) for f, _l, _n in data["codes"]}
    package_files = {p for p in reader.files()  # type: ignore[attr-defined]
                     if p.startswith(pkg.package + "/") and "/tests/" not in p}
    smap = SymbolMap(reader, root, files | package_files)

    def rel(i: int) -> tuple[str, int, str]:
        f, line, name = data["codes"][i]
        return str(Path(f).relative_to(root)), line, name

    observed: set[tuple[int, int]] = set()
    for a, b in data["edges"]:
        callee = smap.find(*rel(b), exact_only=True)
        caller = smap.find(*rel(a), exact_only=False)
        # a class body runs once, when the class statement executes: not a call
        if callee is not None and caller is not None and smap.kind[callee] != "class":
            observed.add((caller, callee))
    ran = {s for s in (smap.find(*rel(i), exact_only=False) for i in data["ran"]) if s is not None}
    generators = generator_symbols(root, smap)
    outcome.skipped = len({e for e in observed if e[1] in generators})
    skip = finalizers(smap) | (generators if os.environ.get("CM_SKIP_GENERATORS") else set())
    compare(outcome, reader, smap, observed, ran, misses, skip)
    return outcome


# ---- report --------------------------------------------------------------------------------------------
def report(outcomes: list[Outcome], show: int) -> bool:
    ok = True
    print(f"{'package':<22} {'language':<11} {'style':<12} {'observed':>8} {'found':>6} "
          f"{'recall':>7} {'precision':>9} {'index s':>8} {'gen.':>5}")
    for o in outcomes:
        recall_ok = o.recall >= TARGET_RECALL[o.language]
        precision_target = TARGET_PRECISION.get(o.language)
        precision_ok = precision_target is None or o.precision >= precision_target
        ok = ok and recall_ok and precision_ok
        prec = f"{o.precision:.3f}" if o.static_out else "-"
        print(f"{o.name:<22} {o.language:<11} {o.style:<12} {o.observed:>8} {o.found:>6} "
              f"{o.recall:>7.3f} {prec:>9} {o.index_seconds:>8.2f} {o.skipped:>5}"
              f"  {'ok' if recall_ok and precision_ok else 'BELOW TARGET'}")
        if show:
            for line in o.misses:
                print(f"    missed: {line}")
            for line in o.false:
                print(f"    not observed: {line}")
    targets = ", ".join(f"{k} recall >= {v}" for k, v in TARGET_RECALL.items())
    print(f"targets: {targets}, python precision proxy >= {TARGET_PRECISION['python']}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only this package")
    parser.add_argument("--misses", type=int, default=0, help="show N missed / unobserved edges")
    parser.add_argument("--retrace", action="store_true", help="re-run the test suites")
    args = parser.parse_args(argv)
    if args.retrace:
        for f in (CACHE / "traces").glob("*.json"):
            f.unlink()
    outcomes = []
    for pkg in PY_PACKAGES:
        if args.only in (None, pkg.name):
            outcomes.append(run_python(pkg, args.misses))
    from jstrace import JS_PACKAGES, run_javascript

    for jspkg in JS_PACKAGES:
        if args.only in (None, jspkg.name):
            outcomes.append(run_javascript(jspkg, args.misses, Outcome, compare, index_tree,
                                           SymbolMap, CACHE))
    return 0 if report(outcomes, args.misses) else 1


if __name__ == "__main__":
    sys.exit(main())
