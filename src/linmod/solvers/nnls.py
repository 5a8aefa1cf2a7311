"""Non-negative least squares with an unconstrained intercept (``positive=True``).

``LinearRegression(positive=True)`` minimises ``Σ w_i (y_i − b − x_iᵀβ)²`` subject to
``β ≥ 0``, the intercept ``b`` free.  As in scikit-learn, the intercept is removed by
centring ``X`` and ``y`` at their (weighted) means, which is exact for an unconstrained
intercept: for any ``β`` the best ``b`` is ``ȳ − x̄ᵀβ``, so the constrained problem in ``β``
is the non-negative least-squares problem of the centred data (rows multiplied by
``sqrt(w_i)``).  That problem is solved by the active-set method of Lawson and Hanson
(:func:`scipy.optimize.nnls`), which terminates at the exact KKT point (no tolerance).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import nnls

from linmod.solvers.penalized_problem import center_scale
from linmod.solvers.weighted_problem import weighted_center_scale

__all__ = ["positive_least_squares"]

Float = NDArray[np.float64]


def positive_least_squares(
    x: Float, y: Float, weights: Float | None, fit_intercept: bool
) -> tuple[Float, float]:
    """Least squares with non-negative coefficients and a free intercept.

    Parameters
    ----------
    x : ndarray of shape (n, p)
    y : ndarray of shape (n,)
    weights : ndarray of shape (n,) or None
        Positive observation weights (rows of weight 0 already dropped), or None.
    fit_intercept : bool
        Fit an unconstrained intercept (by centring); otherwise the intercept is 0.

    Returns
    -------
    coef : ndarray of shape (p,)
        Non-negative coefficients.
    intercept : float
        ``ȳ − x̄ᵀβ`` (weighted means), 0.0 without an intercept.
    """
    if weights is None:
        xc, yc, scaling = center_scale(x, y, fit_intercept, False)
    else:
        # Weights divided by their largest: the same minimiser, no overflow in Σ w r².
        xc, yc, scaling = weighted_center_scale(
            x, y, weights / np.max(weights), fit_intercept, False
        )
    if x.shape[1] == 0:
        coef = np.zeros(0)
    else:
        coef = np.asarray(nnls(xc, yc, maxiter=max(3 * x.shape[1], 50))[0], dtype=float)
    coef, intercept = scaling.to_original(coef)
    return coef, float(intercept)
