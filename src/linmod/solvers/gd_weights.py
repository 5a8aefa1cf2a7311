"""Observation weights in gradient descent: the weighted mean squared error as an
unweighted one.

With weights ``w`` (zero weights dropped) :class:`~linmod.GDRegressor` minimises the
weighted mean squared error ``Σ w_i (x_iᵀβ + b − y_i)² / Σ w_i``.  Centring ``X`` and ``y``
at their weighted means removes the intercept (its optimum is then 0), standardising
divides by the weighted standard deviations (the weighted root mean square without an
intercept), and multiplying each row by ``sqrt(w_i)`` with the weights rescaled to mean 1
makes the plain mean squared error of the transformed rows equal to the weighted one: the
gradient, its Lipschitz constant and the ``"auto"`` step are those of the weighted cost,
and integer weights give the descent of the repeated rows.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod.linalg.standardize import Standardization
from linmod.solvers.weighted_problem import unit_mean

__all__ = ["weighted_descent_problem"]

Float = NDArray[np.float64]


def weighted_descent_problem(
    x: Float, y: Float, weights: Float, fit_intercept: bool, standardize: bool
) -> tuple[Float, Float, Standardization]:
    """The ``sqrt(w)``-scaled, weighted-centred (and standardised) rows and their scaling.

    Parameters
    ----------
    x : ndarray of shape (n, p)
    y : ndarray of shape (n,)
    weights : ndarray of shape (n,)
        Positive weights.
    fit_intercept, standardize : bool

    Returns
    -------
    xs : ndarray of shape (n, p)
        Rows to descend on without an intercept (C order).
    ys : ndarray of shape (n,)
    scaling : Standardization
        Weighted means and scales; ``scaling.to_original(coef, 0.0)`` gives the
        coefficients and intercept in the original units.
    """
    weights = unit_mean(weights)  # the cost is scale-free; mean 1 keeps sums in range
    total = float(weights.sum())
    p = x.shape[1]
    mean = (weights @ x) / total if fit_intercept else np.zeros(p)
    y_mean = float(weights @ y) / total if fit_intercept else 0.0
    xc = x - mean
    scale = np.ones(p)
    if standardize:
        scale = np.sqrt(np.maximum(weights @ (xc * xc), 0.0) / total)
        scale = np.where(scale > 0, scale, 1.0)
    root = np.sqrt(weights)
    xs = np.ascontiguousarray(xc / scale * root[:, None])
    return xs, (y - y_mean) * root, Standardization(mean, scale, y_mean)
