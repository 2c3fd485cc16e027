"""Fixtures for the history tests: repositories built from real releases."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import GitRepoBuilder
from tests.history.releases import RegistryUnavailable, commit_releases

SIX_VERSIONS = ("1.12.0", "1.13.0", "1.14.0", "1.15.0", "1.16.0")


@pytest.fixture(scope="session")
def sdist_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sdists")


@pytest.fixture(scope="session")
def six_history(tmp_path_factory: pytest.TempPathFactory, sdist_cache: Path) -> tuple[Path, list[str]]:
    """A repository holding six 1.12.0 .. 1.16.0, one commit per release by
    a different author (read-only: copy it before changing anything)."""
    builder = GitRepoBuilder(tmp_path_factory.mktemp("six") / "repo")
    try:
        shas = commit_releases(builder, "six", SIX_VERSIONS, sdist_cache)
    except RegistryUnavailable as exc:
        pytest.skip(f"PyPI is unreachable, cannot build real history: {exc}")
    return builder.root, shas


@pytest.fixture
def six_copy(six_history: tuple[Path, list[str]], tmp_path: Path) -> Iterator[GitRepoBuilder]:
    """A private, writable copy of the six history repository."""
    src, _ = six_history
    dest = tmp_path / "six-copy"
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("codemap"))
    builder = GitRepoBuilder.__new__(GitRepoBuilder)
    builder.root = dest
    builder._tick = 10
    yield builder
