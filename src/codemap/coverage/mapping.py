"""Which repository file each measured file is.

Measured names are whatever the recording machine saw: absolute CI paths
(``/home/runner/work/app/app/src/x.py``), names relative to a Cobertura
``<source>`` root, Go import paths (``github.com/acme/svc/pkg/x.go``),
JaCoCo ``package/SourceFile.java``. Candidates are tried in order of
certainty, each through :class:`codemap.pathmap.PathMapper` (the one
place that turns foreign paths into repository paths):

1. Go import paths with a module prefix from one of the repository's
   ``go.mod`` files, replaced by that file's directory;
2. the name joined to each recorded source root;
3. a relative name joined to the data file's directory and its parents
   (``frontend/coverage/lcov.info`` naming ``src/App.js``);
4. the name itself: exact, prefix map, then the longest path-suffix match,
   ambiguous suffixes settled by the roots learned from the other files of
   the same recording, then by closeness to the data file.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Sequence

from codemap.coverage.recording import Recording
from codemap.ownpackages import declared_name
from codemap.pathmap import PathMapper
from codemap.repo import Repo

SURE = ("exact", "prefix-map", "installed")


def go_modules(repo: Repo, repo_files: Iterable[str]) -> list[tuple[str, str]]:
    """(module path, repository directory) of every ``go.mod``, longest module path first."""
    mods: list[tuple[str, str]] = []
    for rel in repo_files:
        if rel != "go.mod" and not rel.endswith("/go.mod"):
            continue
        try:
            head = repo.abspath(rel).read_bytes()[:65536].decode("utf-8", "replace")
        except OSError:
            continue
        module = declared_name("go", head)
        if module:
            mods.append((module.rstrip("/"), posixpath.dirname(rel)))
    mods.sort(key=lambda pair: len(pair[0]), reverse=True)
    return mods


def _data_dirs(repo: Repo, recording: Recording) -> list[str]:
    """The data file's directory and its parents, repo-relative, nearest first (inside the repo)."""
    try:
        rel = repo.rel(recording.path.resolve())
    except Exception:  # the data file lies outside the repository
        return []
    out: list[str] = []
    folder = posixpath.dirname(rel)
    while folder:
        out.append(folder)
        folder = posixpath.dirname(folder)
    return out


def _candidates(name: str, recording: Recording, go_mods: Sequence[tuple[str, str]],
                dirs: Sequence[str]) -> list[str]:
    norm = name.replace("\\", "/")
    out: list[str] = []
    for module, folder in go_mods:
        if norm.startswith(module + "/"):
            rest = norm[len(module) + 1:]
            out.append(posixpath.join(folder, rest) if folder else rest)
            break
    absolute = norm.startswith("/") or bool(re.match(r"^[A-Za-z]:/", norm))
    if not absolute:
        for root in recording.roots:
            root = root.replace("\\", "/").rstrip("/")
            if root and root != ".":
                out.append(f"{root}/{norm}")
        for folder in dirs:
            out.append(posixpath.normpath(f"{folder}/{norm}"))
    out.append(name)
    return out


def map_recording(repo: Repo, recording: Recording, mapper: PathMapper, files: set[str],
                  go_mods: Sequence[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """({measured name: repository path}, [names that are not repository files]).

    A candidate that is literally a repository file is taken as is, before
    the mapper's rules about library locations (a repository may well have
    its own ``pkg/mod/`` or ``vendor/`` directory).
    """
    dirs = _data_dirs(repo, recording)
    mapped: dict[str, str] = {}
    pending: list[str] = []
    for name in recording.names():
        found = None
        for cand in _candidates(name, recording, go_mods, dirs):
            plain = cand[2:] if cand.startswith("./") else cand
            if plain in files:
                found = plain
                break
            match = mapper.map(cand)
            if match.how in SURE and match.path:
                found = match.path
                break
        if found is not None:
            mapped[name] = found
        else:
            pending.append(name)
    unmapped: list[str] = []
    if pending:
        results = mapper.map_many(pending)
        for name, match in zip(pending, results, strict=True):
            if match.path:
                mapped[name] = match.path
            elif match.how == "ambiguous" and match.candidates:
                near = _nearest(match.candidates, dirs)
                if near is not None:
                    mapped[name] = near
                else:
                    unmapped.append(name)
            else:
                unmapped.append(name)
    return mapped, unmapped


def _nearest(candidates: Sequence[str], dirs: Sequence[str]) -> str | None:
    """The one candidate under the data file's nearest directory that holds exactly one."""
    for folder in dirs:
        under = [c for c in candidates if c.startswith(folder + "/")]
        if len(under) == 1:
            return under[0]
        if len(under) > 1:
            return None
    return None
