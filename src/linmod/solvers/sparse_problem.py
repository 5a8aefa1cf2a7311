"""The centred, scaled least-squares problem of a sparse design, centred *implicitly*.

Centring a sparse ``X`` would fill it in.  As scikit-learn does, the problem keeps the
stored values and the column means apart: with row factors ``v_i`` (``sqrt(w_i)`` with
weights rescaled to mean 1, else 1), weighted means ``μ_j = Σ w_i x_ij / Σ w_i`` and
column scales ``s_j`` (``standardize``: the weighted population standard deviation,
glmnet's; 1 otherwise), the centred, scaled design is

    Z = (diag(v) X − v μᵀ) diag(1/s),   column j:  x̃_j − μ̃_j v,

where ``x̃_j`` (the stored values times ``v_i / s_j``) stays sparse and ``μ̃_j = μ_j / s_j``.
Then ``Zᵀr = X̃ᵀr − μ̃ (vᵀr)`` costs one pass over the stored values and one sum, and the
squared column norms come without cancellation as
``Σ_stored (x̃_ij − μ̃_j v_i)² + μ̃_j² (vᵀv − Σ_stored v_i²)``.  The response is
``v ⊙ (y − ȳ_w)``.  Without an intercept ``μ = 0`` and ``Z = diag(v) X diag(1/s)``.

This is the same problem as :func:`linmod.solvers.penalized_problem.make_problem` (and
:func:`~linmod.solvers.weighted_problem.weighted_problem`) builds from the dense matrix:
the same :class:`~linmod.solvers.penalized_problem.Scaling`, the same objective.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.solvers.penalized_problem import Scaling
from linmod.solvers.weighted_problem import unit_mean

__all__ = ["SparseProblem", "sparse_problem"]

Float = NDArray[np.float64]
Int = NDArray[np.int64]


@dataclass(frozen=True)
class SparseProblem:
    """A centred, scaled least-squares problem on a CSC design (see the module text).

    Attributes
    ----------
    n : int
        Rows.
    scaling : Scaling
        Means, scales and the response's mean, to map coefficients back.
    data, indices, indptr : ndarray
        The CSC arrays of ``X̃ = diag(v) X diag(1/s)`` (int64 indices).
    v : ndarray of shape (n,)
        Row factors (``sqrt`` of the unit-mean weights, or ones).
    mu : ndarray of shape (p,)
        Scaled means ``μ̃`` (zeros without an intercept).
    colv : ndarray of shape (p,)
        ``X̃ᵀv`` (``μ̃·vᵀv`` with an intercept).
    norm2 : ndarray of shape (p,)
        Squared norms of the centred, scaled columns.
    y : ndarray of shape (n,)
        The centred, weighted response.
    xty : ndarray of shape (p,)
        ``Zᵀy``.
    y_norm2 : float
        ``‖y‖²``.
    """

    n: int
    scaling: Scaling
    data: Float
    indices: Int
    indptr: Int
    v: Float
    mu: Float
    colv: Float
    norm2: Float
    y: Float
    xty: Float
    y_norm2: float

    @property
    def p(self) -> int:
        """Number of features."""
        return int(self.mu.shape[0])

    def matrix(self) -> Any:
        """``X̃`` as a ``scipy.sparse.csc_array`` (sharing the arrays)."""
        import scipy.sparse as sp

        return sp.csc_array((self.data, self.indices, self.indptr), shape=(self.n, self.p))

    def matvec(self, coef: Float) -> Float:
        """``Z @ coef`` (dense, length n)."""
        return np.asarray(self.matrix() @ coef) - self.v * float(self.mu @ coef)

    def rmatvec(self, r: Float) -> Float:
        """``Zᵀ @ r`` (length p)."""
        return np.asarray(self.matrix().T @ r) - self.mu * float(self.v @ r)


def _column_sums(values: Float, indptr: Int, p: int) -> Float:
    """Per-column sums of ``values`` laid out as the CSC data."""
    counts = np.diff(indptr)
    columns = np.repeat(np.arange(p), counts)
    return np.bincount(columns, weights=values, minlength=p).astype(np.float64, copy=False)


def sparse_problem(
    x: Any,
    y: Float,
    weights: Float | None,
    fit_intercept: bool,
    standardize: bool,
    *,
    rescale_weights: bool = True,
) -> SparseProblem:
    """Build the implicitly centred problem of a canonical CSC matrix.

    Parameters
    ----------
    x : scipy.sparse.csc_array of shape (n, p)
        From :func:`linmod.data.sparse_input.as_csc` (float64, int64 indices, finite).
    y : ndarray of shape (n,)
    weights : ndarray of shape (n,) or None
        Positive weights (zero-weight rows already dropped).
    fit_intercept, standardize : bool
    rescale_weights : bool
        Rescale the weights to mean 1 (the ``1/2W`` objectives of the Lasso and elastic
        net); False uses them as given (ridge's ``Σ w_i r_i²``).
    """
    n, p = x.shape
    if not x.has_canonical_format:  # the kernels rely on sorted, unique row indices
        x = x.copy()
        x.sum_duplicates()
    indptr = np.asarray(x.indptr, dtype=np.int64)
    indices = np.asarray(x.indices, dtype=np.int64)
    counts = np.diff(indptr)
    if weights is None:
        v = np.ones(n)
    else:
        v = np.sqrt(unit_mean(weights) if rescale_weights else np.asarray(weights, dtype=float))
    vv = float(v @ v)
    v_at = v[indices]
    data = np.asarray(x.data, dtype=float) * v_at  # sqrt(w_i) x_ij
    if fit_intercept:
        mu = _column_sums(data * v_at, indptr, p) / vv
        y_offset = float((v * v) @ y) / vv
    else:
        mu = np.zeros(p)
        y_offset = 0.0
    mu_at = np.repeat(mu, counts)
    stored_vv = _column_sums(v_at * v_at, indptr, p)
    dev = data - mu_at * v_at
    sum_sq = _column_sums(dev * dev, indptr, p) + mu * mu * np.maximum(vv - stored_vv, 0.0)
    scale = np.ones(p)
    if standardize:
        scale = np.sqrt(np.maximum(sum_sq, 0.0) / vv)
        scale[scale == 0.0] = 1.0
        data = data / np.repeat(scale, counts)
    mu_s = mu / scale
    norm2 = sum_sq / (scale * scale)
    yc = np.ascontiguousarray(v * (y - y_offset))
    colv = _column_sums(data * v_at, indptr, p)
    xty = _column_sums(data * yc[indices], indptr, p) - mu_s * float(v @ yc)
    return SparseProblem(
        n=n,
        scaling=Scaling(mu, scale, y_offset),
        data=np.ascontiguousarray(data),
        indices=indices,
        indptr=indptr,
        v=v,
        mu=np.ascontiguousarray(mu_s),
        colv=np.ascontiguousarray(colv),
        norm2=np.ascontiguousarray(norm2),
        y=yc,
        xty=np.ascontiguousarray(xty),
        y_norm2=float(yc @ yc),
    )
