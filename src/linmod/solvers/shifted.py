"""Shifted coordinates for the certified Cholesky solver: offset columns beside an intercept.

With an intercept in column 0, ``X = Xc T`` exactly for any float64 shifts ``s``
(``s_0 = 0``), where ``Xc = [1, Z - 1 s']`` and ``T = [[1, s'], [0, I]]``.  A column whose
mean is large next to its spread makes ``X'X`` ill-conditioned (its scaled condition
number grows with ``mean / sd``) although the least-squares problem is not; ``Xc'Xc``
with ``s`` the column means is as well-conditioned as the centred data.  The certified
solver (:mod:`linmod.solvers.certified`) factors ``Xc'Xc`` and moves gradients, steps,
error bounds and the covariance between the coordinates with the helpers here; ``T`` is
never rounded (only ``Z - s`` is, which the solver's bound accounts for).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import blas

from linmod._lazy import interpreted, njit
from linmod.linalg import dd_numpy
from linmod.linalg.dd import _two_prod, _two_sum
from linmod.linalg.scaling import power_of_two_scales
from linmod.solvers.deferred_conditioning import DeferredConditioning

__all__ = [
    "OFFSET_RATIO",
    "RESCUE_OFFSET_RATIO",
    "OriginalConditioning",
    "Shift",
    "offset_shift",
    "original_bound",
    "original_factor",
]

Float = NDArray[np.float64]

#: Shift when some column's ``sum(z**2) / sum((z - mean)**2)`` (``1 + mean**2 / var``)
#: exceeds this: below it the offset inflates the scaled condition number by at most ~2.
OFFSET_RATIO = 4.0
#: A design not certified without a shift is tried again shifted when some column's
#: ``sum(z**2) / sum((z - mean)**2)`` exceeds this (its mean above half its spread):
#: columns of mean 1 and spread 1 beside the intercept make ``X'X`` 7 times worse
#: conditioned than their centred version, too much for the covariance bound.
RESCUE_OFFSET_RATIO = 1.25
_EPS = float(np.finfo(np.float64).eps)


@njit(cache=True)
def _shifted_gradient_into(
    g_hi: Float, g_lo: Float, s: Float, out: Float
) -> None:  # pragma: no cover - compiled
    # g_c = T^-T g: g_c[0] = g[0], g_c[j] = g[j] - s[j] g[0], in double-double, rounded.
    # (Into ``out``: the certified kernel calls it, and a compiled callee that returns an
    # array cannot then box one for a Python caller: numba's "'descr' is NULL".)
    out[0] = g_hi[0] + g_lo[0]
    for j in range(1, g_hi.shape[0]):
        prod, err = _two_prod(s[j], g_hi[0])
        hi, lo = _two_sum(g_hi[j], -prod)
        out[j] = hi + (lo + (g_lo[j] - err - s[j] * g_lo[0]))


def _shifted_gradient(g_hi: Float, g_lo: Float, s: Float) -> Float:
    out = np.empty(g_hi.shape[0])
    _shifted_gradient_into(g_hi, g_lo, s, out)
    return out


@dataclass(frozen=True)
class Shift:
    """Column shifts ``s`` (``s[0] == 0``: column 0 is the intercept).

    Attributes
    ----------
    s : ndarray of shape (p,)
    """

    s: Float

    def apply(self, x: Float) -> Float:
        """``Xc = X - 1 s'`` (a new array; column 0 stays ones)."""
        return x - self.s

    def inverse_transpose_scaled(self, scales: Float) -> Float:
        """``S T^-T``: ``diag(scales)`` with ``-scales[j] s[j]`` down column 0."""
        out = np.diag(scales)
        out[1:, 0] = -scales[1:] * self.s[1:]
        return out

    def to_original(self, coef_c: Float) -> Float:
        """``T^-1 b``: the intercept becomes ``b_0 - s'b``, the slopes are unchanged."""
        out = coef_c.copy()
        if coef_c.ndim == 1:  # scipy's ddot, as the compiled fit (numpy's @ has its own BLAS)
            out[0] = coef_c[0] - blas.ddot(self.s[1:], coef_c[1:])
        else:
            out[0] = coef_c[0] - self.s[1:] @ coef_c[1:]
        return out

    def error_weights(self, scales: Float) -> Float:
        """Bounds on ``|(T^-1 S e)_j|`` per unit ``||e||``: ``scales`` for the slopes,
        ``sqrt(scales_0**2 + sum (s_j scales_j)**2)`` for the intercept."""
        out = scales.copy()
        weighted = self.s[1:] * scales[1:]
        out[0] = np.hypot(scales[0], math.sqrt(blas.ddot(weighted, weighted)))
        return out

    def gradient(self, g_hi: Float, g_lo: Float) -> Float:
        """``T^-T g`` for the double-double gradient ``g_hi + g_lo``, formed in
        double-double (no cancellation error) and rounded once."""
        kernel = dd_numpy.shifted_gradient if interpreted(0) else _shifted_gradient
        return kernel(g_hi, g_lo, self.s)

    def step_to_original(self, step_c: Float) -> tuple[Float, Any]:
        """``T^-1 delta`` and a bound on the rounding of its intercept (a dot product), for
        one step of shape (p,) (a float bound, scipy's ``ddot`` as the compiled fit) or for
        each column of steps of shape (p, k) (an array of bounds)."""
        p = step_c.shape[0]
        if step_c.ndim == 1:
            spread = blas.ddot(np.abs(self.s[1:]), np.abs(step_c[1:]))
            return self.to_original(step_c), float((p + 1) * _EPS * (abs(step_c[0]) + spread))
        spreads = np.abs(self.s[1:]) @ np.abs(step_c[1:])
        return self.to_original(step_c), (p + 1) * _EPS * (np.abs(step_c[0]) + spreads)


