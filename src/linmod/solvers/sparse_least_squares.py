"""Least squares on a sparse design: the R factor from the exact Gram matrix, or LSQR.

Two methods, chosen by the number of parameters ``q`` (features plus intercept):

* ``q ≤ SPARSE_OLS_GRAM_MAX`` (5000): the ``(q + 1) × (q + 1)`` Gram matrix of
  ``[1 | X | y]`` is formed from sparse products (each entry one float64 sum of the
  stored products, so its error is at most about ``eps·Σ|x_ij x_ik|``), its Cholesky
  factor is an R factor of ``[1 | X | y]`` (``RᵀR = [A | y]ᵀ[A | y]``; when the Gram
  matrix is singular, the R factor of its symmetric square root), and the usual R-factor
  solver (:func:`linmod.solvers.factor.solve_factor`: rank, aliasing, condition number)
  and refinement apply: the corrected semi-normal equations with residuals ``y − Ab``,
  ``Aᵀr`` and ``rᵀr`` in double-double from the sparse columns
  (:mod:`linmod.linalg.sparse_dd`) bring the coefficients to the float64 limit of the
  data whenever ``cond(A)²·eps < 1``, as for streamed data.  The covariance ``(AᵀA)⁻¹``
  from the factor (relative error about ``eps·cond(A)²``) is refined the same way, column
  by column (:func:`refine_inverse`), to the float64 limit, when
  ``q·(n + stored values) ≤ 2e8``; beyond, the fit's notes say it was not;
* larger ``q``: LSQR (:func:`scipy.sparse.linalg.lsqr`) on ``[1 | X]`` (the column of
  ones never stored) with ``atol = btol = 1e-14``, ``conlim = 1e16`` and up to
  ``max(10·q, 1000)`` iterations: it stops when ``‖Aᵀr‖ ≤ 1e-14·‖A‖·‖r‖`` (or
  ``‖r‖ ≤ 1e-14·‖y‖``), so the coefficients are accurate to about ``1e-14·cond(A)``
  (relative); no covariance is formed.  The result reports the residual norm and
  ``‖Aᵀr‖`` reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.linalg.dd import dd_add
from linmod.linalg.seminormal import ResidualProducts
from linmod.linalg.tsqr import RFactor

__all__ = [
    "REFINE_COVARIANCE_WORK",
    "SPARSE_OLS_GRAM_MAX",
    "LSQRSolution",
    "gram_factor",
    "refine_inverse",
    "sparse_lsqr",
]

Float = NDArray[np.float64]

#: Up to this many parameters, sparse OLS forms the Gram matrix and its R factor.
SPARSE_OLS_GRAM_MAX = 5000
#: LSQR's atol and btol.
LSQR_TOL = 1e-14
#: A Cholesky pivot below this times the number of columns (relative to the unit
#: diagonal) is a dependency the Gram matrix cannot resolve (see _square_root_factor).
GRAM_RANK_TOL = 10 * float(np.finfo(float).eps)


def _augmented_gram(x: Any, y: Float, intercept: bool) -> Float:
    """``[1 | X | y]ᵀ[1 | X | y]`` (or without the ones) from sparse products."""
    p = x.shape[1]
    q = p + int(intercept)
    gram = np.empty((q + 1, q + 1))
    xtx = np.asarray((x.T @ x).toarray(), dtype=float)
    xty = np.asarray(x.T @ y, dtype=float)
    yty = float(y @ y)
    lo = int(intercept)
    gram[lo:q, lo:q] = xtx
    gram[lo:q, q] = xty
    gram[q, lo:q] = xty
    gram[q, q] = yty
    if intercept:
        sums = np.asarray(x.sum(axis=0), dtype=float).ravel()
        gram[0, 0] = float(x.shape[0])
        gram[0, 1:q] = sums
        gram[1:q, 0] = sums
        gram[0, q] = gram[q, 0] = float(y.sum())
    return gram


def _square_root_factor(gram: Float) -> Float:
    """An upper-triangular ``R`` with ``RᵀR = gram``, with a non-negative diagonal.

    Cholesky of the power-of-two scaled Gram matrix when every pivot stays above
    ``GRAM_RANK_TOL`` (relative to the unit diagonal).  A smaller pivot means a column
    within ``sqrt(GRAM_RANK_TOL)`` of the span of the earlier ones, which the Gram matrix
    cannot tell from an exact dependency (its rounding is of that size): then the
    eigenvalues below ``GRAM_RANK_TOL`` times the largest are set to zero and ``R`` is the
    R factor of the symmetric square root ``Λ^½Vᵀ``, exactly rank deficient, so the rank
    analysis declares the dependent columns aliased, as a dense fit does.
    """
    q = gram.shape[0]
    scales = np.sqrt(np.diag(gram))
    scales[scales == 0.0] = 1.0
    exponents = np.frexp(scales)[1]
    power = np.ldexp(1.0, -exponents)  # exact power-of-two column scaling
    scaled = gram * power[:, None] * power[None, :]
    tol = GRAM_RANK_TOL * max(q, 1)
    try:
        r = sla.cholesky(scaled, lower=False, check_finite=False)
    except np.linalg.LinAlgError:
        r = None
    diagonal = np.diag(scaled)
    if r is None or not np.isfinite(r).all() or np.any(np.diag(r)[:-1] ** 2 <= tol * diagonal[:-1]):
        vals, vecs = np.linalg.eigh(scaled)
        vals = np.where(vals > tol * vals.max(initial=0.0), vals, 0.0)
        root = np.sqrt(vals)[:, None] * vecs.T
        r = sla.qr(root, mode="r", check_finite=False)[0]
        signs = np.where(np.diag(r) < 0, -1.0, 1.0)
        r = r * signs[:, None]
        # An all-zero column (zero diagonal) is exactly zero in R, as in a dense QR: the
        # eigenvectors' rounding (~eps in its row) otherwise left it a tiny column that
        # the rank analysis could keep, writing another column in terms of it.
        r[:, diagonal == 0.0] = 0.0
    return np.asarray(np.triu(r) / power[None, :])


def gram_factor(x: Any, y: Float, intercept: bool) -> RFactor:
    """The R factor of ``[1 | X | y]`` (or ``[X | y]``) of a sparse ``X`` via its Gram matrix.

    Parameters
    ----------
    x : scipy.sparse matrix of shape (n, p)
    y : ndarray of shape (n,)
    intercept : bool

    Returns
    -------
    RFactor
    """
    r = _square_root_factor(_augmented_gram(x, y, intercept))
    mean = float(np.mean(y))
    centred = y - mean
    return RFactor(r, int(x.shape[0]), mean, float(centred @ centred), float(y @ y))


@dataclass(frozen=True)
class LSQRSolution:
    """Least squares by LSQR (see the module text).

    Attributes
    ----------
    coef : ndarray of shape (q,)
        Intercept first (when fitted), then the features.
    residual_norm : float
        ``‖y − Ab‖``.
    gradient_norm : float
        ``‖Aᵀr‖`` (zero at the exact solution).
    n_iter : int
    stop_reason : int
        LSQR's ``istop`` (1 or 2: converged to the tolerances; 7: iteration limit).
    converged : bool
    """

    coef: Float
    residual_norm: float
    gradient_norm: float
    n_iter: int
    stop_reason: int
    converged: bool


def sparse_lsqr(x: Any, y: Float, intercept: bool) -> LSQRSolution:
    """LSQR on ``[1 | X]`` (or ``X``) with ``atol = btol = 1e-14``."""
    from scipy.sparse.linalg import LinearOperator, lsqr

    n, p = x.shape
    csr = x.tocsr()
    csc = x.tocsc()
    q = p + int(intercept)

    def matvec(b: Float) -> Float:
        b = np.ravel(b)
        out = np.asarray(csr @ b[int(intercept) :], dtype=float)
        return out + b[0] if intercept else out

    def rmatvec(r: Float) -> Float:
        r = np.ravel(r)
        out = np.asarray(csc.T @ r, dtype=float)
        return np.concatenate([[r.sum()], out]) if intercept else out

    operator = LinearOperator((n, q), matvec=matvec, rmatvec=rmatvec, dtype=np.float64)
    limit = max(10 * q, 1000)
    out = lsqr(operator, y, atol=LSQR_TOL, btol=LSQR_TOL, conlim=1e16, iter_lim=limit)
    coef = np.asarray(out[0], dtype=float)
    resid = y - matvec(coef)
    return LSQRSolution(
        coef=coef,
        residual_norm=float(np.linalg.norm(resid)),
        gradient_norm=float(np.linalg.norm(rmatvec(resid))),
        n_iter=int(out[2]),
        stop_reason=int(out[1]),
        converged=int(out[1]) in (1, 2),
    )


#: The covariance is refined when ``q·(n + stored values)`` is at most this (each step
#: costs one double-double product with ``A`` and ``Aᵀ`` per column).
REFINE_COVARIANCE_WORK = 200_000_000


def refine_inverse(
    products: Callable[[NDArray[np.bool_], Float, Float], ResidualProducts],
    kept: NDArray[np.bool_],
    r_scaled: Float,
    scales: Float,
    cov: Float,
    max_steps: int = 3,
) -> tuple[Float, int]:
    """Refine ``(AᵀA)⁻¹`` of the kept columns, column by column, to the float64 limit.

    Column ``j`` solves ``AᵀA z = e_j``; each step forms ``e_j − AᵀA z`` in double-double
    (``products(kept, z, 0)`` with a zero response returns ``Aᵀr = −AᵀAz``) and adds the
    correction solved with the factor (``R'R = S AᵀA S``, as
    :func:`~linmod.linalg.seminormal.seminormal_correction`), all columns at once.
    Converges when ``cond(A)²·eps < 1``, like the coefficients' refinement.

    Parameters
    ----------
    products : callable
        ``products(kept, coef_hi, coef_lo)`` for a zero response.
    kept : ndarray of bool
        Estimable columns.
    r_scaled, scales : ndarray
        The factor of the scaled kept columns and the power-of-two scales.
    cov : ndarray of shape (k, k)
        The factor's ``(AᵀA)⁻¹`` of the kept columns.
    max_steps : int

    Returns
    -------
    cov : ndarray of shape (k, k)
        The refined inverse (symmetrised).
    steps : int
        Steps taken.
    """
    k = cov.shape[0]
    z_hi = np.array(cov, dtype=float)
    z_lo = np.zeros((k, k))
    eps = float(np.finfo(float).eps)
    active = np.ones(k, dtype=bool)
    steps = 0
    for steps in range(1, max_steps + 1):  # noqa: B007 - the count is returned
        columns = np.flatnonzero(active)
        gradient = np.empty((k, columns.size))
        for c, j in enumerate(columns.tolist()):
            got = products(kept, z_hi[:, j], z_lo[:, j])
            hi, lo = dd_add(got.xr_hi, got.xr_lo, np.eye(1, k, j)[0])
            gradient[:, c] = hi + lo
        delta = sla.cho_solve((r_scaled, False), gradient * scales[:, None], check_finite=False)
        delta *= scales[:, None]
        for c, j in enumerate(columns.tolist()):
            z_hi[:, j], z_lo[:, j] = dd_add(z_hi[:, j], z_lo[:, j], delta[:, c])
            if np.all(np.abs(delta[:, c]) <= eps * np.abs(z_hi[:, j])):
                active[j] = False
        if not active.any():
            break
    out = z_hi + z_lo
    return (out + out.T) / 2, steps
