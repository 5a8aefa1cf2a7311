"""The missing-value policy: refuse by default, or drop incomplete rows (R's na.omit)."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from linmod.data.row_names import is_default_index, shown_labels
from linmod.exceptions import InputError

__all__ = ["MISSING_POLICIES", "MissingPolicy", "check_policy", "describe_rows", "missing_error"]

MissingPolicy = Literal["raise", "drop"]
MISSING_POLICIES: tuple[str, ...] = ("raise", "drop")
_SHOWN_ROWS = 5


def check_policy(missing: str) -> None:
    """Raise :class:`InputError` unless ``missing`` is a known policy."""
    if missing not in MISSING_POLICIES:
        raise InputError(f"missing={missing!r} is not known; use 'raise' (default) or 'drop'")


def describe_rows(labels: pd.Index | np.ndarray, numbered: bool = False) -> str:
    """Render a few row labels, e.g. ``"rows 4, 17, 90 and 12 more"``.

    ``numbered``: the labels come from a frame with the default index, so they are shown
    as 1-based row numbers (:func:`linmod.data.row_names.shown_labels`).
    """
    if numbered:
        labels = shown_labels(pd.Index(labels), numbered=True)
    shown = ", ".join(str(v) for v in list(labels[:_SHOWN_ROWS]))
    extra = len(labels) - _SHOWN_ROWS
    word = "row" if len(labels) == 1 else "rows"
    return f"{word} {shown}" + (f" and {extra} more" if extra > 0 else "")


def missing_error(frame: pd.DataFrame, columns: list[str]) -> InputError:
    """Build the error for missing values in ``columns`` of ``frame``."""
    parts = []
    numbered = is_default_index(frame.index)
    for column in columns:
        rows = frame.index[frame[column].isna().to_numpy()]
        if len(rows):
            parts.append(
                f"column {column!r} has {len(rows)} missing values in "
                f"{describe_rows(rows, numbered)}"
            )
    return InputError("; ".join(parts) + "; pass missing='drop' to drop incomplete rows")
