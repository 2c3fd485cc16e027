"""Fixtures for the UI tests: the demo repository, built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from codemap.demo.builder import DemoRepo, build_demo
from tests.tui.scenarios import FROZEN_NOW


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoRepo]:
    """The demo repository (real git history, coverage data and crash trace)."""
    root: Path = tmp_path_factory.mktemp("demo")
    yield build_demo(root / "built", now=FROZEN_NOW)  # the clock the snapshots use


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests of this directory in a fresh event loop (Pilot needs one)."""
    import asyncio
    import inspect

    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    kwargs = {name: pyfuncitem.funcargs[name] for name in names}
    asyncio.run(pyfuncitem.obj(**kwargs))
    return True
