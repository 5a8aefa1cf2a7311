"""The mergeable statistics an out-of-core model can ask of any :class:`BlockSource`.

Each function here is one pass over the data, written once against
:meth:`BlockSource.map_reduce`, so it works on files, iterators and Dask alike:

- :func:`fold_factor`: the R factor of ``[X | y]`` (TSQR), for OLS and fixed penalties;
- :func:`fold_factors_in_folds`: one factor per cross-validation fold, a row's fold a
  seeded hash of its position;
- :func:`residual_products_reader`: double-double ``X'r`` and ``r'r`` for refinement;
- :func:`residual_sums`: the second pass (robust meats, Durbin-Watson, Breusch-Pagan,
  moments, Cook's distances, a residual sample).

A model fitted out of core is a function of these statistics (see
:mod:`linmod.models.ols_folded` and :mod:`linmod.models.penalized_folded`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.blocks import block_shift
from linmod.data.row_folds import fold_of_rows
from linmod.exceptions import InputError
from linmod.linalg.seminormal import ResidualProducts
from linmod.linalg.tsqr import RFactor
from linmod.outofcore.residual_sums import ResidualSums
from linmod.outofcore.sources import BlockSource, BlockView
from linmod.outofcore.weighted_statistics import scaled_products, weighted_block_sums

__all__ = [
    "ResidualReader",
    "ResidualState",
    "block_sums",
    "fold_factor",
    "fold_factors_in_folds",
    "fold_weighted_factors_in_folds",
    "residual_products_reader",
    "residual_sums",
]

Float = NDArray[np.float64]
ResidualReader = Callable[[NDArray[np.bool_], Float, Float], ResidualProducts]


# --------------------------------------------------------------------------- R factors
def _factor_of(view: BlockView) -> tuple[RFactor, int]:
    return RFactor.from_augmented(view.block), view.dropped


def _merge_factors(left: tuple[RFactor, int], right: tuple[RFactor, int], _: int) -> Any:
    return left[0].merge(right[0]), left[1] + right[1]


def fold_factor(source: BlockSource) -> tuple[RFactor, int]:
    """The R factor of every complete row's ``[X | y]`` and the number of rows dropped."""
    folded = source.factor_fast_path()
    if folded is None:
        folded = source.map_reduce(_factor_of, _merge_factors, what="rows folded")
    if folded is None:
        raise InputError("the data has no rows")
    factor, dropped = folded
    return factor, int(dropped)


_Folds = tuple[list[RFactor], int, Float, int]  # factors, rows dropped, weight totals, zeros


def _fold_rows(view: BlockView, k: int, seed: int, shift: Float) -> _Folds:
    block = view.block - shift
    fold = fold_of_rows(view.positions, k, seed, stream=view.fold_stream)
    w = np.ones(block.shape[0]) if view.weights is None else view.weights
    if view.weights is not None:  # weighted: the shifted rows scaled by sqrt(w)
        block *= np.sqrt(w)[:, None]
    factors = [RFactor.from_augmented(block[fold == j]) for j in range(k)]
    totals = np.bincount(fold, weights=w, minlength=k).astype(np.float64)
    return factors, view.dropped, totals, view.zero


def _merge_fold_factors(left: _Folds, right: _Folds, _: int) -> Any:
    factors = [a.merge(b) for a, b in zip(left[0], right[0], strict=True)]
    return factors, left[1] + right[1], left[2] + right[2], left[3] + right[3]


def fold_factors_in_folds(
    source: BlockSource, k: int, seed: int
) -> tuple[list[RFactor], Float, int]:
    """Fold the rows into ``k`` R factors, one per fold, after shifting the columns.

    See :func:`fold_weighted_factors_in_folds`, of which this is the unweighted part.

    Returns
    -------
    (list of RFactor, ndarray, int)
        One factor per fold (possibly of no rows), the shift subtracted from each column
        of ``[X | y]`` (zeros without an intercept) and the number of rows dropped.
    """
    factors, _, shift, dropped, _ = fold_weighted_factors_in_folds(source, k, seed)
    return factors, shift, dropped


