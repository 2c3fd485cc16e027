"""What every screen of one UI run shares: the repository, the revision, the clock.

The session also holds the few engine objects that are expensive to open
and safe to share between thread workers (the index reader, the coverage
data), each opened once on first use under a lock. The clock is injectable
so that snapshot tests and screenshots show stable relative dates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from codemap.repo import Repo

if TYPE_CHECKING:  # pragma: no cover
    from codemap.coverage.loaded import CoverageSet
    from codemap.index.store import IndexReader

_UNSET: Any = object()


def system_clock() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class StartOptions:
    """What the command line asked the UI to open (each mode reads its part)."""

    trace_text: str | None = None
    trace_name: str | None = None
    endpoint: str | None = None
    tour_file: str | None = None
    review_range: str | None = None


@dataclass
class Session:
    """One UI run over one repository."""

    repo: Repo
    options: StartOptions = field(default_factory=StartOptions)
    rev: str | None = None
    coverage_file: str | None = None
    clock: Callable[[], datetime] = system_clock
    _reader: IndexReader | None = field(default=None, repr=False)
    _coverage: Any = field(default=_UNSET, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    index_ready: threading.Event = field(default_factory=threading.Event, repr=False)

    def now(self) -> datetime:
        return self.clock()

    @property
    def reader(self) -> IndexReader | None:
        """The index reader once a worker opened it (None before)."""
        return self._reader

    def set_reader(self, reader: IndexReader, *, ready: bool) -> None:
        with self._lock:
            self._reader = reader
            if ready:
                self.index_ready.set()

    def coverage(self) -> CoverageSet | None:
        """The repository's coverage data (loaded once; None when there is none)."""
        with self._lock:
            if self._coverage is _UNSET:
                from codemap.coverage.service import load_coverage

                self._coverage = load_coverage(self.repo, self.coverage_file)
            return self._coverage

    @property
    def coverage_loaded(self) -> bool:
        return self._coverage is not _UNSET
