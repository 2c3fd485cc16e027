"""Module-scoped fixture repositories for the hardening tests (built once per module)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.hardening.fixture import Fixture, build_fixture


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    """The hostile repository; its config has an unknown (hostile) key, so commands warn."""
    yield build_fixture(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def quiet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fixture]:
    """The same repository without the unknown config key: errors are the only stderr."""
    yield build_fixture(tmp_path_factory.mktemp("quiet"), config_warning=False)


@pytest.fixture(scope="module")
def in_repo(hostile: Fixture) -> Iterator[Fixture]:
    """Run with the repository as the working directory (as a user would)."""
    old = os.getcwd()
    os.chdir(hostile.root)
    try:
        yield hostile
    finally:
        os.chdir(old)
