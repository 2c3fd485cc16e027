"""The symbols of both versions of each changed file.

HEAD versions equal to the working tree come from the index (already
parsed, and with the same ids the call graph uses); other versions come
from :mod:`codemap.review.symcache`, and the ones never seen before are
parsed with :func:`codemap.index.extract.extract_symbols` (in worker
processes when there are many, as the indexer does).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from codemap.model import Symbol
from codemap.repo import Repo
from codemap.review.changes import Side
from codemap.review.diff import FileChange
from codemap.review.rangespec import ReviewRange
from codemap.review.symcache import SymbolCache, cache_key

PARALLEL_THRESHOLD = 48  # versions to parse before worker processes pay off

# a parse job: (cache key, path, the package files of its revision, content)
Job = tuple[str, str, frozenset[str], bytes]


def _parse(job: Job) -> tuple[str, list[tuple]]:
    from codemap.index.extract import extract_symbols

    key, path, packages, data = job
    symbols = extract_symbols(path, data, packages.__contains__)
    return key, [(s.id, s.name, s.qualname, s.kind, s.language, s.path, s.start_line,
                  s.end_line) for s in symbols]


def _run(jobs: list[Job]) -> dict[str, list[Symbol]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_THRESHOLD or workers < 2:
        results = map(_parse, jobs)
        return {key: [Symbol(*row) for row in rows] for key, rows in results}
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    jobs = sorted(jobs, key=lambda j: -len(j[3]))
    with ctx.Pool(workers) as pool:
        out = {key: [Symbol(*row) for row in rows]
               for key, rows in pool.imap_unordered(_parse, jobs, chunksize=8)}
    return out


class SideSymbols:
    """``sides(fc, "base" | "head")`` -> (symbols, lines) for the classifier."""

    def __init__(self, repo: Repo, rng: ReviewRange, blobs: dict[str, bytes], max_size: int,
                 reader: Any, cache: SymbolCache, notes: list[str]) -> None:
        self.repo, self.rng, self.blobs, self.max_size = repo, rng, blobs, max_size
        self.reader, self.cache, self.notes = reader, cache, notes
        self._trees: dict[str, set[str]] = {}
        self._packages: dict[str, frozenset[str]] = {}
        self._indexed = set(reader.files())
        self._parsed: dict[str, list[Symbol]] = {}
        self.head_symbols: dict[str, list[Symbol]] = {}
        self.base_symbols: dict[str, list[Symbol]] = {}

    def _tree(self, rev: str) -> set[str]:
        if rev not in self._trees:
            from codemap.history.git import run_git

            out = run_git(self.repo, ["-c", "core.quotepath=off", "ls-tree", "-r",
                                      "--name-only", "-z", rev])
            self._trees[rev] = {p.decode("utf-8", "surrogateescape")
                                for p in out.split(b"\0") if p}
        return self._trees[rev]

    def _has_file(self, rev: str) -> Callable[[str], bool]:
        return lambda path: path in self._tree(rev)

    def _package_files(self, rev: str) -> frozenset[str]:
        """The ``__init__.py`` files of ``rev`` (all a Python module name depends on)."""
        if rev not in self._packages:
            self._packages[rev] = frozenset(p for p in self._tree(rev)
                                            if p.rsplit("/", 1)[-1] == "__init__.py")
        return self._packages[rev]

    def _version(self, fc: FileChange, side: str) -> tuple[str | None, str | None, bytes | None]:
        path = fc.old_path if side == "base" else fc.new_path
        blob = fc.old_blob if side == "base" else fc.new_blob
        return path, blob, self.blobs.get(blob or "")

    def _in_worktree(self, path: str, data: bytes) -> bool:
        try:
            return path in self._indexed and self.repo.abspath(path).read_bytes() == data
        except OSError:
            return False

    def _key(self, path: str, blob: str, side: str) -> str | None:
        return cache_key(blob, path,
                         self._has_file(self.rng.base if side == "base" else self.rng.head))

    def prepare(self, changes: list[FileChange]) -> None:
        """Parse, all at once, every version neither the index nor the cache holds."""
        jobs: list[Job] = []
        for fc in changes:
            if fc.binary:
                continue
            for side in ("base", "head"):
                path, blob, data = self._version(fc, side)
                if path is None or blob is None or data is None or len(data) > self.max_size:
                    continue
                if side == "head" and self._in_worktree(path, data):
                    continue
                key = self._key(path, blob, side)
                if key is None or key in self._parsed:
                    continue
                found = self.cache.get(key)
                if found is not None:
                    self._parsed[key] = found
                    continue
                rev = self.rng.base if side == "base" else self.rng.head
                jobs.append((key, path, self._package_files(rev), data))
        for key, symbols in _run(jobs).items():
            self._parsed[key] = symbols
            self.cache.put(key, symbols)

    def __call__(self, fc: FileChange, side: str) -> Side:
        path, blob, data = self._version(fc, side)
        if path is None or data is None or blob is None:
            return [], None
        if len(data) > self.max_size:
            self.notes.append(f"{path} ({side}) is larger than max_file_size; its symbols are "
                              "not compared")
            return [], None
        text = data.decode("utf-8", "replace").splitlines()
        if side == "head" and self._in_worktree(path, data):
            symbols = self.reader.symbols_in_file(path)
        else:
            key = self._key(path, blob, side)
            symbols = self._parsed.get(key, []) if key is not None else []
        (self.head_symbols if side == "head" else self.base_symbols)[path] = symbols
        return symbols, text
