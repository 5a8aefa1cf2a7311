"""The compiled duality gap against scikit-learn's formulas in exact arithmetic.

``P(w) − D(θ)`` is evaluated with ``fractions.Fraction`` from scikit-learn's definitions
(``_cd_fast.pyx``): formulation A, ``θ = s·R`` with ``s = min(1, λ₁/‖XᵀR − λ₂w‖∞)``,
``D = −½s²(‖R‖² + λ₂‖w‖²) + s·Rᵀy``; formulation B (no L1 part), ``θ = R``,
``D = Rᵀy − ½‖R‖² − ‖XᵀR‖²/(2λ₂)`` (the positive part of ``XᵀR`` with ``positive``).
Near the optimum these are two numbers of the order of ``‖y‖²`` whose difference is tiny:
the compiled gap must still get it to a few digits (it once lost every digit below
``eps·‖y‖²``, so an ill-conditioned fit could stop on a rounding-level gap).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from linmod.solvers.screening import duality_gap

F = Fraction


def _exact_gap(X, y, w, l1, l2, positive):
    n, p = X.shape
    xf = [[F(float(v)) for v in row] for row in X]
    r = [F(float(y[i])) - sum(xf[i][j] * F(float(w[j])) for j in range(p)) for i in range(n)]
    g = [sum(xf[i][j] * r[i] for i in range(n)) for j in range(p)]
    wf = [F(float(v)) for v in w]
    l1f, l2f = F(l1), F(l2)
    xta = [g[j] - l2f * wf[j] for j in range(p)]
    r2 = sum(v * v for v in r)
    ry = sum(r[i] * F(float(y[i])) for i in range(n))
    w1 = sum(abs(v) for v in wf)
    w2 = sum(v * v for v in wf)
    if l1 > 0:
        dual = max(xta) if positive else max(abs(v) for v in xta)
        dual = max(dual, F(0))
        s = l1f / dual if dual > l1f else F(1)
        primal = (r2 + l2f * w2) / 2 + l1f * w1
        d = -(s * s) * (r2 + l2f * w2) / 2 + s * ry
    else:
        gp = [max(v, F(0)) for v in g] if positive else g
        primal = (r2 + l2f * w2) / 2
        d = ry - r2 / 2 - sum(v * v for v in gp) / (2 * l2f)
    return primal - d, np.array([float(v) for v in xta]), float(r2)


def _near_optimum(seed, l1, l2, positive):
    """A design, a response fitted almost exactly, and weights near the optimum."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 5)) * [1.0, 10.0, 0.1, 3.0, 1.0]
    w_true = np.array([2.0, -0.5, 30.0, 0.25, 1.5])
    if positive:
        w_true = np.abs(w_true)
    y = X @ w_true + 1e-6 * rng.normal(size=30)
    # Minimise ½‖y − Xw‖² + λ₁Σ|w| + λ₂/2‖w‖² on the (known) sign pattern.
    w = np.linalg.solve(X.T @ X + l2 * np.eye(5), X.T @ y - l1 * np.sign(w_true))
    return X, y, w


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize(("l1", "l2"), [(1e-6, 0.0), (1e-6, 1e-6), (0.0, 1e-4), (1e-2, 1e-3)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_gap_keeps_its_digits_near_the_optimum(seed, l1, l2, positive):
    X, y, w = _near_optimum(seed, l1, l2, positive)
    exact, xta, r2 = _exact_gap(X, y, w, l1, l2, positive)
    assert exact >= 0
    gap, _ = duality_gap(xta, np.arange(5), 5, w, r2, l1, l2, positive)
    assert gap >= 0.0
    # The gap is tiny next to ‖y‖² (≈ 1e3 here): a difference of the two objectives errs
    # by about eps·‖y‖² ≈ 1e-13, as much as the gap itself.
    y2 = float(y @ y)
    assert float(exact) < 1e-12 * y2
    np.testing.assert_allclose(gap, float(exact), rtol=1e-4, atol=1e-18 * y2)
