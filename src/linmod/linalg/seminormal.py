"""Corrected semi-normal equations: refining a solution when only ``R`` of ``X = QR`` is kept.

A streamed or distributed fit keeps the triangular factor ``R`` of the design, not ``Q``,
so Björck's refinement of the augmented system (:mod:`linmod.linalg.refine`) is not
available.  What is available is another pass over the rows.  With the residual
``r = y - X b`` formed in double-double and ``X'r`` summed over the rows in double-double,
the correction ``d`` of ``b`` solves ``R'R d = X'r``.  Each step multiplies the error by
about ``cond(X)² · eps``: when that is well below one (scaled condition numbers up to
about 1e6), two or three steps bring ``b`` to the correctly rounded least-squares
solution of the float64 data, whatever the size of the residual, because the residual
itself is exact to about 32 digits.

The per-block sums (:class:`ResidualProducts`) are mergeable in any order, so the same
step serves chunked files and Dask partitions.

References
----------
Å. Björck, "Stability analysis of the method of seminormal equations for linear least
squares problems", Linear Algebra Appl. 88/89 (1987) 31-48.
Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM (1996), §2.9 and §6.6.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.dd import dd_residual, dd_rmatvec, dd_sum_of_squares, two_sum_arrays
from linmod.linalg.scaling import column_scales

__all__ = ["ResidualProducts", "seminormal_correction"]

#: Columns whose largest value lies within 2**±128 are multiplied in double-double as they
#: are.
_SAFE_MAGNITUDE = 2.0**128

Float = NDArray[np.float64]


def _dd_merge(a_hi: Float, a_lo: Float, b_hi: Float, b_lo: Float) -> tuple[Float, Float]:
    s, e = two_sum_arrays(a_hi, b_hi)
    return two_sum_arrays(s, e + (a_lo + b_lo))


@dataclass(frozen=True)
class ResidualProducts:
    """``X'r`` and ``r'r`` of some rows, for ``r = y - X b``, in double-double.

    Attributes
    ----------
    xr_hi, xr_lo : ndarray of shape (p,)
        ``X'r`` as ``xr_hi + xr_lo``.
    rr_hi, rr_lo : ndarray of shape ()
        ``r'r`` as ``rr_hi + rr_lo``.
    n : int
        Rows summed.
    """

    xr_hi: Float
    xr_lo: Float
    rr_hi: Float
    rr_lo: Float
    n: int

    @classmethod
    def empty(cls, p: int) -> ResidualProducts:
        """The products of no rows."""
        return cls(np.zeros(p), np.zeros(p), np.zeros(()), np.zeros(()), 0)

    @classmethod
    def of_block(
        cls,
        x: Float,
        y: Float,
        coef_hi: Float,
        coef_lo: Float,
        x_lo: Float | None = None,
        y_lo: Float | None = None,
    ) -> ResidualProducts:
        """The products of one block of rows ``x`` (n, p), ``y`` (n,) at ``coef_hi + coef_lo``.

        ``x_lo``, ``y_lo``: low-order parts of the rows (``x + x_lo`` and ``y + y_lo`` in
        double-double, e.g. rows scaled by the square roots of weights), or None.
        """
        if x.shape[0] == 0:  # every row of a chunk dropped as incomplete
            return cls.empty(x.shape[1])
        biggest = np.max(np.abs(x), axis=0)
        if np.all((biggest < _SAFE_MAGNITUDE) & ((biggest > 1 / _SAFE_MAGNITUDE) | (biggest == 0))):
            r_hi, r_lo = dd_residual(x, x_lo, y, y_lo, coef_hi, coef_lo)
            xr_hi, xr_lo = dd_rmatvec(x, x_lo, r_hi, r_lo)
        else:
            # Dekker's splitting overflows beyond ~2**996 (of a huge column, or of the
            # huge coefficient of a tiny one): work on power-of-two scaled columns
            # (exact), X b = (X S)(S^-1 b) and X'r = S^-1 (X S)'r.
            scales = column_scales(x)
            xs = x * scales
            xs_lo = None if x_lo is None else x_lo * scales
            r_hi, r_lo = dd_residual(xs, xs_lo, y, y_lo, coef_hi / scales, coef_lo / scales)
            xr_hi, xr_lo = dd_rmatvec(xs, xs_lo, r_hi, r_lo)
            xr_hi, xr_lo = xr_hi / scales, xr_lo / scales
        rr_hi, rr_lo = dd_sum_of_squares(r_hi, r_lo)
        return cls(xr_hi, xr_lo, np.asarray(rr_hi), np.asarray(rr_lo), int(x.shape[0]))

    def merge(self, other: ResidualProducts) -> ResidualProducts:
        """The products of both sets of rows."""
        xr_hi, xr_lo = _dd_merge(self.xr_hi, self.xr_lo, other.xr_hi, other.xr_lo)
        rr_hi, rr_lo = _dd_merge(self.rr_hi, self.rr_lo, other.rr_hi, other.rr_lo)
        return ResidualProducts(xr_hi, xr_lo, rr_hi, rr_lo, self.n + other.n)

    @property
    def ssr(self) -> float:
        """The residual sum of squares, rounded once."""
        return float(self.rr_hi + self.rr_lo)


def seminormal_correction(r: Float, scales: Float, products: ResidualProducts) -> Float:
    """The correction ``d`` solving ``X'X d = X'r`` through ``R'R = S X'X S``.

    Parameters
    ----------
    r : ndarray of shape (p, p)
        Upper-triangular factor of the column-scaled design ``X S``.
    scales : ndarray of shape (p,)
        The column scales ``S`` (powers of two).
    products : ResidualProducts
        ``X'r`` of the unscaled design at the current coefficients.

    Returns
    -------
    ndarray of shape (p,)
        The correction to add to the (unscaled) coefficients.
    """
    gradient = scales * (products.xr_hi + products.xr_lo)
    scaled = sla.cho_solve((r, False), gradient, check_finite=False)
    return np.asarray(scaled * scales)
