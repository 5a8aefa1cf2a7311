"""The missing-value policy: refuse by default, or drop incomplete rows (R's na.omit).

A predictor missing in most rows is named with its share and the fix is to leave it out:
dropping the rows would keep little or nothing of the data.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Literal

import numpy as np
import pandas as pd

from linmod._stack import user_stacklevel
from linmod.data.row_names import is_default_index, shown_labels
from linmod.data.term_names import quoted_name
from linmod.exceptions import InputError, LinmodWarning

__all__ = [
    "MISSING_POLICIES",
    "MOSTLY_MISSING",
    "NEARLY_EMPTY",
    "MissingPolicy",
    "check_droppable",
    "check_policy",
    "describe_rows",
    "incomplete_rows",
    "missing_error",
]

MissingPolicy = Literal["raise", "drop"]
MISSING_POLICIES: tuple[str, ...] = ("raise", "drop")
_SHOWN_ROWS = 5
#: Share of missing rows above which a predictor, not the rows, is the problem.
MOSTLY_MISSING = 0.5
#: Share of missing rows above which ``missing='drop'`` warns that it keeps next to nothing.
NEARLY_EMPTY = 0.9


def check_policy(missing: str) -> None:
    """Raise :class:`InputError` unless ``missing`` is a known policy."""
    if missing not in MISSING_POLICIES:
        raise InputError(f"missing={missing!r} is not known; use 'raise' (default) or 'drop'")


def incomplete_rows(frame: pd.DataFrame, columns: Iterable[str]) -> np.ndarray:
    """Which rows miss a value in one of ``columns`` (each a column of its own): the same
    as ``frame[columns].isna().any(axis=1)``, column by column without the subframe."""
    out = np.zeros(frame.shape[0], dtype=bool)
    for column in columns:
        out |= np.asarray(frame[column].array.isna(), dtype=bool)
    return out


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


def _sparse(
    frame: pd.DataFrame,
    columns: Iterable[str],
    response: Iterable[str],
    share: float = MOSTLY_MISSING,
) -> list[str]:
    """Predictors missing in more than ``share`` of the rows."""
    skip = set(response)
    n = len(frame)
    return [c for c in columns if c not in skip and frame[c].isna().sum() > share * n]


def _share(frame: pd.DataFrame, column: str) -> str:
    n, count = len(frame), int(frame[column].isna().sum())
    if count == n:
        return f"column {column!r} is empty (no value in its {n} rows)"
    return f"column {column!r} is missing in {count} of its {n} rows ({100 * count / n:.1f}%)"


def _leave_out(columns: list[str]) -> str:
    removal = " ".join(f"- {quoted_name(c)}" for c in columns)
    them = "it" if len(columns) == 1 else "them"
    return f"remove {them} from the formula (or add '{removal}' to it)"


def missing_error(
    frame: pd.DataFrame, columns: list[str], response: Iterable[str] = ()
) -> InputError:
    """Build the error for missing values in ``columns`` of ``frame``.

    A predictor missing in more than half the rows (an empty column from a trailing
    comma, a column of occasional notes) is named with its missing share, and the fix is
    to leave it out of the formula: dropping the incomplete rows would throw away most
    of the data.  ``response`` names the response columns, never suggested for removal.
    """
    parts = []
    numbered = is_default_index(frame.index)
    sparse = _sparse(frame, columns, response)
    for column in columns:
        rows = frame.index[frame[column].isna().to_numpy()]
        if column in sparse:
            parts.append(_share(frame, column))
        elif len(rows):
            parts.append(
                f"column {column!r} has {len(rows)} missing values in "
                f"{describe_rows(rows, numbered)}"
            )
    if not sparse:
        return InputError("; ".join(parts) + "; pass missing='drop' to drop incomplete rows")
    kept = int(frame[columns].notna().all(axis=1).sum())
    others = [c for c in columns if c not in sparse and frame[c].isna().any()]
    then = "; then pass missing='drop' to drop the rows still incomplete" if others else ""
    keeps = f"only {kept} of {len(frame)}" if kept else f"none of the {len(frame)}"
    return InputError(
        "; ".join(parts) + f"; {_leave_out(sparse)}: dropping the incomplete rows would keep "
        f"{keeps}{then}"
    )


def check_droppable(frame: pd.DataFrame, columns: list[str], response: Iterable[str] = ()) -> None:
    """Before ``missing='drop'``: refuse empty columns, warn about nearly empty ones.

    Raises
    ------
    InputError
        For a column with no value at all (every row would be dropped).

    Warns
    -----
    LinmodWarning
        For a predictor missing in more than :data:`NEARLY_EMPTY` of the rows, with the
        rows kept (a column of occasional notes leaves next to nothing to fit).
    """
    empty = [c for c in columns if frame[c].isna().all()]
    if empty:
        raise InputError(
            f"column(s) {', '.join(map(repr, empty))} have no values at all; " + _leave_out(empty)
        )
    sparse = _sparse(frame, columns, response, NEARLY_EMPTY)
    if sparse:
        kept = int(frame[columns].notna().all(axis=1).sum())
        warnings.warn(
            "; ".join(_share(frame, c) for c in sparse)
            + f": dropping the incomplete rows keeps only {kept} of {len(frame)}; "
            + _leave_out(sparse)
            + " to keep the others",
            LinmodWarning,
            stacklevel=user_stacklevel(),
        )
