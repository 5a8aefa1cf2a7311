"""Rank, aliasing and conditioning of a scaled design.

Rank is decided on the power-of-two-scaled design (so a column's units cannot make it look
negligible) with R's rule for *which* columns to drop: columns are taken in order and a
column is aliased when it lies, to within ``tol``, in the span of the columns kept before
it.  This keeps the coefficients R's ``lm`` would keep, while the scaled criterion does not
mistake an ill-conditioned full-rank design (NIST's Filip, condition number ~1e15
unscaled) for a singular one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

__all__ = ["RANK_TOL", "Dependency", "RankAnalysis", "analyse_rank", "condition_of_triangular"]

Float = NDArray[np.float64]

#: A column is aliased when the part of it orthogonal to the earlier kept columns is at
#: most this fraction of its norm.  Exact dependencies in float64 data show up near 1e-16;
#: the hardest full-rank NIST design (Filip) bottoms out at 5e-8.
RANK_TOL = 1e-11

#: Coefficients of a dependency smaller than this (relative to the largest) are not shown.
_DEPENDENCY_CUTOFF = 1e-9


@dataclass(frozen=True)
class Dependency:
    """An aliased column written as a combination of kept columns.

    Attributes
    ----------
    column : int
        Index of the aliased column.
    coefficients : dict[int, float]
        ``x[column] == sum(c * x[k] for k, c in coefficients.items())`` in original units.
    """

    column: int
    coefficients: dict[int, float]

    def describe(self, names: tuple[str, ...] | list[str]) -> str:
        """Render the dependency as text, e.g. ``"wt2 = 2·wt"``."""
        if not self.coefficients:
            return f"{names[self.column]} = 0"
        parts: list[str] = []
        for k, c in self.coefficients.items():
            magnitude = abs(c)
            factor = "" if np.isclose(magnitude, 1.0, rtol=1e-9) else f"{magnitude:.6g}·"
            sign = "-" if c < 0 else "+"
            parts.append(f"{sign} {factor}{names[k]}")
        text = " ".join(parts)
        text = text[2:] if text.startswith("+ ") else "-" + text[2:]
        return f"{names[self.column]} = {text}"


@dataclass(frozen=True)
class RankAnalysis:
    """What the scaled QR factorisation says about a design.

    Attributes
    ----------
    kept : ndarray of bool, shape (p,)
        Columns that are estimable (not aliased).
    q, r : ndarray
        Thin QR factors of the scaled kept columns, ``xs[:, kept] = q @ r``.
    dependencies : tuple of Dependency
        One entry per aliased column.
    condition_number : float
        2-norm condition number of the scaled kept design.
    weakest_direction : ndarray of shape (p,)
        Right singular vector of the smallest singular value, in kept-column positions
        (zeros at aliased columns): the columns with large entries form the near-dependency.
    """

    kept: NDArray[np.bool_]
    q: Float
    r: Float
    dependencies: tuple[Dependency, ...]
    condition_number: float
    weakest_direction: Float

    @property
    def rank(self) -> int:
        """Number of estimable columns."""
        return int(self.kept.sum())


def condition_of_triangular(r: Float) -> tuple[float, Float]:
    """Return the 2-norm condition number of ``r`` and its weakest right singular vector."""
    if r.shape[0] == 0:
        return 1.0, np.zeros(0)
    _, s, vt = np.linalg.svd(r)
    if s[-1] == 0:
        return float("inf"), vt[-1]
    return float(s[0] / s[-1]), vt[-1]


def analyse_rank(xs: Float, scales: Float, tol: float = RANK_TOL) -> RankAnalysis:
    """Find aliased columns of the scaled design ``xs`` and factor the rest.

    Parameters
    ----------
    xs : ndarray of shape (n, p)
        Design with columns already scaled by ``scales``.
    scales : ndarray of shape (p,)
        The power-of-two column scales (used to express dependencies in original units).
    tol : float
        Relative tolerance, see :data:`RANK_TOL`.

    Returns
    -------
    RankAnalysis
    """
    p = xs.shape[1]
    norms = np.linalg.norm(xs, axis=0)
    kept = norms > 0
    idx = np.flatnonzero(kept)
    q, r = sla.qr(xs[:, idx], mode="economic", check_finite=False)
    while True:
        ratio = np.abs(np.diag(r)) / norms[idx]
        bad = np.flatnonzero(ratio <= tol)
        if bad.size == 0:
            break
        # Drop the first aliased column; the later columns are judged against the kept
        # ones alone.  A tall design's thin factors are updated (Givens rotations of the
        # columns after it, O(n p) work) rather than factored again (O(n p^2)); a square
        # one (an R factor, as TSQR passes) is factored again.
        kept[idx[bad[0]]] = False
        idx = np.delete(idx, bad[0])
        if q.shape[0] > q.shape[1]:
            q, r = sla.qr_delete(q, r, int(bad[0]), 1, which="col", check_finite=False)
        else:
            q, r = sla.qr(xs[:, idx], mode="economic", check_finite=False)

    idx = np.flatnonzero(kept)
    dependencies: list[Dependency] = []
    for j in np.flatnonzero(~kept):
        if norms[j] == 0:
            dependencies.append(Dependency(int(j), {}))
            continue
        coef_scaled = sla.solve_triangular(r, q.T @ xs[:, j], check_finite=False)
        coef = coef_scaled * scales[idx] / scales[j]
        biggest = np.max(np.abs(coef)) if coef.size else 0.0
        shown = {
            int(k): float(c)
            for k, c in zip(idx, coef, strict=True)
            if abs(c) > _DEPENDENCY_CUTOFF * biggest
        }
        dependencies.append(Dependency(int(j), shown))

    cond, weakest = condition_of_triangular(r)
    direction = np.zeros(p)
    direction[idx] = weakest
    return RankAnalysis(
        kept=kept,
        q=q,
        r=r,
        dependencies=tuple(dependencies),
        condition_number=cond,
        weakest_direction=direction,
    )
