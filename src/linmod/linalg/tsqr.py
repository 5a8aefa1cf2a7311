"""Mergeable least-squares sufficient statistics: the R factor of ``[X | y]`` (TSQR).

For blocks ``[X_1 | y_1], [X_2 | y_2], …`` the triangular factor ``R`` of the stacked matrix
is the factor of the stacked block factors, so blocks can be folded one at a time (a
stream of chunks) or merged pairwise (a Dask tree reduction) and every order gives the
same ``R`` up to rounding.  From

    R = [ R_xx  z ]
        [  0    ρ ]

the least-squares solution is ``R_xx b = z``, the residual sum of squares ``ρ²`` and
``(X'X)^-1 = R_xx^-1 R_xx^-T``.  Householder QR of each stacked pair keeps the
accuracy of a QR of the whole matrix.  A tall block (a leaf) is factored by Cholesky QR
on power-of-two-scaled columns: one ``syrk`` and a Cholesky factorisation when the
scaled ``[X | y]`` block's condition number is at most 16 (its R then has a backward
error at most 16 times Householder's; the check is on the augmented block, so a small
residual, where normal equations lose digits, also sends the block on), two passes
(CholeskyQR2, as accurate as Householder) up to 1e6, Householder QR beyond.  The
response's count, mean and centred sum of squares are merged with Chan's pairwise
update for R².

References
----------
J. Demmel, L. Grigori, M. Hoemmen, J. Langou, "Communication-optimal parallel and
sequential QR and LU factorizations", SIAM J. Sci. Comput. 34 (2012).
T. F. Chan, G. H. Golub, R. J. LeVeque, "Updating formulae and a pairwise algorithm for
computing sample variances", Stanford CS report 79-773 (1979).
Y. Yamamoto, Y. Nakatsukasa, Y. Yanagisawa, T. Fukaya, "Roundoff error analysis of the
CholeskyQR2 algorithm", Electron. Trans. Numer. Anal. 44 (2015).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray
from scipy.linalg import blas, lapack

from linmod.linalg.gram import gram
from linmod.linalg.scaling import power_of_two_scales

__all__ = ["RFactor"]

Float = NDArray[np.float64]


#: One Cholesky-QR pass is accepted for a block whose scaled condition number (the exact
#: 2-norm condition of its first Cholesky factor) is at most this.  Its R is then the exact
#: R factor of a block perturbed by at most ``cond * u`` relative to its columns: within
#: 16x (4 bits) of Householder's backward error, so the fit keeps Householder's accuracy
#: up to that constant.  Above it, CholeskyQR2 restores Householder's backward error.
_CHOLQR1_MAX_CONDITION = 16.0

#: CholeskyQR2 is used for a block when the first Cholesky factor's condition number is
#: below this; its R is then as accurate as Householder's (Yamamoto et al. 2015).
_CHOLQR_MAX_CONDITION = 1e6


#: Below this column norm the Gram matrix has lost digits to underflow (its entries are
#: near the smallest normal float64, 2**-1022).
_SMALLEST_NORM = 2.0**-480


def _cholesky_qr(block: Float, g: Float | None = None) -> Float | None:
    """R factor of a tall block by Cholesky QR on power-of-two-scaled columns, or None.

    One Gram matrix (BLAS ``syrk``) and a Cholesky factorisation when the block is well
    conditioned (CholeskyQR1); otherwise a triangular solve and a second Gram matrix
    (CholeskyQR2), several times faster than Householder QR for tall-skinny blocks.
    Returns None when the block is too ill-conditioned for either, or its Gram matrix is
    not finite (before touching ``block``), and the caller uses Householder QR; after
    CholeskyQR2 ``block`` is overwritten.

    Parameters
    ----------
    block : ndarray of shape (n, k)
        C- or F-ordered.
    g : ndarray of shape (k, k), optional
        ``block.T @ block`` when the caller has it already.

    Notes
    -----
    For the scaled block ``A``, Cholesky of the computed Gram matrix gives ``R`` with
    ``R'R = A'A + E``, ``|E| <= γ_n |A|'|A|``; so ``R`` is the exact factor of ``A + ΔA``
    with ``‖ΔA‖ ≲ κ(A) ‖E‖ / ‖A‖``: a backward error ``κ(A)`` times Householder's.  Below
    :data:`_CHOLQR1_MAX_CONDITION` that factor is a small constant; above it the second
    pass (``Q1 = A R1⁻¹`` is orthonormal to ``κ² u``, and the Cholesky factor of its Gram
    matrix corrects ``R1``) brings the backward error down to ``O(u)``.
    """
    if g is None:
        with np.errstate(over="ignore", under="ignore"):  # checked just below
            g = gram(block)
    if not np.all(np.isfinite(g)):  # non-finite data or overflowing squares
        return None
    norms = np.sqrt(np.diag(g))
    if not np.all(norms > 0):
        return None
    if not np.all(norms > _SMALLEST_NORM):  # squares near underflow: Householder instead
        return None
    scales = power_of_two_scales(norms)
    # Scaling the Gram matrix by powers of two is exact: it is the Gram of block * scales.
    r1, info = lapack.dpotrf(g * np.outer(scales, scales), lower=0, clean=1)
    if info != 0:
        return None
    r1 = np.triu(r1)
    singular = np.linalg.svd(r1, compute_uv=False)  # O(k³): nothing next to n k²
    condition = singular[0] / singular[-1] if singular[-1] > 0 else np.inf
    if condition <= _CHOLQR1_MAX_CONDITION:
        return r1 / scales
    if condition > _CHOLQR_MAX_CONDITION:
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
        return r1 / scales  # the block is overwritten: CholeskyQR1's factor
    return np.triu(r2 @ r1) / scales


def _triangle(stacked: Float, width: int) -> Float:
    if stacked.shape[0] > 4 * width:
        fast = _cholesky_qr(np.array(stacked, order="C"))  # a private copy to overwrite
        if fast is not None:
            return _positive_diagonal(fast)
    return _householder(stacked, width)


def _householder(stacked: Float, width: int) -> Float:
    """R factor by Householder QR (LAPACK ``dgeqrf``; ``stacked`` may be overwritten)."""
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
    def from_augmented(cls, block: Float, g: Float | None = None) -> RFactor:
        """Statistics of ``[X | y]`` given as one C- or F-ordered array (may be overwritten).

        Parameters
        ----------
        block : ndarray of shape (n, p + 1)
            The design and, last, the response.
        g : ndarray of shape (p + 1, p + 1), optional
            ``block.T @ block`` when the caller has computed it already.
        """
        n, width = block.shape
        if n == 0:
            return cls.empty(width - 1)
        y = block[:, -1]
        mean = float(np.mean(y))
        centred = y - mean
        with np.errstate(over="ignore"):  # inf beyond float64: callers refuse it
            moments = (mean, float(centred @ centred), float(y @ y))
        if n > 4 * width:
            fast = _cholesky_qr(block, g)
            if fast is not None:
                return cls(_positive_diagonal(fast), n, *moments)
        return cls(_householder(block, width), n, *moments)

    @classmethod
    def from_blocks(cls, blocks: Iterable[Float]) -> RFactor | None:
        """Statistics of consecutive row blocks of ``[X | y]`` (each may be overwritten).

        Each block's Gram matrix is formed once and is both the first step of its leaf
        and the check that every value is finite: a NaN or an infinity makes its
        column's sum of squares non-finite.

        Parameters
        ----------
        blocks : iterable of ndarray of shape (n_i, p + 1)

        Returns
        -------
        RFactor or None
            None when a block holds a non-finite value (or its squares overflow), so
            that the caller can find and report the row, or when there are no blocks.
        """
        factor: RFactor | None = None
        for block in blocks:
            with np.errstate(over="ignore"):  # overflowing squares: checked just below
                g = gram(block)
            if not np.all(np.isfinite(np.diag(g))):
                return None
            folded = cls.from_augmented(block, g)
            factor = folded if factor is None else factor.merge(folded)
        return factor

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
        with np.errstate(over="ignore"):  # inf (not OverflowError) beyond float64
            spread = np.float64(delta) ** 2 * self.n * other.n / n
        centred = float(self.y_centred_ss + other.y_centred_ss + spread)
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
