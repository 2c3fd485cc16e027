"""The commits that changed a line range, a file or a directory, newest first.

A line range follows its lines back through time exactly as ``git log -L``
does (it *is* ``git log -L start,end:path``: moves of the range through
earlier edits and renames are git's own line-log algorithm). A file is
``git log --follow``; a directory is ``git log -- dir``. Each commit carries
how many lines it changed within the target (``+`` and ``-`` lines of the
range's diff, or numstat totals for files).

Line numbers refer to the file as of the starting revision (HEAD by
default), not to uncommitted edits in the working tree. Answers are cached
per (commit, path, range, limit).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from codemap.errors import GitError, InputError, UsageError
from codemap.history import snapshot
from codemap.history.commits import CommitInfo, LogFormat, commit_from_json, commit_to_json, decode
from codemap.history.git import UNKNOWN, call_git, read_ref, run_git
from codemap.history.store import history_store
from codemap.repo import Repo

CACHE_VERSION = "linelog-2"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass(frozen=True)
class Hunk:
    """A hunk of a line-range diff: positions in the parent (old) and in the
    commit (new), and one op per diff line (``" "`` kept, ``+`` added, ``-`` removed).
    ``git log -L`` prints the whole tracked range, so the ops cover all of it."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int
    ops: str

    def to_json(self) -> list[object]:
        return [self.old_start, self.old_count, self.new_start, self.new_count, self.ops]


@dataclass(frozen=True)
class Change:
    """One commit's change to the target."""

    commit: CommitInfo
    lines_changed: int
    hunks: tuple[Hunk, ...] = ()

    def spans(self) -> list[tuple[int, int]]:
        """The new-side line spans of the hunks (numbered as in this commit)."""
        return [(h.new_start, h.new_start + h.new_count - 1) for h in self.hunks if h.new_count]


def _count_patch(tail: str) -> tuple[int, tuple[Hunk, ...]]:
    changed = 0
    hunks: list[Hunk] = []
    ops: list[str] = []
    header: tuple[int, int, int, int] | None = None

    def close() -> None:
        if header is not None:
            hunks.append(Hunk(*header, "".join(ops)))
        ops.clear()

    for line in tail.split("\n"):
        if line.startswith("diff --git ") or line.startswith("diff --cc "):
            close()
            header = None
            continue
        m = _HUNK.match(line)
        if m:
            close()
            header = (int(m.group(1)), int(m.group(2) if m.group(2) is not None else 1),
                      int(m.group(3)), int(m.group(4) if m.group(4) is not None else 1))
            continue
        if header is None:
            continue
        op = line[:1]
        if op in ("+", "-"):
            changed += 1
            ops.append(op)
        elif op == " ":
            ops.append(op)
    close()
    return changed, tuple(hunks)


def _count_numstat(tail: str) -> int:
    total = 0
    for line in tail.split("\n"):
        parts = line.split("\t", 2)
        if len(parts) == 3:
            for n in parts[:2]:
                if n.isdigit():
                    total += int(n)
    return total


# full shas already verified as commits (a commit stays a commit: no git run needed again)
_COMMITS: set[str] = set()
# (root, commit, path) -> last_revision_with's answer, which a commit sha fixes for good
_LAST_WITH: dict[tuple[str, str, str], str | None] = {}


def start_revision(repo: Repo, rev: str | None) -> str:
    """The full sha of ``rev`` (default HEAD) as a commit."""
    if rev is None:
        # read from the ref files, no git process; HEAD only ever names a commit (git
        # refuses to point it at anything else)
        head = read_ref(repo, "HEAD")
        if head is not None and head != UNKNOWN:
            _COMMITS.add(head)
            return head
    name = rev or "HEAD"
    if name in _COMMITS:
        return name
    if name.startswith("-") or "\n" in name:
        raise UsageError(f"not a revision: {name!r}")
    out = run_git(repo, ["rev-parse", "--verify", "-q", f"{name}^{{commit}}"], check=False)
    sha = out.decode().strip()
    if not sha:
        if rev is None:
            raise GitError(f"{repo.root} has no commits yet: there is no history")
        raise GitError(f"unknown revision: {rev}")
    _COMMITS.add(sha)
    return sha


def last_revision_with(repo: Repo, path: str, rev: str) -> str | None:
    """``rev`` when ``path`` exists there, else the parent of the commit that
    deleted it (the last version that had it), or None when it never existed."""
    key = (str(repo.root), rev, path)
    if rev in _COMMITS and key in _LAST_WITH:
        return _LAST_WITH[key]
    if rev in _COMMITS and snapshot.known(repo, rev, path):
        there = snapshot.entry(repo, rev, path) is not None
    else:
        there = call_git(repo, ["cat-file", "-e", f"{rev}:{path}"]).returncode == 0
    if there:
        found: str | None = rev
    else:
        out = run_git(repo, ["log", "-1", "--format=%H", "--diff-filter=D", rev, "--", path],
                      check=False).decode().strip()
        found = start_revision(repo, f"{out}^") if out else None
    if rev in _COMMITS:
        _LAST_WITH[key] = found
    return found


