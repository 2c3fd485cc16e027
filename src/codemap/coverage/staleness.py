"""Did a source file change after its coverage data was recorded?

Signals, strongest first:

- the data names a line beyond the end of the file;
- lines coverage.py saw executed are blank or comments in the current
  file (other tools' statement lists are no evidence: c8 lists blank lines);
- in git: a commit after the recording time touched the file, or the file
  has uncommitted changes made after that time (one ``git log`` and one
  ``git status`` for the whole repository, run once, lazily);
- outside git: the file was modified after the recording time.

A fresh clone has new modification times everywhere, so in git the mtime
counts only for files with uncommitted changes. None of the supported
formats records the commit it measured; the recording time is the
format's timestamp (Cobertura, JaCoCo, coverage.py ``meta.when``) or
else the data file's modification time.
"""

from __future__ import annotations

import datetime as _dt
import threading
from pathlib import Path

from codemap.coverage.model import Staleness
from codemap.coverage.recording import RecordedFile
from codemap.repo import Repo

_COMMENT_PREFIXES = ("#", "//", "/*", "* ", "*/")


def _iso(ts: float) -> str:
    return _dt.datetime.fromtimestamp(ts, _dt.timezone.utc).isoformat(timespec="seconds")


def dead_lines(lines: list[int], text_lines: list[str]) -> list[int]:
    """Of ``lines``, those that are blank or comment-only in ``text_lines``."""
    out: list[int] = []
    for ln in lines:
        if 1 <= ln <= len(text_lines):
            stripped = text_lines[ln - 1].strip()
            if not stripped or stripped.startswith(_COMMENT_PREFIXES) or stripped == "*":
                out.append(ln)
    return out


class StalenessChecker:
    """Per-repository knowledge of what changed after a point in time (computed once)."""

    def __init__(self, repo: Repo) -> None:
        self.repo = repo
        self._lock = threading.Lock()
        self._since: dict[float, dict[str, tuple[str, int]]] = {}
        self._dirty: set[str] | None = None

    def _changed_since(self, ts: float) -> dict[str, tuple[str, int]]:
        """path -> (sha, commit time) of the oldest commit after ``ts`` touching it."""
        with self._lock:
            found = self._since.get(ts)
            if found is not None:
                return found
            found = {}
            from codemap.history.git import run_git

            try:
                out = run_git(self.repo, ["-c", "core.quotepath=off", "log", f"--since=@{int(ts)}",
                                          "--name-only", "-z", "--format=%x01%H %ct"])
            except Exception:  # no commits yet, git missing: nothing known
                out = b""
            sha, when = "", 0
            for chunk in out.decode("utf-8", "surrogateescape").split("\0"):
                for part in chunk.split("\n"):
                    if part.startswith("\x01"):
                        head = part[1:].split(" ")
                        sha = head[0]
                        when = int(head[1]) if len(head) > 1 and head[1].isdigit() else 0
                    elif part and sha and when > ts:
                        found[part] = (sha, when)  # log is newest first: the oldest wins
            self._since[ts] = found
            return found

    def _dirty_files(self) -> set[str]:
        with self._lock:
            if self._dirty is None:
                from codemap.history.git import run_git

                try:
                    out = run_git(self.repo, ["-c", "core.quotepath=off", "status", "--porcelain",
                                              "-z", "--untracked-files=no"])
                except Exception:
                    out = b""
                dirty: set[str] = set()
                for entry in out.decode("utf-8", "surrogateescape").split("\0"):
                    if len(entry) > 3 and entry[2] == " ":
                        dirty.add(entry[3:])
                self._dirty = dirty
            return self._dirty

    def check(self, path: str, rec: RecordedFile, timestamp: float | None,
              text_lines: list[str] | None) -> Staleness:
        reasons: list[str] = []
        if text_lines is not None:
            top = rec.max_line()
            if top > len(text_lines):
                reasons.append(f"the data mentions line {top}, but the file has "
                               f"{len(text_lines)} lines")
            # only executed lines that are no statements now (coverage.py) are evidence:
            # some tools list blank lines as statements (c8), so their lines are not
            dead = dead_lines(rec.stray_lines, text_lines)
            if dead:
                shown = ", ".join(str(n) for n in dead[:5]) + (" ..." if len(dead) > 5 else "")
                reasons.append(f"line{'s' if len(dead) > 1 else ''} {shown} "
                               f"{'are' if len(dead) > 1 else 'is'} blank or a comment now, "
                               f"but the data has code there")
        if timestamp is not None:
            reasons.extend(self._time_reasons(path, timestamp))
        return Staleness(bool(reasons), reasons)

    def _time_reasons(self, path: str, timestamp: float) -> list[str]:
        full = self.repo.abspath(path)
        if self.repo.is_git:
            out: list[str] = []
            changed = self._changed_since(timestamp).get(path)
            if changed is not None:
                out.append(f"changed by commit {changed[0][:12]} ({_iso(changed[1])}) after the "
                           f"coverage data was recorded ({_iso(timestamp)})")
            if path in self._dirty_files() and _mtime(full) > timestamp + 1:
                out.append(f"edited (uncommitted) after the coverage data was recorded "
                           f"({_iso(timestamp)})")
            return out
        if _mtime(full) > timestamp + 1:
            return [f"modified after the coverage data was recorded ({_iso(timestamp)})"]
        return []


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
