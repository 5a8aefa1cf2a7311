"""Ridge solvers: Cholesky for one penalty, one SVD for many.

Both work on the centred (and possibly scaled) design, so the intercept is never
penalised, and minimise scikit-learn's objective ``‖y − Xβ‖² + α‖β‖²``.

Cholesky
    ``(XᵀX + αI)β = Xᵀy`` when ``p ≤ n``; the dual ``(XXᵀ + αI)a = y``, ``β = Xᵀa``
    when ``p > n`` (an ``n × n`` system).  One step of iterative refinement with the
    same factor brings the solution to about ``cond(XᵀX + αI)·eps``.  A matrix that is
    not numerically positive definite (``α = 0`` with dependent columns) falls back to
    the SVD, whose ``α = 0`` solution is the minimum-norm one.
SVD
    ``X = USVᵀ`` once; then ``β(α) = V diag(s/(s² + α)) Uᵀy`` costs ``O(p·min(n, p))``
    per penalty, and the leverages ``h_ii(α) = Σ_k U_ik² s_k²/(s_k² + α)`` give exact
    leave-one-out residuals ``e_i / (1 − h_ii)`` (and generalised cross-validation) for
    every penalty at no extra cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

__all__ = ["RIDGE_SOLVERS", "RidgeSVD", "ridge_cholesky", "solve_ridge"]

Float = NDArray[np.float64]
#: Rows of the leave-one-out residuals are computed in blocks of about this many bytes.
_BLOCK_BYTES = 8 << 20

#: Solver names accepted by :func:`solve_ridge` and :class:`~linmod.Ridge`.
RIDGE_SOLVERS = ("auto", "cholesky", "svd")


def ridge_cholesky(xc: Float, yc: Float, alpha: float) -> Float:
    """Ridge coefficients by a Cholesky factorisation (primal or dual).

    Parameters
    ----------
    xc : ndarray of shape (n, p)
        Centred (scaled) design.
    yc : ndarray of shape (n,)
        Centred response.
    alpha : float
        Penalty ≥ 0.

    Returns
    -------
    ndarray of shape (p,)

    Raises
    ------
    numpy.linalg.LinAlgError
        If the system is not numerically positive definite.
    """
    n, p = xc.shape
    if p <= n:
        a = xc.T @ xc
        a[np.diag_indices_from(a)] += alpha
        factor = sla.cho_factor(a, lower=True, check_finite=False)
        coef = sla.cho_solve(factor, xc.T @ yc, check_finite=False)
        correction = xc.T @ (yc - xc @ coef) - alpha * coef
        return np.asarray(coef + sla.cho_solve(factor, correction, check_finite=False))
    k = xc @ xc.T
    k[np.diag_indices_from(k)] += alpha
    factor = sla.cho_factor(k, lower=True, check_finite=False)
    dual = sla.cho_solve(factor, yc, check_finite=False)
    dual = dual + sla.cho_solve(factor, yc - k @ dual, check_finite=False)
    return np.asarray(xc.T @ dual)


@dataclass(frozen=True)
class RidgeSVD:
    """The thin SVD of a centred design, reused for any number of penalties.

    Attributes
    ----------
    u : ndarray of shape (n, m)
    s : ndarray of shape (m,)
    vt : ndarray of shape (m, p)
    uty : ndarray of shape (m,)
        ``Uᵀy`` for the centred response.
    y : ndarray of shape (n,)
        The centred response.
    intercept : bool
        Whether the data were centred (the intercept adds ``1/n`` to each leverage).
    row_centring : ndarray of shape (n,), optional
        With weights (rows scaled by ``sqrt(w_i)``, weighted centring): the intercept's
        leverage of each row, ``w_i / Σ w``, in place of ``1/n``.
    """

    u: Float
    s: Float
    vt: Float
    uty: Float
    y: Float
    intercept: bool
    row_centring: Float | None = None

    @classmethod
    def of(cls, xc: Float, yc: Float, intercept: bool) -> RidgeSVD:
        """Decompose ``xc`` (``gesdd``, falling back to ``gesvd`` if it fails)."""
        try:
            u, s, vt = sla.svd(xc, full_matrices=False, check_finite=False)
        except np.linalg.LinAlgError:  # pragma: no cover - gesdd rarely fails
            u, s, vt = sla.svd(xc, full_matrices=False, check_finite=False, lapack_driver="gesvd")
        return cls(u=u, s=s, vt=vt, uty=u.T @ yc, y=yc, intercept=intercept)

    def _shrink(self, alphas: Float) -> Float:
        """``s_k²/(s_k² + α)`` for each component and penalty: shape (m, k)."""
        s2 = self.s[:, None] ** 2
        with np.errstate(divide="ignore", invalid="ignore"):
            f = s2 / (s2 + alphas[None, :])
        return np.where(s2 > 0, f, 0.0)

    def coefs(self, alphas: Float) -> Float:
        """Coefficients for each penalty, shape (p, k).

        At ``α = 0`` singular values below ``max(n, p)·eps·s₁`` count as zero, which gives
        the minimum-norm least-squares solution.
        """
        s = self.s[:, None]
        a = alphas[None, :]
        cutoff = self.s[0] * max(self.u.shape[0], self.vt.shape[1]) * np.finfo(float).eps
        keep = (s > 0) & ((a > 0) | (s > cutoff)) if self.s.size else s > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            d = np.where(keep, s / (s**2 + a), 0.0)
        return np.asarray(self.vt.T @ (d * self.uty[:, None]))

    def effective_df(self, alphas: Float) -> Float:
        """Effective degrees of freedom ``Σ s_k²/(s_k² + α)`` (plus 1 for the intercept)."""
        return np.asarray(self._shrink(alphas).sum(axis=0) + float(self.intercept))

    def loo_residuals(self, alphas: Float, gcv: bool = False) -> Float:
        """Leave-one-out residuals ``y_i − ŷ_(−i)`` for each penalty, shape (n, k).

        Exact for ridge with an unpenalised intercept (the held-out point is also left out
        of the centring).  With ``gcv=True`` each leverage is replaced by their mean
        (generalised cross-validation).
        """
        out = np.empty((self.y.shape[0], alphas.shape[0]))
        for start, block in self._loo_blocks(alphas, gcv):
            out[start : start + block.shape[0]] = block
        return out

    def loo_error_moments(self, alphas: Float, gcv: bool = False) -> tuple[Float, Float]:
        """Mean and sample variance over the observations of the squared leave-one-out
        residuals, for each penalty, without holding the ``n × k`` residuals.

        The blocks of :meth:`loo_residuals` are merged by Chan, Golub and LeVeque's
        pairwise update (as stable as two passes).  A penalty with a non-finite squared
        residual has the mean of its sum (inf or NaN, as ``numpy.mean``) and variance NaN.

        Returns
        -------
        mean, variance : ndarray of shape (k,)
            ``variance`` uses ``ddof=1`` (NaN when ``n < 2``).
        """
        k = alphas.shape[0]
        count, mean, m2 = 0, np.zeros(k), np.zeros(k)
        total, finite = np.zeros(k), np.ones(k, dtype=bool)
        for _, block in self._loo_blocks(alphas, gcv):
            np.square(block, out=block)
            total += block.sum(axis=0)
            finite &= np.isfinite(block).all(axis=0)
            m = block.shape[0]
            with np.errstate(invalid="ignore", over="ignore"):
                block_mean = block.mean(axis=0)
                block_m2 = np.square(block - block_mean).sum(axis=0)
                if count:
                    delta = block_mean - mean
                    mean = mean + delta * (m / (count + m))
                    m2 = m2 + block_m2 + np.square(delta) * (count * m / (count + m))
                else:
                    mean, m2 = block_mean, block_m2
            count += m
        variance = m2 / (count - 1) if count > 1 else np.full(k, np.nan)
        return np.where(finite, mean, total / count), np.where(finite, variance, np.nan)

    def _loo_blocks(self, alphas: Float, gcv: bool) -> Iterator[tuple[int, Float]]:
        """``(first row, leave-one-out residuals of a block of rows)``, in order; each
        block is a new array of about ``_BLOCK_BYTES``."""
        f = self._shrink(alphas)
        g = f * self.uty[:, None]
        n, k = self.y.shape[0], f.shape[1]
        centring = 1.0 / n if self.intercept else 0.0
        mean_lev = np.sum(self.u**2, axis=0) @ f / n + centring if gcv else None
        step = max(1, _BLOCK_BYTES // (8 * max(k, self.u.shape[1])))  # no n x k temporaries
        for start in range(0, n, step):
            u = self.u[start : start + step]
            shift: Float | float = centring
            if self.row_centring is not None and self.intercept:
                shift = self.row_centring[start : start + step, None]
            lev = (u**2) @ f + shift if mean_lev is None else mean_lev[None, :]
            block = np.subtract(self.y[start : start + step, None], u @ g)
            with np.errstate(divide="ignore", invalid="ignore"):
                np.divide(block, 1.0 - lev, out=block)
            singular = ~(1.0 - lev > 1e-12)
            if singular.any():
                block[np.broadcast_to(singular, block.shape)] = np.inf
            yield start, block


def solve_ridge(xc: Float, yc: Float, alpha: float, solver: str = "auto") -> Float:
    """Ridge coefficients of a centred problem by the named solver.

    ``"auto"`` is Cholesky for ``α > 0`` and the SVD (minimum-norm least squares) for
    ``α = 0``; Cholesky falls back to the SVD when the system is not positive definite.
    """
    if solver == "cholesky" or (solver == "auto" and alpha > 0):
        try:
            return ridge_cholesky(xc, yc, alpha)
        except np.linalg.LinAlgError:
            pass
    return RidgeSVD.of(xc, yc, intercept=False).coefs(np.array([alpha]))[:, 0]
