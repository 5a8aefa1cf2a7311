"""Ridge, the Lasso and the elastic net from R factors (for streamed and Dask data).

The merged R factor of ``[1, X | y]`` (intercept first) holds every cross-product a
penalised fit needs: Householder QR orthogonalises the other columns against the column
of ones, so the trailing block ``B`` of the factor satisfies ``B'B = [Xc | yc]'[Xc | yc]``
for the centred data, and the first row holds the column means.  From ``B`` come the
centred Gram matrix, ``Xc'yc`` and ``‖yc‖²`` without the cancellation of
``X'X − n·x̄x̄'`` (:class:`CentredProducts`); coordinate descent on that Gram layout
(:func:`linmod.solvers.elastic_net.solve_path`) gives the Lasso and the elastic
net, and an SVD of the small triangular block gives ridge at any number of penalties.
A fixed penalty therefore costs one pass over the data.  With an intercept, the columns
are shifted by their means over the first rows before folding, so that the factor holds
the centred products to the accuracy of the data's spread rather than of its offset (a
column of values near 1e8 with unit spread keeps its digits).

Cross-validation (``alpha="cv"`` or ``"1se"``) costs one pass too: the rows are folded
into ``k`` factors, one per fold.  A row's fold is a seeded hash of its position in the
source (:func:`linmod.data.row_folds.fold_of_rows`), so the folds do not depend on the
chunk size.  The training problem of fold ``j`` is the merge of the other ``k − 1``
factors, and the held-out squared error of coefficients ``b`` is ``‖R_j [−b; 1]‖²``
(:func:`heldout_sse`), exactly as summing over the held-out rows would give.

Observation weights enter through the rows: a factor of ``sqrt(w_i)·[1, x_i | y_i]``
holds the *weighted* centred products (Householder orthogonalises against ``sqrt(w)``,
and the first row then holds the weighted means).  Given the weights' total ``W``
(``weight_total=``), the elastic net is solved with the products scaled by ``n/W``
(weights rescaled to mean 1, scikit-learn's and glmnet's ``(1/2W) Σ w_i r_i²``), ridge on
the products as they are (``Σ w_i r_i² + α‖β‖²``), columns are standardised by their
weighted standard deviations, and a fold's held-out error is its weighted sum of squares
over its weight total.  See :mod:`linmod.solvers.weighted_problem` for the in-memory fits
these equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.exceptions import InputError
from linmod.linalg.tsqr import RFactor
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.penalized_problem import (
    EnetProblem,
    problem_from_products,
    standardizing_scales,
)
from linmod.solvers.penalty_cv import CVCurve
from linmod.solvers.penalty_grid import enet_grid, ridge_grid
from linmod.solvers.unconverged_folds import warn_unconverged_folds

__all__ = [
    "CentredProducts",
    "FactorCV",
    "PenalizedSolution",
    "cross_validate_factors",
    "heldout_sse",
    "merge_factors",
    "solve_penalized",
]

Float = NDArray[np.float64]

#: A centred column whose norm is at most this times ``sqrt(n)`` times its uncentred norm
#: is constant up to the rounding of the factor, and is taken as exactly constant.
_CONSTANT_TOL = 64 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class CentredProducts:
    """The centred (with an intercept) or raw cross-products held by an R factor.

    Attributes
    ----------
    n : int
        Rows.
    r : ndarray of shape (m, p)
        Triangular factor of the centred design: ``r'r = Xc'Xc``.
    z : ndarray of shape (m,)
        ``r'z = Xc'yc``.
    y_norm2 : float
        ``‖yc‖²``.
    x_offset : ndarray of shape (p,)
        Column means (zeros without an intercept).
    y_offset : float
        Mean of the response (0 without an intercept).
    weight_total : float or None
        With weights (the factor is of ``sqrt(w)``-scaled rows): their total ``W``.
    """

    n: int
    r: Float
    z: Float
    y_norm2: float
    x_offset: Float
    y_offset: float
    weight_total: float | None = None

    @classmethod
    def of(
        cls,
        factor: RFactor,
        intercept: bool,
        shift: Float | None = None,
        weight_total: float | None = None,
    ) -> CentredProducts:
        """Read the products of ``[1, X | y]`` (``intercept``) or ``[X | y]`` from a factor.

        ``shift`` is what was subtracted from each column of ``[X | y]`` before folding
        (see :func:`linmod.outofcore.statistics.fold_factors_in_folds`); it is added back to
        the means.  ``weight_total``: the factor is of ``sqrt(w)``-scaled rows
        (``sqrt(w)`` in place of the column of ones) with weights summing to it.
        """
        full = factor.r
        if not intercept:
            p = full.shape[0] - 1
            return cls(
                factor.n, full[:-1, :-1], full[:-1, -1], factor.y_ss, np.zeros(p), 0.0,
                weight_total,
            )  # fmt: skip
        trailing = full[1:, 1:]
        root_n = full[0, 0] if full[0, 0] != 0.0 else 1.0
        centred = trailing[:, :-1].copy()
        # A constant column's centred part is rounding noise of its uncentred norm: make
        # it exactly zero, as the in-memory centring does, or standardising would blow
        # the noise up to a unit column.
        uncentred = np.sqrt(np.einsum("ij,ij->j", full[:, 1:-1], full[:, 1:-1]))
        spread = np.sqrt(np.einsum("ij,ij->j", centred, centred))
        constant = spread <= _CONSTANT_TOL * np.sqrt(max(factor.n, 1)) * uncentred
        centred[:, constant] = 0.0
        moved = np.zeros(full.shape[0]) if shift is None else shift
        # The weighted mean of y is the first row's, as the columns' (sqrt(w) is column 0).
        y_mean = factor.y_mean if weight_total is None else full[0, -1] / root_n
        return cls(
            n=factor.n,
            r=centred,
            z=trailing[:, -1],
            y_norm2=float(trailing[:, -1] @ trailing[:, -1]),
            x_offset=full[0, 1:-1] / root_n + moved[1:-1],
            y_offset=float(y_mean) + float(moved[-1]),
            weight_total=weight_total,
        )

    def problem(self, standardize: bool) -> EnetProblem:
        """The Gram layout of the coordinate-descent solver (weights rescaled to mean 1)."""
        unit = 1.0 if self.weight_total is None else self.n / self.weight_total
        gram = (self.r.T @ self.r) * unit
        return problem_from_products(
            self.n, gram, (self.r.T @ self.z) * unit, self.y_norm2 * unit, self.x_offset,
            self.y_offset, standardize,
        )  # fmt: skip

    def column_scales(self, standardize: bool) -> Float:
        """Standardising scales ``sqrt(‖xc_j‖² / n)`` (``/ W`` with weights; ones when not
        standardising)."""
        unit = 1.0 if self.weight_total is None else self.n / self.weight_total
        sum_sq = np.einsum("ij,ij->j", self.r, self.r) * unit
        return standardizing_scales(sum_sq, self.n, standardize)


@dataclass(frozen=True)
class PenalizedSolution:
    """Original-scale coefficients at each penalty.

    Attributes
    ----------
    coefs : ndarray of shape (p, k)
    intercepts : ndarray of shape (k,)
    n_unconverged : int
        Penalties at which coordinate descent ran out of ``max_iter`` epochs.
    n_fixed_point : int
        Penalties at which it stopped at a floating-point fixed point with a large gap
        (:mod:`linmod.solvers.convergence`).
    """

    coefs: Float
    intercepts: Float
    n_unconverged: int
    n_fixed_point: int = 0


def solve_penalized(
    products: CentredProducts,
    penalty: str,
    alphas: Float,
    *,
    l1_ratio: float = 1.0,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
) -> PenalizedSolution:
    """Ridge (``‖y − b − Xβ‖² + α‖β‖²``) or elastic net (scikit-learn's objective).

    Parameters
    ----------
    products : CentredProducts
    penalty : {"ridge", "lasso", "elastic_net"}
    alphas : ndarray of shape (k,)
        Penalties, largest first for warm starts.
    l1_ratio, standardize, positive, tol, max_iter
        As for :class:`linmod.ElasticNet`.
    """
    if penalty == "ridge":
        scale = products.column_scales(standardize)
        u, s, vt = np.linalg.svd(products.r / scale, full_matrices=False)
        projected = u.T @ products.z
        # Directions at rounding level carry no information: dropped, which gives the
        # minimum-norm solution at alpha = 0 (as a pseudo-inverse does) and changes
        # nothing measurable when alpha > 0.
        kept = s > max(products.r.shape) * np.finfo(float).eps * (s[0] if s.size else 0.0)
        safe = np.where(kept, s, 1.0)
        shrink = np.where(kept, safe, 0.0)[:, None] / (safe[:, None] ** 2 + alphas[None, :])
        coefs = (vt.T @ (shrink * projected[:, None])) / scale[:, None]
        unconverged = fixed = 0
    else:
        problem = products.problem(standardize)
        solution = solve_path(
            problem, alphas, l1_ratio, positive=positive, tol=tol, max_iter=max_iter, warn=False
        )
        coefs = solution.coefs / problem.scaling.x_scale[:, None]
        unconverged, fixed = solution.stopped_early()
    intercepts = products.y_offset - products.x_offset @ coefs
    return PenalizedSolution(coefs, np.asarray(intercepts, dtype=float), unconverged, fixed)


def heldout_sse(
    factor: RFactor, solution: PenalizedSolution, intercept: bool, shift: Float | None = None
) -> Float:
    """``‖y − b0 − X b‖²`` over the rows of ``factor``, for each penalty's coefficients.

    ``shift`` is what was subtracted from ``[X | y]`` before folding: the intercept of the
    shifted rows is ``b0 − shift_y + shift_x·b``.
    """
    k = solution.coefs.shape[1]
    intercepts = solution.intercepts
    if shift is not None:
        intercepts = intercepts - shift[-1] + shift[1:-1] @ solution.coefs
    parts = [-intercepts[None, :]] if intercept else []
    v = np.vstack([*parts, -solution.coefs, np.ones((1, k))])
    fitted = factor.r @ v
    return np.asarray(np.einsum("ij,ij->j", fitted, fitted))


@dataclass(frozen=True)
class FactorCV:
    """Cross-validation of an out-of-core penalised fit (the attributes of a CV estimator).

    Attributes
    ----------
    curve : CVCurve
        Held-out mean squared error of each fold at each penalty.
    fold_sizes : tuple of int
        Rows in each fold.
    seed : int
        The seed of the fold assignment.
    """

    curve: CVCurve
    fold_sizes: tuple[int, ...]
    seed: int

    @property
    def alpha_(self) -> float:
        """Penalty with the smallest mean CV error."""
        return self.curve.alpha_min

    @property
    def alpha_1se_(self) -> float:
        """Largest penalty within one standard error of that minimum."""
        return self.curve.alpha_1se

    @property
    def alphas_(self) -> Float:
        """Penalties compared, largest first."""
        return self.curve.alphas

    @property
    def mse_path_(self) -> Float:
        """Held-out mean squared error, one row per penalty and one column per fold."""
        return self.curve.errors

    @property
    def cv_curve_(self) -> pd.DataFrame:
        """``alpha, mean_mse, se_mse, is_min, is_1se`` per penalty."""
        return self.curve.to_frame()


def merge_factors(factors: Sequence[RFactor]) -> RFactor:
    """The R factor of the rows of all ``factors`` (a pairwise TSQR merge)."""
    return reduce(RFactor.merge, factors)


def cross_validate_factors(
    folds: Sequence[RFactor],
    penalty: str,
    intercept: bool,
    *,
    alphas: Float | None = None,
    n_alphas: int = 100,
    eps: float = 1e-3,
    l1_ratio: float = 1.0,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    seed: int = 0,
    shift: Float | None = None,
    weight_totals: Sequence[float] | None = None,
) -> FactorCV:
    """K-fold cross-validation from one R factor per fold.

    Parameters
    ----------
    folds : sequence of RFactor
        The factor of each fold's rows (at least two folds with rows).
    penalty : {"ridge", "lasso", "elastic_net"}
    intercept : bool
        Whether column 0 of the factors is the intercept.
    alphas : ndarray, optional
        Penalties to compare; by default scikit-learn's elastic-net grid of ``n_alphas``
        values down to ``eps·α_max`` on the full data, or for ridge penalties spanning
        the effective degrees of freedom (:func:`linmod.solvers.penalty_grid.ridge_grid`).
    n_alphas, eps, l1_ratio, standardize, positive, tol, max_iter
        As for :class:`linmod.ElasticNetCV`.
    seed : int
        Recorded with the result.
    shift : ndarray, optional
        What was subtracted from each column of ``[X | y]`` before folding.
    weight_totals : sequence of float, optional
        With weights (factors of ``sqrt(w)``-scaled rows): each fold's weight total; a
        fold's error is then its weighted sum of squares over its total.
    """
    sizes = tuple(int(f.n) for f in folds)
    if min(sizes) == 0:
        raise InputError(
            f"cv={len(sizes)} folds, but the folds hold {sizes} rows: every fold needs rows; "
            "use fewer folds"
        )
    totals = None if weight_totals is None else [float(t) for t in weight_totals]
    full = CentredProducts.of(
        merge_factors(folds), intercept, shift, None if totals is None else sum(totals)
    )
    if alphas is None:
        if penalty == "ridge":
            scale = full.column_scales(standardize)
            singular = np.linalg.svd(full.r / scale, compute_uv=False).astype(np.float64)
            alphas = ridge_grid(singular, n_alphas)
        else:
            xty = full.problem(standardize).xty
            alphas = enet_grid(xty, full.n, l1_ratio, n_alphas, eps, positive)
    errors = np.empty((alphas.shape[0], len(folds)))
    unconverged = fixed = 0
    for j, held_out in enumerate(folds):
        train = merge_factors([f for i, f in enumerate(folds) if i != j])
        train_total = None if totals is None else sum(totals) - totals[j]
        solution = solve_penalized(
            CentredProducts.of(train, intercept, shift, train_total), penalty, alphas,
            l1_ratio=l1_ratio, standardize=standardize, positive=positive, tol=tol,
            max_iter=max_iter,
        )  # fmt: skip
        unconverged += solution.n_unconverged
        fixed += solution.n_fixed_point
        size = held_out.n if totals is None else totals[j]
        errors[:, j] = heldout_sse(held_out, solution, intercept, shift) / size
    warn_unconverged_folds(unconverged, tol, max_iter, fixed=fixed)
    curve = CVCurve(
        alphas=alphas,
        errors=errors,
        l1_ratio=None if penalty == "ridge" else l1_ratio,
        method="k-fold",
    )
    return FactorCV(curve=curve, fold_sizes=sizes, seed=seed)
