"""The out-of-core statistics of a weighted fit: every block's rows scaled by ``sqrt(w)``.

Weighted least squares is ordinary least squares on the rows scaled by ``sqrt(w)``
(:mod:`linmod.data.weighted_design`), so a weighted streamed or Dask fit folds the scaled
blocks into the same statistics as an unweighted one
(:mod:`linmod.outofcore.statistics`), and adds what the scaling loses
(:class:`WeightSums`): the number of rows with a positive weight, the weights' total and
``sum(log w)`` (for ``n`` and R's ``logLik.lm``), the rows dropped for a zero weight, and
the weighted mean and centred sum of squares of the response (R's weighted total sum of
squares), merged with Chan's pairwise update with weights.

The refinement pass scales the rows in double-double (:func:`scaled_products`), as the
in-memory fit does, so a refined streamed fit reaches the float64 limit of the weighted
problem, not of its rounded scaling.  The second pass (:func:`weighted_block_sums`)
weights every residual statistic exactly as the in-memory weighted fit does
(:mod:`linmod.inference.weighted`): the scaled rows and residuals for precision and
sampling weights (as R's ``sandwich``, ``influence.measures`` and ``lmtest`` on a
weighted ``lm``), the repeated rows for frequency weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.data.weighted_design import dd_scale_rows, dd_sqrt_low
from linmod.exceptions import InputError
from linmod.linalg.seminormal import ResidualProducts
from linmod.linalg.tsqr import RFactor
from linmod.outofcore.residual_sums import SHAPIRO_SAMPLE_SIZE, TOP_COOKS, ResidualSums
from linmod.outofcore.sources import BlockSource, BlockView
from linmod.outofcore.weight_sums import WeightSums, scaled_rows

__all__ = ["WeightSums", "fold_weighted_factor", "scaled_products", "weighted_block_sums"]

Float = NDArray[np.float64]


def scaled_block(view: BlockView) -> Float:
    """``sqrt(w) [X | y]`` of a block (rounded to float64), or the block unweighted."""
    return view.block if view.weights is None else scaled_rows(view.block, view.weights)


def _weighted_factor_of(view: BlockView) -> tuple[RFactor, int, WeightSums]:
    assert view.weights is not None
    sums = WeightSums.of_block(view.block[:, -1], view.weights, view.zero)
    return RFactor.from_augmented(scaled_block(view)), view.dropped, sums


def _merge(left: Any, right: Any, _: int) -> Any:
    return left[0].merge(right[0]), left[1] + right[1], left[2].merge(right[2])


def fold_weighted_factor(source: BlockSource) -> tuple[RFactor, int, WeightSums]:
    """The R factor of the ``sqrt(w)``-scaled ``[X | y]``, the rows dropped as incomplete
    and the weights' sums.

    Raises
    ------
    InputError
        When no row has a positive weight.
    """
    assert source.weights is not None
    folded = source.weighted_factor_fast_path()
    if folded is None:
        folded = source.map_reduce(_weighted_factor_of, _merge, what="rows folded")
    if folded is None:
        raise InputError("the data has no rows")
    factor, dropped, sums = folded
    if sums.rows == 0:
        column = source.weights.column
        raise InputError(
            f"weights column {column!r} is zero (or missing) in every row left to fit: "
            "there is no row to fit"
        )
    return factor, int(dropped), sums


def scaled_products(
    view: BlockView, kept: NDArray[np.bool_], coef_hi: Float, coef_lo: Float
) -> ResidualProducts:
    """``X'r`` and ``r'r`` of a block's rows scaled by ``sqrt(w)`` in double-double."""
    assert view.weights is not None
    x = view.block[:, :-1][:, kept]
    s = np.sqrt(view.weights)
    s_lo = dd_sqrt_low(view.weights, s)
    x_hi, x_lo = dd_scale_rows(s, s_lo, x)
    y_hi, y_lo = dd_scale_rows(s, s_lo, view.block[:, -1:])
    return ResidualProducts.of_block(
        x_hi, y_hi[:, 0], coef_hi, coef_lo, x_lo=x_lo, y_lo=np.ascontiguousarray(y_lo[:, 0])
    )


