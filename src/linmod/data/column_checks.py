"""Checks on the columns a formula uses: text where numbers were fitted, dates, infinities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from linmod.data.column_types import time_problem
from linmod.data.frames import NEW_DATA_TEXT_FIX, check_numeric_text
from linmod.data.missing import describe_rows
from linmod.data.row_names import is_default_index
from linmod.exceptions import InputError

__all__ = ["check_dates", "check_infinite", "check_still_numbers"]


def check_still_numbers(frame: pd.DataFrame, columns: list[str]) -> None:
    """Refuse text in new data where the model was fitted on numbers (naming word and row)."""
    for column in columns:
        series = frame[column]
        if pd.api.types.is_object_dtype(series) and series.notna().any():
            check_numeric_text(frame, [column], fix=NEW_DATA_TEXT_FIX)
            raise InputError(
                f"column {column!r} holds text where the model was fitted on numbers; "
                f"convert it first, e.g. df[{column!r}] = pd.to_numeric(df[{column!r}])"
            )


def check_dates(frame: pd.DataFrame, columns: list[str]) -> None:
    """Refuse date, time and duration columns, which a formula cannot use as numbers."""
    for column in columns:
        problem = time_problem(str(column), frame[column], named=True)
        if problem is not None:
            raise InputError(problem[1])


def check_infinite(frame: pd.DataFrame, columns: list[str]) -> None:
    """Refuse infinite values in the numeric columns a formula uses, naming the rows."""
    for column in columns:
        series = frame[column]
        dtype = series.dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            infinite = np.isinf(series.to_numpy(dtype=float, na_value=np.nan))
            if infinite.any():
                rows = frame.index[infinite]
                raise InputError(
                    f"column {column!r} has {len(rows)} infinite values in "
                    f"{describe_rows(rows, is_default_index(frame.index))}; "
                    "replace or remove them before fitting"
                )
