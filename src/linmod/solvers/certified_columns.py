"""Several right-hand sides refined on one certified factor: responses, and ``(X'X)^-1``.

:func:`~linmod.solvers.certified.certified_solution` refines one response on a certified
Cholesky factor.  :func:`refine_columns` takes the same steps and bounds for several
responses at once: each response's residual and gradient in double-double (one compiled
pass over ``X`` per response), its own error bound and stopping rule; the float64 parts
(the triangular solves of the steps and ``X`` times the steps) for all active responses
at once.

The same refinement gives ``(X'X)^-1`` to the float64 limit when the float64 inverse from
the factor is not certified (the covariance bound of :mod:`linmod.solvers.certified` fails
on correlated designs whose refinement still contracts, e.g. mtcars'):
:func:`certified_covariance`.  Column ``j`` of ``C = (X'X)^-1`` solves ``X'X c = e_j``,
the least-squares problem with a zero response and ``e_j`` added to its gradient
``X'(0 - X c)``.  Formed in double-double, that gradient is as accurate as a response's,
so each column's correction contracts by the same ``rho`` and is accepted by the same
bound: every entry within half an ulp of itself (plus ``eps**2`` of its column's
largest), where the float64 inverse has a relative error of about ``cond * eps``.  The
gradients come from ``X'X`` formed once in double-double (:mod:`linmod.linalg.dd_gram`),
so a pass costs ``O(p**3)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lapack

from linmod.linalg import dd_numpy
from linmod.linalg.dd_gradient import dd_residual_gradient, dd_subtract_inplace
from linmod.linalg.dd_gram import dd_gram, dd_gram_times

if TYPE_CHECKING:
    from linmod.solvers.certified import CertifiedFactor

__all__ = ["RefinedColumns", "certified_covariance", "refine_columns"]

Float = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)


class RefinedColumns(NamedTuple):
    """The refined responses of :func:`refine_columns`.

    Attributes
    ----------
    coef_hi, coef_lo : ndarray of shape (k, p)
        Each response's coefficients as ``hi + lo`` (one row per response).
    r_hi, r_lo : ndarray of shape (n, k)
        The residuals ``y - X b`` as ``hi + lo``.
    passes : ndarray of shape (k,)
        Refinement passes each response took.
    """

    coef_hi: Float
    coef_lo: Float
    r_hi: Float
    r_lo: Float
    passes: NDArray[np.int_]


def refine_columns(
    certified: CertifiedFactor, x: Float, y: Float, starts: Float, max_passes: int
) -> RefinedColumns | None:
    """Refine ``k`` responses on a certified factor, or return None if one is not certified.

    Each response takes the steps of
    :func:`~linmod.solvers.certified.certified_solution` with the same bits as a fit of
    that response alone (its residual and gradient, and its move to the original
    coordinates, one response at a time); the triangular solves and ``X`` times the steps
    for all active responses at once.

    Parameters
    ----------
    certified : CertifiedFactor
        Of the design ``x`` (its factor, scales, shift, ``rho`` and weights are used).
    x : ndarray of shape (n, p)
        The design.
    y : ndarray of shape (n, k)
        The responses.
    starts : ndarray of shape (p, k)
        The plain solutions.
    max_passes : int
        Largest number of passes per response.

    Returns
    -------
    RefinedColumns or None
    """
    shift, weights = certified.shift, certified.weights
    n, p = x.shape
    k = starts.shape[1]
    coef_hi = np.ascontiguousarray(starts.T)  # (k, p): each response's row contiguous
    coef_lo = np.zeros((k, p))
    r_hi = np.empty((n, k), order="F")  # each response's column contiguous
    r_lo = np.empty((n, k), order="F")
    passes = np.zeros(k, dtype=np.int_)
    active = np.arange(k)
    for step_no in range(1, max_passes + 1):
        gradients = np.empty((p, active.size))
        for i, j in enumerate(active):
            rh, rl, gh, gl = dd_residual_gradient(x, y[:, j], coef_hi[j], coef_lo[j])
            r_hi[:, j], r_lo[:, j] = rh, rl
            gradients[:, i] = gh + gl if shift is None else shift.gradient(gh, gl)
        steps, left = _steps(certified, gradients)
        if shift is not None:
            for i in range(active.size):
                steps[:, i], rounding = shift.step_to_original(steps[:, i])
                left[0, i] += rounding
        moved = x @ steps  # the residuals move by X delta: tiny, float64 suffices
        for i, j in enumerate(active):
            dd_subtract_inplace(coef_hi[j], coef_lo[j], -steps[:, i])
            dd_subtract_inplace(r_hi[:, j], r_lo[:, j], moved[:, i])
        done = _within_bound(left, coef_hi[active], weights)
        passes[active] = step_no
        active = active[~done]
        if active.size == 0:
            return RefinedColumns(coef_hi, coef_lo, r_hi, r_lo, passes)
    return None


def certified_covariance(certified: CertifiedFactor, x: Float, max_passes: int) -> Float | None:
    """``(X'X)^-1`` to the float64 limit: the factor's own when it is certified, else refined.

    The gradients ``e_j - X'X c_j`` of the columns not yet certified in double-double
    (from ``X'X`` in double-double, :mod:`linmod.linalg.dd_gram`), then the steps and
    bounds of :func:`refine_columns` for all of them at once.

    Returns
    -------
    ndarray of shape (p, p) or None
        Symmetric; None when a column is not certified within ``max_passes``.
    """
    if certified.cov_certified:
        return certified.cov
    shift, p = certified.shift, x.shape[1]
    gram_hi, gram_lo = dd_gram(x)
    c_hi = np.array(certified.cov, order="C")  # row j: column j (C is symmetric)
    c_lo = np.zeros((p, p))
    active = np.arange(p)
    for _ in range(max_passes):
        product = dd_gram_times(gram_hi, gram_lo, c_hi[active], c_lo[active])
        if product is None:  # out of TwoProduct's exact range
            return None
        g_hi, g_lo = product
        diagonal = (np.arange(active.size), active)
        g_hi[diagonal], carry = dd_numpy.two_sum(g_hi[diagonal], 1.0)  # + e_j
        g_lo[diagonal] += carry
        if shift is None:
            gradients = (g_hi + g_lo).T
        else:
            gradients = dd_numpy.shifted_gradient(g_hi.T, g_lo.T, shift.s)
        steps, left = _steps(certified, gradients)
        if shift is not None:
            steps, rounding = shift.step_to_original(steps)
            left[0] += rounding
        hi, lo = c_hi[active], c_lo[active]
        dd_numpy.subtract(hi, lo, -steps.T)
        c_hi[active], c_lo[active] = hi, lo
        active = active[~_within_bound(left, hi, certified.weights)]
        if active.size == 0:
            inverse = c_hi + c_lo
            return (inverse + inverse.T) / 2
    return None


def _steps(certified: CertifiedFactor, gradients: Float) -> tuple[Float, Float]:
    """The refinement steps for the gradients (columns of ``gradients``, in the factor's
    coordinates) and the error each leaves per coefficient (``2 rho ||step|| weights``)."""
    scales = certified.scales
    steps = lapack.dpotrs(certified.factor, scales[:, None] * gradients, lower=0)[0]
    norms = np.sqrt(np.einsum("ij,ij->j", steps, steps))
    left = 2.0 * certified.rho * norms * certified.weights[:, None]
    steps *= scales[:, None]
    return steps, left


def _within_bound(left: Float, rows_hi: Float, weights: Float) -> NDArray[np.bool_]:
    """Which columns are certified: every coefficient's error bound (a column of ``left``)
    within half an ulp of it plus ``eps**2`` of the column's largest weighted coefficient
    (``rows_hi``: one row per column)."""
    magnitude = np.abs(rows_hi).T
    floor = _EPS**2 * weights[:, None] * np.max(magnitude / weights[:, None], axis=0)
    return np.all(left <= 0.5 * _EPS * magnitude + floor, axis=0)
