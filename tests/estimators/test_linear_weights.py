"""``LinearRegression.fit(X, y, sample_weight=)``: scikit-learn's contract and meanings."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
from numpy.testing import assert_allclose
from sklearn.linear_model import LinearRegression as SkLinearRegression
from sklearn.model_selection import KFold, cross_val_score
from sklearn.utils import shuffle

from linmod import LinearRegression
from linmod.exceptions import InputError


def _data(n=40, p=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    y = 1.0 + x @ np.arange(1.0, p + 1) + rng.normal(size=n)
    return x, y, rng.integers(0, 5, size=n)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("solver", ["auto", "qr", "cholesky", "svd", "normal"])
def test_integer_weights_equal_repeated_and_removed_samples(fit_intercept, solver):
    # scikit-learn's check_sample_weight_equivalence, on full-rank data.
    x, y, sw = _data()
    repeated = LinearRegression(fit_intercept=fit_intercept, solver=solver).fit(
        x.repeat(sw, axis=0), y.repeat(sw)
    )
    xs, ys, ws = shuffle(x, y, sw, random_state=0)
    weighted = LinearRegression(fit_intercept=fit_intercept, solver=solver)
    weighted.fit(xs, ys, sample_weight=ws)
    assert_allclose(weighted.predict(x), repeated.predict(x), rtol=1e-10)
    assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-10)


def test_frequency_meaning_gives_the_repeated_inference():
    x, y, sw = _data()
    repeated = LinearRegression().fit(x.repeat(sw, axis=0), y.repeat(sw))
    weighted = LinearRegression(weights_type="frequency").fit(x, y, sample_weight=sw)
    assert_allclose(weighted.results_.std_err, repeated.results_.std_err, rtol=1e-12)
    assert weighted.results_.n_obs == repeated.results_.n_obs


def test_coefficients_match_scikit_learn_with_weights():
    x, y, _ = _data()
    w = np.random.default_rng(3).uniform(0.1, 5, size=len(y))
    ours = LinearRegression().fit(x, y, sample_weight=w)
    theirs = SkLinearRegression().fit(x, y, sample_weight=w)
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-12)
    assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-12)
    assert_allclose(ours.score(x, y, w), theirs.score(x, y, w), rtol=1e-12)


def test_metadata_routing_passes_sample_weight_to_fit():
    x, y, _ = _data(60)
    w = np.random.default_rng(4).uniform(0.1, 5, size=len(y))
    folds = KFold(5, shuffle=True, random_state=0)
    with sklearn.config_context(enable_metadata_routing=True):
        model = (
            LinearRegression()
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True)
        )
        ours = cross_val_score(model, x, y, cv=folds, params={"sample_weight": w})
        theirs = cross_val_score(
            SkLinearRegression()
            .set_fit_request(sample_weight=True)
            .set_score_request(sample_weight=True),
            x, y, cv=folds, params={"sample_weight": w},
        )  # fmt: skip
        unweighted = cross_val_score(
            LinearRegression()
            .set_fit_request(sample_weight=False)
            .set_score_request(sample_weight=False),
            x,
            y,
            cv=folds,
        )
    assert_allclose(ours, theirs, rtol=1e-10)
    assert not np.allclose(ours, unweighted)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (-np.ones(10), r"sample_weight has 10 negative values in rows 1, 2, 3"),
        (np.r_[np.ones(9), np.nan], r"sample_weight has 1 missing \(NaN\) values in row 10"),
        (np.r_[np.inf, np.ones(9)], r"sample_weight has 1 infinite values in row 1\b"),
        (np.zeros(10), r"sample_weight are all zero"),
        (np.ones(9), r"sample_weight has shape \(9,\), but the data has 10 rows"),
        (["x"] * 10, r"sample_weight must be numbers"),
    ],
)
def test_bad_sample_weights_are_refused_naming_the_row(weights, message):
    x, y, _ = _data(10)
    with pytest.raises(InputError, match=message):
        LinearRegression().fit(x, y, sample_weight=weights)


def test_fractional_frequency_weights_and_unknown_meaning_are_refused():
    x, y, _ = _data(10)
    with pytest.raises(InputError, match=r"frequency weights must be whole numbers.*row 2\b"):
        LinearRegression(weights_type="frequency").fit(x, y, np.r_[1, 1.5, np.ones(8)])
    with pytest.raises(ValueError, match="weights_type"):
        LinearRegression(weights_type="counts").fit(x, y, np.ones(10))


def test_zero_weights_leave_too_few_samples():
    x, y, _ = _data(10)
    w = np.r_[np.ones(3), np.zeros(7)]
    with pytest.raises(InputError, match=r"n_samples=3 is fewer than the 4 parameters"):
        LinearRegression().fit(x, y, sample_weight=w)
