"""The certified Cholesky solver: exact where it answers, and it refuses (or refines) when it must.

References are exact: the normal equations solved in rational arithmetic
(``fractions.Fraction``) on the float64 data, so the expected numbers owe nothing to
linmod or to float64 rounding.
"""

from __future__ import annotations

import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.data.arrays import design_from_arrays
from linmod.exceptions import NearSingularWarning
from linmod.solvers import LeastSquaresProblem
from linmod.solvers import certified as certified_module
from linmod.solvers.certified import certified_factor, solve_certified

from ..conftest import DATA_DIR, NIST_DIR
from ..exact import exact_normal_equations
from ..models.nist import lre, read_nist

EPS = float(np.finfo(float).eps)


def _problem(x, y, intercept=True):
    design = design_from_arrays(x, y, fit_intercept=intercept)
    return LeastSquaresProblem(
        x=design.x, y=design.y, names=design.column_names, intercept=design.intercept
    )


def _exact(x, y, intercept=True, residuals=False):
    """Coefficients and standard errors (and residuals) from exact rational normal equations."""
    rows = [[Fraction(1)] * intercept + [Fraction(float(v)) for v in row] for row in x]
    ys = [Fraction(float(v)) for v in y]
    p = len(rows[0])
    coef, inverse = exact_normal_equations(rows, ys)
    ssr = sum(
        (t - sum(ri * ci for ri, ci in zip(r, coef, strict=True))) ** 2
        for r, t in zip(rows, ys, strict=True)
    )
    s2 = ssr / (len(rows) - p)
    std_err = [float(np.sqrt(float(s2 * inverse[i][i]))) for i in range(p)]
    if residuals:
        return np.array(
            [
                float(t - sum(ri * ci for ri, ci in zip(r, coef, strict=True)))
                for r, t in zip(rows, ys, strict=True)
            ]
        )
    return np.array([float(c) for c in coef]), np.array(std_err)


@pytest.mark.parametrize("seed", range(4))
def test_random_well_conditioned_designs_reach_the_float64_limit(seed):
    rng = np.random.default_rng(seed)
    n, p = 60, 4
    x = rng.standard_normal((n, p))
    y = x @ rng.uniform(-2, 2, p) + 1.5 + 0.5 * rng.standard_normal(n)
    res = linmod.ols(x, y)
    assert res.solution.method == "cholesky"  # the certified fast path answered
    coef, std_err = _exact(x, y)
    # Half an ulp of each coefficient plus eps**2 of the largest: correctly rounded.
    assert_allclose(res.coef.to_numpy(), coef, rtol=2 * EPS, atol=0)
    assert_allclose(res.std_err.to_numpy(), std_err, rtol=1e-14, atol=0)


def test_a_weak_slope_beside_a_large_intercept_is_exact():
    # Float64 residuals would leave the slope ~1e-7 wrong (eps * 1e8 / 1e-3 relative):
    # the residual must be formed in double-double for every digit of the slope.
    rng = np.random.default_rng(7)
    x = rng.standard_normal((80, 1))
    y = 1e8 + 1e-3 * x[:, 0] + 1e-4 * rng.standard_normal(80)
    res = linmod.ols(x, y)
    assert res.solution.method == "cholesky"
    coef, std_err = _exact(x, y)
    assert_allclose(res.coef.to_numpy(), coef, rtol=2 * EPS, atol=0)
    assert_allclose(res.std_err.to_numpy(), std_err, rtol=1e-14, atol=0)


def test_the_plain_solution_is_refined_when_it_is_not_yet_exact(monkeypatch):
    # Two nearly collinear centred columns: the scaled condition number is ~1e4, so the
    # plain Cholesky solution is off by ~cond**2 * eps and the first correction alone
    # cannot certify it.  With the covariance check relaxed, the solver must take more
    # passes and still be exact.
    monkeypatch.setattr(certified_module, "COVARIANCE_TOLERANCE", np.inf)
    rng = np.random.default_rng(3)
    z = rng.standard_normal(50)
    x = np.column_stack([z, z + 1e-4 * rng.standard_normal(50)])
    y = x @ np.array([0.7, -1.3]) + 4.0 + rng.standard_normal(50)
    result = solve_certified(_problem(x, y))
    assert result is not None
    assert result.condition_number > 1e3
    assert result.n_iter >= 2
    coef, _ = _exact(x, y)
    assert_allclose(result.coef, coef, rtol=4 * EPS, atol=0)


