"""Designs with optional row weights, for the fits that need their data in memory.

Quantile and robust regression solve problems that are not fitted in pieces: they take a
formula with a data frame, or arrays, and optional weights (a column of the data or one
value per row). This module turns those into a :class:`~linmod.data.design.Design` and a
checked weight vector aligned with its rows (by :mod:`linmod.models.row_weights`, the rule
every weighted fit follows), and drops the rows of weight 0.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from linmod.data.arrays import design_from_arrays
from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.frames import is_dask_collection, to_pandas
from linmod.data.row_names import set_id_column
from linmod.exceptions import InputError
from linmod.models.row_weights import design_weights, formula_design_weights

__all__ = ["in_memory_design", "without_zero_weights"]


def _formula_design(
    formula: str, data: Any, missing: str, weights: Any, id: str | None
) -> tuple[Design, np.ndarray | None]:
    frame = to_pandas(data)
    if id is not None:
        frame = set_id_column(frame, id, formula)
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    return formula_design_weights(formula, frame, missing, weights, "precision")


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
    return design_weights(weights, "precision", formula_or_x, None, design, missing)


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
