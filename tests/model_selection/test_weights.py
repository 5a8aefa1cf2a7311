"""Weights in the cross-validated comparison and the penalty path (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold

import linmod
from linmod.exceptions import InputError
from linmod.model_selection import cross_validate_models, penalty_path

FORMULA = "price ~ square_feet + bedrooms + age"
COLUMNS = ["square_feet", "bedrooms", "age"]


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    data = linmod.datasets.house_prices(n=120, seed=11)
    rng = np.random.default_rng(2)
    data["w"] = rng.uniform(0.2, 3.0, size=len(data))
    data.loc[[4, 50, 97], "w"] = 0.0
    return data


def test_weighted_ols_folds_equal_scikit_learn(houses):
    """Folds are drawn on the positive-weight rows; fits and scores use the weights."""
    comparison = cross_validate_models(FORMULA, houses, folds=4, seed=3, weights="w")
    kept = houses[houses["w"] > 0]
    x, y, w = kept[COLUMNS].to_numpy(float), kept["price"].to_numpy(float), kept["w"].to_numpy()
    ols = comparison.folds[comparison.folds["model"] == "ols"].reset_index(drop=True)
    splits = KFold(4, shuffle=True, random_state=3).split(x)
    for row, (train, test) in zip(ols.itertuples(), splits, strict=True):
        peer = linear_model.LinearRegression().fit(x[train], y[train], sample_weight=w[train])
        predicted = peer.predict(x[test])
        assert row.n_test == len(test)
        np.testing.assert_allclose(
            row.r2, r2_score(y[test], predicted, sample_weight=w[test]), rtol=1e-10
        )
        rmse = np.sqrt(mean_squared_error(y[test], predicted, sample_weight=w[test]))
        np.testing.assert_allclose(row.rmse, rmse, rtol=1e-10)
        mae = mean_absolute_error(y[test], predicted, sample_weight=w[test])
        np.testing.assert_allclose(row.mae, mae, rtol=1e-10)
    assert comparison.weighted
    assert comparison.n_obs == len(kept)
    assert "weighted fits and scores" in str(comparison)


def test_constant_weights_change_nothing(houses):
    plain = cross_validate_models(FORMULA, houses, folds=4, seed=3)
    scaled = cross_validate_models(FORMULA, houses, folds=4, seed=3, weights=np.full(120, 2.5))
    for score in ("r2", "rmse", "mae"):
        np.testing.assert_allclose(scaled.folds[score], plain.folds[score], rtol=1e-7)
    # Lasso's objective divides by Σw; ridge's Σ w r² + α‖β‖² takes α·2.5 for w = 2.5.
    ridge = (plain.folds["model"] == "ridge").to_numpy()
    lasso = (plain.folds["model"] == "lasso").to_numpy()
    np.testing.assert_allclose(scaled.folds["alpha"][lasso], plain.folds["alpha"][lasso], rtol=1e-9)
    np.testing.assert_allclose(
        scaled.folds["alpha"][ridge], 2.5 * plain.folds["alpha"][ridge], rtol=1e-9
    )
    assert not plain.weighted


def test_zero_weights_equal_dropping_the_rows(houses):
    weighted = cross_validate_models(
        FORMULA, houses, models=("ols", "lasso"), folds=4, seed=3,
        weights=np.where(houses["w"] > 0, 1.0, 0.0),
    )  # fmt: skip
    dropped = cross_validate_models(
        FORMULA, houses[houses["w"] > 0], models=("ols", "lasso"), folds=4, seed=3
    )
    np.testing.assert_allclose(weighted.folds["rmse"], dropped.folds["rmse"], rtol=1e-9)
    np.testing.assert_allclose(weighted.folds["alpha"], dropped.folds["alpha"], rtol=1e-12)


def test_weights_column_is_left_out_of_dot(houses):
    data = houses[["price", *COLUMNS, "w"]]
    comparison = cross_validate_models("price ~ .", data, models=("ols",), folds=3, weights="w")
    named = cross_validate_models(FORMULA, data, models=("ols",), folds=3, weights="w")
    np.testing.assert_allclose(comparison.folds["rmse"], named.folds["rmse"], rtol=1e-12)


def test_missing_weight_drops_its_row_with_missing_drop(houses):
    data = houses.copy()
    data.loc[[7, 8], "w"] = np.nan
    comparison = cross_validate_models(
        FORMULA, data, models=("ols",), folds=3, weights="w", missing="drop"
    )
    assert comparison.n_obs == 120 - 3 - 2
    with pytest.raises(InputError, match="rows 8, 9"):
        cross_validate_models(FORMULA, data, models=("ols",), folds=3, weights="w")


@pytest.mark.parametrize(
    ("weights", "weights_type", "message"),
    [
        ("nope", "precision", "not a column"),
        ("w", "frequency", "whole numbers"),
        ("w", "other", "weights_type"),
        (np.ones(5), "precision", "5"),
    ],
)
def test_bad_weights_are_refused(houses, weights, weights_type, message):
    with pytest.raises(InputError, match=message):
        cross_validate_models(FORMULA, houses, weights=weights, weights_type=weights_type)


def test_weighted_path_equals_scikit_learn_on_weighted_standardised_columns(houses):
    result = penalty_path(
        FORMULA, houses, n_alphas=15, folds=4, seed=1, weights="w", standardized=True
    )
    kept = houses[houses["w"] > 0]
    x, y, w = kept[COLUMNS].to_numpy(float), kept["price"].to_numpy(float), kept["w"].to_numpy()
    mean = np.average(x, axis=0, weights=w)
    sd = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))  # glmnet's weighted sd
    z = (x - mean) / sd
    for k in (2, 7, 14):
        alpha = result.path.alphas[k]
        peer = linear_model.Lasso(alpha=alpha, tol=1e-13, max_iter=200_000)
        peer.fit(z, y, sample_weight=w * len(w) / w.sum())  # scikit-learn's 1/(2 Σw) scaling
        np.testing.assert_allclose(
            result.path.coefs[:, k], peer.coef_, rtol=1e-6, atol=1e-8 * np.abs(peer.coef_).max()
        )


def test_weighted_path_chooses_the_penalty_of_weighted_lasso_cv(houses):
    result = penalty_path(FORMULA, houses, folds=4, seed=1, weights="w")
    fit = linmod.lasso(FORMULA, data=houses, alpha="cv", cv=4, seed=1, weights="w")
    assert result.alpha_min == pytest.approx(fit.alpha, rel=1e-12)
    unweighted = penalty_path(FORMULA, houses, n_alphas=15, folds=4, seed=1)
    assert unweighted.alpha_min != pytest.approx(result.alpha_min, rel=1e-3)