@pytest.mark.parametrize(
    ("offset", "spread"), [(1000.0, 1.0), (1e6, 1.0), (2000.0, 10.0), (-3e4, 0.5)]
)
def test_offset_columns_take_the_shifted_certified_path_exactly(offset, spread):
    # Columns far from zero next to their spread (years, kelvin, mtcars' disp): the
    # uncentred X'X is ill-conditioned (scaled condition number up to ~1e12), the fit is
    # not.  The solver factors the shifted Gram matrix and must still be exact.
    rng = np.random.default_rng(3)
    x = offset + spread * rng.standard_normal((50, 2))
    y = x @ np.array([0.7, -1.3]) + 4.0 + rng.standard_normal(50)
    result = solve_certified(_problem(x, y))
    assert result is not None
    res = linmod.ols(x, y)
    assert res.solution.method == "cholesky"
    coef, std_err = _exact(x, y)
    assert_allclose(res.coef.to_numpy(), coef, rtol=2 * EPS, atol=0)
    assert_allclose(res.std_err.to_numpy(), std_err, rtol=1e-14, atol=0)
    # The condition number reported is the original design's, as the QR path reports it.
    qr = linmod.ols(x, y, solver="qr")
    assert_allclose(res.condition_number, qr.condition_number, rtol=1e-8)
    assert_allclose(abs(res.solution.weakest_direction @ qr.solution.weakest_direction), 1.0)


def test_mtcars_like_design_is_certified_and_exact():
    # Positive measurements of very different sizes (as mtcars' disp, hp, wt, qsec) and a
    # 0/1 dummy: every column is offset, the formula fit used to fall back to QR.
    rng = np.random.default_rng(19)
    n = 32
    x = np.column_stack(
        [
            230 + 124 * rng.standard_normal(n),
            146 + 69 * rng.standard_normal(n),
            3.2 + 0.98 * rng.standard_normal(n),
            17.8 + 1.8 * rng.standard_normal(n),
            (rng.random(n) < 0.4).astype(float),
        ]
    )
    y = 37 - 0.03 * x[:, 1] - 3.9 * x[:, 2] + 0.3 * x[:, 3] + rng.standard_normal(n)
    res = linmod.ols(x, y)
    assert res.solution.method == "cholesky"
    coef, std_err = _exact(x, y)
    assert_allclose(res.coef.to_numpy(), coef, rtol=2 * EPS, atol=0)
    assert_allclose(res.std_err.to_numpy(), std_err, rtol=1e-14, atol=0)
    exact_residuals = _exact(x, y, residuals=True)
    assert_allclose(res.residuals.to_numpy(), exact_residuals, rtol=1e-13, atol=0)


@pytest.mark.parametrize(
    ("formula", "bound_certifies"),
    [
        ("mpg ~ wt + qsec + am", True),  # offset columns, centred condition number ~3
        # Centred condition number ~7: the covariance bound (~9e-14) exceeds the 2e-14
        # tolerance although the measured error is ~8e-16: (X'X)^-1 is refined.
        ("mpg ~ wt + hp + qsec + C(cyl)", False),
    ],
)
def test_mtcars_formula_fits_are_certified_and_exact(formula, bound_certifies):
    mtcars = pd.read_csv(DATA_DIR / "mtcars.csv")
    res = linmod.ols(formula, data=mtcars)
    assert res.solution.method == "cholesky"
    x = res.design.x[:, 1:]
    factor = certified_factor(_problem(x, res.design.y))
    assert factor is not None
    assert factor.cov_certified == bound_certifies
    coef, std_err = _exact(x, res.design.y)
    assert_allclose(res.coef.to_numpy(), coef, rtol=2 * EPS, atol=0)
    assert_allclose(res.std_err.to_numpy(), std_err, rtol=2 * EPS, atol=0)


def test_a_column_constant_beside_the_intercept_is_refused():
    rng = np.random.default_rng(2)
    x = np.column_stack([rng.standard_normal(30), np.full(30, 1e3)])
    y = rng.standard_normal(30)
    assert solve_certified(_problem(x, y)) is None
    res = linmod.ols(x, y)
    assert bool(res.aliased.iloc[2])
    # the estimable columns (intercept and x0) are certified (linmod.solvers.reduced)
    assert res.solution.method == "cholesky"
    assert res.rank == 2


def test_filip_is_refused():
    # Degree 10: the refinement would not contract (rho > 1/16) even shifted.
    problem = read_nist(NIST_DIR / "Filip.dat")
    x, y = problem.design()
    assert solve_certified(_problem(x, y)) is None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        assert linmod.ols(x, y).solution.method == "qr"


@pytest.mark.parametrize("name", ["Longley", "Wampler4", "Wampler5", "Pontius"])
def test_ill_conditioned_nist_designs_are_certified_with_the_covariance_refined(name):
    # Scaled condition numbers 1e3-1e5 (shifted): the covariance bound fails, the
    # refinement contracts; the certified values to at least 13 digits, as QR reaches.
    problem = read_nist(NIST_DIR / f"{name}.dat")
    x, y = problem.design()
    factor = certified_factor(_problem(x, y, problem.intercept))
    assert factor is not None
    assert not factor.cov_certified
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(x, y, fit_intercept=problem.intercept)
    assert res.solution.method == "cholesky"
    assert lre(res.coef.to_numpy(), problem.coef).min() >= 13
    assert lre(res.std_err.to_numpy(), problem.std_err).min() >= 13


