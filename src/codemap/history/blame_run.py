"""Running ``git blame`` for one file or for all the files of a trace at once.

One ``git blame --incremental`` per file (in parallel threads), and one
``git log --stdin`` for the messages of all their commits (commit-level AI
provenance), started before the blames so its start-up overlaps them: a
trace through seven files costs eight processes, not fourteen.

A working-tree blame makes git read the index twice (to build the
"not committed yet" pseudo-commit), which in a 31,000-file repository is
most of its cost (14 ms against 2 ms at a commit). When a file is unchanged
since HEAD, that is when git's own hash of the working-tree file (after its
clean filters, end-of-line and encoding conversions: ``git hash-object
--stdin-paths``) is HEAD's blob for the path, the working-tree blame is the
blame at HEAD (nothing differs, so every line passes to HEAD), and it is
run there. Asking costs one process for all files plus the
:mod:`codemap.history.snapshot` lookup, so it is only done when the index
git would read is big enough to repay it.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from codemap.errors import CodemapError, GitError, InputError, UsageError
from codemap.history.commits import CommitInfo, PendingCommits
from codemap.history.git import call_git
from codemap.history.incremental import SHAS, parse_incremental
from codemap.history.incremental import iso_date as _iso
from codemap.history.provenance import HUMAN, LineRecords, commit_verdict
from codemap.repo import Repo

if TYPE_CHECKING:  # pragma: no cover
    from codemap.history.blame import _Context

IGNORE_REVS_FILE = ".git-blame-ignore-revs"
WORKERS = 4  # git blame processes at once (mostly waiting on git)
# The unchanged-file check costs about 3 ms (a hash-object process, a cat-file lookup);
# a working-tree blame costs about 2.9 ms more per MiB of index than one at HEAD
# (measured on a 4 MiB index: 14 ms against 2.3 ms). Check when the files to blame
# times the index size reach this.
CLEAN_CHECK_MIN_INDEX_BYTES = 1 << 20


@dataclass
class BlameJob:
    """One file to blame: its context, and the line ranges (None: the whole file)."""

    ctx: _Context
    ranges: list[tuple[int, int]] | None


def run_blames(repo: Repo, jobs: Sequence[BlameJob],
               opts: tuple[str, ...]) -> list[dict[str, Any] | CodemapError]:
    """Blame every job; each answer is the cacheable JSON form
    (:func:`codemap.history.blame._decode` reads it) or the error that file gave."""
    if not jobs:
        return []
    pending = PendingCommits(repo)  # starts while the blames run; asked once they are done
    try:
        try:
            at_head = _unchanged_since_head(repo, jobs)
        except CodemapError:  # the check is an optimisation: blame as asked without it
            at_head = set()

        def one(k: int) -> bytes | CodemapError:
            job = jobs[k]
            try:
                return _blame_output(repo, job.ctx, opts, job.ranges,
                                     job.ctx.head if k in at_head else None)
            except CodemapError as exc:  # this file cannot be blamed; the others can
                return exc

        if len(jobs) == 1:
            outputs = [one(0)]
        else:
            with ThreadPoolExecutor(max_workers=min(len(jobs), WORKERS)) as pool:
                outputs = list(pool.map(one, range(len(jobs))))
        shas = list(dict.fromkeys(m.decode("ascii") for out in outputs
                                  if isinstance(out, bytes) for m in SHAS.findall(out)))
    except BaseException:
        pending.cancel()
        raise
    from codemap.config import load_config
    from codemap.history.identities import identity_table

    # commit messages load while the outputs are parsed
    with ThreadPoolExecutor(max_workers=1) as side:
        infos_future = side.submit(pending.finish, shas)
        parsed = [parse_incremental(out) if isinstance(out, bytes) else out for out in outputs]
        table = identity_table(load_config(repo).ai_identities)
        records = [_line_records(repo, job.ctx, p[0]) if isinstance(p, tuple) else None
                   for job, p in zip(jobs, parsed)]
        infos = infos_future.result()
    return [_build(job.ctx, p, rec, infos, table) if isinstance(p, tuple) else p
            for job, p, rec in zip(jobs, parsed, records)]


# ----------------------------------------------------------------------------- unchanged files


def _index_size(repo: Repo) -> int:
    try:
        return (repo.git_dir / "index").stat().st_size if repo.git_dir is not None else 0
    except OSError:
        return 0


def _unchanged_since_head(repo: Repo, jobs: Sequence[BlameJob]) -> set[int]:
    """The jobs whose working-tree file is HEAD's blob, as git would hash it."""
    from codemap.history import snapshot

    candidates = [k for k, job in enumerate(jobs)
                  if job.ctx.rev_sha is None and job.ctx.content is not None and job.ctx.head
                  and not job.ctx.path.startswith('"')]  # hash-object would unquote it
    if not candidates or len(candidates) * _index_size(repo) < CLEAN_CHECK_MIN_INDEX_BYTES:
        return set()
    by_head: dict[str, list[int]] = {}
    for k in candidates:
        by_head.setdefault(jobs[k].ctx.head, []).append(k)  # type: ignore[arg-type]
    blobs: dict[int, str] = {}
    for head, ks in by_head.items():
        snapshot.learn(repo, head, [jobs[k].ctx.path for k in ks])
        for k in ks:
            found = snapshot.entry(repo, head, jobs[k].ctx.path)
            if found is not None and found[1] == "blob":
                blobs[k] = found[0]
    if not blobs:
        return set()
    ks = sorted(blobs)
    result = call_git(repo, ["hash-object", "--stdin-paths"],
                      input_bytes="".join(jobs[k].ctx.path + "\n" for k in ks).encode(
                          "utf-8", "surrogateescape"))
    hashes = result.stdout.decode("ascii", "replace").split()
    if result.returncode != 0 or len(hashes) != len(ks):
        return set()  # a file vanished or cannot be read: blame the working tree as asked
    return {k for k, sha in zip(ks, hashes) if sha == blobs[k]}


