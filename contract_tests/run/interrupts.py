"""Ctrl-C and a CI runner's SIGTERM end a run the same way: clean up, stop any local mock, exit 2.

Python only turns SIGINT into ``KeyboardInterrupt`` when the parent left it at its default — a
script's background job or some CI runners' children start with it ignored — and SIGTERM ends a
process at once, skipping every clean-up. So both are handled explicitly, whatever they were set to,
and turned into one ``KeyboardInterrupt``, which pytest answers by tearing the session down (the
sandbox's clean-up runs) and the gate by the verdict INTERRUPTED.

Where it is raised matters: landing in the middle of a library's bookkeeping it can be turned into
some other error. During a test session (``deferred``) the signal is only noted, and the suite raises
it at its own *checkpoints* — before each request, before each generated case, before each test — so
it always starts from a clean place; a second signal raises at once. While clean-up runs
(``shielded``) signals wait for its end, so a second Ctrl-C cannot leave accounts behind.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _State:
    def __init__(self) -> None:
        self.received: int | None = None
        self.shielded = 0
        #: Raise at the end of the shielded block.
        self.pending = False
        #: Inside a test session: raise at the next checkpoint.
        self.deferring = False
        self.due = False


_state = _State()


def received() -> int | None:
    """The signal that interrupted this run, if one did."""
    return _state.received


def _handle(signum: int, frame: FrameType | None) -> None:
    first = _state.received is None
    _state.received = _state.received or signum
    if _state.shielded:
        _state.pending = True
    elif _state.deferring and first:
        _state.due = True
    elif first or _state.due:
        _state.due = False
        raise KeyboardInterrupt(f"interrupted by {signal.Signals(signum).name}")


def checkpoint() -> None:
    """A clean place to stop: raise the ``KeyboardInterrupt`` a signal asked for, if one did."""
    if _state.due and not _state.shielded:
        _state.due = False
        raise KeyboardInterrupt(f"interrupted by {signal.Signals(_state.received or signal.SIGINT).name}")


@contextmanager
def deferred() -> Iterator[None]:
    """A test session: signals raise at the suite's checkpoints (a second one at once)."""
    _state.deferring = True
    try:
        yield
    finally:
        _state.deferring, _state.due = False, False


@contextmanager
def handled(*, then_ignore: bool = False) -> Iterator[None]:
    """SIGINT and SIGTERM raise ``KeyboardInterrupt`` inside the block (once), whatever they were set to.

    Afterwards they are restored — or, with ``then_ignore``, ignored: a process whose exit status is
    decided must not be killed by a late signal on its way out (a CI runner's SIGTERM after a Ctrl-C).
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {signum: signal.getsignal(signum) for signum in _SIGNALS}
    if then_ignore:
        previous = dict.fromkeys(_SIGNALS, signal.SIG_IGN)
    _state.received, _state.pending, _state.due = None, False, False
    for signum in _SIGNALS:
        signal.signal(signum, _handle)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextmanager
def shielded() -> Iterator[None]:
    """Clean-up that must finish: a signal inside waits for the block's end, then interrupts."""
    _state.shielded += 1
    try:
        yield
    finally:
        _state.shielded -= 1
        if not _state.shielded and _state.pending:
            _state.pending = False
            raise KeyboardInterrupt("interrupted during clean-up (clean-up finished first)")
