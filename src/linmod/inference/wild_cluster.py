"""The wild (cluster) bootstrap: weights, replicates and bootstrap-t statistics.

A wild bootstrap keeps the design and each residual's position and flips the residuals'
signs (or scales them) with random weights of mean 0 and variance 1: per observation
(Wu 1986, Liu 1988, Mammen 1993), or one weight per cluster for all of its observations
(Cameron, Gelbach & Miller 2008). With ``y* = X b + u * v`` the refit is
``b* = b + A X'(u * v) = b + A S' v`` where ``A = (X'X)^-1`` and row ``g`` of ``S`` is the
cluster's score ``X_g' u_g``: every replicate is one row of ``V S A`` (``V`` the weights).

For few clusters the bootstrap-t statistic is what CGM recommend, and its residuals and
cluster-robust standard errors also have closed forms (Roodman, MacKinnon, Nielsen &
Webb 2019, "Fast and wild", the algorithm of Stata's ``boottest`` and R's
``fwildclusterboot``): the bootstrap residuals are ``u * v - X (b* - b)``, so the cluster
sums entering coefficient ``j``'s CR1 variance are
``(S A)[g, j] v_g - (X_g'X_g A)[:, j]' (b* - b)``, ``O(B G k)`` per coefficient.

* **WCR** (restricted): the residuals ``u`` come from the fit under ``H0: beta_j = 0``
  (column ``j`` dropped), ``t*_b = b*_j / se*_j``, and the p-value is the share of
  ``|t*_b| >= |t|`` (symmetric, ``boottest``'s and ``fwildclusterboot``'s default);
  ``t`` uses the CR1 standard error of the original fit.
* **WCU** (unrestricted): ``u`` are the fit's residuals and ``t*_b = (b*_j - b_j) /
  se*_j``; its quantiles give the percentile-t (studentized) interval.

The CR1 factor ``G/(G-1) (n-1)/(n-k)`` is ``sandwich::vcovCL``'s and statsmodels'
``cov_type="cluster"`` default; it scales ``t`` and every ``t*`` alike.
"""

from __future__ import annotations

import itertools

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

__all__ = [
    "WEIGHT_KINDS",
    "ClusterDesign",
    "cluster_scores",
    "draw_weights",
    "enumerate_signs",
    "wild_t_statistics",
]

Float = NDArray[np.float64]

#: Two-point Rademacher (+-1), Mammen's skewness-matching two-point weights, Webb's
#: six-point weights (for fewer than about 12 clusters, where Rademacher has too few
#: distinct draws); all have mean 0 and variance 1.
WEIGHT_KINDS = ("rademacher", "mammen", "webb")

_SQRT5 = np.sqrt(5.0)
_WEBB = np.array(
    [-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)], dtype=np.float64
)


def draw_weights(rng: np.random.Generator, kind: str, shape: int | tuple[int, ...]) -> Float:
    """Wild-bootstrap weights of ``kind`` (one of :data:`WEIGHT_KINDS`): Rademacher from
    ``rng.integers(0, 2)``, Mammen from ``rng.random()``, Webb from ``rng.integers(0, 6)``."""
    if kind == "rademacher":
        return rng.integers(0, 2, size=shape).astype(np.float64) * 2.0 - 1.0
    if kind == "mammen":
        low, high = -(_SQRT5 - 1.0) / 2.0, (_SQRT5 + 1.0) / 2.0
        p_low = (_SQRT5 + 1.0) / (2.0 * _SQRT5)
        return np.where(rng.random(size=shape) < p_low, low, high)
    return _WEBB[rng.integers(0, 6, size=shape)]


def enumerate_signs(clusters: int) -> Float:
    """All ``2**clusters`` Rademacher sign vectors (the exact wild cluster bootstrap)."""
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=clusters)), dtype=np.float64)
    return signs.reshape(2**clusters, clusters)


def cluster_scores(x: Float, u: Float, codes: NDArray[np.intp], clusters: int) -> Float:
    """``S`` with row ``g`` the cluster's score ``X_g' u_g`` (shape ``(G, k)``)."""
    scored = x * u[:, None]
    return np.column_stack(
        [np.bincount(codes, weights=scored[:, j], minlength=clusters) for j in range(x.shape[1])]
    )


class ClusterDesign:
    """The fixed pieces of a (scaled) design for wild-cluster bootstrap-t statistics.

    Parameters
    ----------
    x : ndarray of shape (n, k)
        The design (full column rank).
    codes : ndarray of int, shape (n,)
        Cluster of each row, ``0 .. G-1``.
    clusters : int
        ``G``.
    """

    def __init__(self, x: Float, codes: NDArray[np.intp], clusters: int):
        n, k = x.shape
        self.x, self.codes, self.clusters = x, codes, clusters
        r = sla.qr(x, mode="r", check_finite=False)[0][:k]
        r_inverse = sla.solve_triangular(r, np.eye(k), check_finite=False)
        self.inverse = r_inverse @ r_inverse.T  # A = (X'X)^-1 without forming X'X
        self.gram = r.T @ r
        grams = np.zeros((clusters, k, k))
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(clusters + 1))
        for g in range(clusters):
            rows = x[order[bounds[g] : bounds[g + 1]]]
            grams[g] = rows.T @ rows
        self.grams = grams
        # K[g, :, j] = X_g'X_g A[:, j]
        self.k_matrix = grams @ self.inverse
        self.cr1 = clusters / (clusters - 1) * (n - 1) / max(n - k, 1)

    def delete_one_changes(self, scores: Float) -> Float:
        """``b - b_(g)`` for each cluster ``g`` left out (NaN where the rest is singular).

        ``b_(g) = b - (X'X - X_g'X_g)^-1 X_g'u_g`` (the delete-one-cluster jackknife).
        """
        out = np.full(scores.shape, np.nan)
        for g in range(self.clusters):
            rest = self.gram - self.grams[g]
            if np.linalg.cond(rest) < 1e12:
                out[g] = np.linalg.solve(rest, scores[g])
        return out

    def std_errors(self, scores: Float) -> Float:
        """CR1 standard errors of the fit whose cluster scores are ``scores``."""
        sums = scores @ self.inverse  # (G, k): (S A)[g, j]
        return np.asarray(np.sqrt(self.cr1 * np.sum(sums**2, axis=0)), dtype=np.float64)

    def t_statistics(self, scores: Float, weights: Float, j: int) -> tuple[Float, Float]:
        """Bootstrap coefficient changes and standard errors of coefficient ``j``.

        Returns ``(b*_j - b_j, se*_j)`` for every row of ``weights`` (``(B, G)``).
        """
        sums = scores @ self.inverse  # (G, k)
        changes = weights @ sums  # (B, k): b* - b
        cluster_sums = weights * sums[:, j] - changes @ self.k_matrix[:, :, j].T
        se = np.sqrt(self.cr1 * np.sum(cluster_sums**2, axis=1))
        return changes[:, j], se


def wild_t_statistics(
    design: ClusterDesign, scores: Float, weights: Float, j: int
) -> tuple[Float, Float]:
    """Bootstrap t statistics ``(b*_j - b_j) / se*_j`` of coefficient ``j``, and ``se*_j``.

    With the restricted fit's scores (``b_j = 0``) these are WCR's ``t*``; with the
    unrestricted fit's, WCU's.
    """
    changes, se = design.t_statistics(scores, weights, j)
    with np.errstate(divide="ignore", invalid="ignore"):
        return changes / se, se
