"""Compiled epoch loops for mini-batch and stochastic gradient descent.

One call runs one epoch over the rows in ``order``: for each mini-batch it forms the
gradient of the mean squared error ``(2/m) X_b' (X_b beta + b0 - y_b)`` and takes a
(momentum) step.  The intercept ``b0`` is a separate parameter so X is never copied to
add a column of ones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import njit

__all__ = ["minibatch_epoch"]

Float = NDArray[np.float64]


@njit(cache=True, fastmath=True)
def _sgd_epoch(
    x: Float,
    y: Float,
    beta: Float,
    order: NDArray[np.int64],
    learning_rate: float,
    fit_intercept: bool,
) -> float:  # pragma: no cover - compiled
    """Plain SGD (one row per step, no momentum): update in place, no gradient buffer."""
    n, p = x.shape
    total = 0.0
    step = 2.0 * learning_rate
    for k in range(n):
        i = order[k]
        residual = beta[p] - y[i]
        for j in range(p):
            residual += x[i, j] * beta[j]
        total += residual * residual
        g = step * residual
        for j in range(p):
            beta[j] -= g * x[i, j]
        if fit_intercept:
            beta[p] -= g
    return total / n


@njit(cache=True, fastmath=True)
def _minibatch_epoch(
    x: Float,
    y: Float,
    beta: Float,
    velocity: Float,
    order: NDArray[np.int64],
    batch_size: int,
    learning_rate: float,
    momentum: float,
    fit_intercept: bool,
) -> float:  # pragma: no cover - compiled
    n, p = x.shape
    grad = np.zeros(p + 1)
    total = 0.0
    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        grad[:] = 0.0
        for k in range(start, stop):
            i = order[k]
            residual = beta[p] - y[i]
            for j in range(p):
                residual += x[i, j] * beta[j]
            total += residual * residual
            for j in range(p):
                grad[j] += residual * x[i, j]
            grad[p] += residual
        step = 2.0 * learning_rate / (stop - start)
        for j in range(p + 1):
            if j == p and not fit_intercept:
                continue
            velocity[j] = momentum * velocity[j] - step * grad[j]
            beta[j] += velocity[j]
    return total / n


def minibatch_epoch(
    x: Float,
    y: Float,
    beta: Float,
    velocity: Float,
    order: NDArray[np.int64],
    batch_size: int,
    learning_rate: float,
    momentum: float,
    fit_intercept: bool,
) -> float:
    """Run one epoch in place on ``beta`` (intercept last when fitted); return the mean loss.

    ``beta`` has ``p + 1`` entries (the last is the intercept, kept at 0 when not fitted);
    ``velocity`` has the same shape.  The returned loss is the average squared residual of
    each row at the moment its batch was used (the usual running SGD loss).  Single-row
    steps without momentum take a leaner compiled path.
    """
    if batch_size == 1 and momentum == 0.0:
        return float(_sgd_epoch(x, y, beta, order, learning_rate, fit_intercept))
    return float(
        _minibatch_epoch(
            x, y, beta, velocity, order, batch_size, learning_rate, momentum, fit_intercept
        )
    )
