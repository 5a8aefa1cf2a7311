"""Penalty grids: scikit-learn's default elastic-net grid and a data-driven ridge grid.

Elastic net / Lasso (scikit-learn's and glmnet's convention)
    ``α_max = ‖Xᵀy‖∞ / (n·l1_ratio)`` on the centred (scaled) data is the smallest
    penalty whose solution is all zero; the grid is ``n_alphas`` values spaced evenly on
    a log scale from ``α_max`` down to ``eps·α_max``.  With ``positive=True`` only
    positive correlations count.  ``l1_ratio = 0`` has no finite ``α_max``: pass the
    penalties explicitly.

Ridge (‖y − Xβ‖² + α‖β‖²)
    The fit shrinks the component of ``y`` along the k-th singular direction of the
    centred design by ``s_k²/(s_k² + α)``.  The default grid runs from ``10³·s₁²`` (every
    direction shrunk below 0.1%: about the null model) down to ``10⁻³·s_r²`` for the
    smallest non-negligible singular value (every direction kept above 99.9%: about
    least squares), so it spans the whole range of effective degrees of freedom
    ``Σ s_k²/(s_k² + α)``; the ratio of its ends is capped at ``10¹²``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["alpha_max", "enet_grid", "ridge_grid"]

Float = NDArray[np.float64]

_RESOLUTION = float(np.finfo(np.float64).resolution)


def alpha_max(xty: Float, n: int, l1_ratio: float, positive: bool = False) -> float:
    """The smallest penalty at which every elastic-net coefficient is zero.

    Parameters
    ----------
    xty : ndarray of shape (p,)
        ``Xᵀy`` of the centred (and scaled) data.
    n : int
        Number of samples.
    l1_ratio : float
        Share of the L1 penalty, in (0, 1].
    positive : bool
        Whether coefficients are constrained to be non-negative.
    """
    if l1_ratio <= 0:
        raise InputError(
            "l1_ratio=0 has no automatic penalty grid (the ridge penalty never zeroes a "
            "coefficient); pass the penalties with alphas=[...]"
        )
    if xty.size == 0:
        return 0.0
    top = max(float(np.max(xty)), 0.0) if positive else float(np.max(np.abs(xty)))
    return top / (n * l1_ratio)


def enet_grid(
    xty: Float,
    n: int,
    l1_ratio: float,
    n_alphas: int = 100,
    eps: float = 1e-3,
    positive: bool = False,
) -> Float:
    """scikit-learn's default grid: ``geomspace(α_max, eps·α_max, n_alphas)``.

    When ``α_max`` is zero (``y`` uncorrelated with every column) the grid is
    ``n_alphas`` copies of float64's resolution, as in scikit-learn.
    """
    top = alpha_max(xty, n, l1_ratio, positive)
    if top <= _RESOLUTION:
        return np.full(n_alphas, _RESOLUTION)
    return np.geomspace(top, top * eps, num=n_alphas)


def ridge_grid(singular_values: Float, n_alphas: int = 100) -> Float:
    """Ridge penalties spanning the effective degrees of freedom (see the module text).

    Parameters
    ----------
    singular_values : ndarray
        Singular values of the centred (scaled) design, largest first.
    n_alphas : int
        Number of penalties.
    """
    s = np.asarray(singular_values, dtype=float)
    if s.size == 0 or s[0] == 0.0:
        return np.geomspace(1e3, 1e-3, num=n_alphas)
    kept = s[s > s[0] * max(s.size, 1) * np.finfo(float).eps]
    top = 1e3 * s[0] ** 2
    bottom = max(1e-3 * kept[-1] ** 2, top * 1e-12)
    return np.geomspace(top, bottom, num=n_alphas)
