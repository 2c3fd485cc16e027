"""Repositories built from real history: consecutive sdists of a real package
from PyPI, committed one after another with different authors and dates.

Used by the history tests and benchmarks. Downloads go through pip (its
cache makes repeated runs cheap); when the registry cannot be reached the
caller skips with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

AUTHORS = (
    "Ada Lovelace <ada@example.com>",
    "Grace Hopper <grace@example.com>",
    "Alan Turing <alan@example.com>",
    "Edsger Dijkstra <edsger@example.com>",
    "Barbara Liskov <barbara@example.com>",
    "Ken Thompson <ken@example.com>",
)


class RegistryUnavailable(RuntimeError):
    """pip could not download the sdist (no network, registry down)."""


def download_sdists(package: str, versions: Sequence[str], dest: Path) -> list[Path]:
    """The sdist of each version of ``package`` (downloaded once into ``dest``)."""
    dest.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []
    for version in versions:
        found = _find(dest, package, version)
        if found is None:
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                 "--disable-pip-version-check", "-q", "-d", str(dest), f"{package}=={version}"],
                capture_output=True, text=True, timeout=300)
            found = _find(dest, package, version)
            if proc.returncode != 0 or found is None:
                tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
                raise RegistryUnavailable(f"pip download {package}=={version} failed: {tail}")
        out.append(found)
    return out


def _find(dest: Path, package: str, version: str) -> Path | None:
    names = {package.lower().replace("-", "_"), package.lower().replace("_", "-"), package.lower()}
    for p in dest.iterdir():
        low = p.name.lower()
        for name in names:
            if low.startswith(f"{name}-{version}.") and (low.endswith(".tar.gz")
                                                         or low.endswith(".zip")):
                return p
    return None


def extract_into(sdist: Path, root: Path) -> None:
    """Replace everything but ``.git`` in ``root`` with the sdist's files."""
    for child in root.iterdir():
        if child.name == ".git":
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    tmp = root.parent / (root.name + "-extract")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    if sdist.name.endswith(".zip"):
        with zipfile.ZipFile(sdist) as zf:
            zf.extractall(tmp)
    else:
        with tarfile.open(sdist) as tf:
            tf.extractall(tmp, filter="data")
    (top,) = list(tmp.iterdir())
    for child in top.iterdir():
        shutil.move(str(child), root / child.name)
    shutil.rmtree(tmp)


def commit_releases(builder, package: str, versions: Sequence[str], cache: Path,
                    *, start_day: int = 1) -> list[str]:
    """Commit each release of ``package`` into ``builder``'s repository in order,
    each by a different author on a later date; returns the commit shas."""
    shas = []
    for i, sdist in enumerate(download_sdists(package, versions, cache)):
        extract_into(sdist, builder.root)
        shas.append(builder.commit(f"Release {package} {versions[i]}",
                                   author=AUTHORS[i % len(AUTHORS)],
                                   date=f"2025-{1 + i % 12:02d}-{start_day:02d}T12:00:00+02:00"))
    return shas
