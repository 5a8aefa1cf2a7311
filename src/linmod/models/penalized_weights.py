"""``weights=`` of ``linmod.ridge``, ``linmod.lasso`` and ``linmod.elastic_net``.

The weights are a column of ``data`` (by name) or one number per row given; they are
checked with :func:`linmod.data.weights.check_weights` against the rows *given* (so a
message names the row as the user numbers it) and then follow the rows into the design
(rows dropped for missing values with ``missing="drop"`` take their weights with them).
Rows of weight zero stay in the design (their fitted values and residuals are reported)
but are dropped from the fit, as R does.  Streamed and Dask data do not take weights yet.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.design import Design
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_frame, to_pandas
from linmod.data.weighted_design import formula_without_weights, validated_weights
from linmod.data.weights import check_weights, check_weights_type
from linmod.exceptions import InputError

__all__ = ["design_weights", "formula_design_weights", "refuse_out_of_core_weights"]

Float = NDArray[np.float64]


def refuse_out_of_core_weights(weights: Any, weights_type: str) -> None:
    """Raise :class:`InputError` when weights come with streamed or Dask data."""
    check_weights_type(weights_type)
    if weights is not None:
        raise InputError(
            "weights= is not supported yet for streamed or Dask data in ridge/lasso/"
            "elastic_net; load the data into a DataFrame, or fit without weights"
        )


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


def formula_design_weights(
    formula: str, data: Any, missing: str, weights: Any, weights_type: str
) -> tuple[Design, Float | None]:
    """The design of ``formula`` on ``data`` and the checked weights of its rows.

    A weights column is left out of ``y ~ .`` (a formula may still name it, as R allows);
    the weights follow the rows into the design as :func:`design_weights` says, except
    that with ``missing="drop"`` a row whose weight is missing is dropped (counted with
    the other incomplete rows), as :func:`linmod.ols` does.

    Returns
    -------
    design : Design
    weights : ndarray or None
        One weight per design row (zeros kept), None without weights.
    """
    check_weights_type(weights_type)
    frame = to_pandas(data) if is_frame(data) else None
    if isinstance(weights, str) and frame is not None and weights in frame.columns:
        formula = formula_without_weights(formula, frame, weights)
    design = design_from_formula(formula, data, missing=missing)
    if (
        missing != "drop"
        or frame is None
        or weights is None
        or (isinstance(weights, str) and weights not in frame.columns)
        or not frame.index.is_unique
    ):
        return design, design_weights(weights, weights_type, formula, data, design)
    name = f"weights column {weights!r}" if isinstance(weights, str) else "weights"
    values = frame[weights] if isinstance(weights, str) else weights
    checked = validated_weights(
        values, len(frame), name=name, labels=frame.index, kind=weights_type, missing=missing
    )
    w = checked[frame.index.get_indexer(design.row_labels)]
    absent = np.isnan(w)
    if absent.any():
        keep = ~absent
        design = replace(
            design,
            x=np.ascontiguousarray(design.x[keep]),
            y=design.y[keep],
            x_lo=None if design.x_lo is None else design.x_lo[keep],
            row_labels=design.row_labels[keep],
            dropped_labels=design.dropped_labels.append(design.row_labels[absent]),
            dropped_count=None,
            source=None,
        )
        w = w[keep]
    if not (w > 0).any():
        raise InputError(
            f"{name}: every row left after dropping missing values has weight zero; "
            "there is no row left to fit"
        )
    return design, w
