"""Which files belong to the repository, and which of them codemap parses.

In git: tracked files plus untracked files that are not ignored (one
``git ls-files`` call). Outside git: a walk that honours every
``.gitignore`` on the way (pathspec's git-wildmatch rules), never following
symlinked directories, so symlink loops cannot trap it. Files that cannot
be parsed usefully are recorded with the reason they were skipped: binary,
too large, minified, unreadable, a symlink.

:func:`scan_listing` is what a refresh uses: the same listing, plus each
file's language and Python module prefix, served from
:mod:`codemap.index.snapshot` when nothing can have changed the list.
"""

from __future__ import annotations

import os
import stat as stat_mod
from array import array
from dataclasses import dataclass
from pathlib import Path

from codemap.index import snapshot
from codemap.repo import Repo

DEFAULT_MAX_SIZE = 1_000_000
ALWAYS_SKIP_DIRS = {".git", ".hg", ".svn"}
OUTSIDE_GIT_SKIP_DIRS = {"node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache",
                         ".pytest_cache", ".ruff_cache"}


@dataclass(frozen=True)
class FileStat:
    path: str  # repo-relative POSIX
    size: int
    mtime_ns: int
    ino: int
    is_link: bool


@dataclass
class Listing:
    """The files of a repository as a refresh needs them."""

    paths: list[str]
    dropped: list[str]  # names that are not UTF-8 (never stored)
    languages: list[str | None]  # per path: the registered language's name, or None
    prefixes: dict[str, str]  # Python files: their module name
    snap: snapshot.Snapshot | None = None
    cache_dir: Path | None = None
    fresh: bool = True  # listed now (not served from the snapshot)

    def parsed_paths(self) -> list[str]:
        """Paths of the files in a language codemap parses."""
        return [p for p, lang in zip(self.paths, self.languages) if lang is not None]

    def remember_quiet(self, token: tuple[object, ...], file_facts: array,
                       unchanged: int, since_ns: int) -> None:
        """Record that the index matched ``file_facts`` at generation ``token``."""
        if self.snap is None or self.cache_dir is None or snapshot.racy(file_facts, since_ns):
            return
        quiet = (token, file_facts.tobytes(), unchanged)
        if self.snap.quiet == quiet:
            return
        self.snap.quiet = quiet
        snapshot.save(self.cache_dir, self.snap)


def scan_listing(repo: Repo, exclude: tuple[str, ...] = (), cache_dir: Path | None = None
                 ) -> Listing:
    """The repository's files with their languages; cached in ``cache_dir`` when given."""
    key = snapshot.listing_key(repo, exclude) if cache_dir is not None else ()
    snap = snapshot.load(cache_dir) if cache_dir is not None else None
    if snap is not None and snap.still_valid(key):
        return Listing(snap.paths, snap.dropped, snap.languages, snap.prefixes, snap,
                       cache_dir, fresh=False)
    since = snapshot.now_ns()
    watched: list[str] | None = []
    rule_count = 0  # leading entries of ``watched`` that hold git's rules (not directories)
    if repo.is_git:
        assert watched is not None
        watched.extend(snapshot.git_control_files(repo))
        dropped: list[str] = []
        paths = list_repo_files(repo, exclude, dropped)
        if cache_dir is not None:
            previous = snap.unchanged_dirs(key) if snap is not None else None
            try:
                extra = snapshot.excludes_file(repo)
                dirs = snapshot.git_watched_dirs(repo, paths, previous)
            except Exception:  # git broken: list again next time
                extra, dirs = None, None
            if extra:
                watched.append(extra)
            rule_count = len(watched)
            watched = None if dirs is None else [*watched, *dirs]
    else:
        dropped = []
        files = _walk(repo.root, watched)
        paths = _filter(files, exclude, dropped)
    quiet = None
    if snap is not None and snap.key == key and snap.paths == paths:  # e.g. a save by rename
        languages, prefixes, quiet = snap.languages, snap.prefixes, snap.quiet
    else:
        languages, prefixes = describe(paths)
    listing = Listing(paths, dropped, languages, prefixes, cache_dir=cache_dir)
    if cache_dir is not None and watched is not None:
        facts = snapshot.facts_array(watched)
        if not snapshot.racy(facts, since):
            listing.snap = snapshot.Snapshot(key, watched, facts.tobytes(), paths, dropped,
                                             languages, prefixes, quiet, rule_count)
            snapshot.save(cache_dir, listing.snap)
    return listing


