"""``RidgeCV`` with a 2-D ``y``: one decomposition, the penalty shared or per response.

As scikit-learn's ``RidgeCV``: with ``alpha_per_target=False`` one penalty is chosen for
all the responses, by the held-out squared error averaged over the observations (folds)
*and* the responses; with ``alpha_per_target=True`` each response gets the penalty that
minimises its own error, and ``alpha_``, ``alpha_1se_`` and ``best_score_`` are arrays of
length ``k``.  Leave-one-out and generalised cross-validation (``cv=None``) cost one SVD
of the design for every response and penalty; k-fold one SVD per fold
(:mod:`linmod.solvers.ridge_targets`).  k-fold with ``alpha_per_target=True`` is
allowed (each response's folds' errors pick its penalty), where scikit-learn refuses it
(its k-fold path is a grid search on one score).

Attributes beyond the single-response ones: ``mse_path_`` and ``loo_residuals_`` gain a
trailing axis of length ``k`` (``(n_alphas, m, k)`` and ``(n_samples, n_alphas, k)``);
``cv_curve_`` is the curve of the averaged error, or with ``alpha_per_target=True`` one
curve per response stacked, with a leading ``target`` column naming the response.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.utils.validation import validate_data

from linmod.data.frames import check_feature_frame
from linmod.data.validation import check_finite, validate_params
from linmod.estimators.multi_target import check_targets, set_target_coefficients
from linmod.estimators.sample_weights import cv_folds, kept_rows
from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas
from linmod.solvers.paths import resolve_alphas
from linmod.solvers.penalized_magnitude import Magnitude, rescale
from linmod.solvers.penalty_cv import CVCurve, summarised_curve
from linmod.solvers.penalty_grid import ridge_grid
from linmod.solvers.ridge import RidgeSVD
from linmod.solvers.ridge_targets import (
    averaged_loo_moments,
    center_scale_targets,
    ridge_kfold_targets,
    ridge_svd_targets,
    target_svd,
)
from linmod.solvers.weighted_problem import ridge_weights, unit_mean

__all__ = ["fit_ridge_cv_targets"]

Float = NDArray[np.float64]


def fit_ridge_cv_targets(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit :class:`~linmod.RidgeCV` to every column of a 2-D ``y`` (see the module text).

    Returns
    -------
    estimator
    """
    validate_params(estimator)
    values, names = check_targets(y)
    check_feature_frame(X)
    x, yv = validate_data(
        estimator, X, values, multi_output=True, y_numeric=True, dtype=np.float64,
        ensure_all_finite=False,
    )  # fmt: skip
    check_finite(x, None, getattr(estimator, "feature_names_in_", None))
    n_given = x.shape[0]
    x, yv, w, keep = kept_rows(np.ascontiguousarray(x), np.ascontiguousarray(yv), sample_weight)
    with small_work_blas(x.shape):
        _fit(estimator, x, yv, w, (keep, n_given), names)
    return estimator


def _loo_errors(
    estimator: Any, svd: RidgeSVD, scaled: Float, w: Float | None, per_target: bool
) -> tuple[Float | None, list[tuple[Float, Float]], Float | None]:
    """Leave-one-out squared errors ``(n_alphas, n, k)`` and residuals, or (without
    ``store_cv_results``) the mean and standard error of each curve."""
    n, k = svd.y.shape
    if n < 2:
        raise InputError(f"leave-one-out needs at least 2 samples (n_samples={n})")
    gcv = bool(estimator.gcv)
    if not estimator.store_cv_results and w is None:
        moments = (
            [target_svd(svd, j).loo_error_moments(scaled, gcv) for j in range(k)]
            if per_target
            else [averaged_loo_moments(svd, scaled, gcv)]
        )
        with np.errstate(invalid="ignore"):  # sd / √n over the observations, as CVCurve.se
            return None, [(mean, np.sqrt(var) / np.sqrt(n)) for mean, var in moments], None
    residuals = np.stack([target_svd(svd, j).loo_residuals(scaled, gcv) for j in range(k)], axis=2)
    if w is not None:  # sqrt(w_i)·(y_i − ŷ_(−i)) -> y_i − ŷ_(−i)
        residuals /= np.sqrt(w)[:, None, None]
    errors = np.square(residuals).transpose(1, 0, 2)
    if w is not None:
        errors *= unit_mean(w)[None, :, None]
    return np.ascontiguousarray(errors), [], residuals


