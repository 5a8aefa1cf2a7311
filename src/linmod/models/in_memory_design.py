"""Designs with optional row weights, for the fits that need their data in memory.

Quantile and robust regression solve problems that are not fitted in pieces: they take a
formula with a data frame, or arrays, and optional weights (a column of the data or one
value per row). This module turns those into a :class:`~linmod.data.design.Design` and a
checked weight vector aligned with its rows, and drops the rows of weight 0.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_dask_collection, to_pandas
from linmod.data.row_names import set_id_column
from linmod.data.weighted_design import formula_without_weights, names_column
from linmod.data.weights import check_weights
from linmod.exceptions import InputError

__all__ = ["in_memory_design", "without_zero_weights"]


def _formula_design(
    formula: str, data: Any, missing: str, weights: Any, id: str | None
) -> tuple[Design, np.ndarray | None]:
    frame = to_pandas(data)
    if id is not None:
        frame = set_id_column(frame, id)
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    column = weights if isinstance(weights, str) else None
    if column is not None:
        if column not in frame.columns:
            raise InputError(f"weights={column!r} is not a column of the data")
        if missing == "drop":
            frame = frame[frame[column].notna()]
        weights = frame[column]
        formula = formula_without_weights(formula, frame, column)  # '.' leaves it out
        if not names_column(formula, column):
            frame = frame.drop(columns=[column])
    design = design_from_formula(formula, frame, missing=missing)
    if weights is None:
        return design, None
    values = pd.Series(np.asarray(weights), index=frame.index) if column is None else weights
    if len(values) != len(frame):
        raise InputError(
            f"weights has {len(values)} values, but the data has {len(frame)} rows: give one "
            "weight per row"
        )
    kept = values.loc[design.row_labels] if len(design.row_labels) != len(frame) else values
    name = f"column {column!r}" if column else "weights"
    return design, check_weights(kept.to_numpy(), design.x.shape[0], name=name)


def in_memory_design(
    what: str,
    formula_or_x: Any,
    y: Any,
    data: Any,
    *,
    fit_intercept: bool,
    missing: str,
    weights: Any,
    id: str | None,
) -> tuple[Design, np.ndarray | None]:
    """The design and the checked weights (or None) of a fit that needs its data in memory.

    Parameters
    ----------
    what : str
        The fit's name for messages, e.g. ``"quantreg"``.
    formula_or_x, y, data, fit_intercept, missing, weights, id
        As the fit's own arguments.

    Raises
    ------
    InputError
        For files, iterators or Dask data (not fitted in pieces), a formula without data,
        arrays without y, and bad weights.
    """
    if is_chunked_source(data) or is_dask_collection(data) or is_dask_collection(formula_or_x):
        raise InputError(
            f"{what} needs the data in memory (it is not fitted in pieces); read the file "
            "first, e.g. data=pd.read_csv(path), or fit a sample of its rows"
        )
    if isinstance(formula_or_x, str):
        if y is not None:
            raise InputError("with a formula, pass the data as data=..., not as y")
        if data is None:
            raise InputError(f"a formula needs data=: {what}('y ~ x', data=df)")
        return _formula_design(formula_or_x, data, missing, weights, id)
    if y is None:
        raise InputError(f"{what}(X, y) needs y; or pass a formula string with data=")
    if data is not None or id is not None:
        raise InputError(f"data= and id= are for formulas; with arrays call {what}(X, y)")
    if isinstance(weights, str):
        raise InputError("weights='name' needs a formula and data=; pass an array here")
    design = design_from_arrays(formula_or_x, y, fit_intercept=fit_intercept, missing=missing)
    if weights is None:
        return design, None
    if design.n_dropped:
        raise InputError(
            "weights= with missing='drop' on arrays: drop the incomplete rows (and their "
            "weights) first, or use a formula with a weights column"
        )
    return design, check_weights(weights, design.x.shape[0])


def without_zero_weights(
    design: Design, weights: np.ndarray | None
) -> tuple[Design, np.ndarray | None]:
    """Drop the rows of weight 0 (as R does) from the design and the weights."""
    if weights is None or np.all(weights > 0):
        return design, weights
    keep = weights > 0
    design = replace(
        design,
        x=np.ascontiguousarray(design.x[keep]),
        y=design.y[keep],
        x_lo=None if design.x_lo is None else design.x_lo[keep],
        row_labels=design.row_labels[keep],
    )
    return design, weights[keep]
