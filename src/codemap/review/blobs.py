"""Read many file versions from git at once.

A review parses each changed file twice (at BASE and at HEAD); one
``git cat-file --batch`` process answers every blob, where ``git show`` per
file would start a hundred processes on a large range.
"""

from __future__ import annotations

from collections.abc import Iterable

from codemap.errors import GitError
from codemap.history.git import run_git
from codemap.repo import Repo


def read_blobs(repo: Repo, blob_ids: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob id (ids git does not have are left out)."""
    wanted = list(dict.fromkeys(b for b in blob_ids if b))
    if not wanted:
        return {}
    out = run_git(repo, ["cat-file", "--batch"], input_bytes=("\n".join(wanted) + "\n").encode())
    found: dict[str, bytes] = {}
    pos = 0
    for blob in wanted:
        nl = out.find(b"\n", pos)
        if nl < 0:
            raise GitError("git cat-file --batch stopped early")
        header = out[pos:nl].decode("ascii", "replace").split()
        pos = nl + 1
        if len(header) == 2 and header[1] == "missing":
            continue
        if len(header) != 3:
            raise GitError(f"unexpected git cat-file output: {' '.join(header)[:80]}")
        size = int(header[2])
        found[blob] = out[pos:pos + size]
        pos += size + 1  # the content is followed by a newline
    return found
