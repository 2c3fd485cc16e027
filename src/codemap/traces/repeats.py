"""Runs of frames that only repeat the frames before them (recursion).

A stack overflow prints the same frame, or the same few frames of a mutual
recursion, hundreds of times (the JVM prints 1,024 frames, Python 1,000). The
copies between the first and the last add nothing: the text output and the
UI fold them, keeping the first copy (how the recursion is entered) and the
last one (which holds the innermost frame). JSON keeps every frame.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

MAX_PERIOD = 8  # frames in a repeating run (mutual recursion through a few functions)
MIN_COPIES = 4  # copies of a run before the middle ones are folded


@dataclass(frozen=True)
class Repeat:
    """Frames ``start`` to ``end`` (exclusive) repeat the ``period`` frames before them,
    ``times`` more times."""

    start: int
    end: int
    period: int

    @property
    def times(self) -> int:
        return (self.end - self.start) // self.period

    def short(self) -> str:
        """The count first, for a narrow column: ``28× the 2 frames above``."""
        return f"{self.times}× the {self.period} frame{'s' if self.period > 1 else ''} above"

    def describe(self) -> str:
        plural = self.period > 1
        return (f"the {self.period} frame{'s' if plural else ''} above "
                f"repeat{'' if plural else 's'} {self.times} more times")


def frame_key(frame: Any) -> Hashable:
    """What makes two printed frames the same: where and in what function."""
    return (frame.path or frame.file, frame.line, frame.function)


def repeats(keys: Sequence[Hashable]) -> list[Repeat]:
    """The foldable middles of the repeating runs in ``keys`` (one key per frame, in
    order): for each run of a block of at most MAX_PERIOD frames copied MIN_COPIES times
    or more in a row, the copies after the first and before the last."""
    out: list[Repeat] = []
    n = len(keys)
    i = 0
    while i < n:
        best_period, best_copies = 0, 1
        for period in range(1, MAX_PERIOD + 1):
            block = keys[i:i + period]
            if len(block) < period:
                break
            copies = 1
            while keys[i + copies * period:i + (copies + 1) * period] == block:
                copies += 1
            if copies >= MIN_COPIES and copies * period > best_copies * best_period:
                best_period, best_copies = period, copies
        if not best_period:
            i += 1
            continue
        last = i + (best_copies - 1) * best_period
        out.append(Repeat(i + best_period, last, best_period))
        i = last + best_period
    return out
