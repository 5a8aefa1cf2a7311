"""Cross-validated comparison of OLS, Ridge and Lasso, checked against scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import StandardScaler

import linmod
from linmod.exceptions import InputError
from linmod.model_selection import cross_validate_models

FORMULA = "price ~ square_feet + bedrooms + bathrooms + age + C(garage)"


@pytest.fixture(scope="module")
def houses() -> pd.DataFrame:
    return linmod.datasets.house_prices(n=200, seed=3)


@pytest.fixture(scope="module")
def comparison(houses):
    return cross_validate_models(FORMULA, houses, folds=5, seed=7)


def _design(houses: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    garage = pd.get_dummies(houses["garage"], prefix="g", drop_first=True, dtype=float)
    x = np.column_stack(
        [houses[["square_feet", "bedrooms", "bathrooms", "age"]].to_numpy(float), garage]
    )
    return x, houses["price"].to_numpy(float)


def test_ols_folds_equal_scikit_learn(houses, comparison):
    x, y = _design(houses)
    folds = comparison.folds[comparison.folds["model"] == "ols"].reset_index(drop=True)
    splits = KFold(5, shuffle=True, random_state=7).split(x)
    for row, (train, test) in zip(folds.itertuples(), splits, strict=True):
        predicted = linear_model.LinearRegression().fit(x[train], y[train]).predict(x[test])
        assert row.n_test == len(test)
        np.testing.assert_allclose(row.r2, r2_score(y[test], predicted), rtol=1e-10)
        np.testing.assert_allclose(
            row.rmse, np.sqrt(mean_squared_error(y[test], predicted)), rtol=1e-10
        )
        np.testing.assert_allclose(row.mae, mean_absolute_error(y[test], predicted), rtol=1e-10)


@pytest.mark.parametrize("model", ["ridge", "lasso"])
def test_penalised_folds_score_the_fit_at_their_chosen_alpha(houses, comparison, model):
    """Each fold's score is that of the penalised fit at the alpha chosen in the fold."""
    x, y = _design(houses)
    folds = comparison.folds[comparison.folds["model"] == model].reset_index(drop=True)
    splits = KFold(5, shuffle=True, random_state=7).split(x)
    for row, (train, test) in zip(folds.itertuples(), splits, strict=True):
        assert row.alpha > 0
        scaler = StandardScaler().fit(x[train])
        if model == "ridge":
            peer = linear_model.Ridge(alpha=row.alpha)
        else:
            peer = linear_model.Lasso(alpha=row.alpha, tol=1e-12, max_iter=100_000)
        predicted = peer.fit(scaler.transform(x[train]), y[train]).predict(
            scaler.transform(x[test])
        )
        # Ridge is a closed form; the Lasso stops at a duality gap of 1e-4·‖y − ȳ‖²,
        # which moves a held-out RMSE by up to about that much.
        rtol = 1e-10 if model == "ridge" else 1e-3
        np.testing.assert_allclose(
            row.rmse, np.sqrt(mean_squared_error(y[test], predicted)), rtol=rtol
        )


def test_summary_table_is_mean_and_standard_error(comparison):
    table = comparison.to_frame()
    assert list(table.index) == ["ols", "ridge", "lasso"]
    for model in table.index:
        scores = comparison.folds.loc[comparison.folds["model"] == model, "rmse"].to_numpy()
        mean = sum(scores) / len(scores)
        se = np.sqrt(sum((s - mean) ** 2 for s in scores) / (len(scores) - 1) / len(scores))
        np.testing.assert_allclose(table.loc[model, "rmse_mean"], mean, rtol=1e-12)
        np.testing.assert_allclose(table.loc[model, "rmse_se"], se, rtol=1e-12)
    assert np.isnan(table.loc["ols", "alpha"])
    assert table.loc["lasso", "alpha"] > 0
    assert comparison.best in table.index
    text = str(comparison)
    assert "5-fold cross-validation" in text
    assert "ridge" in text


