"""Framework-free progress and cancel hooks.

Engine functions take ``progress`` (a callable receiving :class:`Progress`)
and ``cancel`` (a :class:`threading.Event`-like object with ``is_set``).
The CLI turns progress into a stderr bar, the TUI into a progress widget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from codemap.errors import Cancelled


@dataclass(frozen=True)
class Progress:
    """``done`` of ``total`` units of the named ``stage`` are finished."""

    stage: str
    done: int
    total: int


ProgressHook = Callable[[Progress], None]


class CancelToken(Protocol):
    def is_set(self) -> bool: ...


def no_progress(_: Progress) -> None:
    """The default hook: report nothing."""


def check_cancel(cancel: CancelToken | None) -> None:
    """Raise :class:`Cancelled` if the caller asked to stop."""
    if cancel is not None and cancel.is_set():
        raise Cancelled("cancelled")


@contextmanager
def deferred_interrupt() -> Iterator[Callable[[], bool]]:
    """Hold Ctrl-C back while code that must not be interrupted anywhere runs.

    A KeyboardInterrupt raised inside a library's bookkeeping can leave it broken:
    raised while ``concurrent.futures.wait`` takes the futures' locks one by one, it
    leaves some taken, and the pool's manager thread then blocks forever on them (and
    shutting the pool down waits for that thread). Inside this block SIGINT only marks
    the returned check true; the caller looks at it where stopping is safe and raises
    KeyboardInterrupt itself. One still pending when the block ends is raised then.
    Off the main thread (where Python delivers no signals) or under a handler other
    than Python's default, nothing changes and the check stays false.
    """
    import signal
    import threading

    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield lambda: False
        return
    hits: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: hits.append(signum))
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)
    if hits:
        raise KeyboardInterrupt
