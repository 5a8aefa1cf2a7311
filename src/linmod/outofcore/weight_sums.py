"""What a weighted out-of-core fit keeps of its weights beside the scaled rows.

:class:`WeightSums` is mergeable (a block at a time, in any order): the rows with a
positive weight, the weights' total and ``sum(log w)`` (for ``n`` and R's ``logLik.lm``),
the rows dropped for a zero weight, and the weighted mean and centred sum of squares of
the response (R's weighted total sum of squares), merged with Chan's pairwise update with
weights; see :mod:`linmod.outofcore.weighted_statistics`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

__all__ = ["WeightSums", "scaled_rows"]

Float = NDArray[np.float64]


def scaled_rows(block: Float, weights: Float) -> Float:
    """``sqrt(w) [X | y]``: the rows of ``block`` scaled (rounded to float64; a new
    Fortran-ordered array)."""
    return np.multiply(block, np.sqrt(weights)[:, None], order="F")


def _two_sum(a: float, b: float) -> tuple[float, float]:
    """``a + b`` as ``s + e`` exactly (Knuth)."""
    total = a + b
    back = total - a
    return total, (a - (total - back)) + (b - back)


@dataclass(frozen=True)
class WeightSums:
    """What a weighted fit needs of its weights beyond the scaled rows (mergeable).

    Attributes
    ----------
    rows : int
        Rows in the fit (positive weight).
    total : float
        ``sum(w)``.
    log_sum : float
        ``sum(log w)``.
    zero : int
        Rows dropped for a zero weight.
    y_mean, y_mean_lo : float
        Weighted mean of the response, as an unevaluated sum (so that merging the
        centred sums of squares of blocks far from zero loses nothing to its rounding).
    y_centred_ss : float
        ``sum(w (y - y_mean)**2)``.
    """

    rows: int
    total: float
    log_sum: float
    zero: int
    y_mean: float
    y_mean_lo: float
    y_centred_ss: float

    @classmethod
    def of_block(cls, y: Float, w: Float, zero: int) -> WeightSums:
        """The sums of one block's response ``y`` and positive weights ``w``."""
        if not y.size:
            return cls(0, 0.0, 0.0, zero, 0.0, 0.0, 0.0)
        total = float(np.sum(w))
        mean = float(w @ y) / total
        d = y - mean
        wd = w * d
        correction = float(np.sum(wd)) / total  # the rounding of the mean: the second pass
        with np.errstate(over="ignore"):
            centred = float(wd @ d) - correction**2 * total
        log_sum = float(np.sum(np.log(w)))
        return cls(int(y.size), total, log_sum, zero, mean, correction, centred)

    def merge(self, other: WeightSums) -> WeightSums:
        """The sums of both sets of rows (Chan's update, with weights)."""
        zero = self.zero + other.zero
        if other.rows == 0 or self.rows == 0:
            base = self if other.rows == 0 else other
            return replace(base, zero=zero)
        total = self.total + other.total
        # the difference of the means: their high parts are close, so it is nearly exact
        delta = (other.y_mean - self.y_mean) + (other.y_mean_lo - self.y_mean_lo)
        mean, mean_lo = _two_sum(self.y_mean, self.y_mean_lo + delta * (other.total / total))
        with np.errstate(over="ignore"):
            spread = float(np.float64(delta) ** 2 * (self.total * other.total / total))
        return WeightSums(
            self.rows + other.rows,
            total,
            self.log_sum + other.log_sum,
            zero,
            mean,
            mean_lo,
            self.y_centred_ss + other.y_centred_ss + spread,
        )
