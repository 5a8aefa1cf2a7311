"""Weighted least squares in memory: ``ols(..., weights=, weights_type=)``.

The rows are scaled by ``sqrt(w)`` (in double-double, see
:mod:`linmod.data.weighted_design`) and fitted by the same solvers as an unweighted fit;
the results carry the weights and their declared meaning, which every statistic then
follows (see :mod:`linmod.inference.weighted`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_frame, to_pandas
from linmod.data.row_names import is_default_index
from linmod.data.weighted_design import (
    formula_without_weights,
    scaled_low_parts,
    take_weights_column,
    validated_weights,
    weigh_design,
)
from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError
from linmod.inference.results import OLSResults
from linmod.models.conditioning import check_fit_options, report_conditioning
from linmod.solvers import LeastSquaresProblem, solve

__all__ = ["fit_weighted", "fit_weighted_design"]

#: Above this scaled condition number an ``auto`` fit is redone on the double-double
#: scaled design (rounding ``sqrt(w) x`` to float64 would cost ``cond * eps``).
_ROUNDING_CONDITION = 1e3


def _validate(raw: Any) -> None:
    """Enough rows with a positive weight, and a response that varies (on the raw rows)."""
    n, p = raw.x.shape
    if n < p:
        raise InputError(
            f"{n} rows with a positive weight but {p} parameters "
            f"({', '.join(raw.column_names[:8])}{', …' if p > 8 else ''}): least squares "
            "needs at least as many rows as parameters; drop terms or zero weights"
        )
    if n > 1 and np.all(raw.y == raw.y[0]):
        raise InputError(
            f"the response {raw.response_name!r} is constant (every value is {raw.y[0]:g}) "
            "in the rows with a positive weight; there is no variation to explain"
        )


def _positional(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame numbered 0..n-1, so that the design's row labels are positions."""
    return frame if is_default_index(frame.index) else frame.set_axis(pd.RangeIndex(len(frame)))


def fit_weighted(
    formula_or_x: Any,
    y: Any,
    data: Any,
    weights: Any,
    weights_type: str,
    *,
    fit_intercept: bool = True,
    missing: str = "raise",
    solver: str = "auto",
    on_singular: str = "drop",
    progress: bool | None = False,
) -> OLSResults:
    """Fit weighted least squares to a formula and frame, or to arrays.

    ``weights`` is a column name of ``data`` (formula fits) or one weight per row; see
    :func:`linmod.ols` for the other parameters.
    """
    kind = check_weights_type(weights_type)
    column = weights if isinstance(weights, str) else None
    if isinstance(formula_or_x, str):
        frame = to_pandas(data)
        formula = formula_or_x
        if column is not None:
            if column in frame.columns:  # '.' leaves the weights out; naming them keeps them
                formula = formula_without_weights(formula, frame, column)
            frame, values = take_weights_column(frame, column, formula)
            name = f"weights column {column!r}"
        else:
            values, name = weights, "weights"
        labels = frame.index
        w = validated_weights(
            values, len(frame), name=name, labels=labels, kind=kind, missing=missing
        )
        positional = _positional(frame)
        design = design_from_formula(formula, positional, missing=missing)

        def rebuild() -> Any:
            return design_from_formula(formula, positional, missing=missing).x

        private = True  # a formula's design matrix is always a new array
    else:
        if column is not None:
            raise InputError(
                f"weights={column!r} names a column, which needs a formula and data=; with "
                "arrays pass one weight per row: ols(X, y, weights=w)"
            )
        x = to_pandas(formula_or_x) if is_frame(formula_or_x) else formula_or_x
        n = len(x) if isinstance(x, pd.DataFrame) else int(np.shape(x)[0]) if np.ndim(x) else 0
        labels = x.index if isinstance(x, pd.DataFrame) else pd.RangeIndex(n)
        name = "weights"
        w = validated_weights(weights, n, name=name, labels=labels, kind=kind, missing=missing)
        if isinstance(x, pd.DataFrame):
            x = _positional(x)
            if isinstance(y, pd.Series):
                y = y.set_axis(pd.RangeIndex(len(y)))
        design = design_from_arrays(x, y, fit_intercept=fit_intercept, missing=missing)

        def rebuild() -> Any:
            return design_from_arrays(x, y, fit_intercept=fit_intercept, missing=missing).x

        private = fit_intercept  # with the intercept column the matrix is a new array
    # Scaled in place (one pass, no second copy of the data) unless the fit needs the raw
    # matrix anyway; it is rebuilt from the data in the rare case that it is needed again.
    in_place = private and solver == "auto" and design.x_lo is None
    scaled, row_weights = weigh_design(
        design, w, kind, labels, name=name, column=column, in_place=in_place, rebuild=rebuild
    )
    return fit_weighted_design(scaled, row_weights, solver, on_singular, progress)


def fit_weighted_design(
    scaled: Any,
    row_weights: Any,
    solver: str = "auto",
    on_singular: str = "drop",
    progress: bool | None = False,
) -> OLSResults:
    """Fit a design already scaled by :func:`~linmod.data.weighted_design.weigh_design`."""
    check_fit_options(solver, on_singular)
    if solver == "simple":
        raise InputError(
            "solver='simple' is the closed form of an unweighted fit with one predictor; "
            "with weights use solver='auto' (or 'qr')"
        )
    _validate(replace(scaled, y=row_weights.y))  # rows vs parameters, constant response
    # The double-double design sends "auto" to refined QR; it is needed (and used) only
    # when the rounding of sqrt(w) x could show, i.e. on an ill-conditioned design.
    problem = LeastSquaresProblem(
        x=scaled.x,
        y=scaled.y,
        names=scaled.column_names,
        intercept=False,  # the intercept column is sqrt(w), not ones
        progress=progress,
    )
    exact = solver != "auto" or row_weights.unscaled.x_lo is not None
    y_lo = None
    if exact:
        x_lo, y_lo = scaled_low_parts(row_weights)
        problem = replace(problem, x_lo=x_lo)
    result = solve(problem, solver)
    if not exact and not result.condition_number <= _ROUNDING_CONDITION:
        x_lo, y_lo = scaled_low_parts(row_weights)
        problem = replace(problem, x_lo=x_lo)
        result = solve(problem, solver)
    if y_lo is not None and solver in ("auto", "qr"):
        # The rounding of sqrt(w) y, fitted on its own: b(y + y_lo) = b(y) + b(y_lo).
        low = solve(replace(problem, y=y_lo), "qr")
        result = replace(
            result, coef=result.coef + low.coef, residuals=result.residuals + low.residuals
        )
    report_conditioning(scaled, result, on_singular)
    cov_type = "HC1" if row_weights.kind == "sampling" else "nonrobust"
    return OLSResults(
        design=scaled, solution=result, solver=solver, cov_type=cov_type, weights=row_weights
    )
