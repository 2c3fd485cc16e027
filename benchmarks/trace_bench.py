"""Trace benchmark: parsing big logs, and ``codemap trace`` end to end on Django.

1. Parsing. A realistic log (timestamped noise lines, JSON-escaped records,
   and every kind of trace codemap reads: Python with chains, pytest, JVM with
   causes, Node, Go dumps, Ruby, Rust, .NET, PHP) is repeated to 5, 10 and 20
   MB. For each size the script prints, best of ``--runs``:

   * the baseline: splitting the text into lines and searching each line for
     one literal (the least any line-oriented scanner does);
   * ``find_traces`` (detection + parsing of every trace), its MB/s and its
     ratio to the baseline;

   then the growth ratio 20 MB / 5 MB (linear = 4.0; target: 20 MB < 10 s).

2. End to end. Django's sdist (from PyPI, cached in benchmarks/.cache) is
   committed into a temporary git repository and indexed; a Django traceback
   written from real symbols of the index (paths as a container prints them,
   ``/srv/app/django/...``, plus site-packages and stdlib frames) is mapped
   by ``python -m codemap trace FILE --json`` (a new process each run, warm
   index). Baseline in the same run: ``python -m codemap at PATH:LINE
   --json``. Target: < 0.4 s.

    python benchmarks/trace_bench.py [--runs 3] [--skip-django]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._corpus import codemap_cmd, fresh_copy, sdist  # noqa: E402
from codemap.traces.detect import find_traces  # noqa: E402
from tests.traces import samples  # noqa: E402

PY_TRACE = """\
Traceback (most recent call last):
  File "/srv/app/shop/views.py", line 41, in dispatch
    return handler(request, *args, **kwargs)
  File "/srv/app/shop/views.py", line 88, in post
    order = self.service.place(request.user, form.cleaned_data)
  File "/usr/local/lib/python3.12/site-packages/django/db/transaction.py", line 290, in inner
    return func(*args, **kwds)
  File "/srv/app/shop/service.py", line 17, in place
    total = cart.total(coupon)
            ^^^^^^^^^^^^^^^^^^
KeyError: 'HALF'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/srv/app/shop/service.py", line 19, in place
    raise OrderError("order failed") from exc
shop.errors.OrderError: order failed
"""

JAVA_TRACE = """\
java.lang.IllegalStateException: ratio failed
\tat com.acme.shop.App.wrap(App.java:63)
\tat com.acme.shop.App.run(App.java:33)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)
\tat java.base/java.lang.Thread.run(Thread.java:833)
Caused by: java.lang.ArithmeticException: / by zero
\tat com.acme.shop.Cart$Totals.ratio(Cart.java:41)
\tat com.acme.shop.App.wrap(App.java:61)
\t... 3 more
"""

NODE_TRACE = """\
TypeError: Cannot read properties of undefined (reading 'name')
    at Repo.find (/srv/app/src/repo.js:10:24)
    at Object.load (/srv/app/src/service.js:8:17)
    at async run (/srv/app/src/main.js:7:31)
