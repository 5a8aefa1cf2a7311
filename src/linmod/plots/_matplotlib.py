"""Lazy access to matplotlib, the only plotting dependency (``pip install 'linmod[plots]'``)."""

from __future__ import annotations

from typing import Any

from linmod.exceptions import LinmodError

__all__ = ["pyplot"]


def pyplot() -> Any:
    """Return ``matplotlib.pyplot``, imported on first use with a non-interactive default.

    Raises
    ------
    LinmodError
        If matplotlib is not installed, with the install command.
    """
    try:
        import matplotlib
    except ModuleNotFoundError as error:  # pragma: no cover - depends on environment
        raise LinmodError("plotting needs matplotlib: pip install 'linmod[plots]'") from error
    if matplotlib.get_backend().lower() not in ("agg", "module://matplotlib_inline.backend_inline"):
        import os

        if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
            matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
