"""``linmod.rlm``: robust regression by M-estimation (R's ``MASS::rlm``)."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import scipy.linalg as sla

from linmod.data.design import Design
from linmod.exceptions import InputError
from linmod.inference.robust_results import RobustResults
from linmod.models.in_memory_design import in_memory_design, without_zero_weights
from linmod.solvers.full_rank import check_full_rank
from linmod.solvers.quantile import fit_quantile
from linmod.solvers.robust import NORMS, SCALES, check_norm, fit_robust

__all__ = ["fit_robust_design", "rlm"]

_STARTS = ("ls", "lad")


def fit_robust_design(
    design: Design,
    weights: np.ndarray | None = None,
    *,
    norm: str = "huber",
    tuning: Any = None,
    scale: str = "mad",
    start: Any = None,
    tol: float = 1e-10,
    max_iter: int = 100,
) -> RobustResults:
    """Fit an M-estimator to a prepared design (used by :func:`rlm` and the estimator)."""
    constants = check_norm(norm, tuning)
    if scale not in SCALES:
        raise InputError(f"scale={scale!r} is not known; use 'mad' or 'huber'")
    given = None if start is None or isinstance(start, str) else np.asarray(start, dtype=float)
    start = ("ls" if norm == "huber" else "lad") if start is None else start
    if given is None and start not in _STARTS:
        raise InputError(f"start={start!r} is not known; use 'ls', 'lad' or coefficients")
    if not (isinstance(max_iter, int) and not isinstance(max_iter, bool) and max_iter >= 1):
        raise InputError(f"max_iter={max_iter!r} must be a positive integer")
    if not (isinstance(tol, float | int) and np.isfinite(tol) and tol > 0):
        raise InputError(f"tol={tol!r} must be a positive number, e.g. 1e-10")
    design, weights = without_zero_weights(design, weights)
    x, y = design.x, design.y
    n, p = x.shape
    if n <= p:
        raise InputError(
            f"{n} rows but {p} parameters: robust regression needs more rows than parameters"
        )
    if np.all(y == y[0]):
        raise InputError(
            f"the response {design.response_name!r} is constant (every value is {y[0]:g}); "
            "there is no variation to fit"
        )
    check_full_rank(x, design.column_names, "robust regression", design.terms)
    if weights is not None:  # precision weights, as MASS's wt.method = "inv.var"
        root = np.sqrt(weights)
        x, y = x * root[:, None], y * root
    if given is not None:
        if given.shape != (p,) or not np.all(np.isfinite(given)):
            raise InputError(
                f"start has shape {given.shape}: give {p} finite coefficients, in the order "
                f"{', '.join(design.column_names)}"
            )
        initial, start = given, "given"
    elif start == "ls":
        initial = sla.lstsq(x, y, lapack_driver="gelsy", check_finite=False)[0]
    else:
        initial = fit_quantile(x, y, 0.5).coef
    solution = fit_robust(x, y, initial, norm, constants, scale, float(tol), max_iter)
    return RobustResults(
        design=design,
        solution=solution,
        norm=norm,
        tuning=constants,
        scale_method=scale,
        start=start,
        precision_weights=weights,
    )


def rlm(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    norm: Literal["huber", "bisquare", "hampel"] = "huber",
    tuning: float | tuple[float, ...] | None = None,
    scale: Literal["mad", "huber"] = "mad",
    start: Literal["ls", "lad"] | Any = None,
    tol: float = 1e-10,
    max_iter: int = 100,
    fit_intercept: bool = True,
    missing: Literal["raise", "drop"] = "raise",
    weights: Any = None,
    id: str | None = None,
) -> RobustResults:
    """Fit a robust linear regression by M-estimation (R's ``MASS::rlm``).

    Outlying rows are down-weighted by iteratively reweighted least squares; the final
    weight of every row is in ``res.weights`` (and ``res.downweighted()`` lists those
    below 1).

    Parameters
    ----------
    formula_or_x : str or array-like or DataFrame
        A formula such as ``"y ~ x + C(g)"`` (with ``data=``), or a feature matrix (with ``y``).
    y : array-like, optional
        The response when ``formula_or_x`` is a feature matrix.
    data : DataFrame, optional
        pandas or polars DataFrame (or dict of columns) for a formula; in memory.
    norm : {"huber", "bisquare", "hampel"}, default "huber"
        The loss: Huber's (convex), Tukey's bisquare or Hampel's (redescending: far
        outliers get weight 0).
    tuning : float or tuple of float, optional
        The norm's constants; MASS's defaults (95% efficiency for normal errors): huber
        1.345, bisquare 4.685, hampel (2, 4, 8).
    scale : {"mad", "huber"}, default "mad"
        The scale re-estimated at each step: the median absolute residual / 0.6745, or
        Huber's proposal 2.
    start : {"ls", "lad"} or array-like, optional
        Where IRLS starts: least squares (default for huber), least absolute deviations
        (default for the redescending norms, whose objective has local minima), or given
        coefficients (MASS's ``init=``).
    tol, max_iter : float, int
        Stop when the residuals change by at most ``tol`` (relative) in a step, or after
        ``max_iter`` steps. ``tol=1e-4, max_iter=20`` are MASS's defaults, and reproduce
        its (less converged) fit exactly.
    fit_intercept : bool
        With arrays: add an intercept column.
    missing : {"raise", "drop"}
        Refuse missing values (default) or drop incomplete rows.
    weights : str or array-like, optional
        Precision weights (1 / variance), as ``rlm(weights=)``: rows are scaled by
        ``sqrt(w)``; weight 0 drops a row.
    id : str, optional
        A column labelling the rows (as :func:`linmod.ols`).

    Returns
    -------
    RobustResults

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices_simple()
    >>> res = linmod.rlm("price ~ size", data=data)
    >>> res.converged
    True
    """
    if norm not in NORMS:
        check_norm(norm, None)
    design, w = in_memory_design(
        "rlm",
        formula_or_x,
        y,
        data,
        fit_intercept=fit_intercept,
        missing=missing,
        weights=weights,
        id=id,
    )
    return fit_robust_design(
        design,
        w,
        norm=norm,
        tuning=tuning,
        scale=scale,
        start=start,
        tol=tol,
        max_iter=max_iter,
    )
