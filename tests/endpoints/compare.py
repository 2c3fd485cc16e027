"""Compare statically detected endpoints with a framework's runtime route table."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from codemap.endpoints.model import Endpoint

RUNTIME = Path(__file__).with_name("runtime_routes.py")


def runtime_routes(kind: str, root: Path, *targets: str, env: dict | None = None) -> dict:
    proc = subprocess.run([sys.executable, str(RUNTIME), kind, str(root), *targets],
                          capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def _holds(e: Endpoint, r: dict) -> bool:
    h = e.handler
    return (h is not None and h.path == r["file"] and h.start_line <= r["line"] <= h.end_line
            and h.name == r["name"])


@dataclass
class Report:
    runtime: int
    found: int
    missing: list[dict] = field(default_factory=list)
    false_handlers: list[Endpoint] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.runtime if self.runtime else 1.0

    def __str__(self) -> str:
        miss = "\n".join(f"  missing {r['method']} {r['route']} -> {r['file']}:{r['line']} "
                         f"{r['name']}" for r in self.missing[:40])
        bad = "\n".join(f"  not a handler: {e.method} {e.route} -> {e.handler}"
                        for e in self.false_handlers[:40])
        return (f"{self.found}/{self.runtime} runtime routes found ({self.recall:.1%})\n"
                f"{miss}\n{bad}")


def compare(endpoints: list[Endpoint], runtime: dict, *,
            route_of=lambda e: e.pattern or e.route) -> Report:
    """Each runtime route must be found with its method, route and handler; every handler
    reported in a file the runtime imported must be a runtime handler."""
    routes = runtime["routes"]
    by_key: dict[tuple[str, str], list[Endpoint]] = {}
    for e in endpoints:
        by_key.setdefault((e.method, route_of(e)), []).append(e)
    report = Report(len(routes), 0)
    for r in routes:
        if any(_holds(e, r) for e in by_key.get((r["method"], r["route"]), ())):
            report.found += 1
        else:
            report.missing.append(r)
    handlers = {(r["file"], r["line"], r["name"]) for r in routes}
    verified = set(runtime["files"])
    declared_in = runtime.get("declared_in")
    for e in endpoints:
        h = e.handler
        if h is None or h.path not in verified or "mount" in e.unknown:
            continue  # a router never mounted statically claims no served route
        if declared_in is not None and e.path not in declared_in:
            continue  # declared in a URLconf this runtime table does not load
        if not any(f == h.path and h.start_line <= line <= h.end_line and n == h.name
                   for f, line, n in handlers):
            report.false_handlers.append(e)
    return report
