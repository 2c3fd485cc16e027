"""Shared fixtures: real git repositories built in a temp dir with real commits."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


class GitRepoBuilder:
    """Writes files and makes real ``git`` commits with chosen authors and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Fixture Committer")
        self.git("config", "user.email", "committer@example.com")
        self.git("config", "commit.gpgsign", "false")
        self._tick = 0

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        full_env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.root.parent),
                    **(env or {})}
        proc = subprocess.run(["git", *args], cwd=self.root, capture_output=True, env=full_env,
                              check=True)
        return proc.stdout.decode("utf-8", "replace")

    def write(self, rel: str, content: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def commit(self, message: str, *, author: str = "Alice Able <alice@example.com>",
               date: str | None = None, committer: str | None = None) -> str:
        """Stage everything and commit; returns the new commit's sha."""
        self._tick += 1
        when = date or f"2026-01-{min(self._tick, 28):02d}T10:00:00+00:00"
        name, email = author.rsplit(" <", 1)
        cname, cemail = (committer or author).rsplit(" <", 1)
        env = {
            "GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email.rstrip(">"),
            "GIT_COMMITTER_NAME": cname, "GIT_COMMITTER_EMAIL": cemail.rstrip(">"),
            "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
        }
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, env=env)
        return self.git("rev-parse", "HEAD").strip()


@pytest.fixture
def git_repo(tmp_path: Path) -> Iterator[GitRepoBuilder]:
    """An empty real git repository in a temp dir."""
    yield GitRepoBuilder(tmp_path / "repo")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the user cache dir of the machine out of tests (non-git repos index there)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
