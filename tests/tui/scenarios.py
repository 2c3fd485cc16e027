"""UI scenarios on the demo repository, shared by the snapshot tests and
``scripts/screenshots.py`` (so the README's screenshots are the tested screens).

A scenario builds the app on a built demo with a frozen clock (relative
dates stay stable), then drives it: key presses and typed text, waiting
after each step until every worker has finished.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

FROZEN_NOW = datetime(2025, 11, 21, 9, 30, tzinfo=timezone.utc)


QUIET_SECONDS = 0.3


def frozen_clock() -> datetime:
    return FROZEN_NOW


async def settle(pilot: Any, timeout: float = 30.0) -> None:
    """Wait until no worker has run for a while and the screen has caught up.

    A finished worker's result can start the next one only after its message is
    handled; on a loaded machine that gap can exceed a few polls, so quiet must
    last QUIET_SECONDS, not a couple of ticks (a snapshot taken in the gap is flaky).
    """
    app = pilot.app
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    quiet_since = loop.time()
    while loop.time() < deadline:
        await pilot.pause(0.02)
        if any(w.is_running for w in app.workers):
            quiet_since = loop.time()
        elif loop.time() - quiet_since >= QUIET_SECONDS:
            break
    await pilot.pause()


def app_on_trace(repo_root: Any, trace: str | bytes, where: Any) -> Any:
    """The app opened on ``repo_root`` with ``trace`` (a crash's output) saved as
    ``where/crash.txt``, as ``codemap --trace crash.txt`` opens it; not yet running."""
    from pathlib import Path

    from codemap.tui.launch import make_app

    path = Path(where) / "crash.txt"
    if isinstance(trace, bytes):
        path.write_bytes(trace)
    else:
        path.write_text(trace)
    return make_app(str(repo_root), trace_file=str(path))


async def drive(pilot: Any, steps: Sequence[str]) -> None:
    """Run steps: ``type:TEXT`` types text, anything else is a key name."""
    await settle(pilot)
    for step in steps:
        if step.startswith("type:"):
            for ch in step[5:]:
                await pilot.press(ch if ch != " " else "space")
            await pilot.pause(0.3)
        else:
            await pilot.press(step)
        await settle(pilot)


@dataclass(frozen=True)
class Scenario:
    name: str
    title: str  # what the screenshot shows (README alt text)
    size: tuple[int, int] = (160, 45)
    trace: bool = False
    endpoint: str | None = None
    steps: tuple[str, ...] = ()
    theme: str = "textual-dark"
    trace_text: str | None = None  # a trace other than the demo's crash
    extra: dict[str, Any] = field(default_factory=dict)

    def make_app(self, demo: Any) -> Any:
        from codemap.tui.app import CodemapApp
        from codemap.tui.launch import make_app

        trace_file = demo.trace_file if self.trace else None
        app: CodemapApp = make_app(demo.repo, trace_file=trace_file, endpoint=self.endpoint)
        if self.trace_text is not None:
            from dataclasses import replace

            app.session.options = replace(app.session.options, trace_text=self.trace_text,
                                          trace_name="pasted")
            app.start_mode = "trace"
        app.session.clock = frozen_clock
        app.theme = self.theme
        return app

    def run_before(self) -> Callable[[Any], Any]:
        async def run(pilot: Any) -> None:
            await drive(pilot, self.steps)

        return run


UNRELATED_TRACE = """Traceback (most recent call last):
  File "/opt/other/service/main.py", line 10, in <module>
    run()
  File "/opt/other/service/main.py", line 7, in run
    raise RuntimeError("elsewhere")
RuntimeError: elsewhere
"""

SCENARIOS: tuple[Scenario, ...] = (
    Scenario("trace", "Trace mode: frames, the raising line with blame, AI and coverage "
             "marks, suspect commits, the culprit commit's diff, owners and tests", trace=True),
    Scenario("trace_80x24", "Trace mode in an 80x24 terminal", size=(80, 24), trace=True),
    Scenario("trace_side_80x24", "Trace mode at 80x24 with the side panel open (s)",
             size=(80, 24), trace=True, steps=("s",)),
    Scenario("trace_blame_parent", "Blame walked back to the parent of the culprit commit (,)",
             trace=True, steps=("c", "comma")),
    Scenario("trace_light", "Trace mode, light theme", trace=True, theme="textual-light"),
    Scenario("trace_no_match", "A trace that matches nothing in this repository",
             size=(100, 30), trace_text=UNRELATED_TRACE),
    Scenario("explore", "Explore mode: fuzzy symbol finder, file tree, callers and callees",
             steps=("slash", "type:bulk", "enter")),
    Scenario("endpoint", "Endpoint mode: GET /orders/42, its handler and call tree with "
             "owners, coverage and recent changes", endpoint="GET /orders/42"),
    Scenario("help", "The help screen, rendered from the key bindings", size=(100, 40),
             trace=True, steps=("question_mark",)),
    Scenario("tour", "Tour mode: a generated onboarding walkthrough, step by step",
             steps=("4",)),
    Scenario("review", "Review mode on the last three commits: the symbols the change "
             "touches, riskiest first, with reasons", steps=("5", "type:HEAD~3..HEAD", "enter")),
)


def scenario(name: str) -> Scenario:
    return next(s for s in SCENARIOS if s.name == name)
