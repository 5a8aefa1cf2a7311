"""Weighted penalised fits from R factors of sqrt(w)-scaled rows equal the in-memory ones."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.model_selection import PredefinedSplit

from linmod.linalg.tsqr import RFactor
from linmod.regularization import ElasticNet, Lasso, LassoCV, Ridge, RidgeCV
from linmod.solvers.penalized_factor import (
    CentredProducts,
    cross_validate_factors,
    solve_penalized,
)


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(70, 3)) * [1.0, 4.0, 0.3] + [5.0, -3.0, 100.0]
    y = x @ np.array([2.0, 0.0, -1.0]) + 7.0 + rng.normal(size=70)
    w = rng.uniform(0.2, 3.0, size=70)
    return x, y, w


def _factor(x, y, w, intercept=True):
    root = np.sqrt(w)
    design = np.column_stack([root, x * root[:, None]]) if intercept else x * root[:, None]
    return RFactor.from_block(design, y * root)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("intercept", [True, False])
@pytest.mark.parametrize(
    ("penalty", "estimator"),
    [
        ("ridge", Ridge(alpha=4.0)),
        ("lasso", Lasso(alpha=0.3, tol=1e-14, max_iter=100_000)),
        ("elastic_net", ElasticNet(alpha=0.3, l1_ratio=0.4, tol=1e-14, max_iter=100_000)),
    ],
)
def test_factor_of_scaled_rows_gives_the_weighted_fit(penalty, estimator, standardize, intercept):
    x, y, w = _data()
    products = CentredProducts.of(_factor(x, y, w, intercept), intercept, weight_total=w.sum())
    ratio = estimator.get_params().get("l1_ratio", 1.0)
    solution = solve_penalized(
        products, penalty, np.array([estimator.alpha]), l1_ratio=ratio,
        standardize=standardize, tol=1e-14, max_iter=100_000,
    )  # fmt: skip
    estimator.set_params(standardize=standardize, fit_intercept=intercept)
    estimator.fit(x, y, sample_weight=w)
    np.testing.assert_allclose(solution.coefs[:, 0], estimator.coef_, rtol=1e-8)
    assert solution.intercepts[0] == pytest.approx(estimator.intercept_, rel=1e-8, abs=1e-10)


@pytest.mark.parametrize("penalty", ["lasso", "ridge"])
def test_factor_cross_validation_weights_each_fold(penalty):
    x, y, w = _data(1)
    fold = np.arange(70) % 3
    factors = [_factor(x[fold == k], y[fold == k], w[fold == k]) for k in range(3)]
    totals = [w[fold == k].sum() for k in range(3)]
    alphas = np.array([2.0, 0.5, 0.1]) if penalty == "lasso" else np.array([50.0, 5.0, 0.5])
    cv = cross_validate_factors(
        factors, penalty, True, alphas=alphas, standardize=True, tol=1e-14,
        max_iter=100_000, weight_totals=totals,
    )  # fmt: skip
    split = PredefinedSplit(fold)
    if penalty == "lasso":
        ref = LassoCV(alphas=alphas, cv=split, standardize=True, tol=1e-14, max_iter=100_000)
    else:
        ref = RidgeCV(alphas=alphas, cv=split, standardize=True)
    ref.fit(x, y, sample_weight=w)
    np.testing.assert_allclose(cv.mse_path_, ref.mse_path_, rtol=1e-8)
    assert cv.alpha_ == ref.alpha_
