"""Elastic net on ill-conditioned designs against exact rational solutions.

The reference solves the optimality conditions of scikit-learn's objective

    (1/2n)‖y − b − Xβ‖² + α·l1_ratio‖β‖₁ + α(1 − l1_ratio)/2‖β‖²

in exact arithmetic (``fractions.Fraction`` of the float64 data): with ``Xc``, ``yc`` the
centred data, ``λ₁ = n·α·l1_ratio`` and ``λ₂ = n·α·(1 − l1_ratio)`` (the objective times
``n``), the minimiser satisfies ``(XcᵀXc + λ₂I)β = Xcᵀyc − λ₁·sign(β)`` on its support.
For ``l1_ratio = 0`` that is the ridge system; for ``l1_ratio > 0`` the signs are taken
from the fit and the exact solution is accepted only if its own signs agree (then it
satisfies every optimality condition exactly).  Issue 12, item 6: ``l1_ratio=0`` stopped
9.5e-4 off the exact ridge solution at any ``tol``.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pytest
from scipy.optimize import nnls
from sklearn.linear_model import ElasticNet as SkElasticNet

import linmod

from ..conftest import NIST_DIR
from ..models.nist import read_nist

Exact = list[Fraction]


def longley() -> tuple[np.ndarray, np.ndarray]:
    """NIST StRD Longley: six strongly collinear predictors (cond(X) ≈ 4.9e4 standardised)."""
    return read_nist(NIST_DIR / "Longley.dat").design()


def hilbert(n: int = 20, p: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """A Hilbert-like design ``1/(i + j + 1)`` (cond ≈ 1e7) and a response near its row sums."""
    i, j = np.arange(n)[:, None], np.arange(p)[None, :]
    X = 1.0 / (i + j + 1.0)
    y = X.sum(axis=1) + 1e-3 * (-1.0) ** np.arange(n)
    return X, y


DESIGNS = {"longley": longley, "hilbert": hilbert}


def _solve(a: list[Exact], b: Exact) -> Exact:
    """Gauss-Jordan elimination in exact arithmetic."""
    p = len(b)
    m = [[*row, b[r]] for r, row in enumerate(a)]
    for c in range(p):
        pivot = next(r for r in range(c, p) if m[r][c] != 0)
        m[c], m[pivot] = m[pivot], m[c]
        for r in range(p):
            if r != c and m[r][c] != 0:
                f = m[r][c] / m[c][c]
                m[r] = [m[r][k] - f * m[c][k] for k in range(p + 1)]
    return [m[r][p] / m[r][r] for r in range(p)]


def exact_enet(
    X: np.ndarray,
    y: np.ndarray,
    alpha: float,
    l1_ratio: float,
    signs: np.ndarray | None = None,
    fit_intercept: bool = True,
) -> tuple[np.ndarray, float]:
    """Exact coefficients and intercept (see the module text), rounded to float64 once."""
    n, p = X.shape
    xf = [[Fraction(float(v)) for v in row] for row in X]
    yf = [Fraction(float(v)) for v in y]
    mx = [sum(xf[i][j] for i in range(n)) / n if fit_intercept else Fraction(0) for j in range(p)]
    my = sum(yf) / n if fit_intercept else Fraction(0)
    xc = [[xf[i][j] - mx[j] for j in range(p)] for i in range(n)]
    yc = [v - my for v in yf]
    a, r = Fraction(alpha), Fraction(l1_ratio)
    l1, l2 = n * a * r, n * a * (1 - r)
    gram = [
        [sum(xc[i][u] * xc[i][v] for i in range(n)) + (l2 if u == v else 0) for v in range(p)]
        for u in range(p)
    ]
    s = np.zeros(p) if signs is None else signs
    rhs = [sum(xc[i][u] * yc[i] for i in range(n)) - l1 * int(s[u]) for u in range(p)]
    beta = _solve(gram, rhs)
    if signs is not None:
        assert [int(np.sign(float(b))) for b in beta] == [int(v) for v in signs], (
            "the exact solution's signs differ from the assumed ones"
        )
    intercept = my - sum(mx[j] * beta[j] for j in range(p))
    return np.array([float(b) for b in beta]), float(intercept)


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("alpha", [1e-6, 1e-3, 1.0, 100.0])
@pytest.mark.parametrize("tol", [1e-4, 1e-12])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_l1_ratio_zero_is_the_exact_ridge_solution(design, alpha, tol, fit_intercept):
    X, y = DESIGNS[design]()
    expected, intercept = exact_enet(X, y, alpha, 0.0, fit_intercept=fit_intercept)
    model = linmod.ElasticNet(alpha=alpha, l1_ratio=0.0, tol=tol, fit_intercept=fit_intercept)
    model.fit(X, y)
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-9, atol=1e-9 * abs(y).max())
    assert model.dual_gap_ == 0.0


def test_l1_ratio_zero_path_cv_and_formula_are_exact_ridge_solutions():
    X, y = longley()
    alphas = [100.0, 1.0, 1e-3]
    expected = [exact_enet(X, y, a, 0.0) for a in alphas]
    path = linmod.enet_path(X, y, l1_ratio=0.0, alphas=alphas)
    for k, (coef, intercept) in enumerate(expected):
        np.testing.assert_allclose(path.coefs[:, k], coef, rtol=1e-9)
        np.testing.assert_allclose(path.intercepts[k], intercept, rtol=1e-9)
    cv = linmod.ElasticNetCV(l1_ratio=0.0, alphas=alphas, cv=4).fit(X, y)
    coef, intercept = expected[alphas.index(cv.alpha_)]
    np.testing.assert_allclose(cv.coef_, coef, rtol=1e-9)
    np.testing.assert_allclose(cv.intercept_, intercept, rtol=1e-9)
    fit = linmod.elastic_net(X, y, alpha=1.0, l1_ratio=0.0)
    coef, intercept = expected[1]
    np.testing.assert_allclose(fit.coef.to_numpy(), [intercept, *coef], rtol=1e-9)


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_l1_ratio_zero_with_standardize_matches_the_ridge_estimator(design):
    # Same objective: Ridge's α‖β‖² with α = n·alpha on the standardised columns.
    X, y = DESIGNS[design]()
    n = X.shape[0]
    enet = linmod.ElasticNet(alpha=0.01, l1_ratio=0.0, standardize=True).fit(X, y)
    ridge = linmod.Ridge(alpha=0.01 * n, standardize=True, solver="svd").fit(X, y)
    np.testing.assert_allclose(enet.coef_, ridge.coef_, rtol=1e-10)


#: The tightest duality-gap tolerance float64 resolves for each design: on Longley,
#: moving the exact coefficients (rounded to float64) by one unit in the last place
#: already gives relative gaps of 1e-13 to 1e-10 (scikit-learn's gap formula), so a
#: tol of 1e-14 was met or not by the luck of a BLAS's rounding (it failed with
#: OpenBLAS's Zen kernels, the coefficients exact to 2e-11 either way).
ATTAINABLE_TOL = {"longley": 1e-9, "hilbert": 1e-14}


@pytest.mark.parametrize("design", sorted(DESIGNS))
@pytest.mark.parametrize("alpha", [1e-3, 1.0])
def test_a_small_l1_ratio_converges_on_ill_conditioned_data(design, alpha):
    X, y = DESIGNS[design]()
    l1_ratio, tol = 1e-3, ATTAINABLE_TOL[design]
    model = linmod.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=tol, max_iter=200_000)
    model.fit(X, y)
    support = model.coef_ != 0
    assert support.all(), "the reference below assumes a full support"
    expected, intercept = exact_enet(X, y, alpha, l1_ratio, signs=np.sign(model.coef_))
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-6)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-6)
    assert 0.0 <= model.dual_gap_ <= tol * float(np.sum((y - y.mean()) ** 2)) / X.shape[0]
    # scikit-learn at a tight tolerance (a test-only reference) agrees as closely.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=200_000)
        reference.fit(X, y)
    np.testing.assert_allclose(reference.coef_, expected, rtol=1e-6)


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_a_positive_ridge_penalty_converges_to_the_nnls_solution(design):
    # Without an L1 part the gap is formulation B; the non-negative ridge is an NNLS
    # problem on the augmented system [Xc; √λ₂·I] (scipy's active-set solver, exact).
    X, y = DESIGNS[design]()
    n, p = X.shape
    alpha = 1e-3
    xc, yc = X - X.mean(axis=0), y - y.mean()
    augmented = np.vstack([xc, np.sqrt(n * alpha) * np.eye(p)])
    expected = nnls(augmented, np.concatenate([yc, np.zeros(p)]))[0]
    model = linmod.ElasticNet(
        alpha=alpha, l1_ratio=0.0, positive=True, tol=1e-14, max_iter=200_000
    ).fit(X, y)
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-6, atol=1e-9 * abs(expected).max())
    assert model.dual_gap_ >= 0.0
