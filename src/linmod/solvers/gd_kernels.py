"""Compiled epoch loops for mini-batch and stochastic gradient descent.

One call runs one epoch over the rows in ``order``: for each mini-batch it forms the
gradient of the mean squared error ``(2/m) X_b' (X_b beta + b0 - y_b)`` and takes a
(momentum) step.  The intercept ``b0`` is a separate parameter so X is never copied to
add a column of ones.
"""

from __future__ import annotations

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["minibatch_epoch"]

Float = NDArray[np.float64]


@numba.njit(cache=True)
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
) -> float:  # pragma: no cover - compiled
    """Run one epoch in place on ``beta`` (intercept last when fitted); return the mean loss.

    ``beta`` has ``p + 1`` entries (the last is the intercept, kept at 0 when not fitted);
    ``velocity`` has the same shape.  The returned loss is the average squared residual of
    each row at the moment its batch was used (the usual running SGD loss).
    """
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
