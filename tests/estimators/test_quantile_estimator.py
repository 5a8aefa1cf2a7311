"""QuantileRegressor: scikit-learn's contract, sample weights, agreement with quantreg()."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod import QuantileRegressor
from linmod.exceptions import InputError

# scikit-learn's weight-equivalence check fits 30 features on 15 samples (27 repeated):
# an unpenalised regression quantile needs n >= p (scikit-learn's is L1-penalised).
_FEWER_SAMPLES_THAN_FEATURES = {
    "check_sample_weight_equivalence_on_dense_data": "the check fits more features than samples"
}


@parametrize_with_checks(
    [QuantileRegressor(), QuantileRegressor(quantile=0.8, fit_intercept=False)],
    expected_failed_checks=lambda estimator: _FEWER_SAMPLES_THAN_FEATURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_matches_the_formula_entry_point():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((300, 3))
    y = X @ [1.0, -2.0, 0.5] + rng.standard_t(3, 300)
    model = QuantileRegressor(quantile=0.75).fit(X, y)
    res = linmod.quantreg(X, y, q=0.75)
    assert_allclose(model.intercept_, res.coef.iloc[0], rtol=1e-14)
    assert_allclose(model.coef_, res.coef.iloc[1:], rtol=1e-14)
    assert_allclose(model.predict(X[:5]), res.fitted.iloc[:5], rtol=1e-13)


def test_integer_sample_weights_equal_repeated_rows():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((80, 2))
    y = X @ [2.0, 1.0] + rng.standard_normal(80)
    counts = rng.integers(0, 4, 80)
    weighted = QuantileRegressor(quantile=0.3).fit(X, y, sample_weight=counts)
    repeated = QuantileRegressor(quantile=0.3).fit(
        np.repeat(X, counts, axis=0), np.repeat(y, counts)
    )
    # Same objective; the minimiser is unique for continuous data.
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-10)
    assert_allclose(weighted.intercept_, repeated.intercept_, rtol=1e-10)


def test_bad_sample_weights_are_refused():
    X, y = np.arange(10.0).reshape(-1, 1), np.arange(10.0)
    with pytest.raises(InputError, match=r"sample_weight has 1 negative values in row 3"):
        QuantileRegressor().fit(X, y, sample_weight=[1, 1, -1, 1, 1, 1, 1, 1, 1, 1])
