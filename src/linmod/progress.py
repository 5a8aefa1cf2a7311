"""A minimal progress line for long runs: shown on a terminal, silent otherwise.

Long work (streamed chunks, Dask partitions) reports counts; a :class:`Progress` prints a
single self-overwriting line to standard error when it is a TTY, and nothing when it is
not (logs, pipes, CI) or when disabled (``--quiet``).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Count units of work and show the rate.

    Parameters
    ----------
    label : str
        What is being counted, e.g. ``"rows folded"``.
    enabled : bool or None
        Force on or off; None shows it only when ``stream`` is a terminal.
    stream : file, optional
        Where to write (default ``sys.stderr``).
    """

    def __init__(self, label: str, enabled: bool | None = None, stream: TextIO | None = None):
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = is_tty if enabled is None else enabled
        self.count = 0
        self.start = time.perf_counter()
        self._shown = False

    def update(self, amount: int) -> None:
        """Add ``amount`` units and redraw the line."""
        self.count += amount
        if not self.enabled:
            return
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        self.stream.write(f"\r  {self.count:,} {self.label} ({self.count / elapsed / 1e6:.2f} M/s)")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the line (if one was drawn)."""
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()
            self._shown = False
