"""Cross-validation curves and the one-standard-error rule.

A :class:`CVCurve` holds the held-out errors at each penalty: one mean squared error per
fold for k-fold cross-validation, one squared error per observation for leave-one-out.
Its mean is the CV estimate of the prediction error and its standard error is
``sd / √m`` over the ``m`` folds (observations).  Two penalties are picked:

* ``alpha_min``: the minimum of the mean (the largest penalty among exact ties);
* ``alpha_1se``: the largest penalty whose mean is within one standard error of that
  minimum (Breiman et al. 1984; glmnet's ``lambda.1se``), a simpler model whose error is
  statistically indistinguishable from the best.

With folds of equal size these are exactly glmnet's ``cvm``, ``cvsd``, ``lambda.min`` and
``lambda.1se``; scikit-learn reports only the minimum (its ``mse_path_`` is the same
per-fold error matrix).

The k-fold computations reuse work across folds: for the elastic net on the Gram layout
the folds' Gram matrices come from one pass over the data (see
:class:`~linmod.solvers.penalized_problem.FoldGrams`); for ridge each fold costs one
SVD for every penalty; leave-one-out ridge costs one SVD in all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._cached import cached_property
from linmod.progress import Progress
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.glmnet_options import GlmnetOptions, automatic_grid
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.penalized_problem import (
    EnetProblem,
    FoldGrams,
    Scaling,
    make_problem,
    partitions,
    use_gram,
)
from linmod.solvers.penalty_grid import ridge_grid
from linmod.solvers.ridge import RidgeSVD
from linmod.solvers.unconverged_folds import warn_unconverged_folds
from linmod.solvers.weighted_problem import (
    ridge_decomposition,
    unit_mean,
    weighted_problem,
    weighted_test_mse,
)

__all__ = [
    "CVCurve",
    "EnetCVResult",
    "enet_cv",
    "one_se_rule",
    "ridge_kfold",
    "ridge_loo",
    "ridge_loo_summary",
    "summarised_curve",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]
Folds = Sequence[tuple[Index, Index]]


def one_se_rule(alphas: Float, mean: Float, se: Float) -> tuple[int, int]:
    """Indices of the minimum-error penalty and of the one-standard-error penalty.

    Parameters
    ----------
    alphas : ndarray of shape (k,)
        Penalties (any order).
    mean, se : ndarray of shape (k,)
        Mean CV error and its standard error at each penalty.

    Returns
    -------
    i_min : int
        Index of the smallest mean (the largest penalty among ties).
    i_1se : int
        Index of the largest penalty with ``mean ≤ mean[i_min] + se[i_min]``.
    """
    finite = np.isfinite(mean)
    if not finite.any():
        order = int(np.argmax(alphas))
        return order, order
    best_value = np.min(mean[finite])
    ties = np.flatnonzero(finite & (mean == best_value))
    i_min = int(ties[np.argmax(alphas[ties])])
    bound = mean[i_min] + (se[i_min] if np.isfinite(se[i_min]) else 0.0)
    within = np.flatnonzero(finite & (mean <= bound))
    i_1se = int(within[np.argmax(alphas[within])])
    return i_min, i_1se


@dataclass(frozen=True)
class CVCurve:
    """Held-out errors along a grid of penalties.

    Attributes
    ----------
    alphas : ndarray of shape (k,)
        Penalties, largest first.
    errors : ndarray of shape (k, m)
        Mean squared error of each of ``m`` folds, or squared error of each of ``m``
        observations (leave-one-out).
    l1_ratio : float or None
        The elastic-net mixing, None for ridge.
    method : str
        ``"k-fold"``, ``"leave-one-out"`` or ``"gcv"``.

    The mean, standard error and choices are computed once, on first use (the arrays are
    not to be modified after construction).
    """

    alphas: Float
    errors: Float
    l1_ratio: float | None
    method: str

    @cached_property
    def mean(self) -> Float:
        """Mean CV error at each penalty."""
        return np.asarray(self.errors.mean(axis=1))

    @cached_property
    def se(self) -> Float:
        """Standard error of the mean CV error: ``sd / √m`` over folds or observations."""
        m = self.errors.shape[1]
        if m < 2:
            return np.zeros(self.alphas.shape[0])
        with np.errstate(invalid="ignore"):
            return np.asarray(self.errors.std(axis=1, ddof=1) / np.sqrt(m))

    @cached_property
    def indices(self) -> tuple[int, int]:
        """``(i_min, i_1se)``: see :func:`one_se_rule`."""
        return one_se_rule(self.alphas, self.mean, self.se)

    @property
    def alpha_min(self) -> float:
        """The penalty with the smallest mean CV error."""
        return float(self.alphas[self.indices[0]])

    @property
    def alpha_1se(self) -> float:
        """The largest penalty within one standard error of the minimum."""
        return float(self.alphas[self.indices[1]])

    def to_frame(self, **columns: Float) -> pd.DataFrame:
        """Tidy table: one row per penalty with ``mean_mse``, ``se_mse`` and the choices.

        Parameters
        ----------
        **columns : ndarray of shape (k,)
            Further columns, appended in order (one frame construction).
        """
        i_min, i_1se = self.indices
        frame = pd.DataFrame(
            {
                "alpha": self.alphas,
                "mean_mse": self.mean,
                "se_mse": self.se,
                "is_min": np.arange(self.alphas.size) == i_min,
                "is_1se": np.arange(self.alphas.size) == i_1se,
                **columns,
            }
        )
        if self.l1_ratio is not None:
            frame.insert(0, "l1_ratio", self.l1_ratio)
        return frame


@dataclass(frozen=True)
class EnetCVResult:
    """Curves of an elastic-net cross-validation and the full-data problem for the refit."""

    curves: list[CVCurve]
    full: EnetProblem
    n_unconverged: int


#: Held-out residuals are formed in blocks of about this many bytes (no n x k arrays).
_TEST_BLOCK_BYTES = 4 << 20


def _test_mse(x_test: Float, y_test: Float, coefs: Float, scaling: Scaling) -> Float:
    """Held-out mean squared error of each column of scaled coefficients.

    The squared residuals are summed block by block in row order, the running sum carried
    as the first row of each block: the order of ``numpy.sum(axis=0)`` over all the rows
    (equal to it up to the last bit of a BLAS product), without an ``n × k`` array.
    """
    beta, intercepts = scaling.to_original(coefs)
    n, k = y_test.shape[0], beta.shape[1]
    step = max(1, _TEST_BLOCK_BYTES // (8 * max(k, 1)))
    buffer = np.zeros((min(step, n) + 1, k))
    for start in range(0, n, step):
        block = x_test[start : start + step] @ beta
        block += intercepts
        rows = block.shape[0]
        np.subtract(y_test[start : start + step, None], block, out=buffer[1 : rows + 1])
        np.square(buffer[1 : rows + 1], out=buffer[1 : rows + 1])
        buffer[0] = buffer[: rows + 1].sum(axis=0)
    return np.asarray(buffer[0] / n)


def enet_cv(
    x: Float,
    y: Float,
    folds: Folds,
    l1_ratios: Float,
    grids: list[Float] | None,
    *,
    n_alphas: int = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    progress: bool | None = False,
    magnitude: Magnitude | None = None,
    sample_weight: Float | None = None,
    options: GlmnetOptions | None = None,
    gram: bool | None = None,
) -> EnetCVResult:
    """K-fold cross-validation of elastic-net paths for each ``l1_ratio``.

    Parameters
    ----------
    x, y : ndarray
        Data (validated, finite).
    folds : sequence of (train, test) index arrays
    l1_ratios : ndarray
        Mixing values to compare.
    grids : list of ndarray or None
        Penalties per ``l1_ratio`` (largest first); ``None`` asks for scikit-learn's grid
        of ``n_alphas`` values computed on the full data.
    n_alphas, eps : int, float
        The automatic grid.
    fit_intercept, standardize, positive, tol, max_iter
        As for :func:`linmod.enet_path`.
    progress : bool or None
        Show a progress bar over the folds (None: only on a terminal).
    magnitude : Magnitude, optional
        How ``x`` and ``y`` were rescaled (:func:`~linmod.solvers.penalized_magnitude.rescale`):
        ``grids`` and the returned curves are in the units of the data given.
    sample_weight : ndarray of shape (n,), optional
        Positive weights: every fit is weighted
        (:func:`~linmod.solvers.weighted_problem.weighted_problem`) and each fold's error
        is the weighted mean of its held-out rows' squared errors.
    options : GlmnetOptions, optional
        Penalty factors and bounds (:mod:`linmod.solvers.glmnet_options`) of every fit.
    gram : bool or None, default=None
        The training folds' layout: the Gram matrix (True), the design (False), or what
        suits their shape (None).

    Returns
    -------
    EnetCVResult
    """
    magnitude = Magnitude() if magnitude is None else magnitude
    n, p = x.shape
    tests = [np.asarray(test) for _, test in folds]
    n_train_min = min(n - len(t) for t in tests) if tests else n
    gram = use_gram(n_train_min, p) if gram is None else gram
    folds_gram: FoldGrams | None = None
    w = sample_weight
    if w is not None:
        full = weighted_problem(x, y, w, fit_intercept, standardize)
    elif gram and partitions(tests, n):
        folds_gram = FoldGrams(x, y, tests, fit_intercept, standardize)
        full = folds_gram.full
    else:
        full = make_problem(x, y, fit_intercept, standardize)
    if grids is None:
        grids = [
            magnitude.automatic_grid(
                automatic_grid(full, options, float(r), n_alphas, eps, positive),
                magnitude.l1_exp,
            )
            for r in l1_ratios
        ]
    errors = [np.empty((g.shape[0], len(tests))) for g in grids]
    stopped = np.zeros(2, dtype=np.int64)  # ran out of max_iter, large-gap fixed points
    bar = Progress("CV folds", enabled=progress, total=len(tests))
    for k, (train, test) in enumerate(folds):
        if folds_gram is not None:
            problem = folds_gram.train(k)
        elif w is not None:
            problem = weighted_problem(
                x[train], y[train], w[train], fit_intercept, standardize, gram
            )
        else:
            problem = make_problem(x[train], y[train], fit_intercept, standardize, gram=gram)
        x_test, y_test = x[test], y[test]
        for grid, l1_ratio, err in zip(grids, l1_ratios, errors, strict=True):
            sol = solve_path(
                problem, grid, float(l1_ratio), positive=positive, tol=tol,
                max_iter=max_iter, warn=False, l1_exp=magnitude.l1_exp,
                l2_exp=magnitude.l2_exp, options=options,
            )  # fmt: skip
            stopped += sol.stopped_early()
            if w is None:  # in row blocks: no n x k temporaries
                err[:, k] = _test_mse(x_test, y_test, sol.coefs, problem.scaling)
            else:
                err[:, k] = weighted_test_mse(x_test, y_test, w[test], sol.coefs, problem.scaling)
        bar.update(1)
    bar.close()
    warn_unconverged_folds(int(stopped[0]), tol, max_iter, fixed=int(stopped[1]))
    curves = [
        CVCurve(
            alphas=g,
            errors=magnitude.squared(e, "cross-validation errors"),
            l1_ratio=float(r),
            method="k-fold",
        )
        for g, e, r in zip(grids, errors, l1_ratios, strict=True)
    ]
    return EnetCVResult(curves=curves, full=full, n_unconverged=int(stopped.sum()))


def ridge_loo(
    x: Float,
    y: Float,
    alphas: Float | None,
    *,
    n_alphas: int = 100,
    fit_intercept: bool = True,
    standardize: bool = False,
    gcv: bool = False,
    sample_weight: Float | None = None,
) -> tuple[CVCurve, Float, RidgeSVD, Scaling]:
    """Leave-one-out (or generalised) cross-validation of ridge from one SVD.

    With positive ``sample_weight`` the fits are weighted and the error of observation
    ``i`` is ``w_i·(y_i − ŷ_(−i))²`` with the weights rescaled to mean 1, so the curve's
    mean is the weighted mean squared leave-one-out error.

    Returns
    -------
    curve : CVCurve
        Squared leave-one-out errors per observation.
    residuals : ndarray of shape (n, k)
        Leave-one-out residuals ``y_i − ŷ_(−i)``.
    svd : RidgeSVD
        The decomposition (for the refit).
    scaling : Scaling
    """
    svd, scaling = ridge_decomposition(x, y, sample_weight, fit_intercept, standardize)
    grid = ridge_grid(svd.s, n_alphas) if alphas is None else alphas
    residuals = svd.loo_residuals(grid, gcv=gcv)
    if sample_weight is not None:  # sqrt(w_i)·(y_i − ŷ_(−i)) -> y_i − ŷ_(−i)
        residuals /= np.sqrt(sample_weight)[:, None]
    errors = np.empty(residuals.shape[::-1])  # (k, n), squared in place: no n x k temporary
    np.square(residuals.T, out=errors)
    if sample_weight is not None:
        errors *= unit_mean(sample_weight)[None, :]
    curve = CVCurve(
        alphas=grid,
        errors=errors,
        l1_ratio=None,
        method="gcv" if gcv else "leave-one-out",
    )
    return curve, residuals, svd, scaling


def ridge_loo_summary(
    x: Float,
    y: Float,
    alphas: Float | None,
    *,
    n_alphas: int = 100,
    fit_intercept: bool = True,
    standardize: bool = False,
    gcv: bool = False,
) -> tuple[CVCurve, RidgeSVD, Scaling]:
    """:func:`ridge_loo` without the per-observation errors (for large ``n``).

    The curve's mean and standard error come from
    :meth:`~linmod.solvers.ridge.RidgeSVD.loo_error_moments`, block by block, so no
    ``n × k`` array is held; its ``errors`` are empty (shape ``(k, 0)``).
    """
    svd, scaling = ridge_decomposition(x, y, None, fit_intercept, standardize)
    grid = ridge_grid(svd.s, n_alphas) if alphas is None else alphas
    mean, variance = svd.loo_error_moments(grid, gcv=gcv)
    m = y.shape[0]
    with np.errstate(invalid="ignore"):  # sd / √m over the observations, as CVCurve.se
        se = np.sqrt(variance) / np.sqrt(m) if m >= 2 else np.zeros(grid.shape[0])
    curve = summarised_curve(grid, mean, se, "gcv" if gcv else "leave-one-out")
    return curve, svd, scaling


def summarised_curve(alphas: Float, mean: Float, se: Float, method: str) -> CVCurve:
    """A ridge :class:`CVCurve` known only by its mean error and standard error.

    ``errors`` is empty (shape ``(k, 0)``); ``mean`` and ``se`` are set in place of their
    computation from the errors.
    """
    curve = CVCurve(
        alphas=alphas, errors=np.empty((alphas.shape[0], 0)), l1_ratio=None, method=method
    )
    curve.__dict__.update(mean=np.asarray(mean), se=np.asarray(se))  # the cached properties
    return curve


def ridge_kfold(
    x: Float,
    y: Float,
    folds: Folds,
    alphas: Float,
    *,
    fit_intercept: bool = True,
    standardize: bool = False,
    sample_weight: Float | None = None,
) -> CVCurve:
    """K-fold cross-validation of ridge: one SVD per fold serves every penalty.

    With ``sample_weight`` each fold is fitted with its training rows' weights and its
    error is the weighted mean of its held-out rows' squared errors.
    """
    errors = np.empty((alphas.shape[0], len(folds)))
    w = sample_weight
    for k, (train, test) in enumerate(folds):
        w_train = None if w is None else w[train]
        svd, scaling = ridge_decomposition(x[train], y[train], w_train, fit_intercept, standardize)
        if w is None:
            errors[:, k] = _test_mse(x[test], y[test], svd.coefs(alphas), scaling)
        else:
            errors[:, k] = weighted_test_mse(x[test], y[test], w[test], svd.coefs(alphas), scaling)
    return CVCurve(alphas=alphas, errors=errors, l1_ratio=None, method="k-fold")
