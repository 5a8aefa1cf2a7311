"""Auxiliary least-squares regressions (internal).

Most tests regress something on something: squared residuals on the regressors
(Breusch-Pagan, White), residuals on lagged residuals (Breusch-Godfrey), the response on
powers of the fitted values (RESET).  :func:`project` returns the explained and residual
sums of squares of such a regression from the R factor of ``[Z t]``, built by Householder
QR over row blocks (TSQR), so that neither sum is formed by subtracting two large numbers,
rank deficiency in ``Z`` is handled, and memory stays at one block plus ``q x q`` however
many rows there are.

Each block's R factor comes from CholeskyQR2 (two Cholesky-QR passes on the
column-scaled block: matrix products, several times faster than Householder's
level-2 panels on tall blocks), which is as accurate as Householder QR (residual and
orthogonality O(eps); Yamamoto et al. 2015) when the scaled block's condition number
is well below ``eps^-1/2``.  It is used only when the first pass's factor has a
condition number below :data:`CHOLQR_MAX_COND`; otherwise (near or exact rank
deficiency, a target almost in the span of ``Z``) the block takes Householder QR.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import linalg
from scipy.linalg import blas, lapack

__all__ = ["AuxiliaryFit", "project", "project_blocks"]

Float = NDArray[np.float64]

#: Relative tolerance on the singular values of the column-scaled ``Z`` below which a
#: direction counts as aliased (R's ``lm.fit`` uses 1e-7 on its pivoted QR).
RANK_TOL = 1e-7

#: Largest condition number (1-norm estimate) of the first Cholesky-QR factor of a
#: column-scaled block for which CholeskyQR2 is used; the loss of orthogonality after the
#: first pass is about ``cond^2 eps`` (<= 2e-6 here) and the second pass removes it.
CHOLQR_MAX_COND = 1e5

#: Columns with a norm below this go to Householder QR: their squares are near the
#: smallest normal float64 and the Gram matrix would have lost digits.
_SMALLEST_NORM = 2.0**-480


@dataclass(frozen=True)
class AuxiliaryFit:
    """Sums of squares of an auxiliary regression of ``t`` on ``Z``.

    Attributes
    ----------
    ess : float
        Squared norm of the projection of ``t`` on the column space of ``Z`` (the sum of
        squared fitted values; equal to the explained sum of squares about the mean when
        ``Z`` holds a constant and ``t`` has mean zero).
    rss : float
        Residual sum of squares.
    rank : int
        Rank of ``Z``.
    """

    ess: float
    rss: float
    rank: int


def _cholesky_qr2(block: Float) -> Float | None:
    """R factor of ``block`` by CholeskyQR2, or None when that would not be accurate."""
    with np.errstate(over="ignore", under="ignore"):  # checked just below
        gram = block.T @ block
    norms = np.sqrt(np.diag(gram))
    # Non-finite data, overflowing squares, a zero column, or squares near underflow
    # (the Gram matrix has lost digits there): Householder instead.
    if not (np.all(np.isfinite(gram)) and np.all(norms > _SMALLEST_NORM)):
        return None
    # The Gram matrix of the column-scaled block, without forming the scaled block.
    gram /= norms
    gram /= norms[:, None]
    r1, info = lapack.dpotrf(gram, lower=0, clean=1)
    if info != 0:
        return None
    rcond, info = lapack.dtrcon(r1, norm="1", uplo="U", diag="N")
    if info != 0 or not rcond > 1.0 / CHOLQR_MAX_COND:
        return None
    r1 *= norms  # now block = q1 @ r1
    q1 = blas.dtrsm(1.0, r1, block, side=1, lower=0)  # block @ inv(r1), a new array
    r2, info = lapack.dpotrf(q1.T @ q1, lower=0, clean=1)
    if info != 0:
        return None
    return np.asarray(r2 @ r1)


def _r_factor(augmented: Float) -> Float:
    """Upper-triangular R (``min(m, q)`` rows) of a row block ``augmented`` (m x q)."""
    m, q = augmented.shape
    if m >= 4 * q:
        r_factor = _cholesky_qr2(augmented)
        if r_factor is not None:
            return r_factor
    r_factor = linalg.qr(augmented, mode="r", overwrite_a=True, check_finite=False)[0]
    return np.asarray(r_factor[: min(m, q)])


def project_blocks(
    blocks: Iterable[tuple[Float, Float]], rank_tol: float = RANK_TOL, scaled: bool = True
) -> AuxiliaryFit:
    """Fit ``t`` on ``Z`` given row blocks ``(Z_b, t_b)`` (see :func:`project`)."""
    r_factor: Float | None = None
    for z_block, t_block in blocks:
        # Column-major, as LAPACK wants it (no copy inside the factorisations).
        top = 0 if r_factor is None else r_factor.shape[0]
        augmented = np.empty((top + z_block.shape[0], z_block.shape[1] + 1), order="F")
        if r_factor is not None:
            augmented[:top] = r_factor
        augmented[top:, :-1] = z_block
        augmented[top:, -1] = t_block
        r_factor = _r_factor(augmented)
    if r_factor is None:
        raise ValueError("no rows")
    q = r_factor.shape[1] - 1
    square = np.zeros((q + 1, q + 1))
    square[: r_factor.shape[0]] = r_factor
    r_zz, r_zt, rho = square[:q, :q], square[:q, q], square[q, q]
    if q == 0:
        return AuxiliaryFit(ess=0.0, rss=float(rho**2), rank=0)
    if scaled:
        norms = np.sqrt(np.sum(r_zz**2, axis=0))
        norms[norms == 0] = 1.0
        u, s, _ = np.linalg.svd(r_zz / norms, full_matrices=True)
        rank = int(np.sum(s > rank_tol * s[0])) if s[0] > 0 else 0
    else:
        u, s, _ = np.linalg.svd(r_zz, full_matrices=True)
        rank = int(np.sum(s > rank_tol * s[0])) if s[0] > 0 else 0
    if rank == q:
        ess = float(r_zt @ r_zt)
        rss = float(rho**2)
    else:
        coords = u.T @ r_zt
        ess = float(coords[:rank] @ coords[:rank])
        rss = float(coords[rank:] @ coords[rank:] + rho**2)
    return AuxiliaryFit(ess=ess, rss=rss, rank=rank)


def project(
    z: Float, t: Float, rank_tol: float = RANK_TOL, scaled: bool = True, block_rows: int = 0
) -> AuxiliaryFit:
    """Regress ``t`` on the columns of ``z`` and return its sums of squares.

    Parameters
    ----------
    z : ndarray of shape (n, q)
    t : ndarray of shape (n,)
    rank_tol : float
        Singular values of ``z`` (columns scaled to unit length when ``scaled``) below
        ``rank_tol`` times the largest count as zero.
    scaled : bool
        Scale the columns before deciding the rank (unscaled reproduces
        ``numpy.linalg.matrix_rank`` with ``rank_tol = max(n, q) * eps``).
    block_rows : int
        Rows per QR block; 0 chooses about 8 MB per block.

    Returns
    -------
    AuxiliaryFit
    """
    n, q = z.shape
    if block_rows <= 0:
        block_rows = max(4 * (q + 1), (1 << 20) // (q + 1))
    blocks = ((z[i : i + block_rows], t[i : i + block_rows]) for i in range(0, n, block_rows))
    return project_blocks(blocks, rank_tol=rank_tol, scaled=scaled)
