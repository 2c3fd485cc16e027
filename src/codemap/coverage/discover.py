"""Where projects usually leave their coverage data.

Looked for at the repository root and one directory below it (monorepos:
``frontend/coverage/lcov.info``, ``service/target/site/jacoco/jacoco.xml``).
Every file found is used; when two cover the same source file the loader
keeps the newer, or the richer format for one run. Parallel coverage.py
files (``.coverage.<host>.<pid>.<random>``) of an uncombined run are read
together when there is no ``.coverage``. Only reading: nothing is combined.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Relative to the root and to each first-level directory. Data, not code.
FIXED_NAMES: tuple[str, ...] = (
    ".coverage",
    "coverage.xml",
    "cobertura.xml",
    "coverage/cobertura-coverage.xml",
    "coverage/cobertura.xml",
    "coverage/coverage.xml",
    "coverage/lcov.info",
    "coverage/lcov/lcov.info",
    "lcov.info",
    "coverage.lcov",
    "cover.out",
    "coverage.out",
    "coverage.txt",
    "c.out",
    "target/site/jacoco/jacoco.xml",
    "target/site/jacoco-aggregate/jacoco.xml",
    "build/reports/jacoco/test/jacocoTestReport.xml",
)
# Directories whose *.xml files (recursively) are JaCoCo reports (Gradle writes one per task).
REPORT_DIRS: tuple[str, ...] = ("build/reports/jacoco",)
# Files whose content is checked before use: the names are too generic to trust.
SNIFF_ONLY: frozenset[str] = frozenset({"coverage.txt", "c.out"})
SKIP_DIRS: frozenset[str] = frozenset({"node_modules", ".git", ".hg", ".svn", ".venv", "venv",
                                       ".tox", ".nox", "__pycache__", "vendor", "site-packages"})
_PARALLEL_LIMIT = 500


def _bases(root: Path) -> list[Path]:
    bases = [root]
    try:
        children = sorted(root.iterdir())
    except OSError:
        return bases
    for child in children:
        name = child.name
        if name in SKIP_DIRS or (name.startswith(".") and name != ".coverage"):
            continue
        try:
            if child.is_dir() and not child.is_symlink():
                bases.append(child)
        except OSError:
            continue
    return bases


@dataclass(frozen=True)
class DataFile:
    """A coverage data file found (several paths: the parallel files of one coverage.py run).

    ``must_sniff`` marks generic names that are used only when their content
    is coverage data (no warning when it is not).
    """

    paths: tuple[Path, ...]
    must_sniff: bool = False


def discover(root: Path) -> list[DataFile]:
    """Coverage files under ``root``, the root's first, each path once."""
    found: list[DataFile] = []
    seen: set[Path] = set()

    def add(path: Path, must_sniff: bool) -> None:
        try:
            if not path.is_file() or path in seen:
                return
        except OSError:
            return
        seen.add(path)
        found.append(DataFile((path,), must_sniff))

    for base in _bases(root):
        for name in FIXED_NAMES:
            add(base / name, name in SNIFF_ONLY)
        if not (base / ".coverage").is_file():
            parallel = parallel_files(base)[:_PARALLEL_LIMIT]
            if parallel:
                found.append(DataFile(tuple(parallel)))
        for rel in REPORT_DIRS:
            folder = base / rel
            if folder.is_dir():
                for path in sorted(folder.rglob("*.xml")):
                    add(path, True)
    return found


def parallel_files(folder: Path) -> list[Path]:
    """``.coverage.*`` data files of an uncombined parallel run in ``folder``."""
    try:
        return sorted(p for p in folder.glob(".coverage.*")
                      if p.is_file() and not p.name.endswith(("-journal", "-wal", "-shm")))
    except OSError:
        return []
