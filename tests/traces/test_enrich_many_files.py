"""Blame and suspects for a trace through many files, each last changed by someone else.

Enrichment blames every frame's file at once and reads the suspects' line
histories meanwhile (:mod:`codemap.traces.enrich`); each frame must still
get its own file's commit, the ranking must be the one a cold and a warm
cache both give, and a file git cannot blame must not hide the others.
"""

from __future__ import annotations

import os
import subprocess
import sys

from codemap import api

FILES = 6  # more files than the blame pool has workers


def _module(k: int) -> str:
    if k == FILES - 1:
        return "def step(n):\n    total = 0\n    return n / total\n"
    return f"from shop import m{k + 1}\n\n\ndef step(n):\n    return m{k + 1}.step(n + 1)\n"


def _deploy(git_repo) -> str:
    git_repo.write("shop/__init__.py", "")
    for k in range(FILES):
        git_repo.write(f"shop/m{k}.py", "# placeholder\n")
    git_repo.commit("skeleton", author="Ada <ada@example.com>", date="2026-01-01T10:00:00+00:00")
    for k in range(FILES):
        git_repo.write(f"shop/m{k}.py", _module(k))
        git_repo.commit(f"write m{k}", author=f"Dev{k} <dev{k}@example.com>",
                        date=f"2026-01-{k + 2:02d}T10:00:00+00:00")
    proc = subprocess.run([sys.executable, "-c", "from shop import m0; m0.step(1)"],
                          cwd=git_repo.root, capture_output=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    trace = proc.stderr.decode()
    assert "ZeroDivisionError" in trace
    return trace


def _summary(report) -> tuple[list[tuple[str, str | None]], list[tuple[str, float]]]:
    frames = [(f.path, f.last_commit.author if f.last_commit else None)
              for f in report.frames() if f.in_repo]
    return frames, [(s.summary, s.score) for s in report.suspects]


def test_every_frame_gets_its_own_files_last_commit(git_repo):
    trace = _deploy(git_repo)
    cold = api.trace(trace, str(git_repo.root))
    frames, suspects = _summary(cold)
    assert frames == [(f"shop/m{k}.py", f"Dev{k}") for k in range(FILES)]
    assert suspects[0][0] == f"write m{FILES - 1}"  # the raising frame's commit leads
    assert {f"write m{k}" for k in range(FILES)} <= {s for s, _score in suspects}
    warm = api.trace(trace, str(git_repo.root))  # blame and histories from the cache
    assert _summary(warm) == (frames, suspects)


def test_a_file_git_cannot_blame_leaves_the_others_blamed(git_repo):
    trace = _deploy(git_repo)
    git_repo.write("shop/m2.py", "\0" * 64)  # binary in the working tree: nothing to blame
    frames, _suspects = _summary(api.trace(trace, str(git_repo.root)))
    assert dict(frames) == {**{f"shop/m{k}.py": f"Dev{k}" for k in range(FILES)},
                            "shop/m2.py": None}


def test_a_cold_trace_asks_for_its_commits_once_and_blames_unchanged_files_at_head(
        git_repo, monkeypatch):
    from codemap.history import blame_run
    from codemap.history import git as git_mod

    trace = _deploy(git_repo)
    head = git_repo.git("rev-parse", "HEAD").strip()
    started: list[list[str]] = []
    real = git_mod.GitProcess.__init__

    def record(self, repo, args, timeout):
        started.append(list(args))
        real(self, repo, args, timeout)

    monkeypatch.setattr(git_mod.GitProcess, "__init__", record)
    monkeypatch.setattr(blame_run, "CLEAN_CHECK_MIN_INDEX_BYTES", 0)  # as in a big repository
    report = api.trace(trace, str(git_repo.root))
    blames = [a for a in started if "blame" in a]
    assert len(blames) == FILES and all(a[-3] == head for a in blames)
    assert len([a for a in started if "log" in a and "--stdin" in a]) == 1
    assert len([a for a in started if "cat-file" in a]) == 1  # shared by blame and histories
    frames, suspects = _summary(report)
    assert frames == [(f"shop/m{k}.py", f"Dev{k}") for k in range(FILES)]
    monkeypatch.setattr(blame_run, "CLEAN_CHECK_MIN_INDEX_BYTES", 1 << 40)  # never
    from codemap.cache import cache_dir
    from codemap.history import store
    from codemap.repo import find_repo

    for name in (store.FILE_NAME, store.FILE_NAME + "-wal", store.FILE_NAME + "-shm"):
        (cache_dir(find_repo(git_repo.root)) / name).unlink(missing_ok=True)
    store._stores.clear()
    started.clear()
    again = api.trace(trace, str(git_repo.root))  # cold again, blamed in the working tree
    assert not any(a[-3] == head for a in started if "blame" in a)
    assert again.to_json() == report.to_json()
