"""The weights of a design's rows, for every fit of data in memory that takes ``weights=``.

Penalised fits (``linmod.ridge``/``lasso``/``elastic_net``), quantile and robust
regression, the cross-validated comparison and the penalty path take weights as a column
of ``data`` (by name) or one number per row given.  One rule for all of them, the rule of
:func:`linmod.ols`:

* the weights are checked against the rows *given* (so a message names the row as the
  user numbers it: 1-based, or the frame's own label);
* a weights column is not a predictor: ``y ~ .`` leaves it out (a formula may still name
  it, as R allows);
* with ``missing="drop"`` a row whose weight is missing is dropped with the other
  incomplete rows (and counted with them); without it a missing weight is refused;
* rows of weight zero stay in the design (the caller drops them from the fit, as R does).

Ordinary least squares keeps its own double-double row scaling
(:mod:`linmod.data.weighted_design`) but checks the weights with the same
:func:`~linmod.data.weighted_design.validated_weights`.
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
from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError

__all__ = ["design_weights", "formula_design_weights"]

Float = NDArray[np.float64]


def _without_rows(design: Design, absent: NDArray[np.bool_]) -> Design:
    """``design`` without the rows flagged ``absent``, counted among the dropped rows."""
    keep = ~absent
    count = design.dropped_count
    return replace(
        design,
        x=np.ascontiguousarray(design.x[keep]),
        y=design.y[keep],
        x_lo=None if design.x_lo is None else design.x_lo[keep],
        row_labels=design.row_labels[keep],
        dropped_labels=design.dropped_labels.append(design.row_labels[absent]),
        dropped_count=None if count is None else count + int(absent.sum()),
        source=None,
    )


def design_weights(
    weights: Any,
    weights_type: str,
    formula_or_x: Any,
    data: Any,
    design: Design,
    missing: str = "raise",
) -> tuple[Design, Float | None]:
    """The design (without rows of missing weight) and the checked weights of its rows.

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
    missing : {"raise", "drop"}
        With ``"drop"`` a row whose weight is missing (NaN) is dropped from the design.

    Returns
    -------
    design : Design
        ``design``, less the rows whose weight is missing (``missing="drop"``).
    weights : ndarray or None
        One weight per row of the returned design (zeros kept); None without weights.

    Raises
    ------
    InputError
        For an unknown column, a wrong length, or negative, NaN (unless dropped),
        infinite, all-zero (or, as frequency weights, fractional) weights, naming the rows.
    """
    check_weights_type(weights_type)
    if weights is None:
        return design, None
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
    if len(index) != n_given:  # a frame of arrays: rows are positions
        index = pd.RangeIndex(n_given)
    checked = validated_weights(
        values, n_given, name=name, labels=index, kind=weights_type, missing=missing
    )
    if len(design.row_labels) == n_given:
        kept = checked
    elif not index.is_unique:
        raise InputError(
            "weights with missing='drop' need unique row labels to follow the rows; "
            "reset the index (data.reset_index(drop=True)) first"
        )
    else:
        kept = checked[index.get_indexer(design.row_labels)]
    absent = np.isnan(kept)
    if absent.any():
        design, kept = _without_rows(design, absent), kept[~absent]
    if not (kept > 0).any():
        raise InputError(
            f"{name}: every row left after dropping missing values has weight zero; "
            "there is no row left to fit"
        )
    return design, kept


def formula_design_weights(
    formula: str, data: Any, missing: str, weights: Any, weights_type: str
) -> tuple[Design, Float | None]:
    """The design of ``formula`` on ``data`` and the checked weights of its rows.

    A weights column is left out of ``y ~ .`` (a formula may still name it, as R allows);
    the weights follow the rows into the design as :func:`design_weights` says.

    Returns
    -------
    design : Design
    weights : ndarray or None
        One weight per design row (zeros kept), None without weights.
    """
    check_weights_type(weights_type)
    if isinstance(weights, str) and is_frame(data):
        frame = to_pandas(data)
        if weights in frame.columns:
            formula = formula_without_weights(formula, frame, weights)
    design = design_from_formula(formula, data, missing=missing)
    return design_weights(weights, weights_type, formula, data, design, missing)
