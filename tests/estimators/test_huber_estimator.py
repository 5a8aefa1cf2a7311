"""HuberRegressor: scikit-learn's contract, agreement with rlm(), outliers_."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod import HuberRegressor
from linmod.exceptions import InputError

# scikit-learn's weight-equivalence check fits 30 features on 15 samples: an unpenalised
# M-estimator needs more samples than parameters (scikit-learn's adds an L2 penalty).
_FEWER_SAMPLES_THAN_FEATURES = {
    "check_sample_weight_equivalence_on_dense_data": "the check fits more features than samples"
}


@parametrize_with_checks(
    [HuberRegressor(), HuberRegressor(epsilon=2.0, fit_intercept=False)],
    expected_failed_checks=lambda estimator: _FEWER_SAMPLES_THAN_FEATURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_matches_rlm_and_flags_the_outlier():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((100, 2))
    y = X @ [1.0, 2.0] + 0.1 * rng.standard_normal(100)
    y[7] += 50.0
    model = HuberRegressor().fit(X, y)
    res = linmod.rlm(X, y)
    assert_allclose(model.intercept_, res.coef.iloc[0], rtol=1e-14, atol=1e-15)
    assert_allclose(model.coef_, res.coef.iloc[1:], rtol=1e-14)
    assert model.outliers_[7]
    assert model.scale_ == res.scale
    # the outlier barely moves the robust fit, while it drags least squares
    assert_allclose(model.coef_, [1.0, 2.0], atol=0.05)


def test_integer_precision_weights_scale_rows():
    rng = np.random.default_rng(6)
    X = rng.standard_normal((60, 1))
    y = 3 * X[:, 0] + rng.standard_normal(60)
    w = rng.uniform(0.5, 2.0, 60)
    model = HuberRegressor().fit(X, y, sample_weight=w)
    assert_allclose(model.coef_, linmod.rlm(X, y, weights=w).coef.iloc[1:], rtol=1e-14)


def test_too_few_samples():
    with pytest.raises(InputError, match=r"n_samples=2 is not more than the 2 parameters"):
        HuberRegressor().fit([[1.0], [2.0]], [1.0, 2.0])
