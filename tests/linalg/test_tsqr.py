"""Mergeable R factors reproduce the in-memory fit whatever the blocking and merge order."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import example, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from linmod.linalg.tsqr import RFactor
from linmod.solvers.factor import solve_factor


def _problem(seed: int, n: int = 500, p: int = 5):
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1)) * [1, 1e3, 1e-2, 50][: p - 1]])
    y = x @ rng.normal(size=p) + rng.normal(size=n)
    return x, y


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), cuts=st.lists(st.integers(1, 499), max_size=6, unique=True))
@example(seed=643, cuts=[])  # a near-zero coefficient, once judged by its relative error
def test_any_blocking_and_merge_order_gives_the_statsmodels_fit(seed, cuts):
    x, y = _problem(seed)
    bounds = [0, *sorted(cuts), len(y)]
    blocks = [RFactor.from_block(x[a:b], y[a:b]) for a, b in pairwise(bounds)]
    sequential = RFactor.empty(x.shape[1])
    for block in blocks:
        sequential = sequential.merge(block)
    tree = blocks
    while len(tree) > 1:  # pairwise, as a Dask tree reduction would
        tree = [
            tree[i].merge(tree[i + 1]) if i + 1 < len(tree) else tree[i]
            for i in range(0, len(tree), 2)
        ]
    ref = sm.OLS(y, x).fit()
    # Each coefficient's error is judged by what it contributes to the fit: |Δβ_j|·‖x_j‖
    # against ‖y‖.  (A coefficient near zero has no relative accuracy to speak of: with
    # seed=643 and no cuts one came 1.3e-9 off statsmodels relatively, both at the limit.)
    norms = np.linalg.norm(x, axis=0)
    for factor in (sequential, tree[0]):
        solution = solve_factor(factor)
        assert factor.n == len(y)
        assert_allclose(
            solution.coef * norms, ref.params * norms, rtol=1e-9, atol=1e-12 * np.linalg.norm(y)
        )
        assert_allclose(solution.ssr, ref.ssr, rtol=1e-10)
        assert_allclose(factor.y_centred_ss, ref.centered_tss, rtol=1e-12)
        assert_allclose(factor.y_ss, ref.uncentered_tss, rtol=1e-12)
        inverse = np.linalg.inv(x.T @ x)  # itself accurate to about cond² eps only
        assert_allclose(
            solution.cov_unscaled, inverse, rtol=1e-9, atol=1e-12 * np.abs(inverse).max()
        )


def test_aliased_columns_are_found_on_the_factor():
    x, y = _problem(1)
    wide = np.column_stack([x, 3.0 * x[:, 2]])
    factor = RFactor.from_block(wide[:200], y[:200]).add_block(wide[200:], y[200:])
    solution = solve_factor(factor)
    assert solution.aliased.tolist() == [False] * 5 + [True]
    assert np.isnan(solution.coef[5])
    assert_allclose(solution.coef[:5], sm.OLS(y, x).fit().params, rtol=1e-11)
    assert_allclose(solution.dependencies[0].coefficients[2], 3.0, rtol=1e-12)
    assert_allclose(solution.ssr, sm.OLS(y, x).fit().ssr, rtol=1e-11)


def test_blocks_shorter_than_the_width_are_fine():
    x, y = _problem(2, n=40)
    factor = RFactor.empty(5)
    for i in range(0, 40, 3):  # blocks of 3 rows, fewer than 6 columns
        factor = factor.add_block(x[i : i + 3], y[i : i + 3])
    assert_allclose(solve_factor(factor).coef, sm.OLS(y, x).fit().params, rtol=1e-11)


@pytest.mark.parametrize("alpha", [0.0, 0.5, 30.0])
@pytest.mark.parametrize("intercept", [True, False])
def test_ridge_from_the_factor_equals_scikit_learn(alpha, intercept):
    from sklearn.linear_model import Ridge

    from linmod.solvers.penalized_factor import CentredProducts, solve_penalized

    rng = np.random.default_rng(5)
    x = rng.normal(size=(300, 4)) * [1.0, 10.0, 0.1, 3.0] + [5.0, -2.0, 0.0, 1.0]
    y = x @ [1.0, -0.5, 4.0, 0.2] + 3.0 + rng.normal(size=300)
    design = np.column_stack([np.ones(300), x]) if intercept else x
    factor = RFactor.empty(design.shape[1])
    for i in range(0, 300, 70):  # folded in blocks, as a stream or Dask would
        factor = factor.add_block(design[i : i + 70], y[i : i + 70])
    products = CentredProducts.of(factor, intercept)
    solution = solve_penalized(products, "ridge", np.array([alpha]))
    coef, b0 = solution.coefs[:, 0], solution.intercepts[0]
    ref = Ridge(alpha=alpha, fit_intercept=intercept, solver="svd").fit(x, y)
    assert_allclose(coef, ref.coef_, rtol=1e-10)
    assert_allclose(b0, ref.intercept_, rtol=1e-10, atol=1e-12)
