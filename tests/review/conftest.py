"""Fixtures for the review tests: repositories built from real releases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GitRepoBuilder
from tests.review.realrepo import RegistryUnavailable, build_big_history, commit_releases

CLICK_VERSIONS = ("8.1.3", "8.1.4", "8.1.5", "8.1.6", "8.1.7")


@pytest.fixture(scope="session")
def wheel_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.getbasetemp() / "wheels"


@pytest.fixture(scope="session")
def click_history(tmp_path_factory: pytest.TempPathFactory,
                  wheel_cache: Path) -> tuple[Path, list[str]]:
    """click 8.1.3 .. 8.1.7, one commit per release by a different author
    (read-only: copy it before changing anything)."""
    builder = GitRepoBuilder(tmp_path_factory.mktemp("click") / "repo")
    try:
        shas = commit_releases(builder, "click", CLICK_VERSIONS, wheel_cache)
    except RegistryUnavailable as exc:
        pytest.skip(f"PyPI is unreachable, cannot build real history: {exc}")
    return builder.root, shas


@pytest.fixture(scope="session")
def big_history(tmp_path_factory: pytest.TempPathFactory,
                wheel_cache: Path) -> tuple[Path, list[str]]:
    """~1,000 files of networkx + pip, then 50 commits of real changes (shared with
    the tour tests; read-only)."""
    try:
        return build_big_history(tmp_path_factory.getbasetemp() / "big-history", wheel_cache)
    except RegistryUnavailable as exc:
        pytest.skip(f"PyPI is unreachable, cannot build real history: {exc}")


@pytest.fixture
def click_copy(click_history: tuple[Path, list[str]], tmp_path: Path) -> Iterator[GitRepoBuilder]:
    """A private, writable copy of the click history repository."""
    src, _ = click_history
    dest = tmp_path / "click-copy"
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("codemap"))
    builder = GitRepoBuilder.__new__(GitRepoBuilder)
    builder.root = dest
    builder._tick = 10
    yield builder