# ----------------------------------------------------------------------------- running git


def _blame_args(ctx: _Context, opts: tuple[str, ...], ranges: list[tuple[int, int]] | None,
                ignore_revs: bool, at: str | None) -> list[str]:
    args = ["-c", "core.quotepath=off", "blame", "--incremental", *opts]
    if ignore_revs:
        args += ["--ignore-revs-file", IGNORE_REVS_FILE]
    for lo, hi in ranges or ():
        args += ["-L", f"{lo},{hi}"]
    if ctx.rev_sha is not None or at is not None:
        args.append(ctx.rev_sha or at)  # type: ignore[arg-type]
    return [*args, "--", ctx.path]


def _blame_output(repo: Repo, ctx: _Context, opts: tuple[str, ...],
                  ranges: list[tuple[int, int]] | None, at: str | None) -> bytes:
    result = call_git(repo, _blame_args(ctx, opts, ranges, ctx.has_ignore_revs, at),
                      timeout=600)
    if result.returncode != 0 and ctx.has_ignore_revs and "object name" in result.error_line:
        # An unusable .git-blame-ignore-revs (not in the format git wants) must not
        # make blame unusable: blame without it.
        result = call_git(repo, _blame_args(ctx, opts, ranges, False, at), timeout=600)
    if result.returncode != 0:
        raise _blame_error(ctx, result.error_line)
    return result.stdout


def _blame_error(ctx: _Context, line: str) -> CodemapError:
    where = ctx.rev or "HEAD"
    low = line.lower()
    if "no such path" in low:
        return InputError(f"{ctx.path} is not in git at {where} (untracked, or not there yet)")
    if "has only" in low and "line" in low:
        return UsageError(f"{ctx.path}: {line.removeprefix('fatal: ')}")
    if "object name list" in low:
        return GitError(f"git blame cannot read the file of revisions to ignore "
                        f"({line.rsplit(':', 1)[-1].strip()}): fix or unset the "
                        "blame.ignoreRevsFile setting")
    if "is in submodule" in low:
        return InputError(f"{ctx.path} is inside a submodule (a separate repository): "
                          f"run codemap with --repo on the submodule")
    return GitError(f"git blame {ctx.path}: {line}")


# ----------------------------------------------------------------------------- the answer


def _build(ctx: _Context, parsed: tuple[dict[str, Any], list[tuple[int, str, int, str]]],
           records: LineRecords | None, infos: dict[str, CommitInfo],
           table: Any) -> dict[str, Any]:
    commits, lines = parsed
    shas = list(commits)
    index = {s: i for i, s in enumerate(shas)}
    rows = []
    for sha in shas:
        c = commits[sha]
        info = infos.get(sha)
        verdict = commit_verdict(info, table) if info is not None else HUMAN
        mail = c.get("author-mail", "")
        mail = mail[1:-1] if mail.startswith("<") and mail.endswith(">") else mail
        ts = int(c.get("author-time", "0") or 0)
        prev = c.get("previous")
        rows.append([c.get("author", ""), mail, _iso(ts, c.get("author-tz", "+0000")), ts,
                     c.get("summary", ""), bool(c.get("boundary")), sha in ctx.shallow,
                     list(prev) if prev else None, verdict.to_json()])
    paths: list[str] = []
    path_index: dict[str, int] = {}
    overrides: list[list[object]] = []
    line_rows = []
    have_records = bool(records)
    for final, sha, orig, opath in lines:
        pi = path_index.get(opath)
        if pi is None:
            pi = path_index[opath] = len(paths)
            paths.append(opath)
        ov = -1
        if have_records:
            assert records is not None
            found = records.lookup(sha, opath, orig)
            if found is not None:
                ov = len(overrides)
                overrides.append(found.to_json())
        line_rows.append([final, index[sha], orig, pi, ov])
    return {"shas": shas, "commits": rows, "paths": paths, "lines": line_rows,
            "overrides": overrides}


def _line_records(repo: Repo, ctx: _Context, commits: dict[str, Any]) -> LineRecords:
    records = LineRecords()
    if ctx.notes:
        from codemap.history.gitai import notes_for

        for rec in notes_for(repo, commits):
            records.add(rec)
    if ctx.traces:
        from codemap.history.agent_trace import parse_traces

        for rec in parse_traces(ctx.traces)[0]:
            records.add(rec)
    return records
