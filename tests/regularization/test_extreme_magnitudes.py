"""Penalised fits on data near float64's limits (issue 12, item 7).

``ElasticNet`` on ``X, y ≈ 1e300`` returned NaN coefficients with only a warning.  The
data are now rescaled by powers of two (exact) with the penalties rescaled to match; the
expected values follow from the objective by hand.  With ``X = c·X₀`` and ``y = d·y₀``,

    (1/2n)‖y − b − Xβ‖² + α·r‖β‖₁ + α(1 − r)/2‖β‖²
        = d²·[(1/2n)‖y₀ − b₀ − X₀β₀‖² + (α·r/(c·d))‖β₀‖₁ + (α(1 − r)/c²)/2‖β₀‖²]

with ``β₀ = (c/d)·β``: so a fit on ``(X, y)`` is the fit on ``(X₀, y₀)`` with an L1
penalty ``α·r/(c·d)`` and an L2 penalty ``α(1 − r)/c²``, computed here by scikit-learn or
numpy's least squares (test-only references) on the in-range data.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso
from sklearn.linear_model import Ridge as SkRidge

import linmod
from linmod.exceptions import InputError

from .datasets import random_problem, standardized


def _ols(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least squares with an intercept by numpy's SVD solver."""
    design = np.column_stack([np.ones(len(y)), X])
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    return beta[1:], float(beta[0])


@pytest.fixture
def data() -> tuple[np.ndarray, np.ndarray]:
    X, y = random_problem(21, 60, 4, k=3)
    return X, y


def _no_warnings(fit):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fit()


@pytest.mark.parametrize("scale", [1e300, 2.0**996, 1e-200, 2.0**-700])
@pytest.mark.parametrize(
    "make",
    [
        lambda: linmod.ElasticNet(alpha=1.0),
        lambda: linmod.ElasticNet(alpha=1.0, l1_ratio=0.0),
        lambda: linmod.Lasso(alpha=1.0),
        lambda: linmod.Ridge(alpha=1.0),
    ],
)
def test_huge_data_fit_least_squares_and_tiny_data_fit_zero(data, scale, make):
    # The penalties (≈ 1) are negligible next to data of 1e600 squared (the fit is least
    # squares) and dominate data of 1e-400 squared (the coefficients are ~1e-398 or 0).
    X0, y0 = data
    X, y = X0 * scale, y0 * scale
    model = _no_warnings(lambda: make().fit(X, y))
    assert np.isfinite(model.coef_).all()
    assert np.isfinite(model.intercept_)
    if scale > 1:
        coef, intercept = _ols(X / scale, y / scale)
        np.testing.assert_allclose(model.coef_, coef, rtol=1e-9)
        np.testing.assert_allclose(model.intercept_ / scale, intercept, rtol=1e-9)
        fitted = model.predict(X)
        assert np.isfinite(fitted).all()
        np.testing.assert_allclose(fitted / scale, X0 @ coef + intercept, rtol=1e-9)
    else:
        np.testing.assert_allclose(model.coef_, 0.0, atol=1e-300)


@pytest.mark.parametrize("scale", [2.0**-700, 1e-200, 2.0**700])
@pytest.mark.parametrize("make", [lambda: linmod.Lasso(alpha=0.0), lambda: linmod.Ridge(alpha=0.0)])
def test_least_squares_on_data_whose_squares_leave_float64(data, scale, make):
    # Without a penalty the fit is scale-free: the coefficients are those of (X₀, y₀).
    X0, y0 = data
    model = _no_warnings(lambda: make().fit(X0 * scale, y0 * scale))
    coef, intercept = _ols(X0, y0)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-9)
    np.testing.assert_allclose(model.intercept_ / scale, intercept, rtol=1e-9)


