"""The penalised estimators' ``fit`` on a scipy.sparse ``X`` (CSR, CSC, COO, ...).

``Ridge``, ``Lasso``, ``ElasticNet`` and their CV variants hand a sparse ``X`` to the
functions here; the matrix is converted once to CSC and never densified:

* Lasso / elastic net: coordinate descent on the sparse columns with implicit centring
  and scaling (:mod:`linmod.solvers.sparse_coordinate_descent`), the same objective,
  tolerance and warm starts as on dense data;
* Ridge: the exact solution from the dense ``p × p`` Gram matrix for up to 2000 features,
  LSQR on the implicitly centred operator beyond (:mod:`linmod.solvers.sparse_ridge`,
  where the accuracy of each is stated);
* CV: :mod:`linmod.solvers.sparse_cv`.

What the estimators accept on a sparse ``X`` (the honoured parameters, the input tags,
``predict``) is in :mod:`linmod.estimators.sparse_support`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils.validation import validate_data

from linmod.data.sparse_input import is_sparse, sparse_xy, weighted_rows
from linmod.data.validation import validate_params
from linmod.estimators.cv_search import store_enet_choice
from linmod.estimators.intercept_type import typed_intercept
from linmod.estimators.regularized_base import store_choice
from linmod.estimators.sample_weights import broadcast_weight, cv_folds
from linmod.estimators.sparse_support import refuse_unhonoured
from linmod.exceptions import InputError
from linmod.solvers.sparse_cv import sparse_enet_cv, sparse_ridge_kfold, sparse_ridge_loo
from linmod.solvers.sparse_paths import solve_sparse_path
from linmod.solvers.sparse_problem import sparse_problem
from linmod.solvers.sparse_ridge import SparseRidge

__all__ = [
    "fit_enet_cv_sparse",
    "fit_enet_sparse",
    "fit_ridge_cv_sparse",
    "fit_ridge_sparse",
    "is_sparse",
    "sparse_cv_fit",
    "sparse_fit",
]

Float = NDArray[np.float64]


def _checked(estimator: Any, X: Any, y: Any) -> tuple[Any, Float]:
    """Validate the parameters, record ``n_features_in_``; the checked CSC design and y."""
    validate_params(estimator)
    refuse_unhonoured(estimator)
    validate_data(estimator, X, y, accept_sparse="csc", y_numeric=True, dtype=np.float64,
                  ensure_all_finite=False)  # fmt: skip
    return sparse_xy(X, y)


def fit_ridge_sparse(estimator: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """:meth:`linmod.Ridge.fit` on a sparse ``X`` (``solver`` does not apply)."""
    x, yv = _checked(estimator, X, y)
    x, yv, w, _ = weighted_rows(x, yv, broadcast_weight(sample_weight, x.shape[0]))
    problem = sparse_problem(x, yv, w, bool(estimator.fit_intercept),
                             bool(estimator.standardize), rescale_weights=False)  # fmt: skip
    solver = SparseRidge(problem)
    coef, intercept = problem.scaling.to_original(solver(float(estimator.alpha)))
    estimator.coef_ = coef
    estimator.intercept_ = typed_intercept(intercept, estimator.fit_intercept)
    estimator.sparse_solver_ = solver.method
    return estimator


def fit_enet_sparse(estimator: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """:meth:`linmod.ElasticNet.fit` (and the Lasso's) on a sparse ``X``."""
    x, yv = _checked(estimator, X, y)
    x, yv, w, _ = weighted_rows(x, yv, broadcast_weight(sample_weight, x.shape[0]))
    problem = sparse_problem(x, yv, w, bool(estimator.fit_intercept), bool(estimator.standardize))
    solution = solve_sparse_path(
        problem, np.array([float(estimator.alpha)]), estimator._l1_ratio(),
        positive=bool(estimator.positive), tol=float(estimator.tol),
        max_iter=int(estimator.max_iter),
    )  # fmt: skip
    coef, intercept = problem.scaling.to_original(solution.coefs[:, 0])
    estimator.coef_ = coef
    estimator.intercept_ = typed_intercept(intercept, estimator.fit_intercept)
    estimator.dual_gap_ = float(solution.dual_gaps[0])
    estimator.n_iter_ = max(1, int(solution.n_iter[0]))
    return estimator


def _grid(alphas: Any) -> tuple[int | None, Float | None]:
    from linmod.solvers.paths import resolve_alphas

    return resolve_alphas(alphas)


def fit_ridge_cv_sparse(estimator: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """:meth:`linmod.RidgeCV.fit` on a sparse ``X`` (leave-one-out needs at most 2000
    features; k-fold any number)."""
    x, yv = _checked(estimator, X, y)
    n_given = x.shape[0]
    x, yv, w, keep = weighted_rows(x, yv, broadcast_weight(sample_weight, x.shape[0]))
    n_alphas, grid = _grid(estimator.alphas)
    fit_intercept, standardize = bool(estimator.fit_intercept), bool(estimator.standardize)
    problem = sparse_problem(x, yv, w, fit_intercept, standardize, rescale_weights=False)
    solver = SparseRidge(problem)
    estimator.loo_residuals_ = None
    if estimator.cv is None:
        if x.shape[0] < 2:
            raise InputError(f"leave-one-out needs at least 2 samples (n_samples={x.shape[0]})")
        curve, residuals, svd = sparse_ridge_loo(
            problem, grid, n_alphas=n_alphas or 100, fit_intercept=fit_intercept,
            gcv=bool(estimator.gcv), weights=w,
        )  # fmt: skip
        if estimator.store_cv_results:
            estimator.loo_residuals_ = residuals
        effective_df = svd.effective_df(curve.alphas)
    else:
        folds = cv_folds(estimator.cv, x, yv, (keep, n_given))
        if grid is None:
            if solver.method == "lsqr":
                raise InputError(
                    f"the automatic ridge grid needs the singular values, which are not "
                    f"computed for a sparse X with {problem.p} features; pass alphas=[...]"
                )
            from linmod.solvers.penalty_grid import ridge_grid

            grid = ridge_grid(solver.singular_values(), n_alphas or 100)
        curve = sparse_ridge_kfold(x, yv, folds, grid, fit_intercept=fit_intercept,
                                   standardize=standardize, weights=w)  # fmt: skip
        effective_df = np.full(grid.shape[0], np.nan)
        if solver.method != "lsqr":  # Σ σ²/(σ² + α) (+1 for the intercept)
            s2 = solver.singular_values()[:, None] ** 2
            with np.errstate(invalid="ignore", divide="ignore"):
                shrink = np.where(s2 > 0, s2 / (s2 + grid[None, :]), 0.0)
            effective_df = shrink.sum(axis=0) + float(fit_intercept)
    store_choice(estimator, curve)
    estimator.alphas_ = curve.alphas
    keep_errors = estimator.store_cv_results or estimator.cv is not None
    estimator.mse_path_ = curve.errors if keep_errors else None
    estimator.cv_curve_ = curve.to_frame(effective_df=effective_df)
    coef, intercept = problem.scaling.to_original(solver(estimator.alpha_))
    estimator.coef_ = coef
    estimator.intercept_ = typed_intercept(intercept, estimator.fit_intercept)
    return estimator


def sparse_fit(estimator: Any, X: Any, y: Any, sample_weight: Any) -> bool:
    """Fit ``Ridge``, ``Lasso`` or ``ElasticNet`` on a sparse ``X`` and return True; False
    for any other ``X``."""
    if not is_sparse(X):
        return False
    if hasattr(estimator, "l1_ratio") or hasattr(estimator, "_l1_ratio"):
        fit_enet_sparse(estimator, X, y, sample_weight)
    else:
        if getattr(estimator, "positive", False):
            raise InputError(
                "Ridge(positive=True) needs a dense X (the bounded ridge solver does not "
                "take scipy.sparse input yet): pass X.toarray(), or fit without positive"
            )
        fit_ridge_sparse(estimator, X, y, sample_weight)
    return True


def sparse_cv_fit(estimator: Any, X: Any, y: Any, sample_weight: Any) -> bool:
    """Fit a CV estimator on a sparse ``X`` and return True; False for any other ``X``."""
    if not is_sparse(X):
        return False
    if hasattr(estimator, "gcv"):
        fit_ridge_cv_sparse(estimator, X, y, sample_weight)
    else:
        fit_enet_cv_sparse(estimator, X, y, sample_weight)
    return True


def fit_enet_cv_sparse(estimator: Any, X: Any, y: Any, sample_weight: Any) -> Any:
    """:meth:`linmod.ElasticNetCV.fit` (and ``LassoCV``'s) on a sparse ``X``."""

    x, yv = _checked(estimator, X, y)
    n_given = x.shape[0]
    x, yv, w, keep = weighted_rows(x, yv, broadcast_weight(sample_weight, x.shape[0]))
    l1_ratios = estimator._l1_ratios()
    n_alphas, grid = _grid(estimator.alphas)
    if grid is None and (l1_ratios == 0).any():
        raise InputError(
            "l1_ratio=0 has no automatic penalty grid (a ridge penalty never zeroes a "
            "coefficient); pass alphas=[...] or use RidgeCV"
        )
    folds = cv_folds(estimator.cv, x, yv, (keep, n_given))
    curves, full = sparse_enet_cv(
        x, yv, folds, l1_ratios, None if grid is None else [grid] * len(l1_ratios),
        n_alphas=n_alphas or 100, eps=float(estimator.eps),
        fit_intercept=bool(estimator.fit_intercept), standardize=bool(estimator.standardize),
        positive=bool(estimator.positive), tol=float(estimator.tol),
        max_iter=int(estimator.max_iter), progress=estimator.progress, sample_weight=w,
    )  # fmt: skip
    curve = store_enet_choice(estimator, curves, l1_ratios, given_grid=grid is not None)
    i_min = curve.indices[0]
    refit = solve_sparse_path(
        full, curve.alphas[: i_min + 1], estimator.l1_ratio_, positive=bool(estimator.positive),
        tol=float(estimator.tol), max_iter=int(estimator.max_iter),
    )  # fmt: skip
    coef, intercept = full.scaling.to_original(refit.coefs[:, -1])
    estimator.coef_ = coef
    estimator.intercept_ = typed_intercept(intercept, estimator.fit_intercept)
    estimator.dual_gap_ = float(refit.dual_gaps[-1])
    estimator.n_iter_ = max(1, int(refit.n_iter[-1]))
    return estimator
