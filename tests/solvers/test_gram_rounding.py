"""The rounding of the Gram layout's products, bounded (:func:`linmod.solvers.drift.gram_rounding`),
and the gap a Gram-layout solve reports, certified against the data
(:func:`linmod.solvers.elastic_net._gram_solve`).

On raw NIST Longley the centring folded into ``XᵀX`` leaves row 0 of the centred Gram
matrix 3e-14 off (relative): at ``alpha=1, tol=1e-9`` that moved the gap of the rounded
problem 0.7% away from the gap of the same coefficients on the data
(``test_drift.test_the_reported_gap_is_the_exact_gap``).  References here are exact
rational arithmetic.
"""

from __future__ import annotations

import dataclasses
from fractions import Fraction as F

import numpy as np
import pytest

from linmod.solvers.drift import data_error
from linmod.solvers.elastic_net import _data_gap, solve_path
from linmod.solvers.penalized_problem import gram_problem

from ..regularization.test_ill_conditioned import longley
from .test_sparse_coordinate_descent import PENALTIES, exact_gap


def shifted(n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Columns with small, moderate and (a year-like) very large means next to their spread."""
    rng = np.random.default_rng(3)
    X = rng.standard_normal((n, 4)) * [1.0, 2.0, 0.5, 3.0] + [0.1, 300.0, 1990.0, -40.0]
    y = X @ [1.0, -0.5, 2.0, 0.25] + rng.standard_normal(n) + 7e3
    return np.ascontiguousarray(X), y


DATA = {"longley": longley, "shifted": shifted}


def exact_products(X, y, fit_intercept, scale):
    """``G*``, ``c*``, ``‖ỹ‖²`` of the exactly centred data, columns divided by ``scale``."""
    n, p = X.shape
    xf = [[F(float(v)) for v in row] for row in X]
    yf = [F(float(v)) for v in y]
    xm = [sum(r[j] for r in xf) / n if fit_intercept else F(0) for j in range(p)]
    ym = sum(yf) / n if fit_intercept else F(0)
    s = [F(float(v)) for v in scale]
    xc = [[(r[j] - xm[j]) / s[j] for j in range(p)] for r in xf]
    yc = [v - ym for v in yf]
    gram = [[sum(r[a] * r[b] for r in xc) for b in range(p)] for a in range(p)]
    xty = [sum(r[a] * v for r, v in zip(xc, yc, strict=True)) for a in range(p)]
    return gram, xty, sum(v * v for v in yc)


@pytest.mark.parametrize("data", sorted(DATA))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("standardize", [False, True])
def test_the_products_are_within_their_rounding_bound(data, fit_intercept, standardize):
    X, y = DATA[data]()
    problem = gram_problem(X, y, fit_intercept, standardize)
    source = problem.source
    assert source is not None
    assert problem.gram is not None
    gram, xty, y_norm2 = exact_products(X, y, fit_intercept, problem.scaling.x_scale)
    p = X.shape[1]
    for a in range(p):
        for b in range(p):
            off = abs(F(float(problem.gram[a, b])) - gram[a][b])
            assert off <= F(float(source.rho[a])) * F(float(source.rho[b]))
        off = abs(F(float(problem.xty[a])) - xty[a])
        assert off <= F(float(source.rho_c[a])) * F(source.eta)
    assert abs(F(problem.y_norm2) - y_norm2) <= F(source.y_norm2_error)


def test_the_rounding_bound_is_tight_where_the_columns_were_centred_first():
    # The year-like column (κ ≈ 4e7) has its products taken from a centred copy: its ρ is
    # that of the centred column, not 6000 times more.
    X, y = shifted()
    source = gram_problem(X, y, True, False).source
    assert source is not None
    assert source.rho[2] < 1e-3 * source.rho_c[2]
    # κ ≈ 1.7e4 is within a factor two of KAPPA_MAX: the raw norm, whichever way
    # cross_products went.
    assert source.rho[1] == source.rho_c[1]


def _rounded_gap(gram, xty, y_norm2, w, l1):
    """The Lasso gap of ``w`` on the float64 products, in exact arithmetic."""
    p = len(w)
    q = [xty[a] - sum(gram[a][b] * w[b] for b in range(p)) for a in range(p)]
    r2 = y_norm2 - sum(w[a] * xty[a] for a in range(p)) - sum(w[a] * q[a] for a in range(p))
    dual = max(abs(v) for v in q)
    s = l1 / dual if dual > l1 else F(1)
    gap = sum(l1 * abs(v) - s * v * g for v, g in zip(w, q, strict=True)) + (1 - s) ** 2 * r2 / 2
    return gap, q, r2


@pytest.mark.parametrize("alpha", [1.0, 0.1, 1e-3])
def test_the_data_error_bounds_the_gap_of_the_rounded_products(alpha):
    X, y = longley()
    n, p = X.shape
    problem = gram_problem(X, y, True, False)
    source = problem.source
    assert source is not None
    assert problem.gram is not None
    rng = np.random.default_rng(5)
    w0 = solve_path(problem, np.array([alpha]), 1.0, tol=1e-9, max_iter=300_000).coefs[:, 0]
    gram = [[F(float(v)) for v in row] for row in problem.gram]
    xty = [F(float(v)) for v in problem.xty]
    for w in [w0, w0 * (1 + 1e-6 * rng.standard_normal(p)), w0 * (1 + 1e-3 * rng.random(p))]:
        wf = [F(float(v)) for v in w]
        rounded, q, r2 = _rounded_gap(gram, xty, F(problem.y_norm2), wf, F(n * alpha))
        exact, _ = exact_gap(X, y, None, alpha, 1.0, w)
        xta = np.array([float(v) for v in q])
        bound = data_error(
            xta, w, float(r2), source.rho, source.rho_c, source.eta, source.y_norm2_error,
            n * alpha, 0.0, False,
        )  # fmt: skip
        assert abs(float(rounded) / n - exact) <= 1.01 * bound / n


@pytest.mark.parametrize(("l1_ratio", "alpha"), PENALTIES)
def test_the_gap_from_the_data_is_the_exact_gap(l1_ratio, alpha):
    X, y = longley()
    n = X.shape[0]
    problem = gram_problem(X, y, True, False)
    assert problem.source is not None
    rng = np.random.default_rng(7)
    sol = solve_path(problem, np.array([alpha]), l1_ratio, tol=1e-6, max_iter=300_000)
    l1, l2 = n * alpha * l1_ratio, n * alpha * (1 - l1_ratio)
    for w in [sol.coefs[:, 0], sol.coefs[:, 0] * (1 + 1e-7 * rng.standard_normal(6))]:
        gap = _data_gap(problem.source, w, l1, l2, False) / n
        exact, scale = exact_gap(X, y, None, alpha, l1_ratio, w)
        np.testing.assert_allclose(gap, exact, rtol=1e-8, atol=1e-15 * scale)


@pytest.mark.parametrize("delta", [5e-14, 8e-14, 9e-14])
def test_a_solve_on_misleading_products_reports_the_data_gap(delta):
    # Xᵀy off by a relative 5e-14 to 9e-14 (rounding of that size on a raw design): the
    # rounded problem's solve can meet tol=1e-9 where the data's gap does not (by 1.2 to
    # 4.6 times tol on this machine's BLAS).  The certified solve goes on; it stops short
    # of tol on the data only at a fixed point of the rounded problem (reported as such),
    # and the gap it reports is the data's.
    X, y = longley()
    problem = gram_problem(X, y, True, False)
    assert problem.source is not None
    xty = problem.xty.copy()
    xty[1] += delta * abs(xty[1])
    source = dataclasses.replace(problem.source, xty=xty)
    misled = dataclasses.replace(problem, xty=xty, source=source)
    sol = solve_path(misled, np.array([1.0]), 1.0, tol=1e-9, max_iter=300_000, warn=False)
    exact, scale = exact_gap(X, y, None, 1.0, 1.0, sol.coefs[:, 0])
    assert exact <= 1e-9 * scale or sol.fixed_point[0]
    np.testing.assert_allclose(sol.dual_gaps[0], exact, rtol=1e-6, atol=1e-15 * scale)