def _curves(
    alphas: Float,
    errors: Float | None,
    summaries: list[tuple[Float, Float]],
    per_target: bool,
    method: str,
    magnitude: Magnitude,
) -> list[CVCurve]:
    what = "cross-validation errors"
    if errors is None:
        return [
            summarised_curve(alphas, magnitude.squared(m, what), magnitude.squared(s, what), method)
            for m, s in summaries
        ]
    if per_target:
        return [CVCurve(alphas, errors[:, :, j], None, method) for j in range(errors.shape[2])]
    return [CVCurve(alphas, errors.mean(axis=2), None, method)]


def _fit(estimator: Any, x: Float, y: Float, w: Float | None, kept: Any, names: list[str]) -> None:
    per_target = bool(getattr(estimator, "alpha_per_target", False))
    fit_intercept, standardize = estimator.fit_intercept, estimator.standardize
    x, y, magnitude = rescale(x, y, standardize, estimator._feature_names())
    w, w_exp = ridge_weights(w)  # penalties of the rescaled weights: alpha·2^-w_exp
    n_alphas, grid = resolve_alphas(estimator.alphas)
    with np.errstate(over="ignore", under="ignore"):
        scaled = None if grid is None else np.ldexp(magnitude.ridge_alphas(grid), -w_exp)
    xc, yc, scaling = center_scale_targets(x, y, w, fit_intercept, standardize)
    svd = RidgeSVD.of(xc, yc, intercept=fit_intercept)
    if w is not None:  # each row's intercept leverage is w_i / Σ w
        svd = replace(svd, row_centring=w / w.sum())
    if scaled is None:
        scaled = ridge_grid(svd.s, n_alphas or 100)
    estimator.loo_residuals_ = None
    if estimator.cv is None:
        method = "gcv" if estimator.gcv else "leave-one-out"
        errors, summaries, residuals = _loo_errors(estimator, svd, scaled, w, per_target)
        if residuals is not None:
            with np.errstate(over="ignore", under="ignore"):
                estimator.loo_residuals_ = np.ldexp(residuals, -magnitude.y_exp)
    else:
        method, summaries = "k-fold", []
        folds = cv_folds(estimator.cv, x, y, kept)
        errors = ridge_kfold_targets(
            x, y, folds, scaled, fit_intercept=fit_intercept, standardize=standardize,
            sample_weight=w,
        )  # fmt: skip
    exp = magnitude.l2_exp - w_exp
    alphas = scaled
    if magnitude.rescaled or w_exp:  # the curve in the units of the data given
        alphas = magnitude.automatic_grid(scaled, exp) if grid is None else grid
        if errors is not None:
            errors = magnitude.squared(errors, "cross-validation errors")
    curves = _curves(alphas, errors, summaries, per_target, method, magnitude)
    _store(estimator, curves, per_target, y.shape[1])
    estimator.alphas_ = alphas
    estimator.mse_path_ = errors
    effective_df = svd.effective_df(scaled)
    frames = [c.to_frame(effective_df=effective_df) for c in curves]
    if per_target:
        frames = [f.assign(target=name) for f, name in zip(frames, names, strict=True)]
        frames = [f[["target", *f.columns[:-1]]] for f in frames]
    estimator.cv_curve_ = pd.concat(frames, ignore_index=True) if per_target else frames[0]
    i_min = [c.indices[0] for c in curves]
    chosen = scaled[i_min] if per_target else np.full(y.shape[1], scaled[i_min[0]])
    coef, intercept = magnitude.coefficients(*scaling.to_original(ridge_svd_targets(svd, chosen)))
    set_target_coefficients(estimator, coef.T, intercept)


def _store(estimator: Any, curves: list[CVCurve], per_target: bool, k: int) -> None:
    """``alpha_``, ``alpha_1se_``, ``best_score_``: floats, or arrays with
    ``alpha_per_target`` (scikit-learn: the penalties are floats for one response, the
    score an array of length 1)."""
    i_min = [c.indices[0] for c in curves]
    i_1se = [c.indices[1] for c in curves]
    alpha = np.array([c.alphas[i] for c, i in zip(curves, i_min, strict=True)])
    alpha_1se = np.array([c.alphas[i] for c, i in zip(curves, i_1se, strict=True)])
    score = -np.array([c.mean[i] for c, i in zip(curves, i_min, strict=True)])
    if per_target and k > 1:
        estimator.alpha_, estimator.alpha_1se_, estimator.best_score_ = alpha, alpha_1se, score
    else:
        estimator.alpha_, estimator.alpha_1se_ = float(alpha[0]), float(alpha_1se[0])
        estimator.best_score_ = score if per_target else float(score[0])
