"""``linmod.quantreg``: quantile regression (least absolute deviations at ``q = 0.5``).

The lessons compare the squared error with the absolute error, which "works, but is not
differentiable at 0" and is "less sensitive to outliers": minimising the absolute error
is the median regression, and the check loss ``rho_q`` generalises it to any quantile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.formula import design_from_formula
from linmod.data.frames import is_dask_collection, to_pandas
from linmod.data.row_names import set_id_column
from linmod.data.weights import check_weights
from linmod.exceptions import InputError
from linmod.inference.quantile_covariance import QUANTILE_SE_METHODS
from linmod.inference.quantile_process import QuantileProcess
from linmod.inference.quantile_results import QuantRegResults
from linmod.solvers.quantile import check_quantile, fit_quantile

__all__ = ["fit_quantile_design", "quantreg"]


def _refuse_out_of_core(data: Any, formula_or_x: Any) -> None:
    if is_chunked_source(data) or is_dask_collection(data) or is_dask_collection(formula_or_x):
        raise InputError(
            "quantile regression needs the data in memory (its linear program is not "
            "fitted in pieces); read the file first, e.g. data=pd.read_csv(path), or fit a "
            "sample of it"
        )


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


def _without_zero_weights(design: Design, w: np.ndarray | None) -> Design:
    if w is None or np.all(w > 0):
        return design
    keep = w > 0
    return replace(
        design,
        x=np.ascontiguousarray(design.x[keep]),
        y=design.y[keep],
        x_lo=None if design.x_lo is None else design.x_lo[keep],
        row_labels=design.row_labels[keep],
    )


def fit_quantile_design(
    design: Design, weights: np.ndarray | None, q: float, **options: Any
) -> QuantRegResults:
    """Fit one regression quantile to a prepared design (rows of weight 0 are dropped).

    Used by :func:`quantreg` and :class:`~linmod.estimators.quantile.QuantileRegressor`.
    """
    design = _without_zero_weights(design, weights)
    if weights is not None:
        weights = weights[weights > 0]
    x, y = design.x, design.y
    if weights is not None:  # rho_q(w r) = w rho_q(r) for w >= 0: scale the rows
        x, y = x * weights[:, None], y * weights
    solution = fit_quantile(x, y, q)
    if weights is not None:  # the residuals of the model, not of the scaled rows
        residuals = design.y - design.x @ solution.coef
        residuals[solution.basis] = 0.0
        solution = replace(solution, residuals=residuals)
    return QuantRegResults(design=design, solution=solution, q=q, weights=weights, **options)


def quantreg(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    q: float | Sequence[float] = 0.5,
    se: Literal["nid", "iid", "ker", "boot"] = "nid",
    fit_intercept: bool = True,
    missing: Literal["raise", "drop"] = "raise",
    weights: Any = None,
    replications: int = 200,
    seed: int | None = None,
    id: str | None = None,
) -> QuantRegResults | QuantileProcess:
    """Fit a linear quantile regression (R's ``quantreg::rq``), exactly.

    Parameters
    ----------
    formula_or_x : str or array-like or DataFrame
        A formula such as ``"y ~ x + C(g)"`` (with ``data=``), or a feature matrix (with ``y``).
    y : array-like, optional
        The response when ``formula_or_x`` is a feature matrix.
    data : DataFrame, optional
        pandas or polars DataFrame (or dict of columns) for a formula; in memory.
    q : float or sequence of float, default 0.5
        The quantile level(s), strictly between 0 and 1; 0.5 is least absolute deviations.
        A sequence fits each level and returns a :class:`QuantileProcess`.
    se : {"nid", "iid", "ker", "boot"}, default "nid"
        Standard errors as ``quantreg::summary.rq(se=...)``: the Hendricks-Koenker sandwich
        (valid under heteroscedasticity), the iid sparsity estimate, Powell's kernel
        sandwich, or the xy-pairs bootstrap.
    fit_intercept : bool
        With arrays: add an intercept column.
    missing : {"raise", "drop"}
        Refuse missing values (default) or drop incomplete rows.
    weights : str or array-like, optional
        Non-negative weights (a column name of ``data``, or one value per row) multiplying
        each row's check loss, as ``rq(weights=)``; weight 0 drops a row.
    replications, seed : int, int or None
        For ``se="boot"``: the number of resamples (quantreg's default 200) and the seed.
    id : str, optional
        A column labelling the rows (as :func:`linmod.ols`).

    Returns
    -------
    QuantRegResults or QuantileProcess

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices_simple()
    >>> res = linmod.quantreg("price ~ size", data=data, q=0.5)
    >>> res.q
    0.5
    """
    if se not in QUANTILE_SE_METHODS:
        raise InputError(
            f"se={se!r} is not known; use one of {', '.join(map(repr, QUANTILE_SE_METHODS))}"
        )
    several = isinstance(q, Sequence) and not isinstance(q, str)
    levels = [check_quantile(v) for v in (list(q) if several else [q])]  # type: ignore[arg-type]
    if several and not levels:
        raise InputError("q=[] has no quantile level; give e.g. q=[0.25, 0.5, 0.75]")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise InputError(f"replications={replications!r} must be an integer of at least 2")
    _refuse_out_of_core(data, formula_or_x)
    if isinstance(formula_or_x, str):
        if y is not None:
            raise InputError("with a formula, pass the data as data=..., not as y")
        if data is None:
            raise InputError("a formula needs data=: quantreg('y ~ x', data=df)")
        design, w = _formula_design(formula_or_x, data, missing, weights, id)
    else:
        if y is None:
            raise InputError("quantreg(X, y) needs y; or pass a formula string with data=")
        if data is not None or id is not None:
            raise InputError("data= and id= are for formulas; with arrays call quantreg(X, y)")
        if isinstance(weights, str):
            raise InputError("weights='name' needs a formula and data=; pass an array here")
        design = design_from_arrays(formula_or_x, y, fit_intercept=fit_intercept, missing=missing)
        w = None
        if weights is not None:
            w = check_weights(weights, design.x.shape[0] + design.n_dropped)
            if design.n_dropped:
                raise InputError(
                    "weights= with missing='drop' on arrays: drop the incomplete rows (and "
                    "their weights) first, or use a formula with a weights column"
                )
    options = {"se": se, "replications": replications, "seed": seed}
    fits = [fit_quantile_design(design, w, level, **options) for level in levels]
    if several:
        return QuantileProcess(tuple(fits))
    return fits[0]
