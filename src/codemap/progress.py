"""Framework-free progress and cancel hooks.

Engine functions take ``progress`` (a callable receiving :class:`Progress`)
and ``cancel`` (a :class:`threading.Event`-like object with ``is_set``).
The CLI turns progress into a stderr bar, the TUI into a progress widget.
"""

from __future__ import annotations

from collections.abc import Callable
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
