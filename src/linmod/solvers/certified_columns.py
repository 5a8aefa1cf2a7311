"""Several right-hand sides refined on one certified factor: responses, and ``(X'X)^-1``.

:func:`~linmod.solvers.certified.certified_solution` refines one response on a certified
Cholesky factor.  :func:`refine_columns` takes the same steps and bounds for several
columns at once: each column's residual and gradient in double-double (one compiled pass
over ``X`` per column), its own error bound and stopping rule; the float64 parts (the
triangular solves of the steps and ``X`` times the steps) for all active columns at once.

The same refinement gives ``(X'X)^-1`` to the float64 limit when the float64 inverse from
the factor is not certified (the covariance bound of :mod:`linmod.solvers.certified` fails
on correlated designs whose refinement still contracts, e.g. mtcars'): column ``j`` of
``C = (X'X)^-1`` solves ``X'X c = e_j``, the least-squares problem with a zero response and
``e_j`` added to its gradient ``X'(0 - X c)``.  Formed in double-double, that gradient is
as accurate as a response's, so each column's correction contracts by the same ``rho``
and is accepted by the same bound: every entry within half an ulp of itself (plus
``eps**2`` of its column's largest), where the float64 inverse has a relative error of
about ``cond * eps``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lapack

from linmod.linalg.dd_gradient import dd_residual_gradient, dd_subtract_inplace

if TYPE_CHECKING:
    from linmod.solvers.certified import CertifiedFactor

__all__ = ["RefinedColumns", "certified_covariance", "refine_columns"]

Float = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)


class RefinedColumns(NamedTuple):
    """The refined columns of :func:`refine_columns`.

    Attributes
    ----------
    coef_hi, coef_lo : ndarray of shape (k, p)
        Each column's solution as ``hi + lo`` (one row per column).
    r_hi, r_lo : ndarray of shape (n, k), or None
        The residuals ``y - X b`` as ``hi + lo`` (None for the covariance).
    passes : ndarray of shape (k,)
        Refinement passes each column took.
    """

    coef_hi: Float
    coef_lo: Float
    r_hi: Float | None
    r_lo: Float | None
    passes: NDArray[np.int_]


def refine_columns(
    certified: CertifiedFactor,
    x: Float,
    y: Float | None,
    starts: Float,
    max_passes: int,
) -> RefinedColumns | None:
    """Refine ``k`` columns on a certified factor, or return None if one is not certified.

    Parameters
    ----------
    certified : CertifiedFactor
        Of the design ``x`` (its factor, scales, shift, ``rho`` and weights are used).
    x : ndarray of shape (n, p)
        The design.
    y : ndarray of shape (n, k), or None
        The responses; None for ``(X'X)^-1`` (``k = p``: a zero response and ``e_j``
        added to column ``j``'s gradient).
    starts : ndarray of shape (p, k)
        The plain solutions (the float64 inverse for ``(X'X)^-1``).
    max_passes : int
        Largest number of passes per column.

    Returns
    -------
    RefinedColumns or None
    """
    factor, scales, shift, rho = certified.factor, certified.scales, certified.shift, certified.rho
    weights = certified.weights
    n, p = x.shape
    k = starts.shape[1]
    covariance = y is None
    zero = np.zeros(n)
    coef_hi = np.ascontiguousarray(starts.T)  # (k, p): each column's row contiguous
    coef_lo = np.zeros((k, p))
    r_hi = None if covariance else np.empty((n, k), order="F")  # columns contiguous
    r_lo = None if covariance else np.empty((n, k), order="F")
    passes = np.zeros(k, dtype=np.int_)
    active = np.arange(k)
    for step_no in range(1, max_passes + 1):
        gradients = np.empty((p, active.size))
        for i, j in enumerate(active):
            response = zero if y is None else y[:, j]
            rh, rl, gh, gl = dd_residual_gradient(x, response, coef_hi[j], coef_lo[j])
            if y is None:  # e_j - X'X c_j: the 1 added in double-double (TwoSum)
                g, total = float(gh[j]), float(gh[j]) + 1.0
                back = total - g
                gh[j], gl[j] = total, gl[j] + ((g - (total - back)) + (1.0 - back))
            else:
                r_hi[:, j], r_lo[:, j] = rh, rl  # type: ignore[index]
            gradients[:, i] = gh + gl if shift is None else shift.gradient(gh, gl)
        steps = lapack.dpotrs(factor, scales[:, None] * gradients, lower=0)[0]
        left = 2.0 * rho * np.sqrt(np.einsum("ij,ij->j", steps, steps)) * weights[:, None]
        steps *= scales[:, None]
        if shift is not None:
            for i in range(active.size):
                steps[:, i], rounding = shift.step_to_original(steps[:, i])
                left[0, i] += rounding
        moved = None if y is None else x @ steps  # residuals move by X delta: float64 will do
        done = np.zeros(active.size, dtype=bool)
        for i, j in enumerate(active):
            dd_subtract_inplace(coef_hi[j], coef_lo[j], -steps[:, i])
            if moved is not None:
                dd_subtract_inplace(r_hi[:, j], r_lo[:, j], moved[:, i])  # type: ignore[index]
            magnitude = np.abs(coef_hi[j])
            floor = _EPS**2 * weights * np.max(magnitude / weights)
            done[i] = bool(np.all(left[:, i] <= 0.5 * _EPS * magnitude + floor))
        passes[active] = step_no
        active = active[~done]
        if active.size == 0:
            return RefinedColumns(coef_hi, coef_lo, r_hi, r_lo, passes)
    return None


def certified_covariance(certified: CertifiedFactor, x: Float, max_passes: int) -> Float | None:
    """``(X'X)^-1`` to the float64 limit: the factor's own when it is certified, else refined.

    Returns
    -------
    ndarray of shape (p, p) or None
        Symmetric; None when a column is not certified within ``max_passes``.
    """
    if certified.cov_certified:
        return certified.cov
    refined = refine_columns(certified, x, None, certified.cov, max_passes)
    if refined is None:
        return None
    inverse = refined.coef_hi + refined.coef_lo  # row j: column j (C is symmetric)
    return (inverse + inverse.T) / 2
