"""Regularisation paths: the coefficients of Ridge, Lasso and Elastic Net along a grid.

``lasso_path`` and ``enet_path`` follow scikit-learn's objective, default grid and
tolerance convention, warm-start each penalty from the previous one and solve by the
compiled coordinate descent of :mod:`linmod.solvers.coordinate_descent`.
``ridge_path`` costs one SVD whatever the number of penalties.

A scipy.sparse ``X`` is never densified (:mod:`linmod.solvers.sparse_paths`: coordinate
descent on its columns with implicit centring; ridge from its Gram matrix or LSQR).

Unlike scikit-learn's path functions they fit the intercept by default (pass
``fit_intercept=False`` for scikit-learn's behaviour, which assumes centred data), can
standardise the features (glmnet's ``standardize``) and always report coefficients and
intercepts on the original scale.  The result unpacks like scikit-learn's:
``alphas, coefs, dual_gaps = linmod.lasso_path(X, y)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.sparse_input import is_sparse
from linmod.data.validation import (
    as_arrays,
    check_alphas,
    check_eps,
    check_l1_ratio,
    check_max_iter,
    check_n_alphas,
    check_tol,
)
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.glmnet_options import automatic_grid, path_options
from linmod.solvers.group_path import group_path_fields
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import make_problem, require_finite
from linmod.solvers.penalty_grid import ridge_grid
from linmod.solvers.relaxed import relax_path
from linmod.solvers.sparse_paths import (
    refuse_sparse_options,
    sparse_enet_path,
    sparse_ridge_path,
)
from linmod.solvers.weighted_problem import (
    kept_rows,
    ridge_decomposition,
    ridge_weights,
    weighted_problem,
)

__all__ = ["RegularizationPath", "enet_path", "lasso_path", "resolve_alphas", "ridge_path"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class RegularizationPath:
    """Coefficients along a grid of penalties.

    Attributes
    ----------
    alphas : ndarray of shape (k,)
        Penalties, largest first.
    coefs : ndarray of shape (p, k)
        Coefficients on the original scale (scikit-learn's layout).
    intercepts : ndarray of shape (k,)
    dual_gaps : ndarray of shape (k,)
        Duality gaps reached (scikit-learn's scaling; zeros for the exact ridge solve).
    n_iter : ndarray of shape (k,)
        Coordinate-descent epochs per penalty (1 for ridge).
    feature_names : tuple of str
    penalty : {"ridge", "lasso", "elastic_net"}
    l1_ratio : float
        1 for the Lasso, 0 for ridge.
    """

    alphas: Float
    coefs: Float
    intercepts: Float
    dual_gaps: Float
    n_iter: NDArray[np.int64]
    feature_names: tuple[str, ...]
    penalty: str
    l1_ratio: float

    def __iter__(self) -> Iterator[Float]:
        """Unpack as scikit-learn's ``(alphas, coefs, dual_gaps)``."""
        return iter((self.alphas, self.coefs, self.dual_gaps))

    @property
    def n_nonzero(self) -> NDArray[np.int64]:
        """Number of non-zero coefficients at each penalty."""
        return np.asarray((self.coefs != 0).sum(axis=0), dtype=np.int64)

    def to_frame(self) -> pd.DataFrame:
        """One row per penalty: ``alpha``, ``intercept``, one column per feature."""
        frame = pd.DataFrame(self.coefs.T, columns=list(self.feature_names))
        frame.insert(0, "intercept", self.intercepts)
        frame.insert(0, "alpha", self.alphas)
        return frame

    def __repr__(self) -> str:
        span = (
            f"from {self.alphas.max():.4g} to {self.alphas.min():.4g}" if self.alphas.size else ""
        )
        return (
            f"RegularizationPath(penalty={self.penalty!r}, {self.alphas.size} alphas {span}, "
            f"{len(self.feature_names)} features)"
        )


def resolve_alphas(alphas: Any, name: str = "alphas") -> tuple[int | None, Float | None]:
    """Split ``alphas`` into an automatic grid size or an explicit grid (sorted, largest first)."""
    if isinstance(alphas, Integral) and not isinstance(alphas, bool | np.bool_):
        return check_n_alphas(alphas, name), None
    grid = check_alphas(alphas, name)
    return None, np.sort(grid)[::-1].copy()


def enet_path(
    X: Any,
    y: Any,
    *,
    l1_ratio: float = 0.5,
    alphas: Any = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    progress: bool | None = False,
    sample_weight: Any = None,
    feature_groups: Any = None,
    penalty_factor: Any = None,
    lower: Any = None,
    upper: Any = None,
    relax: bool = False,
    gamma: float = 0.0,
) -> RegularizationPath:
    """Elastic-net coefficients along a grid of penalties.

    Minimises ``(1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²`` for each
    ``α`` (the intercept ``b`` is not penalised).

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    l1_ratio : float in [0, 1]
        Share of the L1 penalty (1 is the Lasso; 0 needs explicit ``alphas``).
    alphas : int or array-like
        An integer asks for scikit-learn's grid of that many values from
        ``α_max = ‖Xᵀy‖∞/(n·l1_ratio)`` down to ``eps·α_max``; an array gives the
        penalties (sorted largest first).
    eps : float
        ``α_min / α_max`` for the automatic grid.
    fit_intercept : bool
        Centre the data (scikit-learn's path functions do not: pass False to match them).
    standardize : bool
        Penalise standardised coefficients (glmnet's default); results are still
        reported on the original scale.
    positive : bool
        Constrain the coefficients to be non-negative.
    tol : float
        Stop when the duality gap is below ``tol·‖y − ȳ‖²`` (scikit-learn's convention).
    max_iter : int
        Maximum coordinate-descent epochs per penalty.
    progress : bool or None
        Show a progress bar over the penalties on standard error (None: only on a
        terminal).
    sample_weight : array-like of shape (n_samples,), optional
        Weights of :meth:`linmod.ElasticNet.fit` (``(1/2W) Σ w_i r_i²``, weighted means
        and standard deviations, zero weights dropped); the automatic grid's ``α_max`` is
        the weighted one.
    feature_groups : array-like of shape (n_features,), optional
        One group id per feature: the group Lasso / group elastic net, with
        ``Σ_g √|g|·‖β_g‖₂`` in place of ``‖β‖₁`` (:mod:`linmod.solvers.group_path`).
    penalty_factor : array-like of shape (n_features,), optional
        glmnet's ``penalty.factor``: per-feature multipliers of the penalty, rescaled to
        sum to ``n_features`` (0 leaves a feature unpenalised, ``inf`` excludes it); the
        automatic grid's ``α_max`` is then taken over the penalised features, after
        fitting the unpenalised ones (:mod:`linmod.solvers.glmnet_options`).
    lower, upper : float or array-like of shape (n_features,), optional
        glmnet's ``lower.limits``/``upper.limits``: bounds on the coefficients on the
        original scale, ``lower ≤ 0 ≤ upper``.
    relax : bool
        glmnet's relaxed fit: blend each penalty's coefficients with the least-squares
        refit on its active set (:mod:`linmod.solvers.relaxed`).
    gamma : float in [0, 1]
        With ``relax``, the weight of the penalised coefficients (0: the refits).

    Returns
    -------
    RegularizationPath

    Raises
    ------
    InputError
        For a negative or non-finite penalty, an empty grid, ``l1_ratio`` outside
        [0, 1], or non-finite data.

    Examples
    --------
    >>> import numpy as np, linmod
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [2.0, 1.0]])
    >>> path = linmod.enet_path(X, [1.0, 2.0, 3.0, 4.5], l1_ratio=0.5, alphas=5)
    >>> path.coefs.shape, int(path.n_nonzero[0])
    ((2, 5), 0)
    """
    if is_sparse(X):
        refuse_sparse_options(
            feature_groups=feature_groups, penalty_factor=penalty_factor, lower=lower,
            upper=upper, relax=relax or None,
        )  # fmt: skip
    if feature_groups is not None:  # the group Lasso
        return RegularizationPath(
            **group_path_fields(
                X, y, feature_groups, l1_ratio=l1_ratio, alphas=alphas, eps=eps,
                fit_intercept=fit_intercept, standardize=standardize, positive=positive,
                tol=tol, max_iter=max_iter, sample_weight=sample_weight,
            )
        )  # fmt: skip
    l1_ratio = check_l1_ratio(l1_ratio)
    n_alphas, grid = resolve_alphas(alphas)
    eps = check_eps(eps)
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    if is_sparse(X):  # coordinate descent on the sparse columns (solvers/sparse_paths.py)
        return RegularizationPath(**sparse_enet_path(
            X, y, l1_ratio=l1_ratio, n_alphas=n_alphas, grid=grid, eps=eps,
            fit_intercept=fit_intercept, standardize=standardize, positive=positive, tol=tol,
            max_iter=max_iter, progress=progress, sample_weight=sample_weight,
        ))  # fmt: skip
    x, yv, names = as_arrays(X, y, finite=False)
    x, yv, w, _ = kept_rows(x, yv, sample_weight)
    x, yv, magnitude = rescale(x, yv, bool(standardize), names)  # non-finite data pass unchanged
    ridge = l1_ratio == 0.0 and not positive  # solved exactly from the design
    layout = False if ridge else None
    if w is None:
        problem = make_problem(x, yv, bool(fit_intercept), bool(standardize), layout)
    else:
        problem = weighted_problem(x, yv, w, bool(fit_intercept), bool(standardize), layout)
    require_finite(problem, x, yv, names)
    options = path_options(penalty_factor, lower, upper, bool(positive), names, magnitude)
    if grid is None:
        assert n_alphas is not None
        grid = automatic_grid(problem, options, l1_ratio, n_alphas, eps, bool(positive))
        grid = magnitude.automatic_grid(grid, magnitude.l1_exp)
    solution = solve_path(
        problem, grid, l1_ratio, positive=bool(positive), tol=tol, max_iter=max_iter,
        progress=progress, l1_exp=magnitude.l1_exp, l2_exp=magnitude.l2_exp, options=options,
    )  # fmt: skip
    coefs_std = relax_path(problem, solution.coefs, relax, gamma, options, bool(positive))
    coefs, intercepts = magnitude.coefficients(*problem.scaling.to_original(coefs_std))
    return RegularizationPath(
        alphas=grid,
        coefs=coefs,
        intercepts=np.atleast_1d(intercepts),
        dual_gaps=magnitude.gap(solution.dual_gaps),
        n_iter=solution.n_iter,
        feature_names=names,
        penalty="lasso" if l1_ratio == 1.0 else "elastic_net",
        l1_ratio=l1_ratio,
    )


def lasso_path(
    X: Any,
    y: Any,
    *,
    alphas: Any = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    progress: bool | None = False,
    sample_weight: Any = None,
    feature_groups: Any = None,
    penalty_factor: Any = None,
    lower: Any = None,
    upper: Any = None,
    relax: bool = False,
    gamma: float = 0.0,
) -> RegularizationPath:
    """Lasso coefficients along a grid of penalties (:func:`enet_path` with ``l1_ratio=1``).

    Minimises ``(1/2n)‖y − b − Xβ‖² + α‖β‖₁`` for each ``α``; see :func:`enet_path` for
    the parameters.

    Returns
    -------
    RegularizationPath

    Examples
    --------
    >>> import linmod
    >>> data = linmod.datasets.house_prices()
    >>> X, y = data.drop(columns="price"), data["price"]
    >>> path = linmod.lasso_path(X, y, standardize=True)
    >>> path.n_nonzero[[0, -1]].tolist()
    [0, 5]
    """
    return enet_path(
        X,
        y,
        l1_ratio=1.0,
        alphas=alphas,
        eps=eps,
        fit_intercept=fit_intercept,
        standardize=standardize,
        positive=positive,
        tol=tol,
        max_iter=max_iter,
        progress=progress,
        sample_weight=sample_weight,
        feature_groups=feature_groups,
        penalty_factor=penalty_factor,
        lower=lower,
        upper=upper,
        relax=relax,
        gamma=gamma,
    )


def ridge_path(
    X: Any,
    y: Any,
    *,
    alphas: Any = 100,
    fit_intercept: bool = True,
    standardize: bool = False,
    sample_weight: Any = None,
) -> RegularizationPath:
    """Ridge coefficients along a grid of penalties, from one SVD.

    Minimises ``‖y − b − Xβ‖² + α‖β‖²`` (scikit-learn's ``Ridge``) for each ``α``.

    Parameters
    ----------
    X : array-like or DataFrame of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alphas : int or array-like
        An integer asks for that many penalties spanning the effective degrees of freedom
        (see :func:`linmod.solvers.penalty_grid.ridge_grid`); an array gives them.
    fit_intercept, standardize : bool
        As for :func:`enet_path`.
    sample_weight : array-like of shape (n_samples,), optional
        Weights of :meth:`linmod.Ridge.fit` (``Σ w_i r_i² + α‖β‖²``).

    Returns
    -------
    RegularizationPath

    Examples
    --------
    >>> import numpy as np, linmod
    >>> X = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> path = linmod.ridge_path(X, [2.0, 4.0, 5.0, 8.0], alphas=[0.0, 5.0])
    >>> path.alphas.tolist(), path.coefs.round(3).tolist()
    ([5.0, 0.0], [[0.95, 1.9]])
    """
    n_alphas, grid = resolve_alphas(alphas)
    if is_sparse(X):  # the sparse Gram matrix or LSQR (solvers/sparse_paths.py)
        return RegularizationPath(**sparse_ridge_path(
            X, y, n_alphas=n_alphas, grid=grid, fit_intercept=bool(fit_intercept),
            standardize=bool(standardize), sample_weight=sample_weight,
        ))  # fmt: skip
    x, yv, names = as_arrays(X, y)
    x, yv, w, _ = kept_rows(x, yv, sample_weight)
    x, yv, magnitude = rescale(x, yv, bool(standardize), names)
    w, w_exp = ridge_weights(w)  # penalties of the rescaled weights: ldexp(alpha, -w_exp)
    svd, scaling = ridge_decomposition(x, yv, w, bool(fit_intercept), bool(standardize))
    if grid is None:
        assert n_alphas is not None
        grid = magnitude.automatic_grid(ridge_grid(svd.s, n_alphas), magnitude.l2_exp - w_exp)
    with np.errstate(over="ignore", under="ignore"):
        penalties = np.ldexp(magnitude.ridge_alphas(grid), -w_exp)
    coefs, intercepts = magnitude.coefficients(*scaling.to_original(svd.coefs(penalties)))
    k = grid.shape[0]
    return RegularizationPath(
        alphas=grid,
        coefs=coefs,
        intercepts=np.atleast_1d(intercepts),
        dual_gaps=np.zeros(k),
        n_iter=np.ones(k, dtype=np.int64),
        feature_names=names,
        penalty="ridge",
        l1_ratio=0.0,
    )