def prefetch_last_revisions(repo: Repo, paths: Iterable[str], rev: str) -> None:
    """Ask git once (:func:`codemap.history.snapshot.learn`) which of ``paths`` exist at
    the commit ``rev``, for the :func:`last_revision_with` calls to come: one process
    instead of one per path. Paths that do not exist there are left to it (they need a
    log search). Whether ``rev`` is a root commit is learnt on the way
    (:func:`range_history` uses it)."""
    if rev not in _COMMITS:
        return
    root = str(repo.root)
    todo = sorted({p for p in paths if "\n" not in p and (root, rev, p) not in _LAST_WITH})
    snapshot.learn(repo, rev, todo)
    for path in todo:
        if snapshot.entry(repo, rev, path) is not None:
            _LAST_WITH[(root, rev, path)] = rev


def _cache_key(repo: Repo, *parts: object) -> str:
    h = hashlib.sha1(repr((CACHE_VERSION, *parts)).encode("utf-8", "surrogateescape"))
    for f in (repo.root / ".mailmap",):
        try:
            h.update(Path(f).read_bytes())
        except OSError:
            pass
    return h.hexdigest()


def _cached(repo: Repo, key: str, run: Callable[[], list[Change]]) -> list[Change]:
    store = history_store(repo)
    hit = store.get("linelog", key)
    if hit is not None:
        return [Change(commit_from_json(c), n, tuple(Hunk(*h) for h in hunks))
                for c, n, hunks in hit]
    changes: list[Change] = run()
    _put(repo, key, changes)
    return changes


def _put(repo: Repo, key: str, changes: list[Change]) -> None:
    history_store(repo).put("linelog", key, [[commit_to_json(c.commit), c.lines_changed,
                                              [h.to_json() for h in c.hunks]]
                                             for c in changes])


def range_history(repo: Repo, path: str, start: int, end: int, *, rev: str | None = None,
                  limit: int | None = None, since: int | None = None) -> list[Change]:
    """``git log -L start,end:path`` from ``rev`` (HEAD), newest first.

    ``since`` (seconds since the epoch) stops at older commits."""
    repo.require_git("history")
    head = start_revision(repo, rev)
    base = last_revision_with(repo, path, head)
    if base is None:
        raise InputError(f"{path} does not exist at {rev or 'HEAD'} nor before it")

    def run() -> list[Change]:
        fmt = LogFormat()
        args = ["-c", "core.quotepath=off", "-c", "log.showSignature=false", "log",
                "--no-decorate", "--no-color", fmt.arg, f"-L{start},{end}:{path}"]
        if snapshot.is_root(repo, base):
            # The history is this one commit, where the file is new: git would diff the
            # whole tree against nothing to look for a rename source, which a root commit
            # cannot have (27 ms a range at a 31,000-file import, 5 ms without).
            args.append("--no-renames")
        if limit:
            args.append(f"--max-count={limit}")
        if since:
            args.append(f"--since={since}")
        args.append(base)
        result = call_git(repo, args, timeout=600)
        if result.returncode != 0:
            line = result.error_line
            if "has only" in line:
                raise UsageError(f"{path}: {line.removeprefix('fatal: ')}")
            raise GitError(f"git log -L {path}: {line}")
        out = []
        for commit, tail in fmt.parse(decode(result.stdout)):
            changed, hunks = _count_patch(tail)
            out.append(Change(commit, changed, hunks))
        return out

    return _cached(repo, _cache_key(repo, "L", base, path, start, end, limit, since), run)


def prefetch_root_ranges(repo: Repo, ranges: Iterable[tuple[str, int, int]], *,
                         rev: str | None = None, limit: int | None = None,
                         since: int | None = None) -> None:
    """Fill the cache for :func:`range_history` calls to come, when ``rev`` (HEAD) is a
    root commit (as :func:`codemap.history.snapshot.learn` found): one ``git log -L``
    for ranges of different files instead of one each.

    A root commit's line history is that commit alone, so git's walk is the same
    for one range or many and the answer of each range is its file's part of the
    patch. Elsewhere (or when git refuses the ranges together) nothing is done and
    each range is asked on its own, as before."""
    head = start_revision(repo, rev)
    if snapshot.is_root(repo, head) is not True:
        return
    store = history_store(repo)
    rounds: list[dict[str, tuple[int, int, str]]] = []  # each file at most once a round
    for path, start, end in ranges:
        held = snapshot.entry(repo, head, path)
        if "\n" in path or held is None or held[1] != "blob":
            continue  # not a file of the root commit (or not learnt): range_history's way
        key = _cache_key(repo, "L", head, path, start, end, limit, since)
        if store.get("linelog", key) is not None:
            continue
        free = next((r for r in rounds if path not in r), None)
        if free is None:
            free = {}
            rounds.append(free)
        free[path] = (start, end, key)
    for batch in rounds:
        for _attempt in range(2):
            if len(batch) < 2:
                break
            answers = _root_histories(repo, head, batch, limit, since)
            if isinstance(answers, dict):
                for path, changes in answers.items():
                    _put(repo, batch[path][2], changes)
                break
            # a range git refused ("file x has only n lines"): the others without it
            kept = {p: r for p, r in batch.items() if f"file {p} has only" not in answers}
            if len(kept) == len(batch):
                break
            batch = kept


