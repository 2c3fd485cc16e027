"""What a commit holds, asked of git once for all the files of a trace.

Enriching a trace needs the same few facts about each frame's file at the
starting commit, in several places: does the path exist there (line
histories start from the last revision that has the file), which blob it
is (blame can start from the commit rather than the working tree when the
file is unchanged, :mod:`codemap.history.blame`), and whether the commit
has parents at all (in a root commit, which a one-commit import or a
depth-1 shallow clone starts from, a line history cannot meet a rename,
:mod:`codemap.history.linelog`). One ``git cat-file --batch-check``
answers all of them. A commit sha fixes the answers for good, so they are
kept for the life of the process; a lock makes threads that want the same
facts at once wait for one git process instead of starting one each.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from codemap.history.git import call_git
from codemap.repo import Repo

# (root, commit, path) -> (object id, object type), or None when the path is not there
_ENTRIES: dict[tuple[str, str, str], tuple[str, str] | None] = {}
# (root, commit) -> whether the commit has parents
_HAS_PARENTS: dict[tuple[str, str], bool] = {}
# what a running git process is being asked (a path key, or a (root, commit) key for the
# parents) -> set when its answer is in
_ASKED: dict[tuple[str, ...], threading.Event] = {}
_LOCK = threading.Lock()


def learn(repo: Repo, commit: str, paths: Iterable[str]) -> None:
    """Ask git (one process) what ``commit`` holds at each of ``paths`` and whether
    it has parents, unless already known or being asked by another thread (then wait
    for that answer). ``commit`` must be a full commit sha."""
    root = str(repo.root)
    wanted = sorted({p for p in paths if p and "\n" not in p})
    done = threading.Event()
    with _LOCK:
        waits = {_ASKED[(root, commit, p)] for p in wanted if (root, commit, p) in _ASKED}
        todo = [p for p in wanted
                if (root, commit, p) not in _ENTRIES and (root, commit, p) not in _ASKED]
        ask_parents = (root, commit) not in _HAS_PARENTS and (root, commit) not in _ASKED
        if (root, commit) in _ASKED:
            waits.add(_ASKED[(root, commit)])
        mine: list[tuple[str, ...]] = [(root, commit, p) for p in todo]
        if ask_parents:
            mine.append((root, commit))
        for key in mine:
            _ASKED[key] = done
    try:
        if mine:
            _ask(repo, commit, todo, ask_parents)
    finally:
        with _LOCK:
            for key in mine:
                _ASKED.pop(key, None)
        done.set()
    for event in waits:
        event.wait()


def _ask(repo: Repo, commit: str, todo: list[str], ask_parents: bool) -> None:
    root = str(repo.root)
    # "<commit>^1" names the first parent: git answers "missing" for a root commit
    names = ([f"{commit}^1"] if ask_parents else []) + [f"{commit}:{p}" for p in todo]
    result = call_git(repo, ["cat-file", "--batch-check"],
                      input_bytes="".join(n + "\n" for n in names).encode("utf-8",
                                                                         "surrogateescape"))
    answers = result.stdout.splitlines()
    if result.returncode != 0 or len(answers) != len(names):
        return  # left unknown: callers ask git their own way
    if ask_parents:
        first = answers.pop(0)
        if first.split()[1:2] == [b"commit"]:
            _HAS_PARENTS[(root, commit)] = True
        elif first.endswith(b" missing"):
            _HAS_PARENTS[(root, commit)] = False
    for path, answer in zip(todo, answers):
        parts = answer.split()
        if answer.endswith(b" missing"):
            _ENTRIES[(root, commit, path)] = None
        elif len(parts) == 3 and parts[2].isdigit():
            _ENTRIES[(root, commit, path)] = (parts[0].decode("ascii"), parts[1].decode("ascii"))
        # anything else (ambiguous, odd output): left unknown


def known(repo: Repo, commit: str, path: str) -> bool:
    """Whether :func:`learn` has an answer for ``path`` at ``commit``."""
    return (str(repo.root), commit, path) in _ENTRIES


def entry(repo: Repo, commit: str, path: str) -> tuple[str, str] | None:
    """(object id, type) of ``path`` at ``commit``, as learnt; None when the path is
    not there or was not asked about (tell the two apart with :func:`known`)."""
    return _ENTRIES.get((str(repo.root), commit, path))


def is_root(repo: Repo, commit: str) -> bool | None:
    """True when ``commit`` has no parents (a root commit, or a shallow clone's cut-off),
    False when it has, None when not learnt."""
    has = _HAS_PARENTS.get((str(repo.root), commit))
    return None if has is None else not has
