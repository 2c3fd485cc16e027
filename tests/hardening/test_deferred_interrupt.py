"""Ctrl-C held back while code that must not be interrupted mid-way runs."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from codemap.progress import deferred_interrupt


def test_sigint_inside_is_only_marked_then_raised_at_the_end() -> None:
    reached = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_interrupt() as interrupted:
            assert not interrupted()
            os.kill(os.getpid(), signal.SIGINT)
            for _ in range(1000):  # the handler runs at a bytecode boundary
                if interrupted():
                    break
            reached.append(interrupted())
    assert reached == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_no_signal_no_interrupt_and_the_handler_is_restored() -> None:
    with deferred_interrupt() as interrupted:
        pass
    assert not interrupted()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_exception_inside_is_not_replaced_by_a_pending_interrupt() -> None:
    with pytest.raises(ValueError):
        with deferred_interrupt():
            os.kill(os.getpid(), signal.SIGINT)
            sum(range(1000))
            raise ValueError("first")


def test_off_the_main_thread_nothing_changes() -> None:
    seen = []

    def run() -> None:
        with deferred_interrupt() as interrupted:
            seen.append((interrupted(), signal.getsignal(signal.SIGINT)))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert seen == [(False, signal.default_int_handler)]