def _root_histories(repo: Repo, root: str, batch: dict[str, tuple[int, int, str]],
                    limit: int | None, since: int | None) -> dict[str, list[Change]] | str:
    """Each file's range history at the root commit ``root``, from one git process;
    git's error line when it fails, or ``""`` when the output is not as expected."""
    fmt = LogFormat()
    args = ["-c", "core.quotepath=off", "-c", "log.showSignature=false", "log",
            "--no-decorate", "--no-color", "--no-renames", "--src-prefix=a/",
            "--dst-prefix=b/", fmt.arg]
    args += [f"-L{start},{end}:{path}" for path, (start, end, _key) in batch.items()]
    if limit:
        args.append(f"--max-count={limit}")
    if since:
        args.append(f"--since={since}")
    result = call_git(repo, [*args, root], timeout=600)
    if result.returncode != 0:
        return result.error_line
    found = list(fmt.parse(decode(result.stdout)))
    if not found:  # ``since`` left the commit out
        return {path: [] for path in batch}
    if len(found) != 1 or found[0][0].sha != root:
        return ""
    commit, tail = found[0]
    sections = _file_sections(tail)
    if set(sections) != set(batch):
        return ""
    out = {}
    for path, text in sections.items():
        changed, hunks = _count_patch(text)
        out[path] = [Change(commit, changed, hunks)]
    return out


def _file_sections(patch: str) -> dict[str, str]:
    """A multi-file patch cut into each file's part, by the file's new path."""
    from codemap.history.incremental import unquote_path

    sections: dict[str, str] = {}
    current: list[str] = []

    def close() -> None:
        for line in current:
            if line.startswith("+++ "):
                name = unquote_path(line[4:])
                if name.startswith("b/"):
                    sections[name[2:]] = "\n".join(current)
                return

    for line in patch.split("\n"):
        if line.startswith("diff --git "):
            close()
            current = []
        current.append(line)
    close()
    return sections


def path_history(repo: Repo, path: str, *, is_dir: bool = False, rev: str | None = None,
                 limit: int | None = None) -> list[Change]:
    """Commits that changed a file (following renames) or anything under a directory."""
    repo.require_git("history")
    head = start_revision(repo, rev)

    def run() -> list[Change]:
        fmt = LogFormat()
        args = ["-c", "core.quotepath=off", "-c", "log.showSignature=false", "log",
                "--no-decorate", "--no-color", "--numstat", fmt.arg]
        if not is_dir and path != ".":
            args.append("--follow")
        if limit:
            args.append(f"--max-count={limit}")
        args += [head, "--", path]
        out = run_git(repo, args, timeout=600)
        return [Change(commit, _count_numstat(tail)) for commit, tail in fmt.parse(decode(out))]

    return _cached(repo, _cache_key(repo, "P", head, path, is_dir, limit), run)


def track_line(changes: list[Change], range_start: int, line: int) -> list[float | None]:
    """Follow one line of a tracked range back through ``changes`` (newest
    first, as :func:`range_history` returns them for that range).

    For each change: ``0`` when it wrote the line (after which the line did
    not exist, so older changes get None), else the distance in lines from
    the line to the nearest line that change added or removed (a removal
    sits between two lines: ``0.5`` means "right next to it"), or None when
    the change did not touch the range near it. ``line`` and ``range_start``
    are numbered as at the revision the history started from; the range is
    printed whole in each ``git log -L`` diff, so the line's offset inside the
    range carries from one change to the next.
    """
    out: list[float | None] = []
    offset: int | None = line - range_start
    for ch in changes:
        if offset is None or not ch.hunks:
            out.append(None)
            continue
        target = ch.hunks[0].new_start + offset
        changed: list[float] = []
        added: set[int] = set()
        old_of_new: dict[int, int] = {}
        for h in ch.hunks:
            o, n = h.old_start, h.new_start
            for op in h.ops:
                if op == " ":
                    old_of_new[n] = o
                    o += 1
                    n += 1
                elif op == "+":
                    changed.append(n)
                    added.add(n)
                    n += 1
                else:
                    changed.append(n - 0.5)
                    o += 1
        if target in added:
            out.append(0)
            offset = None
            continue
        out.append(min(abs(target - c) for c in changed) if changed else None)
        old = old_of_new.get(target)
        first = ch.hunks[0]
        offset = old - first.old_start if old is not None and first.old_count else None
    return out
