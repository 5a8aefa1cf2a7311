"""The sparse kernel's implicit centring on raw, ill-conditioned columns
(:mod:`linmod.solvers.sparse_coordinate_descent`).

NIST Longley's raw columns have means far from their spread (Year: 1954 ± 4.6) and an
intercept of −3.5e6 against residuals of at most 455.  The kernel kept the residual as
``r = y − X̃w`` plus an offset ``c·v`` with ``c = μ̃ᵀw`` the size of the intercept, and
formed gradients from the uncentred columns: every update and gradient was rounded at
those scales, the Lasso at ``alpha=1e-3`` stalled at a duality gap of 2e-3·‖y − ȳ‖²
(300,000 epochs and a warning, at any ``tol`` below that), and at ``alpha=1`` it
reported a gap of 0.0 with coefficients 1.7e-8 off the exact solution.

References, all independent of the code under test: the exact solutions of the
optimality conditions in rational arithmetic (weighted here, written out below), the
duality gap of the returned coefficients in rational arithmetic (scikit-learn's
formulation A), and scikit-learn's dense ``ElasticNet`` at ``tol=1e-14``.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import ElasticNet as SkElasticNet

import linmod
from linmod.exceptions import ConvergenceWarning

from ..regularization.test_ill_conditioned import _solve, longley

F = Fraction
WEIGHTS = {"unweighted": None, "weighted": 1.0 + np.arange(16) % 4}
PENALTIES = [(1.0, 1.0), (1.0, 0.1), (1.0, 1e-3), (0.5, 1e-3)]


def _centred(X, y, weights):
    """Weighted means, ``√w``-scaled centred columns and response, in exact arithmetic."""
    n, p = X.shape
    w = [F(1)] * n if weights is None else [F(float(v)) for v in weights]
    total = sum(w)
    xf = [[F(float(v)) for v in row] for row in X]
    yf = [F(float(v)) for v in y]
    mx = [sum(w[i] * xf[i][j] for i in range(n)) / total for j in range(p)]
    my = sum(w[i] * yf[i] for i in range(n)) / total
    xc = [[xf[i][j] - mx[j] for j in range(p)] for i in range(n)]
    yc = [yf[i] - my for i in range(n)]
    return w, total, xc, yc, mx, my


def exact_weighted(X, y, weights, alpha, l1_ratio, signs):
    """Minimiser of ``(1/2W)Σwᵢ(yᵢ − b − xᵢᵀβ)² + α(r‖β‖₁ + (1 − r)/2‖β‖²)`` (``W = Σwᵢ``)
    with the given signs: ``(XcᵀWXc + Wα(1 − r)I)β = XcᵀWyc − Wαr·sign(β)``, solved
    exactly; accepted only if its signs are the given ones.  Returns coefs, intercept."""
    n, p = X.shape
    w, total, xc, yc, mx, my = _centred(X, y, weights)
    a, r = F(alpha), F(l1_ratio)
    l1, l2 = total * a * r, total * a * (1 - r)
    gram = [[sum(w[i] * xc[i][u] * xc[i][v] for i in range(n)) + (l2 if u == v else 0)
             for v in range(p)] for u in range(p)]  # fmt: skip
    rhs = [sum(w[i] * xc[i][u] * yc[i] for i in range(n)) - l1 * int(signs[u]) for u in range(p)]
    beta = _solve(gram, rhs)
    assert [int(np.sign(float(b))) for b in beta] == [int(s) for s in signs]
    intercept = my - sum(mx[j] * beta[j] for j in range(p))
    return np.array([float(b) for b in beta]), float(intercept)


def exact_gap(X, y, weights, alpha, l1_ratio, coef) -> tuple[float, float]:
    """The duality gap of ``coef`` (scikit-learn's formulation A, in its 1/(2W) scaling)
    and ``‖y − ȳ‖²_w / W`` (the scale of ``tol``), both in exact arithmetic."""
    n, p = X.shape
    w, total, xc, yc, _, _ = _centred(X, y, weights)
    b = [F(float(v)) for v in coef]
    a, r = F(alpha), F(l1_ratio)
    l1, l2 = total * a * r, total * a * (1 - r)
    res = [yc[i] - sum(xc[i][j] * b[j] for j in range(p)) for i in range(n)]
    r2 = sum(w[i] * res[i] ** 2 for i in range(n))
    b2 = sum(v * v for v in b)
    grad = [sum(w[i] * xc[i][j] * res[i] for i in range(n)) - l2 * b[j] for j in range(p)]
    dual = max(abs(g) for g in grad)
    s = l1 / dual if dual > l1 else F(1)
    primal = (r2 + l2 * b2) / 2 + l1 * sum(abs(v) for v in b)
    d = -(s * s) * (r2 + l2 * b2) / 2 + s * sum(w[i] * res[i] * yc[i] for i in range(n))
    scale = sum(w[i] * yc[i] ** 2 for i in range(n)) / total
    return float((primal - d) / total), float(scale)


def _fit(X, y, weights, alpha, l1_ratio, tol):
    model = linmod.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=300_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        return model.fit(sp.csc_matrix(X), y, sample_weight=weights)


@pytest.mark.parametrize("weighting", sorted(WEIGHTS))
@pytest.mark.parametrize(("l1_ratio", "alpha"), PENALTIES)
def test_raw_longley_converges_to_the_exact_solution(weighting, l1_ratio, alpha):
    X, y = longley()
    weights = WEIGHTS[weighting]
    model = _fit(X, y, weights, alpha, l1_ratio, tol=1e-16)  # below float64: a fixed point
    assert model.n_iter_ < 60_000
    expected, intercept = exact_weighted(X, y, weights, alpha, l1_ratio, np.sign(model.coef_))
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's own ConvergenceWarning at tol=1e-14
        reference = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=300_000)
        reference.fit(X, y, sample_weight=weights)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-6)
