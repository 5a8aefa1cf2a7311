"""Ridge and least squares on a sparse design, centred implicitly.

Solves ``(ZᵀZ + λI) w = Zᵀy`` for the implicitly centred, scaled design ``Z`` of a
:class:`~linmod.solvers.sparse_problem.SparseProblem` (ridge's ``‖y − Zw‖² + λ‖w‖²``;
``λ = 0`` is the minimum-norm least-squares solution).  Two methods, by the number of
features ``p``:

* ``p ≤ SPARSE_GRAM_MAX`` (2000): the dense ``p × p`` Gram matrix
  ``ZᵀZ = X̃ᵀX̃ − μ̃(X̃ᵀv)ᵀ − (X̃ᵀv)μ̃ᵀ + (vᵀv)μ̃μ̃ᵀ`` from one sparse product (its diagonal
  the cancellation-free column norms), and one symmetric eigendecomposition serving
  every ``λ`` of a path.  The solution is exact up to rounding: relative error about
  ``eps·(σ₁² + λ)/(σ_p² + λ)`` (``σ`` the singular values of ``Z``), i.e. at the float64
  limit for any penalty that conditions the problem, and ``eps·cond(Z)²`` for ``λ = 0``
  (below ``eps·σ₁²`` the eigenvalues are treated as zero: minimum norm);
* larger ``p``: LSQR (:func:`scipy.sparse.linalg.lsqr`) on the implicitly centred
  :class:`~scipy.sparse.linalg.LinearOperator` with ``damp = sqrt(λ)``,
  ``atol = btol = 1e-14`` and up to ``max(10·p, 1000)`` iterations: it stops when the
  normal-equation residual ``‖Zᵀr − λw‖`` is below ``1e-14·‖[Z; √λ I]‖·‖r‖`` (or
  ``‖r‖ ≤ 1e-14·‖y‖``), so the coefficients are accurate to about
  ``1e-14·cond([Z; √λ I])``.  A warning says when the iteration limit stopped it.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod import exceptions  # ConvergenceWarning (scikit-learn's) made only to warn
from linmod._stack import user_stacklevel
from linmod.solvers.sparse_problem import SparseProblem

__all__ = ["SPARSE_GRAM_MAX", "SparseRidge", "sparse_gram"]

Float = NDArray[np.float64]

#: Up to this many features the sparse ridge forms the dense Gram matrix.
SPARSE_GRAM_MAX = 2000
#: LSQR's atol and btol.
LSQR_TOL = 1e-14


def sparse_gram(problem: SparseProblem) -> Float:
    """The dense ``ZᵀZ`` of the implicitly centred, scaled design."""
    x = problem.matrix()
    gram = np.asarray((x.T @ x).toarray(), dtype=float)
    mu, colv = problem.mu, problem.colv
    gram -= (
        np.outer(mu, colv) + np.outer(colv, mu) - float(problem.v @ problem.v) * np.outer(mu, mu)
    )
    gram = (gram + gram.T) / 2
    np.fill_diagonal(gram, problem.norm2)
    return gram


def _operator(problem: SparseProblem) -> Any:
    from scipy.sparse.linalg import LinearOperator

    return LinearOperator(
        (problem.n, problem.p),
        matvec=lambda c: problem.matvec(np.ravel(c)),
        rmatvec=lambda r: problem.rmatvec(np.ravel(r)),
        dtype=np.float64,
    )


class SparseRidge:
    """Exact ridge solutions ``(ZᵀZ + λI)⁻¹Zᵀy`` for any ``λ ≥ 0`` (see the module text).

    The Gram matrix and its eigendecomposition (``p ≤ SPARSE_GRAM_MAX``) are made on the
    first call and reused.

    Attributes
    ----------
    method : str
        ``"gram-eigh"`` or ``"lsqr"``.
    """

    def __init__(self, problem: SparseProblem, gram_max: int = SPARSE_GRAM_MAX) -> None:
        self._problem = problem
        self.method = "gram-eigh" if problem.p <= gram_max else "lsqr"
        self._eig: tuple[Float, Float, Float] | None = None

    def _eigen(self) -> tuple[Float, Float, Float]:
        if self._eig is None:
            vals, vecs = np.linalg.eigh(sparse_gram(self._problem))
            self._eig = (np.maximum(vals, 0.0), vecs, vecs.T @ self._problem.xty)
        return self._eig

    def eigenpairs(self) -> tuple[Float, Float, Float]:
        """Eigenvalues (clipped at 0, ascending), eigenvectors of ``ZᵀZ`` and ``VᵀZᵀy``."""
        return self._eigen()

    def singular_values(self) -> Float:
        """Singular values of ``Z``, largest first (from the Gram matrix's eigenvalues)."""
        return np.sqrt(self._eigen()[0])[::-1].copy()

    def __call__(self, lam: float) -> Float:
        """Coefficients of the centred, scaled problem at penalty ``λ`` (``λ = 0``: the
        minimum-norm least-squares solution)."""
        problem = self._problem
        if problem.p == 0:
            return np.zeros(0)
        if self.method == "lsqr":
            return self._lsqr(lam)
        vals, vecs, vty = self._eigen()
        if lam > 0.0:
            return np.asarray(vecs @ (vty / (vals + lam)))
        keep = vals > vals.max(initial=0.0) * problem.p * np.finfo(float).eps
        return np.asarray(vecs[:, keep] @ (vty[keep] / vals[keep]))

    def nonnegative(self) -> Float:
        """Non-negative least squares (``λ = 0`` with ``positive``)."""
        if self.method == "lsqr":
            from scipy.optimize import lsq_linear

            fit = lsq_linear(_operator(self._problem), self._problem.y, bounds=(0.0, np.inf),
                             tol=LSQR_TOL, lsmr_tol=LSQR_TOL)  # fmt: skip
            return np.asarray(fit.x, dtype=float)
        from scipy.optimize import nnls

        vals, vecs, _ = self._eigen()
        keep = vals > vals.max(initial=0.0) * self._problem.p * np.finfo(float).eps
        root = np.sqrt(vals[keep])
        a = root[:, None] * vecs[:, keep].T
        b = (vecs[:, keep].T @ self._problem.xty) / root
        return np.asarray(nnls(a, b)[0], dtype=float)

    def _lsqr(self, lam: float) -> Float:
        from scipy.sparse.linalg import lsqr

        problem = self._problem
        limit = max(10 * problem.p, 1000)
        out = lsqr(
            _operator(problem), problem.y, damp=float(np.sqrt(lam)), atol=LSQR_TOL,
            btol=LSQR_TOL, iter_lim=limit,
        )  # fmt: skip
        if int(out[1]) == 7:
            warnings.warn(
                f"LSQR stopped after {limit} iterations before reaching atol=btol={LSQR_TOL:g} "
                f"(normal-equation residual {out[7]:.3g}); the sparse ridge coefficients "
                "may be inaccurate: standardize the features or use a larger penalty",
                exceptions.ConvergenceWarning,
                stacklevel=user_stacklevel(),
            )
        return np.asarray(out[0], dtype=float)