def test_a_penalty_that_matters_on_a_huge_design(data):
    # X = c·X₀, y = y₀: alpha = 0.1·c with l1_ratio = 0.5 is an L1 penalty 0.05 and an L2
    # penalty 0.05/c ≈ 0 on (X₀, y₀): scikit-learn's Lasso(alpha=0.05).
    X0, y0 = data
    c = 2.0**600
    model = _no_warnings(
        lambda: linmod.ElasticNet(alpha=0.1 * c, l1_ratio=0.5, tol=1e-12).fit(X0 * c, y0)
    )
    reference = SkLasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(X0, y0)
    np.testing.assert_allclose(model.coef_ * c, reference.coef_, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, reference.intercept_, rtol=1e-9)
    lasso = linmod.Lasso(alpha=0.05 * c, tol=1e-12).fit(X0 * c, y0)
    np.testing.assert_allclose(lasso.coef_ * c, reference.coef_, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("column_scale", [2.0**700, 1e200, 1e-250])
def test_standardize_fits_columns_of_any_magnitude(data, column_scale):
    # Standardised columns do not depend on the columns' scales: the fit is scikit-learn's
    # on the standardised in-range data, mapped back through the standard deviations.
    X0, y0 = data
    X = X0.copy()
    X[:, 1] *= column_scale
    Z, _, sd = standardized(X0)
    enet = _no_warnings(
        lambda: linmod.ElasticNet(alpha=0.05, l1_ratio=0.3, standardize=True, tol=1e-12).fit(X, y0)
    )
    reference = SkElasticNet(alpha=0.05, l1_ratio=0.3, tol=1e-12, max_iter=100_000).fit(Z, y0)
    expected = reference.coef_ / sd
    expected[1] /= column_scale
    np.testing.assert_allclose(enet.coef_, expected, rtol=1e-7)
    ridge = _no_warnings(lambda: linmod.Ridge(alpha=3.0, standardize=True).fit(X, y0))
    expected = SkRidge(alpha=3.0, solver="svd").fit(Z, y0).coef_ / sd
    expected[1] /= column_scale
    np.testing.assert_allclose(ridge.coef_, expected, rtol=1e-10)


def test_paths_and_cv_on_a_huge_design(data):
    # X = c·X₀: the Lasso penalties scale by c and the coefficients by 1/c.
    X0, y0 = data
    c = 2.0**700
    small = linmod.lasso_path(X0, y0, alphas=8)
    big = _no_warnings(lambda: linmod.lasso_path(X0 * c, y0, alphas=8))
    np.testing.assert_allclose(big.alphas, small.alphas * c, rtol=1e-14)
    np.testing.assert_allclose(big.coefs * c, small.coefs, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(big.intercepts, small.intercepts, rtol=1e-9)
    cv_small = linmod.LassoCV(cv=3).fit(X0, y0)
    cv_big = _no_warnings(lambda: linmod.LassoCV(cv=3).fit(X0 * c, y0))
    assert cv_big.alpha_ == pytest.approx(cv_small.alpha_ * c, rel=1e-14)
    np.testing.assert_allclose(cv_big.coef_ * c, cv_small.coef_, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(cv_big.mse_path_, cv_small.mse_path_, rtol=1e-12)
    # Ridge: the penalty scales by c², beyond float64 for c = 2^700, so compare at 2^450.
    c = 2.0**450
    ridge_small = linmod.RidgeCV(alphas=[0.1, 1.0, 10.0]).fit(X0, y0)
    ridge_big = _no_warnings(
        lambda: linmod.RidgeCV(alphas=[0.1 * c * c, c * c, 10.0 * c * c]).fit(X0 * c, y0)
    )
    assert ridge_big.alpha_ == ridge_small.alpha_ * c * c
    np.testing.assert_allclose(ridge_big.coef_ * c, ridge_small.coef_, rtol=1e-10)
    np.testing.assert_allclose(ridge_big.loo_residuals_, ridge_small.loo_residuals_, rtol=1e-9)
    path = _no_warnings(lambda: linmod.ridge_path(X0 * c, y0, alphas=[c * c]))
    np.testing.assert_allclose(
        path.coefs[:, 0] * c, linmod.Ridge(alpha=1.0).fit(X0, y0).coef_, rtol=1e-10
    )


def test_columns_too_far_apart_are_refused_with_their_names(data):
    X0, y0 = data
    X = X0.copy()
    X[:, 2] *= 1e200
    frame = {f"f{j}": X[:, j] for j in range(X.shape[1])}
    with pytest.raises(InputError, match=r"column 'f2' .*column 'f0' .*rescale column 'f2'"):
        linmod.ElasticNet().fit(pd.DataFrame(frame), y0)
    with pytest.raises(InputError, match=r"column 'x2' .*too far apart"):
        linmod.Ridge().fit(X, y0)


def test_results_beyond_float64_are_refused(data):
    X0, y0 = data
    # Coefficients y/X ≈ 1e400.
    with pytest.raises(InputError, match=r"coefficients are beyond float64's range.*rescale"):
        linmod.Lasso(alpha=0.0).fit(X0 * 1e-200, y0 * 1e200)
    # Squared cross-validation errors of y ≈ 1e300.
    with pytest.raises(InputError, match=r"cross-validation errors are beyond float64.*rescale y"):
        linmod.RidgeCV(alphas=[1.0], cv=3).fit(X0 * 1e300, y0 * 1e300)
    with pytest.raises(InputError, match=r"cross-validation errors are beyond float64"):
        linmod.ElasticNetCV(alphas=[1.0], cv=3).fit(X0 * 1e300, y0 * 1e300)
    # Automatic grids of penalties ≈ 1e600.
    for fit in (
        lambda: linmod.lasso_path(X0 * 1e300, y0 * 1e300),
        lambda: linmod.LassoCV(cv=3).fit(X0 * 1e300, y0 * 1e300),
        lambda: linmod.RidgeCV().fit(X0 * 1e300, y0 * 1e300),
        lambda: linmod.RidgeCV().fit(X0 * 1e-200, y0 * 1e-200),
    ):
        with pytest.raises(InputError, match=r"automatic penalty grid .*pass explicit alphas"):
            fit()
