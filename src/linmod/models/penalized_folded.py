"""Ridge, the Lasso and the elastic net on streamed and Dask data, in one pass.

The model declares one statistic: the rows folded into ``k`` R factors, one per
cross-validation fold (``k = 1`` for a fixed penalty), from any block source
(:func:`linmod.outofcore.statistics.fold_factors_in_folds`).  Everything else is a
function of those factors (:mod:`linmod.solvers.penalized_factor`): the centred
cross-products, coordinate descent or ridge on them, and held-out errors read exactly
from each fold's factor.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from linmod._stack import user_stacklevel
from linmod.data.chunk_weights import StreamWeights
from linmod.data.design import Design
from linmod.data.frames import is_dask_collection
from linmod.data.validation import check_alpha, check_l1_ratio, check_max_iter, check_tol
from linmod.exceptions import ConvergenceWarning, InputError
from linmod.outofcore.sources import BlockSource, open_stream
from linmod.outofcore.statistics import fold_weighted_factors_in_folds
from linmod.solvers.convergence import FIXED_POINT_ADVICE, FIXED_POINT_RTOL
from linmod.solvers.penalized_factor import (
    CentredProducts,
    FactorCV,
    cross_validate_factors,
    heldout_sse,
    merge_factors,
    solve_penalized,
)

__all__ = ["OutOfCoreFit", "fit_out_of_core"]


@dataclass(frozen=True)
class OutOfCoreFit:
    """What :func:`fit_out_of_core` found; :func:`linmod.lasso` and friends wrap it.

    Attributes
    ----------
    coef : pandas.Series
        Coefficients by term, the intercept first when there is one.
    alpha : float
        The penalty used.
    design : Design
        Data-free: names the terms and rebuilds rows for prediction.
    cv : FactorCV or None
        The cross-validation, when the penalty was chosen by it.
    n_obs : int
    ssr, tss : float
        Residual and total (centred with an intercept) sums of squares, from the factor.
    y_ss : float
        ``y'y``, the scale against which a constant response's residual is judged.
    weights : StreamWeights or None
        The weights column and its meaning, for a weighted fit (``ssr`` and ``tss`` are
        then weighted, ``tss`` about the weighted mean).
    weight_total : float or None
        ``sum(w)`` over the rows in the fit.
    n_zero : int
        Rows left out of the fit for a zero weight.
    """

    coef: pd.Series
    alpha: float
    design: Design
    cv: FactorCV | None
    n_obs: int
    ssr: float
    tss: float
    y_ss: float
    weights: StreamWeights | None = None
    weight_total: float | None = None
    n_zero: int = 0


def _check_folds(cv: Any) -> int:
    if cv is None:
        return 5  # scikit-learn's default
    if isinstance(cv, bool | np.bool_) or not isinstance(cv, Integral) or cv < 2:
        raise InputError(
            f"cv={cv!r} is not valid for streamed or Dask data: give a number of folds, an "
            "integer >= 2 (each row's fold is a seeded hash of its position)"
        )
    return int(cv)


def fit_out_of_core(
    penalty: str,
    formula: str,
    data: Any,
    *,
    alpha: float | str,
    l1_ratio: float = 1.0,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    cv: Any = 5,
    seed: int = 0,
    missing: str = "raise",
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
    weights: StreamWeights | None = None,
) -> OutOfCoreFit:
    """Fit ridge, the Lasso or the elastic net to streamed or Dask data in one pass.

    Parameters
    ----------
    penalty : {"ridge", "lasso", "elastic_net"}
    formula : str
    data : path, list of paths, iterator or list of DataFrames, or Dask DataFrame
    alpha : float or {"cv", "1se"}
        A fixed penalty, or the minimum-CV-error or one-standard-error choice from
        ``cv``-fold cross-validation.
    l1_ratio, standardize, positive, tol, max_iter
        As for :class:`linmod.ElasticNet` (``positive``, ``tol``, ``max_iter`` unused
        by ridge).
    cv : int
        Number of folds.
    seed : int
        Seed of the fold assignment.
    missing, chunksize, levels
        As for :func:`linmod.models.ols_folded.fit_streaming`.
    weights : StreamWeights, optional
        A weights column of the data, read with every chunk: the objectives, means,
        standardisation and held-out errors are weighted as in memory (each fold's error
        is its weighted mean squared error).

    Returns
    -------
    OutOfCoreFit
    """
    k = 1  # a fixed penalty: one factor of every row
    if isinstance(alpha, str):
        if alpha not in ("cv", "1se"):
            raise InputError(
                f"alpha={alpha!r} is not valid: give a number in [0, inf), 'cv' (minimum CV "
                "error) or '1se' (one-standard-error rule)"
            )
        k = _check_folds(cv)
    else:
        alpha = check_alpha(alpha)
    if penalty != "ridge":
        l1_ratio = check_l1_ratio(l1_ratio)
        tol, max_iter = check_tol(tol), check_max_iter(max_iter)
    source: BlockSource
    if is_dask_collection(data):
        from linmod.outofcore.dask_sources import open_dask_frame

        source = open_dask_frame(formula, data, missing=missing, levels=levels, weights=weights)
    else:
        source = open_stream(
            formula, data, chunksize=chunksize, missing=missing, levels=levels, weights=weights
        )
    folds, totals, shift, dropped, zero = fold_weighted_factors_in_folds(source, k, seed)
    weight_totals = None if weights is None else [float(t) for t in totals]
    design = source.design(dropped)
    intercept = design.intercept
    search: FactorCV | None = None
    if isinstance(alpha, str):
        search = cross_validate_factors(
            folds, penalty, intercept, l1_ratio=l1_ratio, standardize=standardize,
            positive=positive, tol=tol, max_iter=max_iter, seed=seed, shift=shift,
            weight_totals=weight_totals,
        )  # fmt: skip
        alpha = search.alpha_ if alpha == "cv" else search.alpha_1se_
    factor = merge_factors(folds)
    if weights is not None and factor.n == 0:
        raise InputError(
            f"weights column {weights.column!r} is zero (or missing) in every row left to "
            "fit: there is no row to fit"
        )
    if factor.n <= int(intercept):
        raise InputError(f"{factor.n} complete rows: too few to fit {formula!r}")
    total = None if weights is None else float(np.sum(totals))
    products = CentredProducts.of(factor, intercept, shift, total)
    solution = solve_penalized(
        products, penalty, np.array([alpha]),
        l1_ratio=l1_ratio, standardize=standardize, positive=positive, tol=tol,
        max_iter=max_iter,
    )  # fmt: skip
    if solution.n_unconverged:
        warnings.warn(
            f"coordinate descent did not reach tol={tol:g} within max_iter={max_iter} epochs "
            f"at alpha={alpha:g}; increase max_iter or loosen tol",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    if solution.n_fixed_point:
        warnings.warn(
            f"coordinate descent reached a floating-point fixed point (a sweep changed no "
            f"coefficient) at alpha={alpha:g} with the duality gap above tol={tol:g} and "
            f"above {FIXED_POINT_RTOL:g}·‖y‖²: {FIXED_POINT_ADVICE}",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    slopes = solution.coefs[:, 0]
    values = np.concatenate([[solution.intercepts[0]], slopes]) if intercept else slopes
    coef = pd.Series(values, index=pd.Index(design.column_names, name="term"), name="coef")
    return OutOfCoreFit(
        coef=coef,
        alpha=float(alpha),
        design=design,
        cv=search,
        n_obs=factor.n,
        ssr=float(heldout_sse(factor, solution, intercept, shift)[0]),
        tss=(factor.y_centred_ss if weights is None else products.y_norm2)
        if intercept
        else factor.y_ss,
        y_ss=factor.y_ss,
        weights=weights,
        weight_total=total,
        n_zero=zero,
    )
