"""Progress display for long runs: shown on a terminal, silent otherwise.

Long work (streamed chunks, Dask partitions, gradient-descent epochs, cross-validation
folds, penalty paths) reports counts to a :class:`Progress`. It draws one
self-overwriting line on standard error when that is a terminal, and nothing when it is
not (logs, pipes, CI) or when disabled (``--quiet``). With a known ``total`` the line is a
bar with the fraction done and an estimate of the time left; without one it shows the
count and the rate. Redraws are throttled, so updating once per epoch costs nothing.

The line never reaches the terminal's last column (``COLUMNS`` when set, as for rich and
:func:`shutil.get_terminal_size`, else the size of the terminal written to): a longer line
would wrap, and every redraw would leave its first part behind. On a narrow terminal the
time estimates go first, then the bar shrinks and the label goes.
"""

from __future__ import annotations

import io
import os
import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]

_BAR_WIDTH = 24
_REDRAW_SECONDS = 0.1
_MIN_BAR_WIDTH = 5
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


def _columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to (``COLUMNS`` first; 80 if unknown)."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        columns = 0
    return columns if columns > 0 else 80


def _bar(done: float, width: int) -> str:
    filled = round(done * width)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


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
        """The progress line, shortened to leave the terminal's last column free."""
        room = _columns(self.stream) - 1
        if self.total is None:
            count = f"{self.count:,}"
            rate = _rate(self.count / max(elapsed, 1e-9))
            candidates = [f"  {count} {self.label} ({rate})", f"  {count} {self.label}", count]
            return next((c for c in candidates if len(c) <= room), count[: max(room, 1)])
        done = min(self.count / self.total, 1.0)
        left = elapsed * (1 - done) / done if done > 0 else float("nan")
        eta = _clock(left) if done > 0 else "--:--"
        counts = f"{self.count:,}/{self.total:,}"
        times = f"{_clock(elapsed)} elapsed, {eta} left"
        for text in (
            f"  {self.label} {{}} {counts} {times}",
            f"  {self.label} {{}} {counts} {eta} left",
            f"  {self.label} {{}} {counts}",
        ):
            bar_width = min(_BAR_WIDTH, room - (len(text) - 2) - 2)
            if bar_width >= min(10, _BAR_WIDTH):
                return text.format(_bar(done, bar_width))
        bar_width = min(_BAR_WIDTH, room - len(counts) - 3)
        if bar_width >= _MIN_BAR_WIDTH:
            return f"{_bar(done, bar_width)} {counts}"
        return counts[: max(room, 1)]

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
