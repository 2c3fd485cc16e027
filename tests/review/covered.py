"""A package changed by a second commit, with coverage.py data of its tests (per-test
contexts) recorded after it: what review tests that read diff coverage start from."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import GitRepoBuilder
from tests.coverage.conftest import coverage_run, write_rc


def covered_change(repo: GitRepoBuilder, tmp_path: Path, module: str, before: str,
                   after: str, tests: str) -> GitRepoBuilder:
    """``pkg/<module>.py`` committed as ``before`` (with ``tests/test_<module>.py``) by
    Alice, then as ``after`` by Bob; its tests then run under coverage into ``.coverage``."""
    repo.write(".gitignore", ".coverage\n")
    repo.write("pkg/__init__.py", "")
    repo.write(f"pkg/{module}.py", before)
    repo.write("tests/__init__.py", "")
    repo.write(f"tests/test_{module}.py", tests)
    repo.commit("init", author="Alice Able <alice@example.com>")
    repo.write(f"pkg/{module}.py", after)
    repo.commit("tweak", author="Bob Builder <bob@example.com>")
    rc = write_rc(tmp_path / "covrc", repo.root / ".coverage", context="test_function")
    coverage_run(repo.root, rc, "tests")
    return repo
