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

from linmod.data.design import Design
from linmod.exceptions import InputError
from linmod.inference.quantile_covariance import QUANTILE_SE_METHODS
from linmod.inference.quantile_process import QuantileProcess
from linmod.inference.quantile_results import QuantRegResults
from linmod.models.in_memory_design import in_memory_design, without_zero_weights
from linmod.solvers.quantile import check_quantile, fit_quantile

__all__ = ["fit_quantile_design", "quantreg"]


def fit_quantile_design(
    design: Design, weights: np.ndarray | None, q: float, **options: Any
) -> QuantRegResults:
    """Fit one regression quantile to a prepared design (rows of weight 0 are dropped).

    Used by :func:`quantreg` and :class:`~linmod.estimators.quantile.QuantileRegressor`.
    """
    design, weights = without_zero_weights(design, weights)
    x, y = design.x, design.y
    if weights is not None:  # rho_q(w r) = w rho_q(r) for w >= 0: scale the rows
        x, y = x * weights[:, None], y * weights
    solution = fit_quantile(x, y, q, design.column_names, design.terms)
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
    se: Literal["rank", "nid", "iid", "ker", "boot"] | None = None,
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
    se : {"rank", "nid", "iid", "ker", "boot"}, optional
        Inference as ``quantreg::summary.rq(se=...)``: rank-inversion intervals (no
        standard errors), the Hendricks-Koenker sandwich (valid under
        heteroscedasticity), the iid sparsity estimate, Powell's kernel sandwich, or the
        xy-pairs bootstrap. Default as quantreg: ``"rank"`` below 1001 rows (with at
        least two columns), else ``"nid"``.
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
    if se is not None and se not in QUANTILE_SE_METHODS:
        raise InputError(
            f"se={se!r} is not known; use one of {', '.join(map(repr, QUANTILE_SE_METHODS))}"
        )
    several = isinstance(q, Sequence) and not isinstance(q, str)
    levels = [check_quantile(v) for v in (list(q) if several else [q])]  # type: ignore[arg-type]
    if several and not levels:
        raise InputError("q=[] has no quantile level; give e.g. q=[0.25, 0.5, 0.75]")
    if isinstance(replications, bool) or not isinstance(replications, int) or replications < 2:
        raise InputError(f"replications={replications!r} must be an integer of at least 2")
    design, w = in_memory_design(
        "quantreg",
        formula_or_x,
        y,
        data,
        fit_intercept=fit_intercept,
        missing=missing,
        weights=weights,
        id=id,
    )
    if se is None:  # quantreg's summary.rq default (rank needs a second column)
        n, p = design.x.shape
        se = "rank" if n < 1001 and p > 1 else "nid"
    options = {"se": se, "replications": replications, "seed": seed}
    fits = [fit_quantile_design(design, w, level, **options) for level in levels]
    if several:
        return QuantileProcess(tuple(fits))
    return fits[0]
