"""Fixtures for endpoint tests: framework sources fetched at run time, never committed.

Sdists and npm packages are downloaded with pip / npm into pytest's cache
directory (``.pytest_cache``, git-ignored) on first use; a test that needs
one is skipped with the reason when the registry cannot be reached.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest


def _cache(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.cache.mkdir("codemap-endpoint-sources"))


@pytest.fixture(scope="session")
def sdist(request: pytest.FixtureRequest):
    """``sdist("flask")``: the unpacked sdist of the installed version of a package."""

    def get(name: str) -> Path:
        try:
            ver = version(name)
        except PackageNotFoundError:
            pytest.skip(f"{name} is not installed (pip install {name})")
        base = _cache(request)
        unpacked = base / f"{name}-{ver}"
        if (unpacked / ".complete").exists():
            return unpacked
        dl = base / "downloads"
        dl.mkdir(exist_ok=True)
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "-q", "-d", str(dl), f"{name}=={ver}"],
            capture_output=True, text=True, timeout=300)
        archives = [p for p in dl.iterdir() if p.name.lower().startswith(name.lower())
                    and ver in p.name and p.name.endswith((".tar.gz", ".zip"))]
        if not archives:
            pytest.skip(f"cannot download the {name} {ver} sdist: {proc.stderr.strip()[-200:]}")
        if unpacked.exists():
            shutil.rmtree(unpacked)
        with tarfile.open(archives[0]) as tar:
            try:
                tar.extractall(base / "tmp-extract", filter="data")
            except TypeError:  # Python without extraction filters
                tar.extractall(base / "tmp-extract")  # noqa: S202 - a PyPI sdist
        top = next((base / "tmp-extract").iterdir())
        shutil.move(str(top), unpacked)
        shutil.rmtree(base / "tmp-extract", ignore_errors=True)
        (unpacked / ".complete").write_text("ok")
        return unpacked

    return get


@pytest.fixture(scope="session")
def node_modules(request: pytest.FixtureRequest):
    """``node_modules("express@4", "express-generator@4")``: a folder with those npm packages."""

    def get(*specs: str) -> Path:
        if shutil.which("node") is None or shutil.which("npm") is None:
            pytest.skip("node / npm are not installed")
        folder = _cache(request) / ("npm-" + "-".join(s.replace("/", "_") for s in specs))
        if (folder / ".complete").exists():
            return folder / "node_modules"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "package.json").write_text('{"name": "codemap-fixture", "private": true}')
        proc = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", *specs],
                              cwd=folder, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "npm_config_update_notifier": "false"})
        if proc.returncode != 0:
            pytest.skip(f"npm install {' '.join(specs)} failed: {proc.stderr.strip()[-200:]}")
        (folder / ".complete").write_text("ok")
        return folder / "node_modules"

    return get
