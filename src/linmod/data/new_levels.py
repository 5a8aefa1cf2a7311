"""Levels of new data checked against the levels a model was fitted on.

A factor's coefficients are contrasts with the levels seen when fitting; a level the
model never saw has no coefficient, so a prediction for it does not exist.  R's
``predict`` refuses it ("factor cyl has new level 5") and so does linmod, naming the
column, the new level(s), the rows that hold them, the levels the model knows and the
fix.  A missing value in a factor column is not a new level: the row's prediction is
missing, as for a missing number.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from linmod.data.missing import describe_rows
from linmod.data.row_names import is_default_index
from linmod.exceptions import InputError

__all__ = ["check_new_levels"]

#: Known levels listed in a message before "and N more".
_SHOWN_LEVELS = 10


def _listed(values: list[Any]) -> str:
    """``values`` as a message lists them: their reprs, the first few of a long list."""
    shown = ", ".join(map(repr, values[:_SHOWN_LEVELS]))
    extra = len(values) - _SHOWN_LEVELS
    return shown + (f" and {extra} more" if extra > 0 else "")


def _new_level_error(
    column: str, series: pd.Series, new: set[Any], seen: set[Any], numbered: bool
) -> InputError:
    """The error for values of ``series`` (a factor column of new data) outside ``seen``."""
    known = sorted(seen, key=str)
    rows = describe_rows(series.index[series.isin(list(new)).to_numpy()], numbered)
    retyped = sorted(v for v in new if str(v) in {str(s) for s in seen})
    if retyped:
        return InputError(
            f"column {column!r} has {retyped[0]!r} ({type(retyped[0]).__name__}) where the "
            f"model saw {', '.join(map(repr, known))}, in {rows}: convert the column to the "
            "type it had when fitting"
        )
    return InputError(
        f"column {column!r} has level(s) {_listed(sorted(new, key=str))} not seen when "
        f"fitting (known: {_listed(known)}), in {rows}; a level the model never saw has no "
        f"coefficient, so those rows cannot be predicted: drop or recode them to a known "
        "level"
    )


def check_new_levels(frame: pd.DataFrame, levels: Mapping[str, set[Any]]) -> pd.DataFrame:
    """Refuse levels of new data the model never saw; fill missing ones for the encoder.

    Parameters
    ----------
    frame : pandas.DataFrame
        The new data (every column of ``levels`` present).
    levels : mapping of str to set
        Each categorical column and the levels seen when fitting.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with each missing value of a categorical column replaced by a known
        level (the caller reports those rows as missing), so that the encoder never meets
        an unknown category.

    Raises
    ------
    InputError
        If a column holds a level not seen when fitting (or a value that cannot be a
        level), naming the column, the value(s), their rows and the known levels.
    """
    numbered = is_default_index(frame.index)  # rows then shown by 1-based number
    for column, seen in levels.items():
        try:
            new = set(frame[column].dropna().unique().tolist()) - seen
        except TypeError:  # unhashable values (lists, dicts) in a categorical column
            raise InputError(
                f"column {column!r} holds values such as {frame[column].iloc[0]!r} that "
                f"cannot be levels of a factor; the model knows {sorted(seen, key=str)!r}"
            ) from None
        if new:
            raise _new_level_error(column, frame[column], new, seen, numbered)
        absent_level = frame[column].isna().to_numpy()
        if absent_level.any() and seen:
            # The row is reported as missing (NaN prediction); any known level keeps
            # the encoder from seeing an unknown category meanwhile.
            filled = frame[column].astype(object)  # any dtype can take the level
            filled[absent_level] = sorted(seen, key=str)[0]
            frame = frame.assign(**{column: filled.infer_objects()})  # bools stay bool
    return frame