def offset_shift(g: Float, intercept: bool, ratio: float = OFFSET_RATIO) -> Shift | None:
    """The column means as shifts when some column is offset beside the intercept.

    Parameters
    ----------
    g : ndarray of shape (p, p)
        ``X'X`` of a design whose column 0 is a column of ones when ``intercept``.
    intercept : bool
    ratio : float
        The threshold (:data:`OFFSET_RATIO`, or :data:`RESCUE_OFFSET_RATIO` for a design
        the unshifted fit could not certify).

    Returns
    -------
    Shift or None
        None without an intercept, with no other column, or when no column's
        ``sum(z**2) / sum((z - mean)**2)`` exceeds ``ratio``.
    """
    offset = dd_numpy.offset if interpreted(0) else _offset
    if not intercept or g.shape[0] < 2 or not offset(g, ratio):
        return None
    return Shift(np.concatenate(([0.0], g[0, 1:] / g[0, 0])))


@njit(cache=True)
def _offset(g: Float, ratio: float) -> bool:  # pragma: no cover - compiled
    # Whether some column j >= 1 has sum(z**2) > ratio * sum((z - mean)**2); the sum
    # about the mean as g_jj - g_0j**2 / n (a cancelling estimate, enough to decide).
    n = g[0, 0]
    for j in range(1, g.shape[0]):
        squares = g[j, j]
        if ratio * (squares - g[0, j] * (g[0, j] / n)) < squares:
            return True
    return False


def original_factor(factor: Float, scales: Float, shift: Shift, g: Float) -> Float:
    """A Cholesky factor of the original design's column-scaled Gram matrix.

    ``X'X = T' Xc'Xc T`` and ``Xc'Xc = S^-1 R'R S^-1``, so ``R S^-1 T D`` (``D`` the
    original columns' power-of-two scales) factors ``D X'X D``.  Only row 0 involves a
    sum (of two terms), so every entry carries a relative error of at most ~2 eps.

    Parameters
    ----------
    factor : ndarray of shape (p, p)
        Upper Cholesky factor of ``S Xc'Xc S``.
    scales : ndarray of shape (p,)
        ``S``.
    shift : Shift
    g : ndarray of shape (p, p)
        ``X'X`` (its diagonal gives ``D``).

    Returns
    -------
    ndarray of shape (p, p)
        Upper triangular; its singular values are those of the scaled original design.
    """
    original_scales = power_of_two_scales(np.sqrt(g.diagonal()))
    m = np.diag(original_scales / scales)
    m[0, 1:] = shift.s[1:] * original_scales[1:] / scales[0]
    return np.asarray(factor @ m)


class OriginalConditioning(DeferredConditioning):
    """The condition number and weakest direction of the original design's scaled
    columns, from the factor of the shifted ones (:func:`original_factor`), on first read.

    Parameters
    ----------
    factor, scales : ndarray
        The shifted design's scaled factor ``R`` and its column scales ``S``.
    shift : Shift
    g : ndarray of shape (p, p)
        ``X'X`` of the original design.
    bound : float
        An upper bound of the condition number (:func:`original_bound`).
    """

    __slots__ = ("_g", "_scales", "_shift")

    def __init__(self, factor: Float, scales: Float, shift: Shift, g: Float, bound: float) -> None:
        super().__init__(factor, bound)
        self._scales, self._shift, self._g = scales, shift, g

    def _compute(self) -> tuple[float, Float]:
        matrix = original_factor(self._factor, self._scales, self._shift, self._g)
        _, singular, vt = np.linalg.svd(matrix)
        return float(singular[0] / singular[-1]), vt[-1]


def original_bound(scales: Float, s: Float, g: Float, factor_bound: float) -> float:
    """An upper bound of the original design's condition number: ``cond(R N) <= cond(R)
    ||N||_F ||N^-1||_F`` for ``original_factor = R N``, ``N = S^-1 T D``.

    ``N = diag(D / S)`` with row 0 ``s_j D_j / S_0``, ``N^-1 = diag(S / D)`` with row 0
    ``-s_j S_j / D_0``.  (The compiled fit forms the same sums in its own order.)
    """
    d = power_of_two_scales(np.sqrt(g.diagonal()))
    n_squares = np.sum((d / scales) ** 2) + np.sum((s[1:] * d[1:] / scales[0]) ** 2)
    inverse_squares = np.sum((scales / d) ** 2) + np.sum((s[1:] * scales[1:] / d[0]) ** 2)
    return factor_bound * math.sqrt(n_squares * inverse_squares)
