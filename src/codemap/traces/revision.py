"""The repository as it was at the deployed revision (``codemap trace --rev REV``).

A production trace's line numbers belong to the deployed commit, not to
HEAD. :class:`RevisionView` lists the files at REV (``git ls-tree``), parses
a file's symbols from its bytes at REV (``extract_symbols``, cached by path
and blob under ``cache_dir(repo)``), and follows lines from REV to HEAD
through ``git diff -U0 -M``: each line is ``unchanged``, ``moved`` (same
content, new number), ``modified`` (rewritten in place: a one-for-one hunk,
or a new line at least 60% similar to it) or ``deleted``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from codemap.cache import cache_dir
from codemap.history.git import head_sha, resolve_rev, run_git, show_file
from codemap.model import Symbol
from codemap.repo import Repo

CACHE_VERSION = "1"
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
SIMILAR = 0.6


@dataclass
class Hunk:
    """``-a,b +c,d`` and the lines it removes and adds."""

    a: int
    b: int
    c: int
    d: int
    old: list[str]
    new: list[str]


@dataclass(frozen=True)
class HeadPosition:
    path: str | None  # the file at HEAD (None when deleted)
    line: int | None
    status: str  # unchanged, moved, modified, deleted


class RevisionView:
    """Files and symbols of ``repo`` at ``rev``, and the way to HEAD."""

    def __init__(self, repo: Repo, rev: str) -> None:
        repo.require_git("--rev")
        self.repo = repo
        self.sha = resolve_rev(repo, rev)
        self.head = head_sha(repo)
        self._blobs: dict[str, str] = {}
        out = run_git(repo, ["-c", "core.quotepath=off", "ls-tree", "-r", "-z", "--full-tree",
                             self.sha])
        for entry in out.split(b"\0"):
            meta, _, path = entry.partition(b"\t")
            parts = meta.split()
            if len(parts) == 3 and parts[1] == b"blob":
                self._blobs[path.decode("utf-8", "surrogateescape")] = parts[2].decode()
        self._symbols: dict[str, list[Symbol]] = {}
        self._cache = cache_dir(repo) / f"trace-symbols-v{CACHE_VERSION}"

    def files(self) -> list[str]:
        return list(self._blobs)

    def read(self, path: str, limit: int = 64 * 1024 * 1024) -> bytes | None:
        """The bytes of ``path`` at the revision; None when it is not committed
        there or is larger than ``limit`` (build output read for source maps)."""
        blob = self._blobs.get(path)
        if blob is None:
            return None
        size = run_git(self.repo, ["cat-file", "-s", blob], check=False).strip()
        if not size.isdigit() or int(size) > limit:
            return None
        return run_git(self.repo, ["cat-file", "blob", blob], check=False)

    def symbols(self, path: str) -> list[Symbol]:
        """The symbols of ``path`` as it was at the revision (cached by blob)."""
        hit = self._symbols.get(path)
        if hit is not None:
            return hit
        blob = self._blobs.get(path)
        if blob is None:
            self._symbols[path] = []
            return []
        key = hashlib.sha1(f"{path}\0{blob}".encode("utf-8", "surrogateescape")).hexdigest()
        cached = self._cache / f"{key}.json"
        syms: list[Symbol] | None = None
        try:
            syms = [Symbol(**item) for item in json.loads(cached.read_text("utf-8"))]
        except (OSError, ValueError, TypeError):
            syms = None
        if syms is None:
            from codemap.index.extract import extract_symbols

            data = show_file(self.repo, self.sha, path) or b""
            has_file = self._blobs.__contains__
            syms = extract_symbols(path, data, has_file)
            try:
                self._cache.mkdir(parents=True, exist_ok=True)
                tmp = cached.with_suffix(".tmp")
                tmp.write_text(json.dumps([s.__dict__ for s in syms]), "utf-8")
                tmp.replace(cached)
            except OSError:
                pass  # a cache we cannot write is only slower
        self._symbols[path] = syms
        return syms

    def symbol_chain(self, path: str, line: int) -> list[Symbol]:
        """Symbols holding ``line`` at the revision, innermost first."""
        holding = [s for s in self.symbols(path) if s.start_line <= line <= s.end_line]
        holding.sort(key=lambda s: (s.end_line - s.start_line, -s.start_line))
        return holding

    def head_positions(self, wanted: Iterable[tuple[str, int]]) -> dict[tuple[str, int], HeadPosition]:
        """Where each (path at REV, line at REV) is at HEAD."""
        wanted = list(dict.fromkeys(wanted))
        if not wanted:
            return {}
        if self.head == self.sha:
            return {(p, n): HeadPosition(p, n, "unchanged") for p, n in wanted}
        if self.head is None:
            return {(p, n): HeadPosition(None, None, "deleted") for p, n in wanted}
        paths = sorted({p for p, _ in wanted})
        renames, deleted, changed = self._file_changes(set(paths))
        hunks = self._hunks(paths, renames, changed)
        out: dict[tuple[str, int], HeadPosition] = {}
        for path, line in wanted:
            if path in deleted:
                out[(path, line)] = HeadPosition(None, None, "deleted")
                continue
            new_path = renames.get(path, path)
            if path not in changed and path not in renames:
                out[(path, line)] = HeadPosition(new_path, line, "unchanged")
                continue
            out[(path, line)] = _follow(line, hunks.get(path, []), new_path)
        return out

    def _file_changes(self, paths: set[str]) -> tuple[dict[str, str], set[str], set[str]]:
        """(renames old->new, deleted, modified) among ``paths`` between REV and HEAD."""
        out = run_git(self.repo, ["-c", "core.quotepath=off", "diff", "--name-status", "-z", "-M",
                                  "--no-color", self.sha, str(self.head)])
        fields = out.split(b"\0")
        renames: dict[str, str] = {}
        deleted: set[str] = set()
        changed: set[str] = set()
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i].decode()
            if status[:1] in ("R", "C"):
                old = fields[i + 1].decode("utf-8", "surrogateescape")
                new = fields[i + 2].decode("utf-8", "surrogateescape")
                if status[0] == "R" and old in paths:
                    renames[old] = new
                    changed.add(old)
                i += 3
                continue
            path = fields[i + 1].decode("utf-8", "surrogateescape") if i + 1 < len(fields) else ""
            if path in paths:
                if status[:1] == "D":
                    deleted.add(path)
                elif status[:1] in ("M", "T"):
                    changed.add(path)
            i += 2
        return renames, deleted, changed

    def _hunks(self, paths: list[str], renames: dict[str, str],
               changed: set[str]) -> dict[str, list[Hunk]]:
        """Per REV path, its hunks toward HEAD."""
        result: dict[str, list[Hunk]] = {}
        for old in sorted(changed):
            new = renames.get(old, old)
            args = ["diff", "-U0", "--no-color", "--no-ext-diff", f"{self.sha}:{old}",
                    f"{self.head}:{new}"]
            out = run_git(self.repo, args, check=False)
            hunks: list[Hunk] = []
            for raw in out.split(b"\n"):
                m = _HUNK.match(raw)
                if m:
                    a, b, c, d = m.groups()
                    hunks.append(Hunk(int(a), int(b) if b is not None else 1, int(c),
                                      int(d) if d is not None else 1, [], []))
                elif hunks and raw[:1] == b"-" and not raw.startswith(b"--- "):
                    hunks[-1].old.append(raw[1:].decode("utf-8", "replace"))
                elif hunks and raw[:1] == b"+" and not raw.startswith(b"+++ "):
                    hunks[-1].new.append(raw[1:].decode("utf-8", "replace"))
            result[old] = hunks
        return result


def _follow(line: int, hunks: list[Hunk], new_path: str) -> HeadPosition:
    """Carry old ``line`` through the hunks (sorted, non-overlapping)."""
    offset = 0
    for h in hunks:
        if h.b == 0:  # pure insertion after old line a
            if h.a < line:
                offset += h.d
                continue
            break
        if line < h.a:
            break
        if line <= h.a + h.b - 1:
            return _inside(line, h, new_path)
        offset += h.d - h.b
    head = line + offset
    return HeadPosition(new_path, head, "unchanged" if head == line else "moved")


def _inside(line: int, h: Hunk, new_path: str) -> HeadPosition:
    """Where old ``line``, rewritten by hunk ``h``, went: the most similar new line."""
    if h.d == 0:
        return HeadPosition(new_path, None, "deleted")
    k = line - h.a
    text = h.old[k].strip() if k < len(h.old) else ""
    if h.b == h.d:  # rewritten one for one
        return HeadPosition(new_path, h.c + k, "modified")
    from difflib import SequenceMatcher

    best, best_ratio = -1, 0.0
    matcher = SequenceMatcher(None, "", text, autojunk=False)
    for idx, new in enumerate(h.new):
        if new.strip() == text and text:
            return HeadPosition(new_path, h.c + idx, "moved")
        matcher.set_seq1(new.strip())
        if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = idx, ratio
    if best >= 0 and best_ratio >= SIMILAR:
        return HeadPosition(new_path, h.c + best, "modified")
    return HeadPosition(new_path, None, "deleted")
