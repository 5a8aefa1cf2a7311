"""Warnings that point at the caller's code, however deep inside linmod they are raised."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["user_stacklevel"]

_PACKAGE = str(Path(__file__).resolve().parent)


def user_stacklevel() -> int:
    """The ``stacklevel`` for a ``warnings.warn`` made by the caller of this function that
    names the first frame outside the linmod package (the user's line)."""
    level = 1
    frame = sys._getframe(1)  # the function about to warn: stacklevel 1
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level
