"""What ``codemap review`` compares: ``BASE..HEAD``, ``BASE...HEAD``, one commit, or a branch.

* ``BASE..HEAD``: the tree of HEAD against the tree of BASE (``git diff
  BASE HEAD``); either side may be left out and means ``HEAD``.
* ``BASE...HEAD``: HEAD against its merge base with BASE (what a pull
  request shows).
* ``REV`` alone: the commit itself, against its first parent (a merge
  commit: what the merge brought in; a root commit: everything it added).
* ``--branch NAME``: the branch against its merge base with ``BASE`` when
  one is given, else with the repository's default branch
  (``origin/HEAD``, else ``main``, ``master``, ``trunk``, ``develop``).
"""

from __future__ import annotations

from dataclasses import dataclass

from codemap.errors import GitError, UsageError
from codemap.history.git import call_git, resolve_rev, run_git
from codemap.repo import Repo

DEFAULT_BRANCHES = ("main", "master", "trunk", "develop")


@dataclass(frozen=True)
class ReviewRange:
    base: str  # full sha (the empty tree's id for a root commit)
    head: str  # full sha
    base_label: str
    head_label: str
    base_is_commit: bool = True
    merge_base: bool = False  # base is a merge base, not what the user typed


def _check_rev_text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise UsageError(f"empty {what} in the range")
    if text.startswith("-") or any(c.isspace() for c in text) or "\0" in text:
        raise UsageError(f"not a revision: {text!r}")
    return text


def _resolve(repo: Repo, text: str) -> str:
    try:
        return resolve_rev(repo, text)
    except GitError:
        raise GitError(f"unknown revision {text!r} (not a commit, branch or tag here)") from None


def empty_tree(repo: Repo) -> str:
    """The id of the empty tree (SHA-1 or SHA-256 repositories alike)."""
    return run_git(repo, ["hash-object", "-t", "tree", "--stdin"], input_bytes=b"").decode().strip()


def merge_base(repo: Repo, a: str, b: str) -> str:
    result = call_git(repo, ["merge-base", a, b])
    sha = result.stdout.decode().strip().splitlines()
    if result.returncode != 0 or not sha:
        raise GitError(f"{a[:12]} and {b[:12]} have no common history (no merge base)")
    return sha[0]


def _branch_sha(repo: Repo, name: str) -> str:
    name = _check_rev_text(name, "branch name")
    for ref in (f"refs/heads/{name}", f"refs/remotes/{name}", name):
        out = run_git(repo, ["rev-parse", "--verify", "-q", f"{ref}^{{commit}}"], check=False)
        sha = out.decode().strip()
        if sha:
            return sha
    local = run_git(repo, ["for-each-ref", "--format=%(refname:short)", "--count=8",
                           "refs/heads/"], check=False).decode().split()
    known = f" (branches here: {', '.join(local)})" if local else ""
    raise GitError(f"no branch named {name!r}{known}")


def default_branch(repo: Repo) -> str | None:
    """The repository's default branch name, or None when it cannot be told."""
    out = run_git(repo, ["symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD"],
                  check=False).decode().strip()
    if out:
        return out
    for name in DEFAULT_BRANCHES:
        if run_git(repo, ["rev-parse", "--verify", "-q", f"refs/heads/{name}"],
                   check=False).strip():
            return name
    return None


def parse_range(repo: Repo, range_spec: str | None, branch: str | None = None) -> ReviewRange:
    """The two trees a review compares; :class:`UsageError`/:class:`GitError` on bad input."""
    repo.require_git("review")
    from codemap.history.git import head_sha

    if head_sha(repo) is None:
        raise GitError(f"{repo.root} has no commits yet; nothing to review")
    if branch is not None:
        return _branch_range(repo, range_spec, branch)
    if range_spec is None or not range_spec.strip():
        raise UsageError("give a range to review (BASE..HEAD, BASE...HEAD or a commit) "
                         "or --branch NAME")
    spec = range_spec.strip()
    if "..." in spec:
        left, _, right = spec.partition("...")
        base_text = _check_rev_text(left or "HEAD", "base")
        head_text = _check_rev_text(right or "HEAD", "head")
        head = _resolve(repo, head_text)
        base = merge_base(repo, _resolve(repo, base_text), head)
        return ReviewRange(base, head, f"merge-base({base_text}, {head_text})", head_text,
                           merge_base=True)
    if ".." in spec:
        left, _, right = spec.partition("..")
        if not left and not right:
            raise UsageError("'..' names no revisions: give BASE..HEAD")
        base_text = _check_rev_text(left or "HEAD", "base")
        head_text = _check_rev_text(right or "HEAD", "head")
        return ReviewRange(_resolve(repo, base_text), _resolve(repo, head_text), base_text,
                           head_text)
    rev = _check_rev_text(spec, "revision")
    head = _resolve(repo, rev)
    parents = run_git(repo, ["rev-list", "--parents", "-n", "1", head]).decode().split()[1:]
    if parents:
        return ReviewRange(parents[0], head, f"{rev}^", rev)
    return ReviewRange(empty_tree(repo), head, "(empty tree: root commit)", rev,
                       base_is_commit=False)


def _branch_range(repo: Repo, range_spec: str | None, branch: str) -> ReviewRange:
    head = _branch_sha(repo, branch)
    if range_spec is not None and range_spec.strip():
        against = range_spec.strip()
        if ".." in against:
            raise UsageError("with --branch give at most one revision to compare against, "
                             "not a range")
        against = _check_rev_text(against, "base")
        other = _resolve(repo, against)
    else:
        found = default_branch(repo)
        if found is None:
            raise UsageError(f"cannot tell the default branch to compare {branch!r} against; "
                             f"give one: codemap review BASE --branch {branch}")
        against, other = found, _resolve(repo, found)
        if against.split("/")[-1] == branch.split("/")[-1]:
            raise UsageError(f"{branch!r} is the default branch; give the branch or commit to "
                             f"compare against: codemap review BASE --branch {branch}")
    base = merge_base(repo, other, head)
    return ReviewRange(base, head, f"merge-base({against}, {branch})", branch, merge_base=True)


def commits_in(repo: Repo, rng: ReviewRange) -> list[str]:
    """The commits the range holds (``git rev-list BASE..HEAD``), newest first."""
    args = ["rev-list", rng.head] + ([f"^{rng.base}"] if rng.base_is_commit else [])
    return run_git(repo, args).decode().split()
