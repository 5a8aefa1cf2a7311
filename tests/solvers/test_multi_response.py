"""Several responses on one factorisation: every column at the float64 limit."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import NearSingularWarning
from linmod.solvers import solve
from linmod.solvers.base import LeastSquaresProblem
from linmod.solvers.certified import certified_factor, certified_solution
from linmod.solvers.multi_response import solve_responses

from ..conftest import NIST_DIR
from ..exact import exact_inverse_gram, exact_least_squares
from ..models.nist import lre, read_nist

EPS = np.finfo(float).eps
WAMPLER = [read_nist(NIST_DIR / f"Wampler{k}.dat") for k in range(1, 6)]


def _problem(x: np.ndarray, intercept: bool = True) -> LeastSquaresProblem:
    return LeastSquaresProblem(
        x=np.ascontiguousarray(x),
        y=np.zeros(x.shape[0]),
        names=tuple(f"c{j}" for j in range(x.shape[1])),
        intercept=intercept,
    )


def test_the_five_wampler_problems_share_one_design():
    x0, _ = WAMPLER[0].design()
    for problem in WAMPLER[1:]:
        x, _ = problem.design()
        assert np.array_equal(x, x0)


@pytest.mark.parametrize("solver", ["auto", "qr"])
def test_stacked_wampler_responses_reach_the_certified_values(solver):
    # Wampler 1-5: one degree-5 polynomial design, five responses whose residuals range
    # from exactly 0 (Wampler1) to huge (Wampler5): each column is refined on its own.
    x, _ = WAMPLER[0].design()
    y = np.column_stack([p.design()[1] for p in WAMPLER])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(x, y, solver=solver)
    assert res.response_names == ["y0", "y1", "y2", "y3", "y4"]
    for j, problem in enumerate(WAMPLER):
        single = res[j]
        assert lre(single.coef.to_numpy(), problem.coef).min() >= 13, problem.name
        assert lre(single.std_err.to_numpy(), problem.std_err).min() >= 13, problem.name
        assert lre(single.sigma, problem.residual_sd).min() >= 13, problem.name
        assert lre(single.r_squared, problem.r_squared).min() >= 14, problem.name


def test_stacked_wampler_through_a_cbind_formula():
    data = WAMPLER[0].data[["x"]].copy()
    for k, problem in enumerate(WAMPLER, start=1):
        data[f"y{k}"] = problem.data["y"]
    rhs = "x + " + " + ".join(f"I(x**{k})" for k in range(2, 6))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(f"cbind(y1, y2, y3, y4, y5) ~ {rhs}", data=data)
    for k, problem in enumerate(WAMPLER, start=1):
        assert lre(res[f"y{k}"].coef.to_numpy(), problem.coef).min() >= 13
        assert lre(res[f"y{k}"].std_err.to_numpy(), problem.std_err).min() >= 13


def test_coefficients_match_exact_rational_arithmetic():
    rng = np.random.default_rng(7)
    x = [[1, *map(int, rng.integers(-9, 10, size=3))] for _ in range(15)]
    ys = [list(map(int, rng.integers(-50, 51, size=15))) for _ in range(3)]
    ys.append([v * 10**12 + 1 for v in ys[0]])  # a response far larger than the others
    results = solve_responses(_problem(np.array(x, dtype=float)), np.array(ys, dtype=float).T)
    for result, y in zip(results, ys, strict=True):
        exact = np.array([float(c) for c in exact_least_squares(x, y)])
        np.testing.assert_allclose(result.coef, exact, rtol=2 * np.finfo(float).eps, atol=0)


def test_each_column_is_bit_identical_to_its_single_response_qr_fit():
    rng = np.random.default_rng(3)
    x = np.column_stack([np.ones(200), rng.normal(size=(200, 4))])
    y = rng.normal(size=(200, 3))
    y[:, 1] *= 1e-9  # tiny coefficients: a stopping rule over the matrix would stop early
    y[:, 2] += x @ np.array([1.0, 2, 3, 4, 5]) * 1e5
    results = solve_responses(_problem(x), y, "qr")
    for j, result in enumerate(results):
        single = solve(replace_y(_problem(x), y[:, j]), "qr")
        np.testing.assert_array_equal(result.coef, single.coef)
        np.testing.assert_array_equal(result.residuals, single.residuals)
        np.testing.assert_array_equal(result.cov_unscaled, single.cov_unscaled)
        assert result.n_iter == single.n_iter
        assert result.method == "qr"


def test_auto_shares_the_certified_factor_and_certifies_each_column():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(200, 4))
    z[:, 2] += 1e4  # an offset column: the factor is taken in shifted coordinates
    x = np.column_stack([np.ones(200), z])
    y = rng.normal(size=(200, 3))
    y[:, 1] *= 1e-9
    y[:, 2] += x @ np.array([1.0, 2, 3, 4, 5]) * 1e5
    results = solve_responses(_problem(x), y, "auto")
    assert all(r.method == "cholesky" for r in results)
    assert all(r.cov_unscaled is results[0].cov_unscaled for r in results)  # one factor
    for j, result in enumerate(results):
        single = solve(replace_y(_problem(x), y[:, j]), "auto")
        assert single.method == "cholesky"
        # Both certified to half an ulp (+ eps**2 of the largest): equal to 1 ulp.
        np.testing.assert_allclose(result.coef, single.coef, rtol=2.3e-16, atol=0)
        np.testing.assert_array_equal(result.cov_unscaled, single.cov_unscaled)
        exact = solve(replace_y(_problem(x), y[:, j]), "qr")
        np.testing.assert_allclose(result.coef, exact.coef, rtol=2.3e-16, atol=0)


def test_auto_falls_back_to_the_shared_qr_for_an_ill_conditioned_design():
    # Filip's degree-10 design (scaled condition number ~1e8 even shifted): refinement on
    # the Cholesky factor would not contract, so every response takes the shared QR.
    filip = read_nist(NIST_DIR / "Filip.dat")
    x, y0 = filip.design()
    full = np.column_stack([np.ones(x.shape[0]), x])
    y = np.column_stack([y0, 2.0 * y0 + 0.01 * np.random.default_rng(1).normal(size=len(y0))])
    results = solve_responses(_problem(full), y, "auto")
    assert all(r.method == "qr" for r in results)


def test_the_wampler_design_is_certified_with_its_covariance_refined():
    # Wampler's degree-5 design fails the covariance bound (cond ~1e4 shifted), but the
    # refinement contracts: every response certified, (X'X)^-1 refined once and shared.
    x, _ = WAMPLER[0].design()
    y = np.column_stack([p.design()[1] for p in WAMPLER])
    full = np.column_stack([np.ones(x.shape[0]), x])
    factor = certified_factor(_problem(full))
    assert factor is not None
    assert not factor.cov_certified
    results = solve_responses(_problem(full), y, "auto")
    assert all(r.method == "cholesky" for r in results)
    assert all(r.cov_unscaled is results[0].cov_unscaled for r in results)
    exact = exact_inverse_gram(full)
    np.testing.assert_allclose(results[0].cov_unscaled, exact, rtol=4 * EPS, atol=0)


def replace_y(problem: LeastSquaresProblem, y: np.ndarray) -> LeastSquaresProblem:
    from dataclasses import replace

    return replace(problem, y=np.ascontiguousarray(y))


@pytest.mark.parametrize("solver", ["cholesky", "svd", "normal"])
def test_other_solvers_fit_response_by_response(solver):
    rng = np.random.default_rng(2)
    x = np.column_stack([np.ones(40), rng.normal(size=(40, 2))])
    y = rng.normal(size=(40, 2))
    results = solve_responses(_problem(x), y, solver)
    for j, result in enumerate(results):
        assert result.method == solver
        single = solve(replace_y(_problem(x), y[:, j]), solver)
        np.testing.assert_array_equal(result.coef, single.coef)


def test_extreme_magnitudes_fall_back_to_the_scaled_single_fits():
    rng = np.random.default_rng(4)
    x = np.column_stack([np.ones(30), rng.normal(size=30) * 1e200])
    y = np.column_stack([rng.normal(size=30) * 1e-200, rng.normal(size=30)])
    results = solve_responses(_problem(x), y)
    for j, result in enumerate(results):
        expected = solve(replace_y(_problem(x), y[:, j]), "auto")
        np.testing.assert_allclose(result.coef, expected.coef, rtol=1e-15)
        assert np.isfinite(result.coef).all()


def test_aliased_columns_are_shared():
    rng = np.random.default_rng(6)
    z = rng.normal(size=(30, 2))
    x = np.column_stack([np.ones(30), z, z[:, 0] + z[:, 1]])
    y = rng.normal(size=(30, 2))
    results = solve_responses(_problem(x), y)
    for result in results:
        assert result.rank == 3
        assert result.aliased.tolist() == [False, False, False, True]
        assert np.isnan(result.coef[3])
    frame = pd.DataFrame(x[:, 1:], columns=["a", "b", "c"])
    res = linmod.ols(frame, y)
    assert res.aliased.tolist() == [False, False, False, True]


def test_a_covariance_refined_once_is_shared_by_every_response():
    # Offset by about their spread, below the first shift's threshold: certified unshifted
    # with (X'X)^-1 refined, as a single response is; the float64 limit against exact sums.
    rng = np.random.default_rng(5)
    x = np.column_stack([np.ones(60), rng.normal(size=(60, 4)) + 1.3])
    y = np.column_stack([x @ [1.0, 2.0, -3.0, 0.5, 1.0] + rng.normal(size=60), rng.normal(size=60)])
    factor = certified_factor(_problem(x))
    assert factor is not None
    assert not factor.cov_certified
    results = solve_responses(_problem(x), y, "auto")
    assert all(r.method == "cholesky" for r in results)
    np.testing.assert_allclose(results[0].cov_unscaled, exact_inverse_gram(x), rtol=4 * EPS, atol=0)
    for j, result in enumerate(results):
        exact = np.array([float(c) for c in exact_least_squares(x, y[:, j])])
        np.testing.assert_allclose(result.coef, exact, rtol=2 * EPS, atol=0)
        single = solve(replace_y(_problem(x), y[:, j]), "auto")
        assert single.method == "cholesky"
        np.testing.assert_array_equal(result.cov_unscaled, single.cov_unscaled)


def test_columns_offset_by_about_their_spread_share_a_shifted_factor():
    # Nearly equal columns offset by 1.5 spreads: unshifted the refinement contracts too
    # slowly to be certified in its passes; retried shifted, as a single response is,
    # rather than the shared QR.
    rng = np.random.default_rng(7)
    z = rng.normal(size=100)[:, None] + 5e-5 * rng.normal(size=(100, 4))
    x = np.column_stack([np.ones(100), (z - z.mean(axis=0)) / z.std(axis=0) + 1.5])
    first = x @ [1.0, 1.0, 2.0, 3.0, 4.0] + rng.normal(size=100)
    y = np.column_stack([first, rng.normal(size=100)])
    unshifted = certified_factor(_problem(x))
    assert unshifted is not None
    assert unshifted.shift is None
    assert certified_solution(unshifted, x, np.ascontiguousarray(y[:, 0])) is None
    results = solve_responses(_problem(x), y, "auto")
    assert all(r.method == "cholesky" for r in results)
    for j, result in enumerate(results):
        exact = np.array([float(c) for c in exact_least_squares(x, y[:, j])])
        np.testing.assert_allclose(result.coef, exact, rtol=2 * EPS, atol=0)
        single = solve(replace_y(_problem(x), y[:, j]), "auto")
        np.testing.assert_array_equal(result.coef, single.coef)
