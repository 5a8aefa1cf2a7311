"""``weights=`` of ``linmod.ridge``, ``linmod.lasso`` and ``linmod.elastic_net``.

The weights are a column of ``data`` (by name) or one number per row given; they are
checked with :func:`linmod.data.weights.check_weights` against the rows *given* (so a
message names the row as the user numbers it) and then follow the rows into the design
(rows dropped for missing values with ``missing="drop"`` take their weights with them).
Rows of weight zero stay in the design (their fitted values and residuals are reported)
but are dropped from the fit, as R does.  Streamed and Dask data take the weights as a
column, read with every chunk (:mod:`linmod.models.penalized_folded`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.design import Design
from linmod.data.frames import is_frame, to_pandas
from linmod.data.weights import check_weights, check_weights_type
from linmod.exceptions import InputError

__all__ = ["design_weights"]

Float = NDArray[np.float64]


def design_weights(
    weights: Any, weights_type: str, formula_or_x: Any, data: Any, design: Design
) -> Float | None:
    """The checked weights of the design's rows, or None without weights.

    Parameters
    ----------
    weights : str, array-like or None
        A column of ``data`` (with a formula) or one weight per row given.
    weights_type : {"precision", "frequency", "sampling"}
        The declared meaning (frequency weights must be whole numbers).
    formula_or_x, data
        What the user passed (to count and label the rows given).
    design : Design
        The design built from them.

    Raises
    ------
    InputError
        For an unknown column, a wrong length, or negative, NaN, infinite, all-zero (or,
        as frequency weights, fractional) weights, naming the rows.
    """
    check_weights_type(weights_type)
    if weights is None:
        return None
    source = data if isinstance(formula_or_x, str) else formula_or_x
    frame = to_pandas(source) if is_frame(source) else None
    if isinstance(weights, str):
        if frame is None or not isinstance(formula_or_x, str):
            raise InputError(
                f"weights={weights!r} names a column, which needs a formula with data=; "
                "with arrays pass the weights themselves (one number per row)"
            )
        if weights not in frame.columns:
            raise InputError(
                f"weights={weights!r} is not a column of data; columns are "
                f"{', '.join(map(str, frame.columns[:20]))}"
            )
        name, values = f"weights column {weights!r}", frame[weights]
    else:
        name, values = "weights", weights
    n_given = design.x.shape[0] + design.n_dropped
    index = frame.index if frame is not None else pd.RangeIndex(n_given)
    labels = None if isinstance(index, pd.RangeIndex) and index.start == 0 else index
    checked = check_weights(values, n_given, name=name, labels=labels, weights_type=weights_type)
    if design.n_dropped == 0:
        kept = checked
    elif not index.is_unique:
        raise InputError(
            "weights with missing='drop' need unique row labels to follow the rows; "
            "reset the index (data.reset_index(drop=True)) first"
        )
    else:
        kept = checked[index.get_indexer(design.row_labels)]
    if not (kept > 0).any():
        raise InputError(
            f"{name}: every row left after dropping missing values has weight zero; "
            "there is no row left to fit"
        )
    return kept
