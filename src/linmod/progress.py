"""Progress display for long runs: shown on a terminal, silent otherwise.

Long work (streamed chunks, Dask partitions, gradient-descent epochs, cross-validation
folds, penalty paths) reports counts to a :class:`Progress`. It draws one
self-overwriting line on standard error when that is a terminal, and nothing when it is
not (logs, pipes, CI) or when disabled (``--quiet``). With a known ``total`` the line is a
bar with the fraction done and an estimate of the time left; without one it shows the
count and the rate. Redraws are throttled, so updating once per epoch costs nothing.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]

_BAR_WIDTH = 24
_REDRAW_SECONDS = 0.1
_CLEAR_TO_END = "\x1b[K"  # a shorter line must not leave the old one's tail behind


def _rate(per_second: float) -> str:
    for factor, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if per_second >= factor:
            return f"{per_second / factor:.2f} {suffix}/s"
    return f"{per_second:.1f}/s"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Progress:
    """Count units of work and show how far along it is.

    Parameters
    ----------
    label : str
        What is being counted, e.g. ``"rows folded"`` or ``"epochs"``.
    enabled : bool or None
        Force on or off; None shows it only when ``stream`` is a terminal.
    stream : file, optional
        Where to write (default ``sys.stderr``).
    total : int, optional
        The number of units expected; draws a bar with an estimate of the time left.

    Examples
    --------
    >>> with Progress("folds", total=5, enabled=False) as bar:
    ...     for _ in range(5):
    ...         bar.update(1)
    >>> bar.count
    5
    """

    def __init__(
        self,
        label: str,
        enabled: bool | None = None,
        stream: TextIO | None = None,
        total: int | None = None,
    ):
        self.label = label
        self.stream = sys.stderr if stream is None else stream
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = is_tty if enabled is None else bool(enabled)
        self.total = total if total is None or total > 0 else None
        self.count = 0
        self.start = time.perf_counter()
        self._last_draw = -float("inf")
        self._shown = False

    def _line(self, elapsed: float) -> str:
        if self.total is None:
            return f"  {self.count:,} {self.label} ({_rate(self.count / max(elapsed, 1e-9))})"
        done = min(self.count / self.total, 1.0)
        filled = round(done * _BAR_WIDTH)
        bar = "#" * filled + "-" * (_BAR_WIDTH - filled)
        left = elapsed * (1 - done) / done if done > 0 else float("nan")
        eta = _clock(left) if done > 0 else "--:--"
        return (
            f"  {self.label} [{bar}] {self.count:,}/{self.total:,} "
            f"{_clock(elapsed)} elapsed, {eta} left"
        )

    def update(self, amount: int = 1) -> None:
        """Add ``amount`` units and redraw the line (at most every 0.1 s)."""
        self.count += amount
        if not self.enabled:
            return
        now = time.perf_counter()
        just_finished = self.total is not None and self.count - amount < self.total <= self.count
        if now - self._last_draw < _REDRAW_SECONDS and not just_finished and self._shown:
            return
        self._last_draw = now
        self.stream.write("\r" + self._line(now - self.start) + _CLEAR_TO_END)
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the line (if one was drawn), showing the final count."""
        if self._shown:
            line = self._line(time.perf_counter() - self.start)
            self.stream.write("\r" + line + _CLEAR_TO_END + "\n")
            self.stream.flush()
            self._shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