def describe(paths: list[str]) -> tuple[list[str | None], dict[str, str]]:
    """Each path's language name, and the module name of each Python file."""
    from codemap.lang.qualnames import python_module_name
    from codemap.lang.registry import language_for_path

    present = set(paths)
    has_file = present.__contains__
    languages: list[str | None] = []
    prefixes: dict[str, str] = {}
    for path in paths:
        spec = language_for_path(path)
        if spec is None:
            languages.append(None)
            continue
        languages.append(spec.name)
        if spec.qualname_style == "python":
            prefixes[path] = python_module_name(path, has_file)
    return languages, prefixes


def list_repo_files(repo: Repo, exclude: tuple[str, ...] = (),
                    dropped: list[str] | None = None) -> list[str]:
    """Every file codemap considers part of the repository (repo-relative, POSIX).

    Names that cannot be stored (not UTF-8) are left out, and appended to
    ``dropped`` when given, so the index can say how many it skipped.
    """
    if repo.is_git:
        from codemap.history.git import list_files

        try:
            files = list_files(repo)
        except Exception:  # git broken or missing: fall back to the walk
            files = _walk(repo.root)
    else:
        files = _walk(repo.root)
    return _filter(files, exclude, dropped)


def _filter(files: list[str], exclude: tuple[str, ...], dropped: list[str] | None) -> list[str]:
    # a name that is not UTF-8 (undecodable bytes kept as surrogates) cannot be
    # stored in the index; such files are left out rather than failing the build
    storable = [f for f in files if _storable(f)]
    if dropped is not None and len(storable) != len(files):
        dropped.extend(f for f in files if not _storable(f))
    files = storable
    if exclude:
        import pathspec

        spec = pathspec.GitIgnoreSpec.from_lines(exclude)
        files = [f for f in files if not spec.match_file(f)]
    return files


def _storable(path: str) -> bool:
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk(root: Path, watched: list[str] | None = None) -> list[str]:
    """Files outside git; ``watched`` collects the directories visited and the
    ``.gitignore`` files read (see :mod:`codemap.index.snapshot`)."""
    out: list[str] = []
    base = str(root)
    # stack of (directory relative path, inherited ignore specs as (base dir, spec))
    stack: list[tuple[str, list[tuple[str, object]]]] = [("", [])]
    visited: set[tuple[int, int]] = set()
    while stack:
        rel_dir, specs = stack.pop()
        abs_dir = os.path.join(base, rel_dir) if rel_dir else base
        try:
            st = os.stat(abs_dir)
            entries = list(os.scandir(abs_dir))
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in visited:
            continue
        visited.add(key)
        if watched is not None:
            watched.append(abs_dir)
        for entry in entries:
            if entry.name == ".gitignore" and entry.is_file(follow_symlinks=False):
                import pathspec  # costly to import: only when there are rules to apply

                if watched is not None:
                    watched.append(entry.path)
                try:
                    with open(entry.path, encoding="utf-8", errors="replace") as fh:
                        specs = [*specs, (rel_dir, pathspec.GitIgnoreSpec.from_lines(fh))]
                except OSError:
                    pass
                break
        for entry in entries:
            name = entry.name
            rel = f"{rel_dir}/{name}" if rel_dir else name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir:
                if name in ALWAYS_SKIP_DIRS or name in OUTSIDE_GIT_SKIP_DIRS:
                    continue
                if specs and _ignored(specs, rel + "/"):
                    continue
                stack.append((rel, specs))
            elif not specs or not _ignored(specs, rel):
                out.append(rel)
    out.sort()
    return out


def _ignored(specs: list[tuple[str, object]], rel: str) -> bool:
    ignored = False
    for base, spec in specs:
        sub = rel[len(base) + 1:] if base else rel
        result = spec.check_file(sub)  # type: ignore[attr-defined]
        if result.include is not None:
            ignored = bool(result.include)
    return ignored


def stat_file(root: Path, rel: str) -> FileStat | None:
    """lstat a repository file; None when it is gone or unreadable."""
    try:
        st = os.lstat(os.path.join(root, rel))
    except OSError:
        return None
    return FileStat(rel, st.st_size, st.st_mtime_ns, st.st_ino, stat_mod.S_ISLNK(st.st_mode))


def skip_reason(data: bytes, minified_check: bool) -> str | None:
    """Why a file's content should not be parsed, or None to parse it."""
    head = data[:8192]
    if b"\0" in head:
        return "binary"
    if minified_check and len(data) > 4096:
        lines = data.count(b"\n") + 1
        if len(data) / lines > 300:
            return "minified"
        if lines < 20 and len(data) > 50_000:
            return "minified"
    return None
