"""Auxiliary least-squares regressions (internal).

Most tests regress something on something: squared residuals on the regressors
(Breusch-Pagan, White), residuals on lagged residuals (Breusch-Godfrey), the response on
powers of the fitted values (RESET).  :func:`project` returns the explained and residual
sums of squares of such a regression from the R factor of ``[Z t]``, built by Householder
QR over row blocks (TSQR), so that neither sum is formed by subtracting two large numbers,
rank deficiency in ``Z`` is handled, and memory stays at one block plus ``q x q`` however
many rows there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import linalg

__all__ = ["AuxiliaryFit", "project", "project_blocks"]

Float = NDArray[np.float64]

#: Relative tolerance on the singular values of the column-scaled ``Z`` below which a
#: direction counts as aliased (R's ``lm.fit`` uses 1e-7 on its pivoted QR).
RANK_TOL = 1e-7


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


def project_blocks(
    blocks: Iterable[tuple[Float, Float]], rank_tol: float = RANK_TOL, scaled: bool = True
) -> AuxiliaryFit:
    """Fit ``t`` on ``Z`` given row blocks ``(Z_b, t_b)`` (see :func:`project`)."""
    r_factor: Float | None = None
    for z_block, t_block in blocks:
        augmented = np.column_stack([z_block, t_block])
        if r_factor is not None:
            augmented = np.vstack([r_factor, augmented])
        r_factor = linalg.qr(augmented, mode="r", overwrite_a=True, check_finite=False)[0]
        q1 = min(r_factor.shape[0], augmented.shape[1])
        r_factor = r_factor[:q1]
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
