"""The files and lines a change touches, read from ``git diff`` between two commits.

Two git processes: ``git diff --raw -z`` names each changed file exactly
(status, modes, full blob ids, rename pairs: NUL-separated, so no path can
break the parse) and ``git diff -U0`` gives the hunks. git prints both in
the same order, one patch section per raw entry, so the hunks are matched to
the files by position rather than by re-parsing quoted path names.

Line numbers are 1-based: ``added`` are lines of the HEAD version,
``removed`` lines of the BASE version. Binary files, submodules and mode-only
changes carry no lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from codemap.errors import GitError
from codemap.history.git import run_git
from codemap.repo import Repo

NULL_BLOB = "0" * 40
SUBMODULE_MODE = "160000"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
# Options that keep a user's git configuration out of the parse.
_DIFF_OPTS = ("--no-color", "--no-ext-diff", "--no-textconv", "--no-relative",
              "--ignore-submodules=none", "-M", "--no-abbrev")


@dataclass(frozen=True)
class Hunk:
    old_start: int
    old_count: int
    new_start: int
    new_count: int


@dataclass
class FileChange:
    """One changed file between BASE and HEAD."""

    status: str  # A added, D deleted, M modified, R renamed, C copied, T type changed
    old_path: str | None  # None when added
    new_path: str | None  # None when deleted
    old_blob: str | None
    new_blob: str | None
    old_mode: str
    new_mode: str
    similarity: int | None = None  # renames and copies
    binary: bool = False
    hunks: list[Hunk] = field(default_factory=list)
    added: set[int] = field(default_factory=set)  # HEAD line numbers
    removed: set[int] = field(default_factory=set)  # BASE line numbers

    @property
    def path(self) -> str:
        """The path a reviewer knows the file by (HEAD's, or BASE's when deleted)."""
        return self.new_path or self.old_path or ""

    @property
    def submodule(self) -> bool:
        return SUBMODULE_MODE in (self.old_mode, self.new_mode)

    @property
    def status_word(self) -> str:
        return {"A": "added", "D": "deleted", "M": "modified", "R": "renamed", "C": "copied",
                "T": "type changed"}.get(self.status, "modified")


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def parse_raw(out: bytes) -> list[FileChange]:
    """Entries of ``git diff --raw -z --no-abbrev`` output."""
    fields = out.split(b"\0")
    changes: list[FileChange] = []
    i = 0
    while i < len(fields):
        meta = fields[i]
        if not meta:
            i += 1
            continue
        if not meta.startswith(b":"):
            raise GitError(f"unexpected git diff --raw output: {meta[:60]!r}")
        parts = _decode(meta[1:]).split()
        if len(parts) < 5:
            raise GitError(f"unexpected git diff --raw entry: {meta[:60]!r}")
        old_mode, new_mode, old_blob, new_blob, status = parts[:5]
        letter = status[:1]
        score = int(status[1:]) if status[1:].isdigit() else None
        if letter in ("R", "C"):
            old_path, new_path = _decode(fields[i + 1]), _decode(fields[i + 2])
            i += 3
        else:
            path = _decode(fields[i + 1])
            old_path = None if letter == "A" else path
            new_path = None if letter == "D" else path
            i += 2
        changes.append(FileChange(
            letter, old_path, new_path,
            None if old_blob == NULL_BLOB else old_blob,
            None if new_blob == NULL_BLOB else new_blob,
            old_mode, new_mode, score))
    return changes


def parse_patch_sections(text: str) -> list[tuple[bool, list[Hunk], set[int], set[int]]]:
    """(binary, hunks, added HEAD lines, removed BASE lines) of each ``diff --git`` section."""
    sections: list[tuple[bool, list[Hunk], set[int], set[int]]] = []
    binary = False
    hunks: list[Hunk] = []
    added: set[int] = set()
    removed: set[int] = set()
    started = False
    for line in text.split("\n"):
        if line.startswith("diff --git ") or line.startswith("diff --cc "):
            if started:
                sections.append((binary, hunks, added, removed))
            started = True
            binary, hunks, added, removed = False, [], set(), set()
            continue
        if not started:
            continue
        m = _HUNK.match(line)
        if m:
            old_start = int(m.group(1))
            old_count = int(m.group(2)) if m.group(2) is not None else 1
            new_start = int(m.group(3))
            new_count = int(m.group(4)) if m.group(4) is not None else 1
            hunks.append(Hunk(old_start, old_count, new_start, new_count))
            added.update(range(new_start, new_start + new_count))
            removed.update(range(old_start, old_start + old_count))
            continue
        if not hunks and (line.startswith("Binary files ") or line == "GIT binary patch"):
            binary = True
    if started:
        sections.append((binary, hunks, added, removed))
    return sections


def diff_files(repo: Repo, base: str, head: str) -> list[FileChange]:
    """Every file changed between commits ``base`` and ``head``, with its lines."""
    raw = run_git(repo, ["-c", "core.quotepath=off", "diff", "--raw", "-z", *_DIFF_OPTS,
                         base, head, "--"])
    changes = parse_raw(raw)
    if not changes:
        return []
    patch = run_git(repo, ["-c", "core.quotepath=off", "diff", "-U0", *_DIFF_OPTS,
                           base, head, "--"])
    sections = parse_patch_sections(_decode(patch))
    if len(sections) != len(changes):
        raise GitError(f"git diff listed {len(changes)} files but printed {len(sections)} "
                       "patches; cannot match lines to files")
    for change, (binary, hunks, added, removed) in zip(changes, sections):
        change.binary = binary or change.submodule
        change.hunks, change.added, change.removed = hunks, added, removed
    return changes
