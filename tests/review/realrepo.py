"""Repositories built from real releases of real packages, for review and tour tests.

Wheels of pure-Python packages hold the package's real source files, and
pip downloads them without building anything, so a release history costs
one small download per version (pip's cache makes repeats free). Each
release is committed by a different author; :func:`commit_release_in_parts`
splits one release's changes over several commits (file by file), which
turns two real releases into a long range of real changes. When the
registry cannot be reached the caller skips with the reason.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from tests.history.releases import AUTHORS, RegistryUnavailable

__all__ = ["RegistryUnavailable", "download_wheel", "release_files", "write_release",
           "commit_releases", "commit_release_in_parts"]


def download_wheel(package: str, version: str, dest: Path) -> Path:
    """The (pure-Python) wheel of ``package==version``, downloaded once into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    stem = package.lower().replace("-", "_")
    for p in dest.glob("*.whl"):
        if p.name.lower().startswith(f"{stem}-{version}-"):
            return p
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
         "--disable-pip-version-check", "-q", "-d", str(dest), f"{package}=={version}"],
        capture_output=True, text=True, timeout=300)
    for p in dest.glob("*.whl"):
        if p.name.lower().startswith(f"{stem}-{version}-"):
            return p
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    raise RegistryUnavailable(f"pip download {package}=={version} failed: {tail}")


def release_files(wheel: Path, prefix: str = "") -> dict[str, bytes]:
    """The files of a wheel (metadata left out), under ``prefix``."""
    out: dict[str, bytes] = {}
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or ".dist-info/" in name or ".data/" in name:
                continue
            out[prefix + name] = zf.read(info)
    return out


def _tracked(root: Path, prefix: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--", prefix or "."], cwd=root,
                         capture_output=True, check=True).stdout
    return {p.decode() for p in out.split(b"\0") if p}


def write_release(root: Path, files: dict[str, bytes], prefix: str,
                  only: set[str] | None = None) -> None:
    """Make the tree under ``prefix`` equal ``files`` (restricted to paths in ``only``)."""
    current = _tracked(root, prefix)
    for rel in sorted(current - set(files)):
        if only is None or rel in only:
            (root / rel).unlink(missing_ok=True)
    for rel, data in files.items():
        if only is not None and rel not in only:
            continue
        path = root / rel
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def commit_releases(builder, package: str, versions: Sequence[str], cache: Path, *,
                    prefix: str = "", start_month: int = 1) -> list[str]:
    """Commit each release in order, each by another author a month later; the shas."""
    shas = []
    for i, version in enumerate(versions):
        files = release_files(download_wheel(package, version, cache), prefix)
        write_release(builder.root, files, prefix)
        month = start_month + i
        shas.append(builder.commit(
            f"Release {package} {version}", author=AUTHORS[i % len(AUTHORS)],
            date=f"{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}-01T12:00:00+00:00"))
    return shas


def commit_release_in_parts(builder, releases: Sequence[tuple[dict[str, bytes], str]],
                            parts: int, *, day: str = "2025-09") -> list[str]:
    """Move the tree to the given releases (files, prefix) in ``parts`` commits.

    The changed paths are dealt out to the commits in sorted order, so every
    commit holds real changes (added, modified and deleted files) and the
    last one leaves the tree equal to the releases.
    """
    changed: list[tuple[str, dict[str, bytes], str]] = []
    for files, prefix in releases:
        current = _tracked(builder.root, prefix)
        for rel in sorted(set(files) | current):
            path = builder.root / rel
            old = path.read_bytes() if path.is_file() else None
            if old != files.get(rel):
                changed.append((rel, files, prefix))
    if not changed:
        return []
    shas: list[str] = []
    parts = min(parts, len(changed))
    bounds = [round(i * len(changed) / parts) for i in range(parts + 1)]
    for n in range(parts):
        chunk = changed[bounds[n]:bounds[n + 1]]
        for rel, files, prefix in chunk:
            write_release(builder.root, files, prefix, only={rel})
        author = AUTHORS[n % len(AUTHORS)]
        shas.append(builder.commit(f"Part {n + 1}: {len(chunk)} files", author=author,
                                   date=f"{day}-{1 + n % 28:02d}T{8 + n // 28:02d}:00:00+00:00"))
    return shas


def copy_repo(src: Path, dest: Path) -> Path:
    """A private copy of a fixture repository (its codemap caches left behind)."""
    shutil.copytree(src, dest, symlinks=True, ignore=shutil.ignore_patterns("codemap"))
    return dest


BIG_FIRST = (("networkx", "3.4.2"), ("pip", "24.2"))
BIG_SECOND = (("networkx", "3.5"), ("pip", "24.3.1"))
BIG_PARTS = 50


def build_big_history(root: Path, cache: Path) -> tuple[Path, list[str]]:
    """A ~1,000-file repository (networkx and pip side by side, real releases), whose
    last ``BIG_PARTS`` commits move both packages to their next release.

    Returns the root and the shas (first the import, then the parts). Built once per
    ``root``: a second call reads the shas back from git.
    """
    from tests.conftest import GitRepoBuilder

    done = root / ".git" / "codemap-fixture-done"
    if done.is_file():
        shas = subprocess.run(["git", "rev-list", "--reverse", "HEAD"], cwd=root,
                              capture_output=True, text=True, check=True).stdout.split()
        return root, shas
    if root.exists():
        shutil.rmtree(root)
    builder = GitRepoBuilder(root)
    first: dict[str, bytes] = {}
    for package, version in BIG_FIRST:
        first.update(release_files(download_wheel(package, version, cache)))
    write_release(root, first, "")
    shas = [builder.commit("Import networkx 3.4.2 and pip 24.2",
                           author=AUTHORS[0], date="2025-06-01T12:00:00+00:00")]
    second = [(release_files(download_wheel(package, version, cache)), f"{package}/")
              for package, version in BIG_SECOND]
    shas += commit_release_in_parts(builder, second, BIG_PARTS)
    done.write_text("ok\n")
    return root, shas
