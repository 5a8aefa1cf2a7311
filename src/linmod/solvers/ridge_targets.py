"""Ridge with several responses: one factorisation of the design for all of them.

Ridge's coefficients are linear in the response, ``β = (XᵀX + αI)⁻¹XᵀY``, so the ``k``
responses of an ``n × k`` matrix ``Y`` share every factorisation of ``X``: the Cholesky
factor of ``XᵀX + αI`` (or of ``XXᵀ + αI``) solves all ``k`` right-hand sides at once,
and one SVD ``X = USVᵀ`` gives each response's coefficients, leave-one-out residuals and
k-fold errors through ``UᵀY`` alone.  The centring is per response (each column of ``Y``
has its own mean, hence its own intercept); the design is centred and scaled once.

:func:`target_svd` views the shared SVD as the decomposition of one response (a
:class:`~linmod.solvers.ridge.RidgeSVD` whose ``Uᵀy`` is that column of ``UᵀY``), so the
single-response machinery (minimum-norm solution at ``α = 0``, leverages, generalised
cross-validation, blockwise error moments) applies unchanged to each response.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from linmod.solvers.penalized_problem import Scaling, center_scale
from linmod.solvers.penalty_cv import _test_mse
from linmod.solvers.ridge import RidgeSVD, ridge_cholesky
from linmod.solvers.weighted_problem import weighted_center_scale, weighted_test_mse

__all__ = [
    "averaged_loo_moments",
    "center_scale_targets",
    "ridge_kfold_targets",
    "ridge_svd_targets",
    "solve_ridge_penalties",
    "solve_ridge_targets",
    "target_svd",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


def center_scale_targets(
    x: Float, y: Float, weights: Float | None, fit_intercept: bool, standardize: bool
) -> tuple[Float, Float, Scaling]:
    """Centre (and scale) the design once and each response by its own (weighted) mean.

    Parameters
    ----------
    x : ndarray of shape (n, p)
    y : ndarray of shape (n, k)
    weights : ndarray of shape (n,) or None
        Positive weights as ridge uses them (rows are multiplied by ``sqrt(w_i)``, see
        :func:`~linmod.solvers.weighted_problem.weighted_center_scale`).
    fit_intercept, standardize : bool

    Returns
    -------
    xc : ndarray of shape (n, p)
    yc : ndarray of shape (n, k)
    scaling : Scaling
        Its ``y_offset`` holds the ``k`` response means, so that
        :meth:`Scaling.to_original` of ``(p, k)`` coefficients gives ``k`` intercepts.
    """
    k = y.shape[1]
    if weights is None:
        xc, _, scaling = center_scale(x, np.zeros(x.shape[0]), fit_intercept, standardize)
        y_offset = y.mean(axis=0) if fit_intercept else np.zeros(k)
        yc = y - y_offset
    else:
        xc, _, scaling = weighted_center_scale(
            x, np.zeros(x.shape[0]), weights, fit_intercept, standardize
        )
        with np.errstate(invalid="ignore", over="ignore"):
            y_offset = (weights @ y) / float(weights.sum()) if fit_intercept else np.zeros(k)
            yc = (y - y_offset) * np.sqrt(weights)[:, None]
    offsets = Scaling(scaling.x_offset, scaling.x_scale, y_offset)  # type: ignore[arg-type]
    return xc, np.ascontiguousarray(yc), offsets


def solve_ridge_targets(xc: Float, yc: Float, alpha: float, solver: str = "auto") -> Float:
    """Ridge coefficients of every response of a centred problem, shape (p, k).

    The same rule as :func:`~linmod.solvers.ridge.solve_ridge`: ``"auto"`` is Cholesky
    for ``α > 0`` and the SVD for ``α = 0`` (the minimum-norm solution), and Cholesky
    falls back to the SVD when the system is not positive definite.  One factorisation
    serves all ``k`` right-hand sides.
    """
    if solver == "cholesky" or (solver == "auto" and alpha > 0):
        try:
            return ridge_cholesky(xc, yc, alpha)
        except np.linalg.LinAlgError:
            pass
    svd = RidgeSVD.of(xc, yc, intercept=False)
    alphas = np.full(yc.shape[1], float(alpha))
    return ridge_svd_targets(svd, alphas)


def solve_ridge_penalties(xc: Float, yc: Float, alphas: Float, solver: str = "auto") -> Float:
    """Ridge coefficients of each response ``j`` at its own penalty ``alphas[j]``, (p, k).

    Responses sharing a penalty share a factorisation (:func:`solve_ridge_targets`); with
    several distinct penalties ``"svd"`` and ``"auto"`` use one SVD for all of them, and
    ``"cholesky"`` one factor per distinct penalty.  An infinite penalty (beyond float64
    on rescaled data) gives zero coefficients.
    """
    p, k = xc.shape[1], yc.shape[1]
    distinct = np.unique(alphas)
    if distinct.size > 1 and solver != "cholesky":
        return ridge_svd_targets(RidgeSVD.of(xc, yc, intercept=False), alphas)
    out = np.zeros((p, k))
    for alpha in distinct[np.isfinite(distinct)]:
        columns = np.flatnonzero(alphas == alpha)
        out[:, columns] = solve_ridge_targets(xc, yc[:, columns], float(alpha), solver)
    return out


def target_svd(svd: RidgeSVD, j: int) -> RidgeSVD:
    """The decomposition of response ``j`` of a decomposition of ``Y`` (no copy of ``U``)."""
    return replace(svd, uty=svd.uty[:, j], y=svd.y[:, j])


def ridge_svd_targets(svd: RidgeSVD, alphas: Float) -> Float:
    """Coefficients of each response ``j`` at its own penalty ``alphas[j]``, shape (p, k)."""
    k = svd.uty.shape[1]
    out = np.empty((svd.vt.shape[1], k))
    for j in range(k):
        out[:, j] = target_svd(svd, j).coefs(alphas[j : j + 1])[:, 0]
    return out


def averaged_loo_moments(svd: RidgeSVD, alphas: Float, gcv: bool = False) -> tuple[Float, Float]:
    """Mean and sample variance over the observations of ``(1/k) Σ_j e_ij²`` (the squared
    leave-one-out residuals averaged over the ``k`` responses), for each penalty.

    As :meth:`RidgeSVD.loo_error_moments` for one response: rows are taken in blocks
    (no ``n × len(alphas)`` array) and the blocks merged by Chan, Golub and LeVeque's
    pairwise update; a penalty with a non-finite error has a non-finite mean and a NaN
    variance.
    """
    k_targets, m = svd.uty.shape[1], alphas.shape[0]
    blocks = zip(
        *(target_svd(svd, j)._loo_blocks(alphas, gcv) for j in range(k_targets)), strict=True
    )
    count, mean, m2 = 0, np.zeros(m), np.zeros(m)
    total, finite = np.zeros(m), np.ones(m, dtype=bool)
    for parts in blocks:
        block = np.zeros_like(parts[0][1])
        for _, part in parts:
            block += np.square(part)
        block /= k_targets
        total += block.sum(axis=0)
        finite &= np.isfinite(block).all(axis=0)
        rows = block.shape[0]
        with np.errstate(invalid="ignore", over="ignore"):
            block_mean = block.mean(axis=0)
            block_m2 = np.square(block - block_mean).sum(axis=0)
            if count:
                delta = block_mean - mean
                mean = mean + delta * (rows / (count + rows))
                m2 = m2 + block_m2 + np.square(delta) * (count * rows / (count + rows))
            else:
                mean, m2 = block_mean, block_m2
        count += rows
    variance = m2 / (count - 1) if count > 1 else np.full(m, np.nan)
    return np.where(finite, mean, total / count), np.where(finite, variance, np.nan)


def ridge_kfold_targets(
    x: Float,
    y: Float,
    folds: list[tuple[Index, Index]],
    alphas: Float,
    *,
    fit_intercept: bool = True,
    standardize: bool = False,
    sample_weight: Float | None = None,
) -> Float:
    """Held-out mean squared error of every penalty, fold and response: one SVD per fold.

    As :func:`~linmod.solvers.penalty_cv.ridge_kfold` for each column of ``y`` (with
    weights, each fold's error is the weighted mean over its held-out rows).

    Returns
    -------
    ndarray of shape (len(alphas), len(folds), k)
    """
    k = y.shape[1]
    errors = np.empty((alphas.shape[0], len(folds), k))
    for f, (train, test) in enumerate(folds):
        w_train = None if sample_weight is None else sample_weight[train]
        w_test = None if sample_weight is None else sample_weight[test]
        xc, yc, scaling = center_scale_targets(
            x[train], y[train], w_train, fit_intercept, standardize
        )
        svd = RidgeSVD.of(xc, yc, intercept=fit_intercept)
        for j in range(k):
            coefs = target_svd(svd, j).coefs(alphas)
            one = replace(scaling, y_offset=float(scaling.y_offset[j]))  # type: ignore[index]
            if w_test is None:
                errors[:, f, j] = _test_mse(x[test], y[test, j], coefs, one)
            else:
                errors[:, f, j] = weighted_test_mse(x[test], y[test, j], w_test, coefs, one)
    return errors