def test_the_seed_fixes_the_folds(houses):
    a = cross_validate_models("price ~ square_feet + age", houses, models=["ols"], seed=1)
    b = cross_validate_models("price ~ square_feet + age", houses, models=["ols"], seed=1)
    c = cross_validate_models("price ~ square_feet + age", houses, models=["ols"], seed=2)
    pd.testing.assert_frame_equal(a.folds, b.folds)
    assert not np.allclose(a.folds["rmse"], c.folds["rmse"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"models": ["ols", "forest"]}, "forest"),
        ({"models": []}, "at least one"),
        ({"models": ["ols", "ols"]}, "each model once"),
        ({"folds": 1}, "folds=1"),
        ({"folds": 2.5}, "folds=2.5"),
        ({"folds": 150}, "at least 300"),
    ],
)
def test_bad_arguments_are_named(houses, kwargs, message):
    with pytest.raises(InputError, match=message):
        cross_validate_models("price ~ square_feet", houses, **kwargs)


def test_a_stateful_transform_is_fitted_on_the_training_fold_only(houses):
    """scale(age) on a held-out fold uses the training fold's mean and sd (no leakage)."""
    from linmod.data.formula import design_from_formula
    from linmod.model_selection.comparison import _fold_matrices

    formula = "price ~ square_feet + scale(age)"
    design = design_from_formula(formula, houses)
    train, test = np.arange(0, 150), np.arange(150, 200)
    x_train, x_test = _fold_matrices(formula, houses, design, design.x[:, 1:], train, test)
    age = houses["age"].to_numpy(float)
    mean, sd = age[train].mean(), age[train].std(ddof=1)  # formulaic's scale: ddof=1
    np.testing.assert_allclose(x_train[:, 1], (age[train] - mean) / sd, rtol=1e-12)
    np.testing.assert_allclose(x_test[:, 1], (age[test] - mean) / sd, rtol=1e-12)
    # and the comparison runs on such a formula, scoring OLS like scikit-learn on raw age
    # (OLS is invariant to the affine rescaling)
    comparison = cross_validate_models(formula, houses, models=["ols"], folds=4, seed=3)
    x = houses[["square_feet", "age"]].to_numpy(float)
    y = houses["price"].to_numpy(float)
    expected = [
        np.sqrt(
            mean_squared_error(
                y[te], linear_model.LinearRegression().fit(x[tr], y[tr]).predict(x[te])
            )
        )
        for tr, te in KFold(4, shuffle=True, random_state=3).split(x)
    ]
    np.testing.assert_allclose(comparison.folds["rmse"], expected, rtol=1e-9)


def test_a_formula_without_predictors_is_explained(houses):
    with pytest.raises(InputError, match="no predictors"):
        cross_validate_models("price ~ 1", houses)


def test_non_finite_held_out_rows_of_a_stateful_formula_are_an_input_error(houses, monkeypatch):
    """Held-out predictions skip predict()'s checks, so a transform giving NaN there is named."""
    from linmod.data.formula import FormulaSpec

    original = FormulaSpec.new_rows

    def with_nan(self, data):
        x, incomplete, labels = original(self, data)
        x = np.array(x, dtype=float)
        x[0, -1] = np.nan
        return x, incomplete, labels

    monkeypatch.setattr(FormulaSpec, "new_rows", with_nan)
    with pytest.raises(InputError, match=r"scale\(age\).*non-finite values on 1 held-out rows"):
        cross_validate_models("price ~ square_feet + scale(age)", houses, models=["ols"])


def test_unconverged_penalty_searches_give_one_warning_per_model(houses, monkeypatch):
    # Each outer fold's penalty search (and the final one) used to warn on its own: five
    # or six near-identical warnings for one comparison.
    import warnings

    from linmod.estimators.cv_search import PenaltySearch
    from linmod.exceptions import ConvergenceWarning
    from linmod.model_selection import comparison

    def starved(name, intercept, seed, folds):
        return PenaltySearch(name, fit_intercept=intercept, folds=folds, seed=seed, max_iter=1)

    monkeypatch.setattr(comparison, "_search", starved)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cross_validate_models(FORMULA, houses, folds=5, seed=7, models=("ols", "lasso"))
    pairs = [
        w
        for w in caught
        if issubclass(w.category, ConvergenceWarning) and "(fold, alpha) pairs" in str(w.message)
    ]
    assert len(pairs) == 1, [str(w.message) for w in pairs]
    message = str(pairs[0].message)
    assert "of lasso's 6 penalty searches (one in each training fold, one on all rows)" in message
    assert pairs[0].filename == __file__  # attributed to the caller
