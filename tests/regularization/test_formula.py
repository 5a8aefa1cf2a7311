"""Formula entry points ``ridge``, ``lasso``, ``elastic_net`` and the train/test R² curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, train_test_split

import linmod
from linmod.regularization import elastic_net, lasso, ridge, train_test_r2

from .datasets import house, standardized

FORMULA = "price ~ square_feet + bedrooms + bathrooms + age + garage"


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return linmod.datasets.house_prices(n=500, seed=42)


def test_lasso_formula_names_coefficients_and_lists_selection(data):
    fit = lasso(FORMULA, data=data, alpha=15000.0, standardize=True, tol=1e-12)
    X = data.drop(columns="price")
    Z, mean, sd = standardized(X.to_numpy())
    theirs = linear_model.Lasso(alpha=15000.0, tol=1e-12).fit(Z, data["price"])
    coef = theirs.coef_ / sd
    assert fit.coef.index.tolist() == ["Intercept", *X.columns]
    np.testing.assert_allclose(fit.slopes.to_numpy(), coef, rtol=1e-6, atol=1e-6)
    assert fit.intercept == pytest.approx(theirs.intercept_ - mean @ coef, rel=1e-6)
    expected_dropped = [c for c, b in zip(X.columns, theirs.coef_, strict=True) if b == 0]
    assert fit.dropped == expected_dropped
    assert fit.selected == [c for c in X.columns if c not in expected_dropped]
    table = fit.selection()
    assert table["status"].tolist() == ["dropped" if c in expected_dropped else "selected"
                                        for c in X.columns]  # fmt: skip
    text = fit.summary()
    assert "Lasso regression" in text
    assert "Dropped: " + ", ".join(expected_dropped) in text
    assert str(fit) == text


def test_ridge_formula_with_categorical_terms_matches_sklearn_on_the_design(data):
    fit = ridge("price ~ square_feet + C(garage) + np.log(age + 1)", data=data, alpha=10.0)
    names = fit.coef.index.tolist()
    assert names[0] == "Intercept"
    assert len(names) == 5
    X = np.column_stack(
        [
            data["square_feet"],
            data["garage"] == 1,
            data["garage"] == 2,
            np.log(data["age"] + 1),
        ]
    ).astype(float)
    theirs = linear_model.Ridge(alpha=10.0).fit(X, data["price"])
    np.testing.assert_allclose(fit.slopes.to_numpy(), theirs.coef_, rtol=1e-9)
    assert fit.r_squared == pytest.approx(theirs.score(X, data["price"]), rel=1e-12)
    new = data.head(7)
    np.testing.assert_allclose(fit.predict(new)["fit"], theirs.predict(X[:7]), rtol=1e-12)
    assert "Ridge regression" in fit.summary()


def test_predict_marks_rows_with_missing_values(data):
    fit = lasso(FORMULA, data=data, alpha=100.0)
    new = data.head(3).copy()
    new.loc[new.index[1], "age"] = np.nan
    pred = fit.predict(new)["fit"]
    assert np.isnan(pred.iloc[1])
    assert np.isfinite(pred.iloc[[0, 2]]).all()


def test_missing_drop_and_no_intercept(data):
    frame = data.copy()
    frame.loc[[3, 9], "age"] = np.nan
    fit = elastic_net(
        "price ~ 0 + square_feet + age", data=frame, alpha=1.0, missing="drop", tol=1e-12
    )
    assert fit.n_obs == 498
    assert fit.coef.index.tolist() == ["square_feet", "age"]
    kept = frame.dropna()
    theirs = linear_model.ElasticNet(alpha=1.0, fit_intercept=False, tol=1e-12).fit(
        kept[["square_feet", "age"]], kept["price"]
    )
    np.testing.assert_allclose(fit.coef.to_numpy(), theirs.coef_, rtol=1e-6)


def test_alpha_cv_and_1se(data):
    # With the columns as given and an explicit splitter, scikit-learn's LassoCV exactly.
    fit = lasso(
        FORMULA, data=data, alpha="cv", cv=KFold(5), standardize=False, tol=1e-10,
        max_iter=100_000,
    )  # fmt: skip
    X = data.drop(columns="price")
    theirs = linear_model.LassoCV(alphas=100, cv=KFold(5), tol=1e-10, max_iter=100_000)
    theirs.fit(X, data["price"])
    assert fit.alpha == pytest.approx(theirs.alpha_, rel=1e-10)
    assert fit.rule == "cv"
    assert fit.cv is not None
    sparse = lasso(FORMULA, data=data, alpha="1se", standardize=True)
    assert sparse.alpha == sparse.cv.alpha_1se_ >= sparse.cv.alpha_
    assert "one-standard-error rule" in sparse.summary()
    loo = ridge(FORMULA, data=data, alpha="cv")
    assert loo.alpha == loo.cv.alpha_


def test_arrays_work_too():
    X, y = house()
    fit = lasso(X, y, alpha=100.0)
    assert fit.coef.index.tolist() == ["Intercept", *X.columns]
    bare = ridge(X.to_numpy(), y.to_numpy(), alpha=1.0, fit_intercept=False)
    assert bare.coef.index.tolist() == [f"x{j}" for j in range(5)]


def test_train_test_r2_matches_sklearn_loop(data):
    X, y = data.drop(columns="price"), data["price"]
    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.2, random_state=42)
    alphas = [0.001, 0.01, 0.1, 1, 10, 100, 1000]
    for penalty, model in (("ridge", linear_model.Ridge), ("lasso", linear_model.Lasso)):
        curve = train_test_r2(
            Xtr, ytr, Xte, yte, alphas=alphas, penalty=penalty, tol=1e-12, max_iter=100_000
        )
        kwargs = {} if penalty == "ridge" else {"tol": 1e-12, "max_iter": 100_000}
        train, test = [], []
        for alpha in alphas:
            fit = model(alpha=alpha, **kwargs).fit(Xtr, ytr)
            train.append(r2_score(ytr, fit.predict(Xtr)))
            test.append(r2_score(yte, fit.predict(Xte)))
        np.testing.assert_allclose(curve.train_r2, train, rtol=1e-9)
        np.testing.assert_allclose(curve.test_r2, test, rtol=1e-9)
        assert curve.best_alpha == alphas[int(np.flatnonzero(test == np.max(test))[-1])]
        assert curve.to_frame()["is_best"].sum() == 1
