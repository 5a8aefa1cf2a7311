"""RidgeCV(store_cv_results=False): the same choice as the stored leave-one-out errors."""

from __future__ import annotations

import numpy as np
import pytest

from linmod.estimators.penalized_cv import RidgeCV
from linmod.model_selection.comparison import MODELS


@pytest.mark.parametrize(("n", "p"), [(60, 3), (3000, 12), (40, 60)])
@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("gcv", [False, True])
def test_summarised_curve_equals_the_stored_one(n, p, standardize, gcv):
    rng = np.random.default_rng(n + p)
    x = rng.normal(size=(n, p))
    y = x @ rng.normal(size=p) + rng.normal(size=n)
    stored = RidgeCV(standardize=standardize, gcv=gcv).fit(x, y)
    light = RidgeCV(standardize=standardize, gcv=gcv, store_cv_results=False).fit(x, y)
    assert light.alpha_ == stored.alpha_
    assert light.alpha_1se_ == stored.alpha_1se_
    np.testing.assert_array_equal(light.coef_, stored.coef_)
    assert light.intercept_ == stored.intercept_
    curves = light.cv_curve_, stored.cv_curve_
    np.testing.assert_allclose(curves[0]["mean_mse"], curves[1]["mean_mse"], rtol=1e-12)
    np.testing.assert_allclose(curves[0]["se_mse"], curves[1]["se_mse"], rtol=1e-10)
    assert light.mse_path_ is None
    assert light.loo_residuals_ is None
    assert stored.loo_residuals_.shape == (n, 100)


@pytest.mark.parametrize("power", [-430, 430])
def test_rescaled_data_give_the_curve_scaled_exactly(power):
    # |y| ~ 2^±430 is rescaled inside (its squares leave float64); the mean and standard
    # error of squared errors scale by exactly 2^(2·power), the penalties by nothing
    rng = np.random.default_rng(11)
    x = rng.normal(size=(200, 4))
    y = x @ rng.normal(size=4) + rng.normal(size=200)
    plain = RidgeCV(alphas=[0.1, 1.0, 10.0], store_cv_results=False).fit(x, y)
    scaled = RidgeCV(alphas=[0.1, 1.0, 10.0], store_cv_results=False).fit(x, np.ldexp(y, power))
    assert scaled.alpha_ == plain.alpha_
    for column in ("mean_mse", "se_mse"):
        np.testing.assert_allclose(
            scaled.cv_curve_[column], np.ldexp(plain.cv_curve_[column], 2 * power), rtol=1e-13
        )


def test_the_report_comparison_keeps_no_per_row_errors():
    ridge_cv = MODELS["ridge"](True, 0, 5)
    assert ridge_cv.cv is None
    assert ridge_cv.store_cv_results is False
