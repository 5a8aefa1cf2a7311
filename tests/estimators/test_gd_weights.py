"""``GDRegressor.fit(X, y, sample_weight=...)``: the weighted mean squared error."""

from __future__ import annotations

import numpy as np
import pytest

from linmod import GDRegressor
from linmod.exceptions import InputError


def _data(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(80, 3)) * [1.0, 5.0, 0.2] + [2.0, -1.0, 4.0]
    y = x @ np.array([1.0, -0.5, 3.0]) + 2.0 + rng.normal(size=80)
    w = rng.integers(0, 4, size=80).astype(float)
    return x, y, w


def _wls(x, y, w, intercept=True):
    """Weighted least squares by hand: OLS on sqrt(w)-scaled rows (numpy lstsq)."""
    design = np.column_stack([np.ones(len(y)), x]) if intercept else x
    root = np.sqrt(w)
    return np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_batch_descent_reaches_weighted_least_squares(standardize, fit_intercept):
    x, y, w = _data()
    w = w + 0.3
    model = GDRegressor(standardize=standardize, fit_intercept=fit_intercept, max_epochs=200_000)
    model.fit(x, y, sample_weight=w)
    exact = _wls(x, y, w, fit_intercept)
    fitted = np.r_[model.intercept_, model.coef_] if fit_intercept else model.coef_
    np.testing.assert_allclose(fitted, exact, rtol=1e-7)


def test_integer_weights_equal_repeated_rows():
    x, y, w = _data(1)
    reps = w.astype(int)
    weighted = GDRegressor().fit(x, y, sample_weight=w)
    repeated = GDRegressor().fit(np.repeat(x, reps, axis=0), np.repeat(y, reps))
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-8)
    assert weighted.intercept_ == pytest.approx(repeated.intercept_, rel=1e-8)
    # the auto step is that of the weighted cost: the repeated rows' Lipschitz constant
    assert weighted.lipschitz_ == pytest.approx(repeated.lipschitz_, rel=1e-12)


@pytest.mark.parametrize("method", ["minibatch", "sgd"])
def test_stochastic_descent_with_weights_reaches_wls_to_its_documented_accuracy(method):
    x, y, w = _data(2)
    model = GDRegressor(method=method, random_state=0, schedule="step", max_epochs=300)
    model.fit(x, y, sample_weight=w + 0.5)
    exact = _wls(x, y, w + 0.5)
    fitted = np.r_[model.intercept_, model.coef_]
    # the documented accuracy: 1e-2 relative to the solution's norm (distance_to_solution)
    assert np.linalg.norm(fitted - exact) <= 1e-2 * np.linalg.norm(exact)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (lambda n: np.r_[1.0, -1.0, np.ones(n - 2)], "negative values in row 2"),
        (lambda n: np.zeros(n), "all zero"),
        (lambda n: np.r_[np.nan, np.ones(n - 1)], r"missing \(NaN\) values in row 1"),
        (lambda n: np.ones(n + 1), "give one weight per row"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    x, y, _ = _data()
    with pytest.raises(InputError, match=message):
        GDRegressor().fit(x, y, sample_weight=weights(80))


def test_huge_weights_do_not_overflow():
    x, y, w = _data(3)
    w = w + 1.0
    plain = GDRegressor().fit(x, y, sample_weight=w)
    huge = GDRegressor().fit(x, y, sample_weight=w * 1e307)
    np.testing.assert_allclose(huge.coef_, plain.coef_, rtol=1e-10)
