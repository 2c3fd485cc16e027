"""Shared helpers for benchmarks: real corpora downloaded at run time, timing, memory.

Corpora come from PyPI sdists (pip download), cached in ``benchmarks/.cache``
(gitignored) and never committed. Every figure is meant to be read next to
a baseline measured in the same run.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def sdist(name: str, version: str) -> Path:
    """Download (once) and extract the sdist of ``name==version``; returns its directory."""
    CACHE.mkdir(parents=True, exist_ok=True)
    for cand in CACHE.iterdir():
        if cand.is_dir() and cand.name.lower() == f"{name}-{version}".lower():
            return cand
    tarballs = [p for p in CACHE.glob("*.tar.gz")
                 if p.name.lower().startswith(f"{name}-{version}".lower())]
    if not tarballs:
        tarballs = [download_sdist(name, version)]
    with tarfile.open(tarballs[0]) as tar:
        tar.extractall(CACHE, filter="data")
    for cand in CACHE.iterdir():
        if cand.is_dir() and cand.name.lower() == f"{name}-{version}".lower():
            return cand
    raise RuntimeError(f"could not extract {name} {version}")


def download_sdist(name: str, version: str) -> Path:
    """Fetch an sdist file from PyPI's simple index (JSON form), without building anything.

    ``pip download --no-binary`` would run the package's build backend to read
    its metadata, which fails for packages with compiled build dependencies.
    """
    import json
    import urllib.request

    req = urllib.request.Request(f"https://pypi.org/simple/{name.lower()}/",
                                 headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        files = json.load(resp)["files"]
    wanted = {f"{n}-{version}.tar.gz".lower() for n in (name, name.lower(), name.replace("-", "_"))}
    for entry in files:
        if entry["filename"].lower() in wanted:
            dest = CACHE / entry["filename"]
            urllib.request.urlretrieve(entry["url"], dest)
            return dest
    raise RuntimeError(f"no sdist {name} {version} on PyPI")


def ctags_seconds(tree: Path) -> float:
    """One ``ctags -R`` of ``tree`` (Universal Ctags, the index benchmarks' baseline)."""
    out = Path(tempfile.mkdtemp()) / "tags"
    start = time.perf_counter()
    subprocess.run(["ctags", "-R", "-f", str(out), "."], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = time.perf_counter() - start
    shutil.rmtree(out.parent, ignore_errors=True)
    return took


def fresh_copy(src: Path) -> Path:
    """A copy of ``src`` in a temp dir outside any git repository."""
    dst = Path(tempfile.mkdtemp(prefix="codemap-bench-")) / src.name
    shutil.copytree(src, dst, symlinks=True)
    return dst


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages (fork copy-on-write, libraries) are split
    between the processes that share them, so a process tree's sum is not inflated."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def tree_pss(pid: int) -> list[tuple[int, int]]:
    """(pid, PSS KiB) of a process and all its descendants, the process first."""
    out: list[tuple[int, int]] = []
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            out.append((p, _pss_kb(p)))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return out


def tree_rss_kb(pid: int) -> int:
    """Memory of a process and all its descendants, in KiB (sum of PSS)."""
    return sum(kb for _pid, kb in tree_pss(pid))


def measure_tree(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
                 ) -> tuple[float, int, int, subprocess.CompletedProcess[bytes]]:
    """(wall seconds, peak MiB of the process tree, MiB of the main process at that peak,
    result) for one command; the tree is sampled every 10 ms."""
    best = (0, 0)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        nonlocal best
        while not done.is_set():
            tree = tree_pss(proc.pid)
            total = sum(kb for _, kb in tree)
            if total > best[0]:
                best = (total, tree[0][1] if tree and tree[0][0] == proc.pid else 0)
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err.decode(errors='replace')[-2000:]}")
    return elapsed, best[0] // 1024, best[1] // 1024, result


def run_measured(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
                 ) -> tuple[float, int, subprocess.CompletedProcess[bytes]]:
    """(wall seconds, peak memory of the process tree in MiB, result) for one command.

    The memory sampler reads every process's smaps_rollup each 10 ms: a quarter of a
    core, and page-table walks that stall the measured processes' page faults (a cold
    index of Django took 9.2-10 s sampled, 7-8.6 s not). Times go through :func:`timed`;
    this is for the peak.
    """
    elapsed, peak, _main, result = measure_tree(cmd, cwd=cwd, env=env)
    return elapsed, peak, result


def timed(cmd: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None
          ) -> tuple[float, subprocess.CompletedProcess[bytes]]:
    """(wall seconds, result) for one command, nothing else running beside it."""
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                            capture_output=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: "
                           f"{result.stderr.decode(errors='replace')[-2000:]}")
    return elapsed, result


def best_of(n: int, func: Callable[[], float]) -> tuple[float, float]:
    """(best, median) of ``n`` timings."""
    times = [func() for _ in range(n)]
    return min(times), statistics.median(times)


def codemap_cmd(*args: str) -> list[str]:
    _fresh_bytecode()
    return [sys.executable, "-m", "codemap", *args]


_COMPILED: list[bool] = []


def _fresh_bytecode() -> None:
    """Bring codemap's bytecode cache up to date, once: an installed codemap runs from its
    .pyc files (pip writes them; any first run does), but with PYTHONDONTWRITEBYTECODE set,
    as on these machines, a module edited since its .pyc was written is compiled again
    on every run, about 0.06 s of each query's time that no user pays."""
    if _COMPILED:
        return
    import compileall

    import codemap

    compileall.compile_dir(str(Path(codemap.__file__).parent), quiet=1)
    _COMPILED.append(True)
