"""Observation weights in the penalised family: the weighted problem as an unweighted one.

With weights ``w`` (zero weights already dropped) the penalised objectives are
scikit-learn's and glmnet's:

* Lasso / elastic net: ``(1/2W) Σ w_i (y_i − b − x_iᵀβ)² + α·l1_ratio‖β‖₁ +
  α(1 − l1_ratio)/2‖β‖²`` with ``W = Σ w_i`` (scikit-learn rescales the weights to sum to
  ``n``, glmnet normalises them to sum to ``n``: the same objective);
* Ridge: ``Σ w_i (y_i − b − x_iᵀβ)² + α‖β‖²`` (scikit-learn's ``Ridge``, no rescaling).

The intercept ``b`` is removed by centring ``X`` and ``y`` at their *weighted* means
``x̄_w = Σ w_i x_i / W`` (what an unpenalised intercept does under weights) and recovered
as ``ȳ_w − x̄_wᵀβ``.  ``standardize=True`` divides the columns by their weighted standard
deviations ``sqrt(Σ w_i (x_ij − x̄_wj)² / W)`` (glmnet's, population form; the weighted
root mean square without an intercept).  Multiplying each centred row by ``sqrt(w_i)``
(with ``w`` rescaled to mean 1 for the ``1/2n`` objectives) turns the weighted problem
into an unweighted one on ``n`` rows, so every solver of the family (coordinate descent
with its screening rules, the exact ridge SVD, the penalty grids, warm-started paths)
solves it unchanged: ``α_max = ‖Σ w_i x̃_i ỹ_i‖∞ / (W·l1_ratio)`` comes out of
:func:`~linmod.solvers.penalty_grid.enet_grid` as it should.

Integer weights are therefore exactly repeated rows (the frequency identity), and ridge
with weights is ridge on ``sqrt(w)``-scaled, weighted-centred rows.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.weights import check_weights
from linmod.solvers.penalized_problem import EnetProblem, Scaling, center_scale, make_problem
from linmod.solvers.ridge import RidgeSVD

__all__ = [
    "kept_rows",
    "ridge_decomposition",
    "ridge_weights",
    "unit_mean",
    "weighted_center_scale",
    "weighted_problem",
    "weighted_test_mse",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


def kept_rows(
    x: Float, y: Float, sample_weight: Any
) -> tuple[Float, Float, Float | None, Index | None]:
    """Check ``sample_weight`` and drop the rows whose weight is zero.

    Returns
    -------
    x, y : ndarray
        The rows with a positive weight (the inputs themselves without weights).
    weights : ndarray or None
        Their weights (a new array: the caller's is never modified); None without weights.
    keep : ndarray of int or None
        Positions of the kept rows among those given; None when every row is kept.
    """
    if sample_weight is None:
        return x, y, None, None
    weights = np.array(check_weights(sample_weight, x.shape[0], name="sample_weight"))
    positive = weights > 0
    if positive.all():
        return x, y, weights, None
    keep = np.flatnonzero(positive)
    return np.ascontiguousarray(x[keep]), y[keep], weights[keep], keep


def ridge_weights(weights: Float | None) -> tuple[Float | None, int]:
    """Ridge's weights divided by the power of two ``2^k`` nearest above their largest.

    Ridge's ``Σ w_i r_i² + α‖β‖²`` is ``2^k·[Σ (w_i/2^k) r_i² + α·2^(−k)‖β‖²]``: the same
    coefficients with the penalty ``ldexp(α, −k)``, exactly, while weights of any
    magnitude keep the rows' squares inside float64's range.

    Returns
    -------
    weights : ndarray or None
        ``w / 2^k`` (None without weights).
    k : int
        The exponent (0 without weights).
    """
    if weights is None:
        return None, 0
    k = math.frexp(float(np.max(weights)))[1]
    return np.ldexp(weights, -k), k


def unit_mean(weights: Float) -> Float:
    """The weights rescaled to mean 1 (sum ``n``), as scikit-learn and glmnet do (first
    divided by their largest, so that no sum overflows)."""
    scaled = weights / np.max(weights)
    return np.asarray(scaled * (weights.shape[0] / scaled.sum()))


def weighted_center_scale(
    x: Float, y: Float, weights: Float, fit_intercept: bool, standardize: bool
) -> tuple[Float, Float, Scaling]:
    """Weighted centring and scaling, with each row multiplied by ``sqrt(w_i)``.

    Parameters
    ----------
    x : ndarray of shape (n, p)
    y : ndarray of shape (n,)
    weights : ndarray of shape (n,)
        Positive weights, used as given (the caller rescales them).
    fit_intercept, standardize : bool

    Returns
    -------
    xw : ndarray of shape (n, p)
        ``sqrt(w_i)·(x_i − x̄_w)/s_w`` (C order).
    yw : ndarray of shape (n,)
        ``sqrt(w_i)·(y_i − ȳ_w)``.
    scaling : Scaling
        Weighted means and (when standardising) weighted standard deviations, to map the
        coefficients back with :meth:`Scaling.to_original`.
    """
    p = x.shape[1]
    total = float(weights.sum())
    with np.errstate(invalid="ignore", over="ignore"):
        x_offset = (weights @ x) / total if fit_intercept else np.zeros(p)
        y_offset = float(weights @ y) / total if fit_intercept else 0.0
        xc = x - x_offset
        scale = np.ones(p)
        if standardize:
            scale = np.sqrt(np.maximum(weights @ (xc * xc), 0.0) / total)
            scale[scale == 0.0] = 1.0
            xc /= scale
        root = np.sqrt(weights)
        xw = np.ascontiguousarray(xc * root[:, None])
        yw = np.ascontiguousarray((y - y_offset) * root)
    return xw, yw, Scaling(x_offset, scale, y_offset)


def weighted_problem(
    x: Float,
    y: Float,
    weights: Float,
    fit_intercept: bool,
    standardize: bool,
    gram: bool | None = None,
) -> EnetProblem:
    """The elastic-net problem of weighted data, in the layout asked for (or that suits).

    The weights are rescaled to mean 1, so the kernels' ``1/2n`` objective is the
    weighted ``1/2W`` one; the returned problem's scaling holds the weighted means and
    standard deviations.

    Parameters
    ----------
    x, y : ndarray
        Data (finite, rows with zero weight already dropped).
    weights : ndarray of shape (n,)
        Positive weights.
    fit_intercept, standardize : bool
    gram : bool or None
        As for :func:`~linmod.solvers.penalized_problem.make_problem`.
    """
    xw, yw, scaling = weighted_center_scale(x, y, unit_mean(weights), fit_intercept, standardize)
    problem = make_problem(xw, yw, False, False, gram)
    return replace(problem, scaling=scaling)


def weighted_test_mse(
    x_test: Float, y_test: Float, weights: Float | None, coefs: Float, scaling: Scaling
) -> Float:
    """Held-out (weighted) mean squared error of each column of scaled coefficients.

    With weights, ``Σ w_i r_i² / Σ w_i`` over the held-out rows: each fold's error is
    weighted by its own rows' weights (callers drop zero-weight rows before splitting).
    """
    beta, intercepts = scaling.to_original(coefs)
    resid = y_test[:, None] - (x_test @ beta + intercepts)
    if weights is None:
        return np.asarray(np.mean(resid**2, axis=0))
    scaled = weights / np.max(weights)  # no overflow for weights of any magnitude
    return np.asarray(scaled @ (resid**2) / scaled.sum())


def ridge_decomposition(
    x: Float, y: Float, weights: Float | None, fit_intercept: bool, standardize: bool
) -> tuple[RidgeSVD, Scaling]:
    """The SVD of the (weighted) centred, scaled design for ridge's ``Σ w_i r_i² + α‖β‖²``.

    Without weights this is :func:`~linmod.solvers.penalized_problem.center_scale` and
    :meth:`RidgeSVD.of`.  With weights the rows are ``sqrt(w_i)``-scaled (the weights as
    given: ridge's objective is not rescaled) and each row's intercept leverage is
    ``w_i / Σ w``, so that :meth:`RidgeSVD.loo_residuals` returns
    ``sqrt(w_i)·(y_i − ŷ_(−i))``, the exact weighted leave-one-out residuals.
    """
    if weights is None:
        xc, yc, scaling = center_scale(x, y, fit_intercept, standardize)
        return RidgeSVD.of(xc, yc, intercept=fit_intercept), scaling
    xw, yw, scaling = weighted_center_scale(x, y, weights, fit_intercept, standardize)
    svd = RidgeSVD.of(xw, yw, intercept=fit_intercept)
    return replace(svd, row_centring=weights / weights.sum()), scaling