def _copies_sample(e: Float, counts: NDArray[np.int64], rng: np.random.Generator) -> Float:
    """A uniform sample of the residuals of the repeated rows (``counts[i]`` copies of ``e[i]``)."""
    total = int(counts.sum())
    if total <= SHAPIRO_SAMPLE_SIZE:
        return np.repeat(e, counts)
    copies = rng.choice(total, size=SHAPIRO_SAMPLE_SIZE, replace=False)
    return e[np.searchsorted(np.cumsum(counts), copies, side="right")]


def weighted_block_sums(
    view: BlockView,
    kept: NDArray[np.bool_],
    coef: Float,
    bread: Float,
    sigma2: float,
    lags: int,
    kind: str,
    bp_sigma2: float,
    rng: np.random.Generator,
) -> ResidualSums:
    """Second-pass sums of one weighted block, as the in-memory weighted fit has them.

    Precision and sampling weights: the statistics of the scaled rows ``sqrt(w) x`` and
    residuals ``sqrt(w) e`` (HC0-HC3 and HAC meats, hat values, Cook's distances,
    Durbin-Watson, the moments and the sample).  Frequency weights: those of the repeated
    rows (meat ``sum w x x' e² / (1 - h/w)^a``, each copy's hat value ``h/w``, moments and
    sample of the copies; no HAC, the rows having no time order).  Breusch-Pagan's
    auxiliary regression is lmtest's on a weighted fit: ``sqrt(w) (e² - σ²)`` on the
    scaled design, with ``σ² = sum(w e²) / n``, its explained sum of squares over
    ``sum((e² - σ²)²)`` (over the copies, for frequency weights).
    """
    assert view.weights is not None
    w = view.weights
    s = np.sqrt(w)
    x = view.block[:, :-1][:, kept]
    e = view.block[:, -1] - x @ coef  # raw residuals
    xs = x * s[:, None]
    k = xs.shape[1]
    h = np.einsum("ij,ij->i", xs @ bread, xs)
    frequency = kind == "frequency"
    if frequency:
        counts = np.rint(w).astype(np.int64)
        h, shown, moment_weights, n = h / w, e, w, int(counts.sum())
        lags = 0  # refused for frequency weights: no cross terms to keep
    else:
        shown, moment_weights, n = s * e, np.ones_like(w), int(e.size)
    scores = np.multiply(xs, shown[:, None], order="C")
    meats = {"HC0": scores.T @ scores}
    for name, factor in (("HC2", 1.0 / np.sqrt(1.0 - h)), ("HC3", 1.0 / (1.0 - h))):
        scaled = scores * factor[:, None]
        meats[name] = scaled.T @ scaled
    hac = meats["HC0"].copy()
    for lag in range(1, min(lags, e.size - 1) + 1):
        cross = scores[lag:].T @ scores[:-lag]
        hac += (1.0 - lag / (lags + 1.0)) * (cross + cross.T)
    cooks = shown**2 * h / (k * sigma2 * (1.0 - h) ** 2)
    top = tuple(
        (float(cooks[i]), view.label(int(i)), float(h[i]), float(e[i]))
        for i in np.argsort(cooks)[-TOP_COOKS:]
    )
    if frequency:
        sample = _copies_sample(e, counts, rng)
    else:
        size = min(SHAPIRO_SAMPLE_SIZE, e.size)
        sample = rng.choice(shown, size=size, replace=False) if size < e.size else shown.copy()
    powers = [moment_weights * shown**j for j in range(5)]
    centred = e**2 - bp_sigma2
    return ResidualSums(
        n=n,
        meats=meats,
        hac=hac,
        head=scores[:lags].copy(),
        tail=scores[e.size - min(lags, e.size) :].copy(),
        first_residual=float(shown[0]),
        last_residual=float(shown[-1]),
        dw_numerator=float(np.sum(np.diff(shown) ** 2)),
        moments=np.array([float(np.sum(p)) for p in powers]),
        abs_sum=float(w @ np.abs(e)),
        auxiliary=RFactor.from_block(xs, s * centred),
        sample=sample,
        cooks=top,
        auxiliary_ss=float(moment_weights @ centred**2),
    )
