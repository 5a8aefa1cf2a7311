"""Ctrl-C, SIGTERM and SIGHUP in the ``linmod`` command: one line, an exit code, no debris.

Python turns Ctrl-C (SIGINT) into :class:`KeyboardInterrupt`; SIGTERM (``kill``, a batch
scheduler's time limit) and SIGHUP (a closed terminal) would end the process on the spot,
leaving a half-written temporary file next to the output.  While a command runs,
:func:`signals_as_exceptions` turns them into :class:`Terminated`, so every ``finally``
and ``except BaseException`` block runs (:func:`linmod.files.write_atomically` removes its
temporary file) and :func:`interrupted` prints one line and gives the shell's exit code,
128 + the signal number (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

__all__ = ["Terminated", "interrupted", "signals_as_exceptions"]

#: The signals turned into :class:`Terminated` (SIGHUP does not exist on Windows).
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(BaseException):
    """The process was asked to stop by a signal.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that library code's
    ``except Exception`` does not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


@contextmanager
def signals_as_exceptions() -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM/SIGHUP while the block runs.

    Only the first signal raises, so a second one cannot interrupt the clean-up the first
    started.  The previous handlers are restored afterwards.  Outside the main thread
    (where Python cannot install handlers) nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not received:
            received.append(signum)
            raise Terminated(signum)

    previous: dict[int, Any] = {}
    try:
        for signum in _SIGNALS:
            previous[signum] = signal.signal(signum, handler)
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def interrupted(error: KeyboardInterrupt | Terminated) -> int:
    """Say in one line on standard error that the command was stopped; its exit code."""
    if isinstance(error, Terminated):
        print(f"linmod: {error}", file=sys.stderr)
        return 128 + error.signum
    print("linmod: interrupted", file=sys.stderr)
    return 128 + signal.SIGINT
