"""Knowing, without listing the repository, that its file list cannot have changed.

Every query refreshes the index first, and on a big repository listing the
files (``git ls-files``, or a walk outside git) and re-checking each of them
costs more than the query. This module keeps, in the index's cache
directory (never the working tree), the last listing and what it depended
on, each recorded as ``lstat`` facts (mtime, ctime, size, inode):

* the git index file, git's configuration files and every exclude file
  (``info/exclude``, ``core.excludesFile``): they decide the tracked set and
  the ignore rules;
* every directory that can hold a listed file: the directories git descends
  into (those holding listed files, plus the ones ``git check-ignore`` says
  are not ignored), or the ones the walk visited. Adding, deleting or
  renaming an entry changes its directory's mtime, so an untracked file
  that appears is seen;
* every ``.gitignore`` in those directories.

When all of those are unchanged, the stored listing is the listing. A
second record, the *quiet* state, says "at index generation G the files'
``lstat`` facts were S, and the index matched them": when both still hold,
nothing at all changed and the refresh has nothing to do.

When only directories changed (a file added, or saved by rename), git
lists again but the directories whose facts did not change are not read
again, and an unchanged list keeps its languages and its quiet state.

Racy entries (modified less than a clock tick before the facts were taken,
so a later change could keep the same mtime) are never trusted: the
snapshot is then not saved and the next refresh lists again. The same holds
for the index's own rows (:func:`trusted_before`): a file modified in the
tick it was read in is read again. A cache file that is missing, corrupt or
from another version is ignored and rewritten.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sqlite3
import stat as stat_mod
import time
from array import array
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from codemap.repo import Repo

FILE_NAME = "listing.snapshot"
STAMP_NAME = "refresh.stamp"
_MAGIC = b"codemap-listing-3\n"
RACY_NS = 100_000_000  # a file-system clock tick is at most a few ms on Linux
RACY_COARSE_NS = 2_000_000_000  # file systems with whole-second mtimes
FALLBACK_RACY_NS = 5_000_000_000  # when the start of the last refresh is not known
MAX_IGNORE_ROUNDS = 16
_MISSING = (-1, -1, -1, -1)
# environment variables that change what git lists
_GIT_ENV = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR", "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_PARAMETERS",
            "GIT_CONFIG_COUNT", "XDG_CONFIG_HOME", "HOME")


def facts(path: str) -> tuple[int, int, int, int]:
    """(mtime_ns, ctime_ns, size, inode) of ``path`` itself, or all -1 when it is missing."""
    try:
        st = os.lstat(path)
    except OSError:
        return _MISSING
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def facts_array(paths: Iterable[str]) -> array:
    """The :func:`facts` of many paths, flattened into one comparable array."""
    return stat_all(paths)[1]


def stat_all(paths: Iterable[str]) -> tuple[list[os.stat_result | None], array]:
    """``lstat`` of each path (None when it is gone), and their :func:`facts_array`."""
    results: list[os.stat_result | None] = []
    out = array("q")
    append = results.append
    extend = out.extend
    lstat = os.lstat
    for path in paths:
        try:
            st = lstat(path)
        except OSError:
            append(None)
            extend(_MISSING)
            continue
        append(st)
        extend((st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
    return results, out


def racy(values: array, since_ns: int) -> bool:
    """True when an entry changed so recently that a further change could leave its facts equal.

    ``values`` is a :func:`facts_array`; ``since_ns`` the wall-clock time at
    which the facts (and what they vouch for) started being taken. Any later
    write sets the ctime to the current tick, so only a ctime in the last
    tick before ``since_ns`` can hide one (mtimes can be set at will, ctimes
    cannot).
    """
    ctimes = values[1::4]
    if not ctimes:
        return False
    coarse = all(v % 1_000_000_000 == 0 for v in ctimes[:16] if v > 0)
    return max(ctimes) >= since_ns - (RACY_COARSE_NS if coarse else RACY_NS)


def code_fingerprint() -> str:
    """Changes whenever the code deciding languages and module names changes."""
    from codemap.lang import qualnames, registry

    parts = []
    for mod_file in (registry.__file__, qualnames.__file__, __file__):
        mtime, _ctime, size, _ino = facts(str(mod_file))
        parts.append(f"{mod_file}:{mtime}:{size}")
    return "|".join(parts)


def listing_key(repo: Repo, exclude: tuple[str, ...]) -> tuple[Any, ...]:
    """What a stored listing is valid for besides the watched files."""
    env = tuple(os.environ.get(name, "\0") for name in _GIT_ENV)
    return (str(repo.root), str(repo.git_dir), env, tuple(exclude), code_fingerprint())


class Snapshot:
    """The stored listing of a repository and what it depends on."""

    def __init__(self, key: tuple[Any, ...], watched: list[str], watched_facts: bytes,
                 paths: list[str], dropped: list[str], languages: list[str | None],
                 prefixes: dict[str, str], quiet: tuple[Any, ...] | None = None,
                 rule_count: int = 0) -> None:
        self.key = key
        self.rule_count = rule_count  # the first entries of ``watched``: git's rule files
        self.watched = watched
        self.watched_facts = watched_facts
        self.paths = paths
        self.dropped = dropped
        self.languages = languages
        self.prefixes = prefixes
        self.quiet = quiet  # (token, facts of the parsed files as bytes, files unchanged)

    def still_valid(self, key: tuple[Any, ...]) -> bool:
        return key == self.key and facts_array(self.watched).tobytes() == self.watched_facts

    def unchanged_dirs(self, key: tuple[Any, ...]) -> dict[str, tuple[int, ...]] | None:
        """The watched directories (and ``.gitignore`` files) with their facts, when no
        rule file changed since (so an unchanged directory's entries need not be read
        again); else None."""
        if key != self.key:
            return None
        values = array("q")
        values.frombytes(self.watched_facts)
        groups = [tuple(values[i:i + 4]) for i in range(0, len(values), 4)]
        dirs: dict[str, tuple[int, ...]] = {}
        for i, (path, old) in enumerate(zip(self.watched, groups)):
            if i < self.rule_count:
                if facts(path) != old:
                    return None
                continue
            if path.endswith("/.gitignore") and facts(path) != old:
                return None
            dirs[path] = old
        return dirs

    def quiet_matches(self, token: tuple[Any, ...], file_facts: array) -> int | None:
        """How many files were unchanged, when nothing changed since the quiet state."""
        if self.quiet is None:
            return None
        q_token, q_facts, unchanged = self.quiet
        if q_token == token and q_facts == file_facts.tobytes():
            return int(unchanged)
        return None

    def dump(self) -> bytes:
        payload = marshal.dumps({
            "key": self.key, "watched": self.watched, "watched_facts": self.watched_facts,
            "paths": self.paths, "dropped": self.dropped, "languages": self.languages,
            "prefixes": self.prefixes, "quiet": self.quiet, "rule_count": self.rule_count,
        })
        return _MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload


def load(cache_dir: Path) -> Snapshot | None:
    """The stored snapshot, or None when there is none or it cannot be trusted."""
    try:
        with open(cache_dir / FILE_NAME, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC)
    if not data.startswith(_MAGIC) or len(data) < head + 16:
        return None
    digest, payload = data[head:head + 16], data[head + 16:]
    if hashlib.blake2b(payload, digest_size=16).digest() != digest:
        return None
    try:
        d = marshal.loads(payload)
        return Snapshot(tuple(d["key"]), d["watched"], d["watched_facts"], d["paths"],
                        d["dropped"], d["languages"], d["prefixes"],
                        tuple(d["quiet"]) if d["quiet"] is not None else None,
                        int(d["rule_count"]))
    except (EOFError, ValueError, TypeError, KeyError):
        return None


def save(cache_dir: Path, snap: Snapshot) -> None:
    """Write atomically (a reader sees the old file or the new one); errors are ignored."""
    tmp = cache_dir / f"{FILE_NAME}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            fh.write(snap.dump())
        os.replace(tmp, cache_dir / FILE_NAME)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def git_control_files(repo: Repo) -> list[str]:
    """The files outside the working tree whose changes can change what git lists."""
    assert repo.git_dir is not None
    git_dir = str(repo.git_dir)
    common = str(repo.common_dir or repo.git_dir)
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files = [
        os.environ.get("GIT_INDEX_FILE") or os.path.join(git_dir, "index"),
        os.path.join(common, "info", "exclude"), os.path.join(common, "config"),
        os.path.join(git_dir, "config.worktree"), os.path.join(home, ".gitconfig"),
        os.path.join(xdg, "git", "config"), os.path.join(xdg, "git", "ignore"), "/etc/gitconfig",
    ]
    for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"):
        if os.environ.get(name):
            files.append(os.environ[name])
    return files


def git_watched_dirs(repo: Repo, listed: list[str],
                     previous: dict[str, tuple[int, ...]] | None = None) -> list[str] | None:
    """Absolute paths of every directory git descends into when listing untracked files,
    and of every ``.gitignore`` in them; None when that cannot be worked out.

    Directories holding listed files are descended into; their other entries
    (``os.listdir`` minus what the listing names) are few, and a directory
    among them is asked about with one ``git check-ignore`` call per level,
    so an empty directory, or one holding only ignored files, is watched too
    (a file created in it would be listed), while ignored trees
    (``node_modules/``, ``build/``) are not walked.

    ``previous`` (:meth:`Snapshot.unchanged_dirs`) spares reading the
    directories whose facts did not change: their unlisted subdirectories
    are the ones watched before. A ``.gitignore`` that appeared can change
    what is ignored anywhere below it, so then everything is read again.
    """
    if previous is not None:
        found = _git_watched_dirs(repo, listed, previous)
        before = {p for p in previous if p.endswith("/.gitignore")}
        if found is not None and {p for p in found if p.endswith("/.gitignore")} <= before:
            return found
    return _git_watched_dirs(repo, listed, None)


def _git_watched_dirs(repo: Repo, listed: list[str],
                      previous: dict[str, tuple[int, ...]] | None) -> list[str] | None:
    from codemap.history.git import call_git

    root = str(repo.root)
    known: dict[str, set[str]] = {}  # directory -> names the listing has directly in it
    for path in listed:
        parent, _, name = path.rpartition("/")
        names = known.get(parent)
        if names is not None:
            names.add(name)
            continue
        known[parent] = {name}
        while parent:  # a directory seen for the first time: record it in its parents
            grand, _, dname = parent.rpartition("/")
            above = known.get(grand)
            if above is not None:
                above.add(dname)
                break
            known[grand] = {dname}
            parent = grand
    known.setdefault("", set())
    # what an unchanged directory held besides listed entries: as before
    kept: dict[str, list[str]] = {}
    if previous is not None:
        for full in previous:
            if full != root:
                kept.setdefault(os.path.dirname(full), []).append(full)
    out: list[str] = []
    unknown: list[str] = []  # unlisted directories to ask git about
    descend: list[str] = []  # unlisted directories known not to be ignored

    def visit(rel: str, names: set[str]) -> None:
        full = os.path.join(root, rel) if rel else root
        out.append(full)
        if ".gitignore" in names:
            out.append(os.path.join(full, ".gitignore"))
        if previous is not None and previous.get(full, _MISSING) == facts(full) != _MISSING:
            for child in kept.get(full, ()):
                child_rel = child[len(root) + 1:]
                if child.endswith("/.gitignore"):
                    if ".gitignore" not in names:
                        out.append(child)
                elif child_rel not in known:
                    descend.append(child_rel)
            return
        try:
            extra = set(os.listdir(full)) - names
        except OSError:
            return
        _sort_extra(root, rel, extra, out, unknown)

    for rel, names in known.items():
        visit(rel, names)
    for _round in range(MAX_IGNORE_ROUNDS):
        while descend:
            visit(descend.pop(), set())
        if not unknown:
            return out
        result = call_git(repo, ["check-ignore", "-z", "--stdin"], input_bytes=b"\0".join(
            u.encode("utf-8", "surrogateescape") for u in unknown) + b"\0")
        if result.returncode not in (0, 1):
            return None
        ignored = {raw.decode("utf-8", "surrogateescape")
                   for raw in result.stdout.split(b"\0") if raw}
        descend = [u for u in unknown if u not in ignored]
        unknown = []
    return None


def _sort_extra(root: str, rel: str, extra: set[str], out: list[str],
                unknown: list[str]) -> None:
    """Entries of a directory that the listing does not name: an unlisted ``.gitignore``
    still applies (watched), a directory may hold files to list (asked about)."""
    for name in extra:
        if name == ".git":
            continue
        child = f"{rel}/{name}" if rel else name
        full = os.path.join(root, child)
        if name == ".gitignore":
            out.append(full)
            continue
        try:
            is_dir = stat_mod.S_ISDIR(os.lstat(full).st_mode)
        except OSError:
            continue
        if is_dir and not os.path.lexists(os.path.join(full, ".git")):  # not a nested repo
            unknown.append(child)


def excludes_file(repo: Repo) -> str | None:
    """The configured ``core.excludesFile`` (expanded), when there is one."""
    from codemap.history.git import call_git

    result = call_git(repo, ["config", "-z", "--get", "core.excludesFile"])
    value = result.stdout.rstrip(b"\0").decode("utf-8", "surrogateescape")
    return os.path.expanduser(value) if result.returncode == 0 and value else None


def trusted_before(cache_dir: Path | None, token: tuple[Any, ...],
                   indexed_at: str | None) -> tuple[int, int]:
    """(limit, limit on whole-second file systems): an index row whose file mtime is
    at or after the limit may hide an edit made in the clock tick the file was read in
    (same size, same mtime), so its file is read again.

    Rows are read after the refresh that wrote them started (recorded by
    :func:`save_stamp`), so a row modified a tick before that start is at risk,
    never one modified long before.
    """
    if indexed_at is None:
        return (0, 0)
    try:
        written = int(float(indexed_at) * 1e9)
    except ValueError:
        return (0, 0)
    base = written - FALLBACK_RACY_NS
    if cache_dir is not None:
        try:
            before, base_before, started = marshal.loads((cache_dir / STAMP_NAME).read_bytes())
            if tuple(before) == token:  # that refresh wrote nothing: the earlier base holds
                base = int(base_before)
            elif before[2] == token[2] and int(started) <= written:
                base = int(started)
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            pass
    return base - RACY_NS, base - RACY_COARSE_NS


def save_stamp(cache_dir: Path | None, token: tuple[Any, ...], base: int, started: int) -> None:
    """Record, before a refresh writes, when it started and what it started from."""
    if cache_dir is None:
        return
    tmp = cache_dir / f"{STAMP_NAME}.{os.getpid()}.tmp"
    try:
        tmp.write_bytes(marshal.dumps((tuple(token), base, started)))
        os.replace(tmp, cache_dir / STAMP_NAME)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind ``conn`` (its directory holds the snapshot); None in memory."""
    for _seq, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def now_ns() -> int:
    return time.time_ns()
