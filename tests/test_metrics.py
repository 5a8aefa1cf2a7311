"""``linmod.metrics`` against scikit-learn's and statsmodels' definitions."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from sklearn import metrics as skm

import linmod
from linmod import metrics

PAIRS = [
    (metrics.r2, skm.r2_score),
    (metrics.mse, skm.mean_squared_error),
    (metrics.rmse, skm.root_mean_squared_error),
    (metrics.mae, skm.mean_absolute_error),
    (metrics.mape, skm.mean_absolute_percentage_error),
]
IDS = [ours.__name__ for ours, _ in PAIRS]


def _pair(seed: int, n: int = 200) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y_true = rng.normal(loc=5.0, scale=3.0, size=n)
    y_pred = y_true + rng.normal(scale=1.5, size=n)
    return y_true, y_pred


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=IDS)
@pytest.mark.parametrize("seed", range(5))
def test_matches_sklearn_on_random_data(ours, theirs, seed):
    y_true, y_pred = _pair(seed, n=20 + 50 * seed)
    value = ours(y_true, y_pred)
    assert isinstance(value, float)
    assert_allclose(value, theirs(y_true, y_pred), rtol=1e-12)


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=IDS)
def test_matches_sklearn_on_lists_and_column_vectors(ours, theirs):
    y_true, y_pred = _pair(7, n=30)
    assert_allclose(ours(list(y_true), list(y_pred)), theirs(y_true, y_pred), rtol=1e-12)
    assert_allclose(ours(y_true[:, None], y_pred), theirs(y_true, y_pred), rtol=1e-12)


def test_rmse_is_sqrt_mse():
    y_true, y_pred = _pair(8)
    assert_allclose(
        metrics.rmse(y_true, y_pred), np.sqrt(skm.mean_squared_error(y_true, y_pred)), rtol=1e-12
    )


def test_mape_with_zero_in_y_true_matches_sklearn():
    y_true = np.array([0.0, 1.0, -2.0, 4.0])
    y_pred = np.array([0.5, 1.0, -1.0, 3.0])
    assert_allclose(
        metrics.mape(y_true, y_pred), skm.mean_absolute_percentage_error(y_true, y_pred), rtol=1e-12
    )


@pytest.mark.parametrize("prediction", [[3.0, 3.0, 3.0], [3.0, 2.0, 4.0]])
def test_r2_of_constant_y_true_follows_sklearn(prediction):
    y_true = [3.0, 3.0, 3.0]
    assert metrics.r2(y_true, prediction) == skm.r2_score(y_true, prediction)


@pytest.mark.parametrize("n_features", [0, 1, 3, 10])
@pytest.mark.parametrize("seed", range(3))
def test_adjusted_r2_by_hand(seed, n_features):
    y_true, y_pred = _pair(seed, n=40)
    n = y_true.size
    r2 = skm.r2_score(y_true, y_pred)
    expected = 1.0 - (1.0 - r2) * (n - 1) / (n - n_features - 1)
    assert_allclose(metrics.adjusted_r2(y_true, y_pred, n_features), expected, rtol=1e-12)


@pytest.mark.parametrize("p", [1, 3, 6])
def test_adjusted_r2_matches_statsmodels(p):
    rng = np.random.default_rng(p)
    X = rng.normal(size=(50, p))
    y = 2.0 + X @ rng.normal(size=p) + rng.normal(size=50)
    fit = sm.OLS(y, sm.add_constant(X)).fit()
    assert_allclose(metrics.adjusted_r2(y, fit.fittedvalues, p), fit.rsquared_adj, rtol=1e-12)
    assert_allclose(metrics.r2(y, fit.fittedvalues), fit.rsquared, rtol=1e-12)
    assert_allclose(
        metrics.adjusted_r2(y, fit.fittedvalues, np.int64(p)), fit.rsquared_adj, rtol=1e-12
    )


# --------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------

ALL = [metrics.r2, metrics.mse, metrics.rmse, metrics.mae, metrics.mape]


def _adjusted(y_true, y_pred):
    return metrics.adjusted_r2(y_true, y_pred, 0)


ALL_IDS = [*IDS, "adjusted_r2"]


@pytest.mark.parametrize("metric", [*ALL, _adjusted], ids=ALL_IDS)
def test_length_mismatch(metric):
    with pytest.raises(linmod.InputError, match=r"y_true has 5 values but y_pred has 4"):
        metric([1.0, 2.0, 3.0, 4.0, 5.0], [1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("metric", [*ALL, _adjusted], ids=ALL_IDS)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("where", ["y_true", "y_pred"])
def test_non_finite(metric, bad, where):
    good = [1.0, 2.0, 3.0, 4.0]
    broken = [1.0, bad, 3.0, 4.0]
    args = (broken, good) if where == "y_true" else (good, broken)
    with pytest.raises(linmod.InputError, match=r"must be finite \(found NaN or inf\)"):
        metric(*args)


@pytest.mark.parametrize("metric", [*ALL, _adjusted], ids=ALL_IDS)
def test_empty(metric):
    with pytest.raises(linmod.InputError, match="at least one value"):
        metric([], [])


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError, match="at least one value"):
        metrics.mse(np.array([]), np.array([]))


@pytest.mark.parametrize("n_features", [-1, 4, 5, 100])
def test_adjusted_r2_n_features_out_of_range(n_features):
    y_true, y_pred = [1.0, 2.0, 3.0, 4.0, 5.0], [1.1, 2.1, 2.9, 4.2, 4.8]
    with pytest.raises(
        linmod.InputError, match=rf"n_features={n_features} must be at least 0 and below n - 1 = 4"
    ):
        metrics.adjusted_r2(y_true, y_pred, n_features)


@pytest.mark.parametrize("n_features", [1.5, 2.0, "2", True, None])
def test_adjusted_r2_n_features_must_be_an_integer(n_features):
    with pytest.raises(linmod.InputError, match="n_features must be an integer"):
        metrics.adjusted_r2([1.0, 2.0, 3.0, 4.0, 5.0], [1.1, 2.1, 2.9, 4.2, 4.8], n_features)


# --------------------------------------------------------------- sample_weight (issue 15)
WEIGHTED = [
    ("mse", "mean_squared_error"),
    ("mae", "mean_absolute_error"),
    ("mape", "mean_absolute_percentage_error"),
    ("r2", "r2_score"),
]


@pytest.mark.parametrize(("ours", "theirs"), WEIGHTED)
def test_weighted_metrics_equal_scikit_learn(ours, theirs):
    import sklearn.metrics

    import linmod.metrics

    rng = np.random.default_rng(4)
    y = rng.normal(size=40) + 3.0
    pred = y + rng.normal(scale=0.5, size=40)
    w = rng.uniform(0.0, 3.0, size=40)
    w[[3, 7]] = 0.0
    got = getattr(linmod.metrics, ours)(y, pred, sample_weight=w)
    expected = getattr(sklearn.metrics, theirs)(y, pred, sample_weight=w)
    np.testing.assert_allclose(got, expected, rtol=1e-13)


def test_weighted_rmse_is_the_root_of_the_weighted_mse():
    from linmod.metrics import rmse

    # By hand: errors 1, 2 with weights 3, 1 -> (3·1 + 1·4) / 4 = 7/4.
    assert rmse([0.0, 0.0], [1.0, 2.0], sample_weight=[3.0, 1.0]) == pytest.approx(
        np.sqrt(7 / 4), rel=1e-15
    )


def test_integer_weights_equal_repeated_values():
    from linmod.metrics import mae, r2

    y, pred = np.array([1.0, 4.0, 2.0, 8.0]), np.array([1.5, 3.0, 2.5, 6.0])
    w = np.array([1, 3, 2, 1])
    np.testing.assert_allclose(
        r2(y, pred, sample_weight=w), r2(np.repeat(y, w), np.repeat(pred, w)), rtol=1e-14
    )
    np.testing.assert_allclose(
        mae(y, pred, sample_weight=w), mae(np.repeat(y, w), np.repeat(pred, w)), rtol=1e-14
    )


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.0, -1.0, 1.0], "negative"),
        ([1.0, np.nan, 1.0], "NaN"),
        ([1.0, 1.0], "3"),
        ([0.0, 0.0, 0.0], "zero"),
    ],
)
def test_bad_sample_weight_is_refused(weights, message):
    from linmod.exceptions import InputError
    from linmod.metrics import r2

    with pytest.raises(InputError, match=message):
        r2([1.0, 2.0, 3.0], [1.0, 2.5, 2.0], sample_weight=weights)
