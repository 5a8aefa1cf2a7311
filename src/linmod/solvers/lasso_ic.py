"""The Lasso penalty chosen by an information criterion (AIC or BIC), as ``LassoLarsIC``.

For each knot ``α`` of the exact Lasso path (:mod:`linmod.solvers.lasso_homotopy`)

    criterion(α) = n·log(2πσ²) + RSS(α)/σ² + k·df(α),

with ``k = 2`` (AIC) or ``k = log n`` (BIC), ``RSS`` the residual sum of squares of the
centred fit, ``df`` the number of non-zero coefficients (Zou, Hastie & Tibshirani 2007:
an unbiased estimate of the Lasso's degrees of freedom) and ``σ²`` the noise variance:
given, or estimated by least squares on all the columns,
``σ̂² = RSS_OLS/(n − p − fit_intercept)`` (non-negative least squares with
``positive=True``), which needs ``n > p + fit_intercept``.  These are exactly the
definitions of scikit-learn's ``LassoLarsIC`` (``sklearn/linear_model/_least_angle.py``,
version 1.9), whose ``alpha_`` is the knot of smallest criterion; the first of equal
values wins (``numpy.argmin``).

The criterion is scale-free in ``y`` except for the constant ``n·log(2πσ²)``: data
rescaled by an exact power of two (:mod:`linmod.solvers.penalized_magnitude`) give the
same choice, and :func:`information_criterion_path` reports ``σ²`` and the criterion in
the units of the data given (``y_exp``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy.optimize import nnls

from linmod.exceptions import InputError
from linmod.solvers.lasso_homotopy import lasso_knots
from linmod.solvers.penalized_problem import EnetProblem

__all__ = ["CRITERIA", "CriterionPath", "information_criterion_path", "ols_noise_variance"]

Float = NDArray[np.float64]

#: The criteria offered, as ``alpha=`` strings.
CRITERIA = ("aic", "bic")


@dataclass(frozen=True)
class CriterionPath:
    """The criterion at every knot of the Lasso path, and the knot that minimises it.

    Attributes
    ----------
    alphas : ndarray of shape (k,)
        Knots of the rescaled problem (scikit-learn's scaling), decreasing.
    coefs : ndarray of shape (p, k)
        Coefficients of the centred, scaled problem at each knot.
    criterion : ndarray of shape (k,)
        AIC or BIC at each knot, in the units of the data given.
    rss : ndarray of shape (k,)
        Residual sums of squares of the rescaled data.
    df : ndarray of int, shape (k,)
        Non-zero coefficients at each knot.
    noise_variance : float
        ``σ²`` in the units of the data given.
    best : int
        Index of the chosen knot.
    n_steps : int
        Homotopy steps.
    complete : bool
        Whether the path reached ``α = 0``.
    """

    alphas: Float
    coefs: Float
    criterion: Float
    rss: Float
    df: NDArray[np.int64]
    noise_variance: float
    best: int
    n_steps: int
    complete: bool


def _ldexp(value: float, exp: int) -> float:
    """``value·2^exp``, infinite beyond float64's range."""
    try:
        return math.ldexp(value, exp)
    except OverflowError:
        return math.inf


def ols_noise_variance(problem: EnetProblem, fit_intercept: bool, positive: bool) -> float:
    """``RSS/(n − p − fit_intercept)`` of the least-squares fit of the (rescaled) problem.

    0 when the fit is exact to rounding (``RSS ≤ (64ε)²‖y − ȳ‖²``).

    Raises
    ------
    InputError
        When ``n ≤ p + fit_intercept`` (no residual degrees of freedom).
    """
    n, p = problem.n, problem.p
    dof = n - p - int(fit_intercept)
    if dof <= 0:
        raise InputError(
            f"alpha='bic'/'aic' estimates the noise variance from the least-squares fit, "
            f"which needs more rows than columns: n = {n} ≤ p + intercept = "
            f"{p + int(fit_intercept)}; pass noise_variance=<an estimate of σ²>"
        )
    assert problem.xt is not None
    assert problem.y is not None
    x = problem.xt.T
    if positive:
        beta = np.asarray(nnls(x, problem.y)[0], dtype=float)
    else:
        beta = np.asarray(sla.lstsq(x, problem.y, check_finite=False)[0], dtype=float)
    resid = problem.y - x @ beta
    rss = float(resid @ resid)
    if rss <= (64 * np.finfo(float).eps) ** 2 * problem.y_norm2:
        return 0.0  # an exact fit, to rounding: no noise to estimate
    return rss / dof


def information_criterion_path(
    problem: EnetProblem,
    criterion: str,
    *,
    noise_variance: float | None = None,
    fit_intercept: bool = True,
    positive: bool = False,
    max_steps: int = 500,
    y_exp: int = 0,
) -> CriterionPath:
    """Every knot of the Lasso path with its AIC or BIC, and the best knot.

    Parameters
    ----------
    problem : EnetProblem
        Centred (possibly standardised) data in the *residual* layout (the residual sums
        of squares are computed from the residuals, not from ``XᵀX``).
    criterion : {"aic", "bic"}
    noise_variance : float, optional
        ``σ²`` in the units of the data given (before any power-of-two rescaling);
        estimated by :func:`ols_noise_variance` when None.
    fit_intercept : bool
        Whether an intercept was removed by centring (one residual degree of freedom).
    positive : bool
        The non-negative Lasso (and non-negative least squares for ``σ̂²``).
    max_steps : int
        Largest number of homotopy steps.
    y_exp : int
        ``y`` of the problem is the data's ``y·2^y_exp``.

    Returns
    -------
    CriterionPath

    Raises
    ------
    InputError
        Unknown criterion, ``n ≤ p + fit_intercept`` without ``noise_variance``, or a
        noise variance of 0 (the criterion is then undefined).
    """
    if criterion not in CRITERIA:
        raise InputError(f"criterion {criterion!r} is not valid: choose 'aic' or 'bic'")
    assert problem.xt is not None
    assert problem.y is not None
    n = problem.n
    if noise_variance is None:
        sigma2 = ols_noise_variance(problem, fit_intercept, positive)
    else:
        sigma2 = _ldexp(float(noise_variance), 2 * y_exp)
    if not 0.0 < sigma2 < math.inf:
        raise InputError(
            f"the noise variance is {noise_variance or 0.0:.6g} (the least-squares fit is "
            "exact, or the variance given is beyond float64 on these data): the information "
            "criterion is undefined; pass noise_variance=<a positive estimate>"
        )
    # σ² of the data given: log σ² exactly, σ² itself infinite if beyond float64.
    log_sigma2 = math.log(sigma2) - 2 * y_exp * math.log(2.0)
    sigma2_data = _ldexp(sigma2, -2 * y_exp) if noise_variance is None else float(noise_variance)
    rank = n - int(fit_intercept)
    path = lasso_knots(problem, positive=positive, max_steps=max_steps, rank=rank)
    resid = problem.y[:, None] - problem.xt.T @ path.coefs
    rss = np.einsum("ij,ij->j", resid, resid)
    df = np.asarray((path.coefs != 0).sum(axis=0), dtype=np.int64)
    factor = 2.0 if criterion == "aic" else math.log(n)
    values = n * (math.log(2 * math.pi) + log_sigma2) + rss / sigma2 + factor * df
    return CriterionPath(
        alphas=path.alphas,
        coefs=path.coefs,
        criterion=np.asarray(values, dtype=float),
        rss=rss,
        df=df,
        noise_variance=sigma2_data,
        best=int(np.argmin(values)),
        n_steps=path.n_steps,
        complete=path.complete,
    )
