"""Mergeable least-squares sufficient statistics: the R factor of ``[X | y]`` (TSQR).

For blocks ``[X_1 | y_1], [X_2 | y_2], …`` the triangular factor ``R`` of the stacked matrix
is the factor of the stacked block factors, so blocks can be folded one at a time (a
stream of chunks) or merged pairwise (a Dask tree reduction) and every order gives the
same ``R`` up to rounding.  From

    R = [ R_xx  z ]
        [  0    ρ ]

the least-squares solution is ``R_xx b = z``, the residual sum of squares ``ρ²`` and
``(X'X)^-1 = R_xx^-1 R_xx^-T``.  Householder QR of each stacked pair keeps the
accuracy of a QR of the whole matrix (no normal equations are formed).  The response's
count, mean and centred sum of squares are merged with Chan's pairwise update for R².

References
----------
J. Demmel, L. Grigori, M. Hoemmen, J. Langou, "Communication-optimal parallel and
sequential QR and LU factorizations", SIAM J. Sci. Comput. 34 (2012).
T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a pairwise algorithm for
computing sample variances", Stanford CS report 79-773 (1979).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy.linalg import blas, lapack

from linmod.linalg.gram import gram
from linmod.linalg.scaling import power_of_two_scales

__all__ = ["RFactor"]

Float = NDArray[np.float64]


#: CholeskyQR2 is used for a block when the first Cholesky factor's condition estimate is
#: below this; its R is then as accurate as Householder's (Yamamoto et al. 2015).
_CHOLQR_MAX_CONDITION = 1e6


def _cholesky_qr2(block: Float) -> Float | None:
    """R factor of a tall block by CholeskyQR2 on power-of-two-scaled columns, or None.

    Two Gram matrices (BLAS ``syrk``) and one triangular solve: several times faster than
    Householder QR for tall-skinny blocks.  Returns None when the block is too
    ill-conditioned for it (before touching ``block``), and the caller uses Householder QR;
    otherwise ``block`` is overwritten.
    """
    g = gram(block)
    norms = np.sqrt(np.diag(g))
    if not np.all(norms > 0):
        return None
    scales = power_of_two_scales(norms)
    # Scaling the Gram matrix by powers of two is exact: it is the Gram of block * scales.
    r1, info = lapack.dpotrf(g * np.outer(scales, scales), lower=0, clean=1)
    if info != 0:
        return None
    diagonal = np.abs(np.diag(r1))
    if diagonal.max() > _CHOLQR_MAX_CONDITION * diagonal.min():
        return None
    # Q1 = (block * scales) R1^-1 = block (R1 / scales)^-1, solved in place (no copy of X):
    # from the right on a Fortran-ordered block, on the transposed view of a C-ordered one.
    t = r1 / scales[None, :]
    if block.flags.f_contiguous:
        q1 = blas.dtrsm(1.0, t, block, side=1, lower=0, overwrite_b=True)
    else:
        q1 = blas.dtrsm(1.0, t, block.T, side=0, lower=0, trans_a=1, overwrite_b=True).T
    r2, info = lapack.dpotrf(gram(q1), lower=0, clean=1)
    if info != 0:  # pragma: no cover - Q1 is near-orthonormal below the condition bound
        return np.triu(r1) / scales  # the block is overwritten: CholeskyQR1's factor
    return np.triu(r2 @ r1) / scales


def _triangle(stacked: Float, width: int) -> Float:
    if stacked.shape[0] > 4 * width:
        fast = _cholesky_qr2(np.array(stacked, order="C"))  # a private copy to overwrite
        if fast is not None:
            return _positive_diagonal(fast)
    r = sla.qr(stacked, mode="r", check_finite=False, overwrite_a=True)[0][:width]
    if r.shape[0] < width:  # fewer rows than columns so far
        r = np.vstack([r, np.zeros((width - r.shape[0], width))])
    return _positive_diagonal(np.triu(r))


def _positive_diagonal(r: Float) -> Float:
    """Flip row signs so the diagonal is non-negative (R is unique up to these signs)."""
    signs = np.where(np.diag(r) < 0, -1.0, 1.0)
    return r * signs[:, None]


@dataclass(frozen=True)
class RFactor:
    """Sufficient statistics of a least-squares problem, mergeable across blocks.

    Attributes
    ----------
    r : ndarray of shape (p + 1, p + 1)
        Upper-triangular factor of ``[X | y]`` (last column is the response).
    n : int
        Rows folded in.
    y_mean : float
        Mean of the response.
    y_centred_ss : float
        ``sum((y - mean)**2)``.
    y_ss : float
        ``sum(y**2)`` (the total sum of squares of a model without intercept).
    """

    r: Float
    n: int
    y_mean: float
    y_centred_ss: float
    y_ss: float

    @classmethod
    def empty(cls, p: int) -> RFactor:
        """The statistics of no rows for ``p`` design columns."""
        return cls(np.zeros((p + 1, p + 1)), 0, 0.0, 0.0, 0.0)

    @classmethod
    def from_block(cls, x: Float, y: Float) -> RFactor:
        """Statistics of one block of rows."""
        return cls.from_augmented(np.column_stack([x, y]))

    @classmethod
    def from_augmented(cls, block: Float) -> RFactor:
        """Statistics of ``[X | y]`` given as one C- or F-ordered array (overwritten)."""
        n, width = block.shape
        if n == 0:
            return cls.empty(width - 1)
        y = block[:, -1]
        mean = float(np.mean(y))
        centred = y - mean
        moments = (mean, float(centred @ centred), float(y @ y))
        if n > 4 * width:
            fast = _cholesky_qr2(block)
            if fast is not None:
                return cls(_positive_diagonal(fast), n, *moments)
        return cls(_triangle(block, width), n, *moments)

    @property
    def p(self) -> int:
        """Number of design columns."""
        return int(self.r.shape[0] - 1)

    def merge(self, other: RFactor) -> RFactor:
        """Statistics of the rows of both (associative; any order gives the same fit)."""
        if other.p != self.p:
            raise ValueError(f"cannot merge factors of {self.p} and {other.p} columns")
        if other.n == 0:
            return self
        if self.n == 0:
            return other
        n = self.n + other.n
        delta = other.y_mean - self.y_mean
        mean = self.y_mean + delta * other.n / n
        centred = self.y_centred_ss + other.y_centred_ss + delta**2 * self.n * other.n / n
        r = _triangle(np.vstack([self.r, other.r]), self.p + 1)  # 2(p+1) rows: Householder
        return RFactor(r, n, mean, centred, self.y_ss + other.y_ss)

    def add_block(self, x: Float, y: Float) -> RFactor:
        """Fold another block of rows in."""
        return self.merge(RFactor.from_block(x, y))

    @property
    def r_xx(self) -> Float:
        """Triangular factor of the design alone, ``X'X = R_xx' R_xx``."""
        return self.r[:-1, :-1]

    @property
    def z(self) -> Float:
        """``Q' y`` restricted to the design's column space."""
        return self.r[:-1, -1]

    @property
    def ssr_full_rank(self) -> float:
        """Residual sum of squares ``ρ²`` of the full-rank fit."""
        return float(self.r[-1, -1] ** 2)