def fold_weighted_factors_in_folds(
    source: BlockSource, k: int, seed: int
) -> tuple[list[RFactor], Float, Float, int, int]:
    """Fold the rows into ``k`` R factors, one per fold, after shifting the columns.

    A row's fold is a seeded hash of its position (:func:`fold_of_rows`): its position in
    the whole source for files and iterators (so the folds do not depend on the chunk
    size), its partition and position there on Dask.  With an intercept, every column
    but the intercept is shifted by its mean over the first rows (the first non-empty
    block of a sequential source, the first rows of a parallel one), so the factors hold
    the centred cross-products to the accuracy of the data's spread, not of its offset.
    With weights (a weighted source), the shifted rows are scaled by ``sqrt(w)``.

    Returns
    -------
    (list of RFactor, ndarray, ndarray, int, int)
        One factor per fold (possibly of no rows), each fold's weight total (its rows,
        unweighted), the shift subtracted from each column of ``[X | y]`` (zeros without
        an intercept), the number of rows dropped as incomplete and for a zero weight.
    """
    shift: Float | None = None
    if source.parallel:
        head = source.head_block()
        if head is not None and head.shape[0]:
            shift = block_shift(head, source.intercept)
        fixed = shift

        def per_block(view: BlockView) -> _Folds:
            width = view.block.shape[1]
            return _fold_rows(view, k, seed, np.zeros(width) if fixed is None else fixed)

    else:

        def per_block(view: BlockView) -> _Folds:
            nonlocal shift  # a sequential source: the first non-empty block sets it
            if shift is None and view.block.shape[0]:
                shift = block_shift(view.block, source.intercept)
            width = view.block.shape[1]
            return _fold_rows(view, k, seed, np.zeros(width) if shift is None else shift)

    folded = source.map_reduce(per_block, _merge_fold_factors, what="rows folded")
    if folded is None:
        raise InputError("the data has no rows")
    factors, dropped, totals, zero = folded
    if shift is None:  # every row dropped
        shift = np.zeros(factors[0].p + 1)
    return factors, totals, shift, int(dropped), int(zero)


# --------------------------------------------------------------------------- refinement
def residual_products_reader(source: BlockSource) -> ResidualReader:
    """A function that reads the source once more and sums ``X'r`` and ``r'r`` in
    double-double for given coefficients (:func:`linmod.solvers.factor.refine_factor_solution`)."""

    def read(kept: NDArray[np.bool_], coef_hi: Float, coef_lo: Float) -> ResidualProducts:
        def per_block(view: BlockView) -> ResidualProducts:
            if view.weights is not None:  # rows scaled by sqrt(w) in double-double
                return scaled_products(view, kept, coef_hi, coef_lo)
            x = np.ascontiguousarray(view.block[:, :-1][:, kept])
            return ResidualProducts.of_block(x, view.block[:, -1], coef_hi, coef_lo)

        def merge(left: ResidualProducts, right: ResidualProducts, _: int) -> Any:
            return left.merge(right)

        total = source.map_reduce(per_block, merge, what="rows in a refinement pass")
        return ResidualProducts.empty(int(kept.sum())) if total is None else total

    return read


# --------------------------------------------------------------------------- second pass
@dataclass(frozen=True)
class ResidualState:
    """What every block of the second pass needs from the first-pass fit."""

    kept: NDArray[np.bool_]
    coef: Float
    bread: Float
    sigma2: float
    lags: int
    weights_kind: str | None = None  # the weights' meaning, for a weighted fit
    bp_sigma2: float = float("nan")  # σ² of Breusch-Pagan's auxiliary (weighted fits)


def block_sums(view: BlockView, state: ResidualState, rng: np.random.Generator) -> ResidualSums:
    """Second-pass sums of one ``[X | y]`` block."""
    if view.weights is not None:
        assert state.weights_kind is not None
        return weighted_block_sums(
            view, state.kept, state.coef, state.bread, state.sigma2, state.lags,
            state.weights_kind, state.bp_sigma2, rng,
        )  # fmt: skip
    x = view.block[:, :-1][:, state.kept]
    e = view.block[:, -1] - x @ state.coef
    return ResidualSums.from_block(x, e, state.bread, state.sigma2, state.lags, view.label, rng)


def residual_sums(source: BlockSource, state: ResidualState, seed: int) -> ResidualSums:
    """One more pass for the sums that need residuals (mergeable and order-aware).

    A sequential source draws the residual sample from one generator seeded with
    ``seed``; a parallel one seeds a generator per partition and per merge from it.
    """
    lags = state.lags
    if source.parallel:

        def per_block(view: BlockView) -> ResidualSums | None:
            if not view.block.shape[0]:
                return None
            # a generator per partition and row block, seeded from where its rows are
            rng = np.random.default_rng([seed, view.part, int(view.positions[0])])
            return block_sums(view, state, rng)

        def merge(left: ResidualSums, right: ResidualSums, salt: int) -> Any:
            return left.merge(right, lags, np.random.default_rng([seed, 7, salt]))

    else:
        rng = np.random.default_rng(seed)

        def per_block(view: BlockView) -> ResidualSums | None:
            if not view.block.shape[0]:  # every row of the chunk dropped as incomplete
                return None
            return block_sums(view, state, rng)

        def merge(left: ResidualSums, right: ResidualSums, salt: int) -> Any:
            return left.merge(right, lags, rng)

    total = source.map_reduce(per_block, merge, what="rows in the second pass")
    if total is None:
        raise InputError("the second pass found no complete rows")
    return total