def test_rank_deficient_and_double_double_designs_are_refused():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 2))
    y = rng.standard_normal(40)
    assert solve_certified(_problem(np.column_stack([x, 2 * x[:, 0]]), y)) is None
    zero = np.column_stack([x, np.zeros(40)])
    assert solve_certified(_problem(zero, y)) is None
    problem = _problem(x, y)
    with_lo = LeastSquaresProblem(
        x=problem.x, y=problem.y, names=problem.names, x_lo=np.zeros_like(problem.x)
    )
    assert solve_certified(with_lo) is None


def test_residuals_and_fit_statistics_are_those_of_the_exact_coefficients():
    rng = np.random.default_rng(11)
    x = rng.standard_normal((60, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + 3.0 + 1e-9 * rng.standard_normal(60)
    res = linmod.ols(x, y)
    assert res.solution.method == "cholesky"
    exact_residuals = _exact(x, y, residuals=True)
    # The residuals are tiny next to y (R² ~ 1 - 1e-19): float64 residuals would carry
    # errors of eps * |y| ~ 1e-15, a millionth of their size.
    assert_allclose(res.residuals.to_numpy(), exact_residuals, rtol=1e-12, atol=0)
    ssr = float(np.sum(np.square(exact_residuals)))
    assert_allclose(res.ssr, ssr, rtol=1e-12)


def test_wide_cholesky_condition_number_by_lanczos_matches_the_svd():
    # Above 200 columns the large-design Cholesky path skips the dense SVD of its factor.
    from linmod.solvers.cholesky import _condition

    rng = np.random.default_rng(5)
    x = rng.standard_normal((2000, 240))
    x[:, -1] = x[:, 0] + 1e-4 * x[:, -1]
    factor = np.linalg.cholesky(x.T @ x).T
    cond, weakest = _condition(factor)
    _, s, vt = np.linalg.svd(factor)
    assert_allclose(cond, s[0] / s[-1], rtol=1e-10)
    assert_allclose(abs(weakest @ vt[-1]), 1.0, rtol=1e-10)


def test_the_residual_sum_of_squares_comes_with_the_residuals_and_is_exact():
    # The certified solver forms the SSR in the pass that last updates the residuals;
    # the fit statistics take it instead of a pass of their own (same operations, so
    # the same bits), and it is the exact SSR of the exact least-squares coefficients.
    from linmod.linalg.dd import dd_sum_of_squares

    rng = np.random.default_rng(12)
    x = rng.standard_normal((40, 3))
    y = 1e3 * (x @ np.array([1.0, -2.0, 0.5]) + 3.0 + 1e-6 * rng.standard_normal(40))
    res = linmod.ols(x, y)
    solution = res.solution
    known = solution.residual_squares
    assert known is not None
    assert known.applies_to(solution.residuals, solution.residuals_lo, res.design.y)
    e = res._exponent
    assert e == int(np.frexp(np.max(np.abs(y)))[1])
    measured = dd_sum_of_squares(
        np.ldexp(solution.residuals, -e), np.ldexp(solution.residuals_lo, -e)
    )
    assert (known.hi, known.lo) == measured
    assert res._ssr_dd == measured
    exact_residuals = [Fraction(float(v)) for v in _exact(x, y, residuals=True)]
    assert_allclose(res.ssr, float(sum(r * r for r in exact_residuals)), rtol=1e-14)


def test_a_result_with_other_residuals_or_another_response_measures_its_own():
    # The stored sum belongs to the arrays it was formed from: replacing the residuals
    # (as weighted and robust code does) or the response must not reuse it.
    from dataclasses import replace

    from linmod.inference.results import OLSResults

    rng = np.random.default_rng(13)
    x = rng.standard_normal((30, 2))
    y = x @ np.array([0.5, 1.5]) + rng.standard_normal(30)
    res = linmod.ols(x, y)
    assert res.solution.residual_squares is not None
    doubled = replace(res.solution, residuals=2.0 * res.solution.residuals, residuals_lo=None)
    other = OLSResults(design=res.design, solution=doubled)
    assert_allclose(other.ssr, 4.0 * res.ssr, rtol=1e-15)
    scaled_y = replace(res.design, y=4.0 * res.design.y)  # another y: another exponent
    again = OLSResults(design=scaled_y, solution=res.solution)
    assert again._exponent == res._exponent + 2
    assert again.ssr == res.ssr
