"""Formula-level penalty paths, checked against scikit-learn fits on standardised columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import linmod
from linmod.exceptions import InputError
from linmod.model_selection import penalty_path

FORMULA = "price ~ square_feet + bedrooms + bathrooms + age"


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return linmod.datasets.house_prices(n=150, seed=5)


@pytest.fixture(scope="module")
def lasso(houses):
    return penalty_path(FORMULA, houses, penalty="lasso", n_alphas=20, folds=4, seed=1)


def _xy(houses):
    return (
        houses[["square_feet", "bedrooms", "bathrooms", "age"]].to_numpy(float),
        houses["price"].to_numpy(float),
    )


def test_grid_is_scikit_learns_on_standardised_columns(houses, lasso):
    x, y = _xy(houses)
    z = StandardScaler().fit_transform(x)
    alpha_max = np.max(np.abs(z.T @ (y - y.mean()))) / len(y)
    expected = np.geomspace(alpha_max, alpha_max * 1e-3, 20)
    np.testing.assert_allclose(lasso.path.alphas, expected, rtol=1e-10)


def test_coefficients_equal_scikit_learn_lasso(houses, lasso):
    x, y = _xy(houses)
    scaler = StandardScaler().fit(x)
    for k in (3, 10, 19):
        alpha = lasso.path.alphas[k]
        peer = linear_model.Lasso(alpha=alpha, tol=1e-12, max_iter=100_000)
        peer.fit(scaler.transform(x), y)
        expected = peer.coef_ / scaler.scale_
        # the reported path is solved to a duality gap of 1e-8 (PATH_TOL)
        np.testing.assert_allclose(
            lasso.path.coefs[:, k], expected, rtol=1e-6, atol=1e-9 * np.abs(expected).max()
        )


def test_alpha_min_is_the_cross_validated_minimum(houses, lasso):
    """The CV curve is recomputed with scikit-learn pipelines on the same folds."""
    x, y = _xy(houses)
    folds = list(KFold(4, shuffle=True, random_state=1).split(x))
    mean_mse = []
    for alpha in lasso.path.alphas:
        errors = []
        for train, test in folds:
            model = make_pipeline(
                StandardScaler(), linear_model.Lasso(alpha=alpha, tol=1e-10, max_iter=100_000)
            )
            model.fit(x[train], y[train])
            errors.append(np.mean((y[test] - model.predict(x[test])) ** 2))
        mean_mse.append(np.mean(errors))
    # Both sides stop coordinate descent at a duality gap; linmod's default (1e-4 of
    # ‖y − ȳ‖²) lets a held-out MSE near alpha_max move by up to about 1%.
    np.testing.assert_allclose(lasso.cv_curve["mean_mse"], mean_mse, rtol=1e-2)
    assert lasso.alpha_min == lasso.path.alphas[int(np.argmin(mean_mse))]
    assert lasso.alpha_1se >= lasso.alpha_min


def test_ridge_path_equals_closed_form(houses):
    result = penalty_path(FORMULA, houses, penalty="ridge", n_alphas=15)
    x, y = _xy(houses)
    scaler = StandardScaler().fit(x)
    z, yc = scaler.transform(x), y - y.mean()
    for k in (0, 7, 14):
        alpha = result.path.alphas[k]
        beta = np.linalg.solve(z.T @ z + alpha * np.eye(4), z.T @ yc) / scaler.scale_
        np.testing.assert_allclose(result.path.coefs[:, k], beta, rtol=1e-9)
    assert result.alpha_min in result.path.alphas


def test_standardized_coefficients_are_per_standard_deviation(houses, lasso):
    standardized = penalty_path(
        FORMULA, houses, penalty="lasso", n_alphas=20, folds=4, seed=1, standardized=True
    )
    x, _ = _xy(houses)
    assert standardized.alpha_min == lasso.alpha_min
    np.testing.assert_allclose(
        standardized.path.coefs, lasso.path.coefs * x.std(axis=0)[:, None], rtol=1e-6, atol=1e-6
    )
    assert "standardised coefficients" in str(standardized)


def test_table_and_text(lasso):
    table = lasso.to_frame()
    assert list(table.columns[:4]) == ["alpha", "n_nonzero", "mean_mse", "se_mse"]
    assert list(table.columns[4:]) == ["square_feet", "bedrooms", "bathrooms", "age"]
    assert table["n_nonzero"].iloc[0] == 0
    text = str(lasso)
    assert "alpha_1se" in text
    assert "Dropped at alpha_1se" in text
    assert lasso.coef_at(lasso.alpha_min).name == lasso.alpha_min


def test_categorical_terms_are_named(houses):
    result = penalty_path("price ~ square_feet + C(garage)", houses, n_alphas=10, folds=3)
    assert result.path.feature_names == ("square_feet", "C(garage)[T.1]", "C(garage)[T.2]")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"penalty": "group"}, "penalty='group'"), ({"n_alphas": 0}, "alphas")],
)
def test_bad_arguments(houses, kwargs, message):
    with pytest.raises(InputError, match=message):
        penalty_path(FORMULA, houses, **kwargs)


def test_intercept_only_formula_has_nothing_to_penalise(houses):
    with pytest.raises(InputError, match="no terms to penalise"):
        penalty_path("price ~ 1", houses)


def test_lasso_with_the_default_options_chooses_the_same_penalty():
    # One default everywhere (issue 13; they used to differ with default folds):
    # standardised columns and shuffled folds seeded alike, no option to align.
    from ..conftest import load_dataset

    mtcars = load_dataset("mtcars")
    formula = "mpg ~ wt + hp + disp + qsec"
    path = linmod.penalty_path(formula, mtcars, seed=3)
    fit = linmod.lasso(formula, data=mtcars, alpha="cv", seed=3)
    assert fit.standardize
    assert fit.alpha == path.alpha_min
    sparse = linmod.lasso(formula, data=mtcars, alpha="1se", seed=3)
    assert sparse.alpha == path.alpha_1se
