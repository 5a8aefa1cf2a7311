"""Björck's iterative refinement of the augmented least-squares system.

The least-squares solution ``b`` and residual ``r`` of ``min ||y - X b||`` solve

    [ I   X ] [r]   [y]
    [ X'  0 ] [b] = [0]

Refining ``r`` and ``b`` together, with the residuals of this system formed in
double-double and the corrections solved with a float64 Householder QR of ``X``, converges
to the exactly rounded solution whenever ``cond(X) * eps < 1``; refining ``b`` alone would
leave an error proportional to ``cond(X)**2 * ||r||`` on large-residual problems.

The same routine with right-hand side ``[0; -I]`` yields ``(X'X)^-1`` (standard errors)
to the same accuracy.

References
----------
Å. Björck, "Iterative refinement of linear least squares solutions I", BIT 7 (1967) 257-278.
Å. Björck, *Numerical Methods for Least Squares Problems*, SIAM (1996), §2.9.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.dd import dd_add, dd_residual, dd_rmatvec, two_sum_arrays

__all__ = ["Refined", "refine_augmented"]

Float = NDArray[np.float64]

_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class Refined:
    """Result of :func:`refine_augmented`.

    Attributes
    ----------
    coef_hi, coef_lo : ndarray
        The solution block ``b`` as a double-double.
    resid_hi, resid_lo : ndarray
        The residual block ``r`` as a double-double.
    n_iter : int
        Refinement steps taken (the first step is the plain QR solve).
    converged : bool
        Whether the last correction was below rounding level.
    """

    coef_hi: Float
    coef_lo: Float
    resid_hi: Float
    resid_lo: Float
    n_iter: int
    converged: bool


def refine_augmented(
    x_hi: Float,
    x_lo: Float | None,
    q: Float,
    r: Float,
    f0_hi: Float,
    f0_lo: Float | None,
    g0: Float,
    max_iter: int = 12,
) -> Refined:
    """Solve ``[I X; X' 0] [r; b] = [f0; g0]`` by refinement in double-double.

    Parameters
    ----------
    x_hi, x_lo : ndarray of shape (n, p)
        The (scaled) design as a double-double; ``x_lo`` may be None.
    q, r : ndarray
        Thin Householder QR factors of ``x_hi`` (shapes (n, p) and (p, p)).
    f0_hi, f0_lo : ndarray of shape (n,) or (n, k)
        Upper right-hand side (the response for a least-squares fit).
    g0 : ndarray of shape (p,) or (p, k)
        Lower right-hand side (zero for a least-squares fit, ``-I`` for ``(X'X)^-1``).
    max_iter : int
        Largest number of steps.

    Returns
    -------
    Refined
    """
    f0_lo_arr = np.zeros_like(f0_hi) if f0_lo is None else f0_lo
    b_hi = np.zeros(g0.shape)
    b_lo = np.zeros(g0.shape)
    r_hi = np.zeros(f0_hi.shape)
    r_lo = np.zeros(f0_hi.shape)
    previous = np.inf
    converged = False
    n_iter = 0
    for n_iter in range(1, max_iter + 1):
        # f = f0 - r - X b  and  g = g0 - X' r, both in double-double, rounded at the end.
        rhs_hi, rhs_err = two_sum_arrays(f0_hi, -r_hi)
        rhs_lo = rhs_err + (f0_lo_arr - r_lo)
        f_hi, f_lo = dd_residual(x_hi, x_lo, rhs_hi, rhs_lo, b_hi, b_lo)
        f = f_hi + f_lo
        xr_hi, xr_lo = dd_rmatvec(x_hi, x_lo, r_hi, r_lo)
        g_hi, g_err = two_sum_arrays(g0, -xr_hi)
        g = g_hi + (g_err - xr_lo)

        h = sla.solve_triangular(r, g, trans="T", check_finite=False)
        d = q.T @ f
        delta_b = sla.solve_triangular(r, d - h, check_finite=False)
        delta_r = f - q @ (d - h)
        b_hi, b_lo = dd_add(b_hi, b_lo, delta_b)
        r_hi, r_lo = dd_add(r_hi, r_lo, delta_r)

        size = float(np.max(np.abs(delta_b), initial=0.0))
        scale = float(np.max(np.abs(b_hi), initial=0.0))
        if size <= _EPS * scale * 0.5 or size == 0.0:
            converged = True
            break
        if n_iter > 2 and size >= previous:
            # Stagnation or divergence: cond(X) * eps is too close to 1 for refinement.
            break
        previous = size
    return Refined(b_hi, b_lo, r_hi, r_lo, n_iter, converged)
