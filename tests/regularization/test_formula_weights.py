"""``weights=`` and ``weights_type=`` of ``linmod.ridge``, ``lasso`` and ``elastic_net``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model as sk

import linmod
from linmod.exceptions import InputError
from linmod.regularization import elastic_net, lasso, ridge

FORMULA = "price ~ square_feet + bedrooms + age"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    frame = linmod.datasets.house_prices(n=120, seed=3)
    frame["w"] = np.tile([1.0, 2.0, 0.0, 3.0], 30)
    return frame


def _xy(data):
    return data[["square_feet", "bedrooms", "age"]].to_numpy(), data["price"].to_numpy()


@pytest.mark.parametrize("entry", [ridge, lasso, elastic_net])
def test_weights_column_equals_scikit_learn_sample_weight(data, entry):
    fit = entry(FORMULA, data=data, alpha=50.0, weights="w", tol=1e-13, max_iter=100_000) \
        if entry is not ridge else entry(FORMULA, data=data, alpha=50.0, weights="w")  # fmt: skip
    x, y = _xy(data)
    tight = {"tol": 1e-13, "max_iter": 100_000}
    theirs = {ridge: sk.Ridge(alpha=50.0), lasso: sk.Lasso(alpha=50.0, **tight),
              elastic_net: sk.ElasticNet(alpha=50.0, **tight)}[entry]  # fmt: skip
    theirs.fit(x, y, sample_weight=data["w"].to_numpy())
    np.testing.assert_allclose(fit.slopes.to_numpy(), theirs.coef_, rtol=1e-8)
    assert fit.intercept == pytest.approx(theirs.intercept_, rel=1e-8)
    # the same fit from an array of weights, and from the arrays
    same = entry(FORMULA, data=data, alpha=50.0, weights=data["w"].to_numpy())
    by_arrays = entry(x, y, alpha=50.0, weights=data["w"])
    np.testing.assert_allclose(same.coef.to_numpy(), by_arrays.coef.to_numpy(), rtol=1e-12)


def test_frequency_weights_equal_repeated_rows_and_summary_says_so(data):
    fit = lasso(FORMULA, data=data, alpha=200.0, standardize=True, weights="w",
                weights_type="frequency", tol=1e-13)  # fmt: skip
    repeated = data.loc[data.index.repeat(data["w"].astype(int))].reset_index(drop=True)
    plain = lasso(FORMULA, data=repeated, alpha=200.0, standardize=True, tol=1e-13)
    np.testing.assert_allclose(fit.coef.to_numpy(), plain.coef.to_numpy(), rtol=1e-9)
    assert fit.r_squared == pytest.approx(plain.r_squared, rel=1e-12)
    text = fit.summary()
    assert "Weights: frequency weights (each row stands for w identical rows)" in text
    assert "standing for 180 rows; 30 rows of weight 0 left out of the fit" in text
    assert "Observations: 90" in text
    assert repr(fit) == text
    assert fit.n_obs == 90
    assert fit.weights_type == "frequency"


@pytest.mark.parametrize(
    ("weights_type", "words"),
    [("precision", "precision weights (1/variance)"),
     ("sampling", "sampling weights (inverse-probability)")],
)  # fmt: skip
def test_summary_names_the_meaning(data, weights_type, words):
    fit = ridge(FORMULA, data=data, alpha=1.0, weights="w", weights_type=weights_type)
    assert f"Weights: {words}; 30 rows of weight 0 left out of the fit" in fit.summary()
    unweighted = ridge(FORMULA, data=data, alpha=1.0)
    assert "Weights" not in unweighted.summary()


def test_weighted_r_squared_uses_weighted_sums_of_squares(data):
    fit = ridge(FORMULA, data=data, alpha=5.0, weights="w")
    w, y = data["w"].to_numpy(), data["price"].to_numpy()
    resid = y - fit.fitted.to_numpy()
    ybar = w @ y / w.sum()
    assert fit.r_squared == pytest.approx(1 - (w @ resid**2) / (w @ (y - ybar) ** 2), rel=1e-12)
    assert len(fit.residuals) == 120  # zero-weight rows keep their fitted values


def test_alpha_cv_weights_the_folds(data):
    fit = lasso(FORMULA, data=data, alpha="cv", weights="w", cv=4, seed=1)
    x, y = _xy(data)
    searcher = linmod.LassoCV(standardize=True, cv=linmod.model_selection.default_folds(4, 1))
    keep = data["w"].to_numpy() > 0
    searcher.fit(pd.DataFrame(x[keep]), y[keep], sample_weight=data["w"].to_numpy()[keep])
    assert fit.alpha == searcher.alpha_


def test_weights_follow_rows_dropped_for_missing_values(data):
    holes = data.copy()
    holes.loc[[1, 5], "age"] = np.nan
    fit = ridge(FORMULA, data=holes, alpha=3.0, weights="w", missing="drop")
    kept = holes.drop(index=[1, 5])
    again = ridge(FORMULA, data=kept.reset_index(drop=True), alpha=3.0, weights="w")
    np.testing.assert_allclose(fit.coef.to_numpy(), again.coef.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("entry", [ridge, lasso, elastic_net])
@pytest.mark.parametrize(
    ("weights", "weights_type", "message"),
    [
        ("nope", "precision", "weights='nope' is not a column of data"),
        ("neg", "precision", "weights column 'neg' has 1 negative values in row 4"),
        ("nan", "precision", r"weights column 'nan' has 1 missing \(NaN\) values in row 2"),
        ("zero", "precision", "all zero"),
        ("half", "frequency", "frequency weights must be whole numbers"),
        ("w", "importance", "weights_type='importance' is not known"),
        (np.ones(3), "precision", "give one weight per row"),
    ],
)
def test_bad_weights_are_refused(data, entry, weights, weights_type, message):
    bad = data.assign(neg=1.0, nan=1.0, zero=0.0, half=1.5)
    bad.loc[3, "neg"] = -1.0
    bad.loc[1, "nan"] = np.nan
    with pytest.raises(InputError, match=message):
        entry(FORMULA, data=bad, alpha=1.0, weights=weights, weights_type=weights_type)


def test_weights_by_name_need_a_formula(data):
    x, y = _xy(data)
    with pytest.raises(InputError, match="names a column, which needs a formula"):
        ridge(x, y, weights="w")


def test_streamed_data_take_a_weights_column_not_an_array(tmp_path, data):
    path = tmp_path / "house.csv"
    data.to_csv(path, index=False)
    with pytest.raises(InputError, match="an array of weights cannot follow the chunks"):
        lasso(FORMULA, data=str(path), alpha=1.0, weights=np.ones(len(data)))
    streamed = lasso(FORMULA, data=str(path), alpha=1.0, weights="w", tol=1e-12)
    in_memory = lasso(FORMULA, data=data, alpha=1.0, weights="w", tol=1e-12)
    np.testing.assert_allclose(streamed.coef, in_memory.coef, rtol=1e-9, atol=1e-9)
