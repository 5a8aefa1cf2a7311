"""The rounding bound of a group-Lasso block update (:mod:`linmod.solvers.group_block`),
checked against the block's exact minimiser computed in 50-digit decimal arithmetic.

For a single group the block update from ``β`` is the whole problem's minimiser, so the
float64 update (:func:`linmod.solvers.group_lasso._epoch`) from the correctly rounded
solution must move the residual no further from the exact solution's than
:func:`~linmod.solvers.group_block.block_noise` allows.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest

from linmod.solvers.group_block import U, block_noise
from linmod.solvers.group_lasso import _epoch, _rebuild

from ..regularization.test_ill_conditioned import longley


def _exact_minimiser(x: np.ndarray, y: np.ndarray, kappa: float) -> list[Decimal]:
    """``argmin ½‖y − Xβ‖² + κ‖β‖ = (G + κ/t·I)⁻¹Xᵀy`` with ``t = ‖β‖`` found by
    bisection (``‖(G + κ/t·I)⁻¹Xᵀy‖ − t`` is positive below the root, negative above)."""
    m = x.shape[1]
    xs = [[Decimal(float(v)) for v in row] for row in x.T]
    ys = [Decimal(float(v)) for v in y]
    g = [
        [sum(a * b for a, b in zip(xs[i], xs[j], strict=True)) for j in range(m)] for i in range(m)
    ]
    b = [sum(a * c for a, c in zip(xs[i], ys, strict=True)) for i in range(m)]
    k = Decimal(kappa)

    def beta(t: Decimal) -> list[Decimal]:
        return _solve([[g[i][j] + (k / t if i == j else 0) for j in range(m)] for i in range(m)], b)

    lo, hi = Decimal(0), Decimal(float(np.linalg.norm(np.linalg.pinv(x) @ y))) * 2 + 1
    for _ in range(200):
        mid = (lo + hi) / 2
        if sum(v * v for v in beta(mid)).sqrt() > mid:
            lo = mid
        else:
            hi = mid
    return beta(hi)


def _solve(a: list[list[Decimal]], b: list[Decimal]) -> list[Decimal]:
    m = len(b)
    rows = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(m):
        pivot = max(range(c, m), key=lambda r: abs(rows[r][c]))
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for r in range(m):
            if r != c:
                f = rows[r][c] / rows[c][c]
                rows[r] = [u - f * v for u, v in zip(rows[r], rows[c], strict=True)]
    return [rows[i][m] / rows[i][i] for i in range(m)]


def _designs() -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    x, y = longley()
    xs = (x - x.mean(axis=0)) / x.std(axis=0)
    rng = np.random.default_rng(3)
    z = rng.normal(size=(40, 3))
    z[:, 1] = z[:, 0] + 1e-3 * z[:, 1]  # a nearly collinear pair
    yz = z @ [2.0, -1.0, 0.5] + rng.normal(size=40)
    return {
        "longley-6": (xs, y - y.mean(), 1e-3 * 16 * np.sqrt(6)),
        "longley-2": (xs[:, :2], y - y.mean(), 1e-2 * 16 * np.sqrt(2)),
        "collinear-3": (z, yz, 0.5),
    }


@pytest.mark.parametrize("name", list(_designs()))
def test_a_block_update_stays_within_its_rounding_bound(name):
    x, y, kappa = _designs()[name]
    n, m = x.shape
    with localcontext() as ctx:
        ctx.prec = 50
        exact = _exact_minimiser(x, y, kappa)
        xt = np.ascontiguousarray(x.T)
        w = np.array([float(v) for v in exact])  # the exact solution, rounded
        resid, lo = np.empty(n), np.empty(n)
        _rebuild(xt, y, w, resid, lo)
        vals, q = np.linalg.eigh(x.T @ x)
        grad = xt @ resid
        a = np.abs(xt) @ np.abs(resid)
        gamma = (n + m + 2) * U / (1 - (n + m + 2) * U)
        bound = block_noise(
            np.ascontiguousarray(q), np.maximum(vals, 0.0), grad, w.copy(), gamma * a,
            np.linalg.norm(x, axis=0), 0.0, kappa, np.empty(3 * m),
        )  # fmt: skip
        order, starts = np.arange(m), np.array([0, m])
        _epoch(xt, resid, w, order, starts, np.ones(1), q.ravel(), np.array([0, m * m]),
               np.maximum(vals, 0.0), kappa, 0.0, np.empty(3 * m))  # fmt: skip
        # ‖X(β_float − β*)‖, exactly
        moved = [
            sum(Decimal(float(x[i, j])) * (Decimal(float(w[j])) - exact[j]) for j in range(m))
            for i in range(n)
        ]
        distance = float(sum(v * v for v in moved).sqrt())
    assert 0.0 < bound < np.inf
    assert distance <= bound