"""


def build_log(size_mb: int, seed: int = 7) -> str:
    """A log of about ``size_mb`` MB: mostly noise, a trace every ~40 lines."""
    rng = random.Random(seed)
    traces = [PY_TRACE, JAVA_TRACE, NODE_TRACE, *(getattr(samples, n) for n in dir(samples)
                                                  if n.isupper())]
    out: list[str] = []
    size = 0
    k = 0
    target = size_mb * 1024 * 1024
    while size < target:
        k += 1
        if k % 40 == 0:
            block = rng.choice(traces)
            if k % 120 == 0:  # a JSON log record holding the trace with literal \n
                block = json.dumps({"ts": f"2026-03-05T10:{k % 60:02d}:00Z", "level": "error",
                                    "stack": block}) + "\n"
        else:
            block = (f"2026-03-05 10:{k % 60:02d}:{k % 59:02d},{k % 1000:03d} INFO "
                     f"[worker-{k % 8}] GET /api/v1/items/{k} 200 in {k % 97}ms at node-{k % 5}\n")
        out.append(block)
        size += len(block)
    return "".join(out)


def best(runs: int, func) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def parse_bench(runs: int) -> None:
    print(f"parsing (best of {runs})")
    print(f"{'size':>6} {'baseline':>10} {'find_traces':>12} {'MB/s':>7} {'x baseline':>11} "
          f"{'traces':>7}")
    results = {}
    for mb in (5, 10, 20):
        text = build_log(mb)

        def baseline(text: str = text) -> None:
            for line in text.split("\n"):
                _ = "Traceback" in line

        t_base = best(runs, baseline)
        t_parse = best(runs, lambda text=text: find_traces(text))
        count = len(find_traces(text))
        results[mb] = t_parse
        print(f"{mb:>4}MB {t_base:>9.2f}s {t_parse:>11.2f}s {mb / t_parse:>7.1f} "
              f"{t_parse / t_base:>10.1f}x {count:>7}")
    print(f"growth 20MB/5MB: {results[20] / results[5]:.2f} (linear = 4.00); "
          f"20 MB in {results[20]:.2f}s (target < 10 s)")


def _django_trace(tree: Path) -> str:
    """A traceback through real Django functions (lines inside real symbols)."""
    from codemap.index.service import open_index
    from codemap.repo import find_repo

    reader = open_index(find_repo(tree))
    wanted = ["django/core/handlers/exception.py", "django/core/handlers/base.py",
              "django/views/generic/base.py", "django/contrib/auth/mixins.py",
              "django/views/generic/edit.py", "django/forms/forms.py", "django/db/models/query.py",
              "django/db/models/sql/compiler.py", "django/db/backends/utils.py"]
    lines = ["Traceback (most recent call last):"]
    for rel in wanted:
        syms = [s for s in reader.symbols_in_file(rel) if s.kind in ("function", "method")]
        sym = syms[len(syms) // 2]
        line = (sym.start_line + sym.end_line) // 2
        lines.append(f'  File "/srv/app/{rel}", line {line}, in {sym.name}')
        lines.append("    pass")
        if rel.endswith("base.py") and "handlers" in rel:
            lines.append('  File "/usr/local/lib/python3.12/site-packages/asgiref/sync.py", '
                         'line 254, in __call__')
            lines.append("    return call_result.result()")
    lines.append("django.db.utils.OperationalError: no such table: shop_order")
    return "\n".join(lines) + "\n"


def django_bench(runs: int) -> None:
    tree = fresh_copy(sdist("Django", "5.1.4"))
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=tree, check=True)
    subprocess.run([*git, "add", "-A"], cwd=tree, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "django"], cwd=tree, check=True)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    start = time.perf_counter()
    subprocess.run(codemap_cmd("index", "--repo", str(tree)), cwd=tree, env=env, check=True,
                   capture_output=True)
    print(f"\nend to end on Django 5.1.4 ({sum(1 for _ in tree.rglob('*.py'))} .py files); "
          f"cold index {time.perf_counter() - start:.1f}s")
    trace = Path(tempfile.mkdtemp()) / "django-trace.txt"
    trace.write_text(_django_trace(tree))

    def run(*args: str) -> float:
        t = time.perf_counter()
        subprocess.run(codemap_cmd(*args), cwd=tree, env=env, check=True, capture_output=True)
        return time.perf_counter() - t

    run("trace", str(trace), "--json")  # warm caches
    t_at = best(runs, lambda: run("at", "django/db/models/query.py:500", "--json"))
    t_trace = best(runs, lambda: run("trace", str(trace), "--json"))
    out = subprocess.run(codemap_cmd("trace", str(trace), "--json"), cwd=tree, env=env,
                         check=True, capture_output=True).stdout
    frames = [f for e in json.loads(out)["exceptions"] for f in e["frames"]]
    mapped = sum(1 for f in frames if f["in_repo"] and f["symbol"]
                 and f.get("name_mismatch") is False)
    print(f"  baseline  codemap at --json      {t_at:.3f}s")
    print(f"  codemap trace --json             {t_trace:.3f}s  ({t_trace / t_at:.2f}x baseline; "
          f"target < 0.4 s); {mapped}/{len(frames)} frames on the right symbol")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-django", action="store_true")
    args = ap.parse_args()
    parse_bench(args.runs)
    if not args.skip_django:
        django_bench(max(args.runs, 5))


if __name__ == "__main__":
    main()
