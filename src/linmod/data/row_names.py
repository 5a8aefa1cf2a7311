"""Row labels shown to users: 1-based numbers, the frame's own labels, or an ID column.

R and a spreadsheet number rows from 1; pandas numbers a frame's default index from 0.
Every message, table, plot label and report shows rows as R does: by the frame's own
index labels when it has some, and by 1-based row numbers when its index is the default
``RangeIndex`` (or the data are arrays).  ``id="column"`` (``--id COLUMN`` on the command
line) makes an ID column the row labels, as ``rownames(df) <- df$column`` in R.

The pandas objects a fit returns for joining with the data (``res.residuals``,
``res.fitted``, ``res.influence()``) keep the frame's index, so that
``df.join(res.influence())`` stays aligned.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import numpy as np
import pandas as pd

from linmod.exceptions import InputError

__all__ = ["is_default_index", "set_id_column", "shown_labels"]


def is_default_index(index: pd.Index) -> bool:
    """Whether ``index`` is pandas' default ``0, 1, ..., n-1`` (no labels of its own)."""
    return isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1


def shown_labels(labels: pd.Index, numbered: bool) -> pd.Index:
    """The labels to show for rows: 1-based numbers when ``numbered``, else ``labels``.

    Parameters
    ----------
    labels : pandas.Index
        Index labels of (some of) the rows of a frame.
    numbered : bool
        Whether that frame had the default index (its labels are 0-based positions).
    """
    if numbered and pd.api.types.is_integer_dtype(labels.dtype):
        return pd.Index(labels + 1, name=labels.name)
    return labels


def set_id_column(frame: pd.DataFrame, column: Any, formula: str | None = None) -> pd.DataFrame:
    """Make ``column`` the row labels of ``frame`` and take it out of the data columns
    (so that ``y ~ .`` leaves it out), unless ``formula`` names it: it is then a
    predictor too, and stays.

    Raises
    ------
    InputError
        If the column is absent, or has missing or repeated values (labels must name one
        row each).
    """
    if column not in frame.columns:
        close = difflib.get_close_matches(str(column), [str(c) for c in frame.columns], n=3)
        hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
        raise InputError(
            f"id column {column!r} is not a column of the data (columns: "
            f"{', '.join(map(str, frame.columns[:20]))}){hint}"
        )
    values = frame[column]
    numbered = is_default_index(frame.index)
    absent = values.isna().to_numpy()
    if absent.any():
        rows = shown_labels(frame.index[absent], numbered)
        raise InputError(
            f"id column {column!r} has {int(absent.sum())} missing value(s) (row "
            f"{', '.join(map(str, rows[:5]))}): every row needs a label; fill them or choose "
            "another id column"
        )
    repeated = values.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = values[repeated].iloc[0]
        rows = shown_labels(frame.index[(values == first).to_numpy()], numbered)
        shown = first.item() if isinstance(first, np.generic) else first  # 110, not np.int64(110)
        raise InputError(
            f"id column {column!r} repeats {shown!r} (rows {', '.join(map(str, rows[:5]))}): "
            "row labels must be unique; choose a column with one value per row"
        )
    return frame.set_index(column, drop=not (formula and _names(formula, str(column))))


#: Backticked names and string literals, whose words are not variables of the formula.
_QUOTED = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"")


def _names(formula: str, column: str) -> bool:
    """Whether ``formula`` names ``column`` itself: in backticks, or as a variable (a
    whole identifier outside quotes, not an attribute such as ``id.x``, a module such as
    ``np.`` or a function name such as ``log(``)."""
    if f"`{column}`" in formula:
        return True
    if not column.isidentifier():  # such a name is written in backticks
        return False
    bare = _QUOTED.sub(" ", formula)
    pattern = rf"(?<![\w.]){re.escape(column)}(?![\w`]|\s*\(|\.\w)"
    return re.search(pattern, bare) is not None
