"""How long until the UI shows a trace's frames and source, from launch.

Two cases, each run in fresh processes (interpreter start and imports
included), driving the app headless:

* warm: the demo repository with its index already built (target < 1.0 s);
* cold: a generated 1,000-file repository with no index (target < 3 s for
  the first full screen; the index fills in afterwards, also timed).

"First full screen" means the frame list holds the trace's frames and the
code view shows the raising frame's source. Baselines measured in the same
run: starting Python and importing Textual, and ``codemap trace --json`` on
the same input (the engine alone, no UI).

    python benchmarks/tui_bench.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import asyncio, json, sys, time
from codemap.tui.launch import make_app
from codemap.tui.widgets.code_view import CodeView
from codemap.tui.widgets.frame_list import FrameList

async def main(repo, trace):
    app = make_app(repo, trace_file=trace)
    out = {}
    async with app.run_test(size=(160, 45)) as pilot:
        while "first" not in out:
            try:
                screen = app.screen
                code, frames = screen.query_one(CodeView), screen.query_one(FrameList)
                if code.lines and frames.frame_refs:
                    out["first"] = time.time()
            except Exception:
                pass
            await asyncio.sleep(0.002)
        while not app.session.index_ready.is_set() or any(w.is_running for w in app.workers):
            await asyncio.sleep(0.01)
        out["settled"] = time.time()
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def run_child(repo: str, trace: str) -> dict[str, float]:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    start = time.time()
    proc = subprocess.run([sys.executable, "-c", CHILD, repo, trace], capture_output=True,
                          text=True, env=env, timeout=300, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-2000:]}")
    marks = json.loads(proc.stdout.strip().splitlines()[-1])
    return {k: v - start for k, v in marks.items()}


def timed(cmd: list[str], cwd: str | None = None) -> float:
    start = time.time()
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=True, timeout=300)
    return time.time() - start


def drop_index(repo: Path) -> None:
    import shutil

    shutil.rmtree(repo / ".git" / "codemap", ignore_errors=True)


def make_big_repo(root: Path, files: int = 1000) -> tuple[Path, Path]:
    """A git repository of ``files`` Python modules and a real crash trace from it."""
    repo = root / "big"
    for i in range(files):
        pkg = repo / f"pkg{i % 25}"
        pkg.mkdir(parents=True, exist_ok=True)
        (pkg / "__init__.py").touch()
        body = [f'"""Module {i}."""', ""]
        for f in range(8):
            body += [f"def func_{i}_{f}(x):", f"    y = x * {f + 1}"]
            body += [f"    y = y + {k} if y % {k + 2} else y - {k}" for k in range(6)]
            body += ["    return y", ""]
        (pkg / f"mod{i}.py").write_text("\n".join(body) + "\n")
    (repo / "pkg0" / "crash.py").write_text(
        "from pkg1.mod1 import func_1_3\n\n\ndef explode(n):\n    return func_1_3(n) / 0\n\n\n"
        "if __name__ == '__main__':\n    explode(3)\n")
    env = {**os.environ, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "b@example.com",
           "GIT_CONFIG_NOSYSTEM": "1"}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "generated"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)
    crash = subprocess.run([sys.executable, "-m", "pkg0.crash"], cwd=repo, capture_output=True,
                           env={**env, "PYTHONDONTWRITEBYTECODE": "1"})
    trace = root / "big-crash.txt"
    trace.write_bytes(crash.stderr)
    return repo, trace


def report(name: str, values: list[float], target: float | None = None) -> None:
    med = statistics.median(values)
    spread = f"(min {min(values):.3f}, max {max(values):.3f})" if len(values) > 1 else ""
    verdict = ""
    if target is not None:
        verdict = f"  target < {target:.1f} s: {'ok' if med < target else 'MISSED'}"
    print(f"{name:<46} {med:7.3f} s {spread}{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from codemap.demo.builder import build_demo

    with tempfile.TemporaryDirectory(prefix="codemap-bench-") as tmp:
        root = Path(tmp)
        demo = build_demo(root / "demo")
        codemap = [sys.executable, "-m", "codemap"]
        subprocess.run([*codemap, "index", "--repo", demo.repo], check=True, capture_output=True)

        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, {args.runs} runs each\n")
        print("baselines (same run)")
        report("python + import textual.app",
               [timed([sys.executable, "-c", "import textual.app"]) for _ in range(args.runs)])
        report("codemap trace --json (demo, warm index)",
               [timed([*codemap, "trace", demo.trace_file, "--repo", demo.repo, "--json"])
                for _ in range(args.runs)])

        print("\nwarm: the demo, index built")
        warm = [run_child(demo.repo, demo.trace_file) for _ in range(args.runs)]
        report("first full screen (frames + source)", [w["first"] for w in warm], 1.0)
        report("everything loaded (blame, suspects, owners)", [w["settled"] for w in warm])

        print("\ncold: 1,000 generated files, no index")
        repo, trace = make_big_repo(root)
        cold = []
        for _ in range(args.runs):
            drop_index(repo)
            cold.append(run_child(str(repo), str(trace)))
        report("first full screen (frames + source)", [c["first"] for c in cold], 3.0)
        report("index complete, symbols filled in", [c["settled"] for c in cold])
    return 0


if __name__ == "__main__":
    sys.exit(main())
