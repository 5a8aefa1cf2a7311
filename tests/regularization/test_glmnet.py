"""Agreement with R's glmnet (tests/references/r/generate_glmnet.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import PredefinedSplit

import linmod
from linmod.regularization import ElasticNet, LassoCV, enet_path, lasso_path

from .datasets import assert_coef_close

R_DIR = Path(__file__).resolve().parents[1] / "references" / "r"
REFERENCE = json.loads((R_DIR / "glmnet_reference.json").read_text())


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "house":
        frame = pd.read_csv(R_DIR / "glmnet_house_prices.csv")
        return frame.drop(columns="price").to_numpy(), frame["price"].to_numpy()
    frame = pd.read_csv(R_DIR / "glmnet_diabetes.csv")
    return frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


def test_inputs_are_the_lessons_and_sklearn_data():
    house = pd.read_csv(R_DIR / "glmnet_house_prices.csv")
    expected = linmod.datasets.house_prices(n=500, seed=42)
    np.testing.assert_array_equal(house.to_numpy(), expected.to_numpy())
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True)
    X_r, y_r = _data("diabetes")
    np.testing.assert_array_equal(X_r, X)
    np.testing.assert_array_equal(y_r, y)


LASSO_CASES = [
    "house_lasso_std",
    "house_lasso",
    "diabetes_lasso",
    "diabetes_lasso_std",
    "diabetes_lasso_positive_std",
]


@pytest.mark.parametrize("case", LASSO_CASES)
def test_lasso_path_matches_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    path = lasso_path(
        X, y, alphas=ref["lambda"], standardize=ref["standardize"], positive=ref["positive"],
        tol=1e-14, max_iter=100_000,
    )  # fmt: skip
    np.testing.assert_allclose(path.alphas, ref["lambda"], rtol=1e-15)
    assert_coef_close(path.coefs, np.array(ref["coef"]), rtol=1e-7)
    np.testing.assert_allclose(path.intercepts, ref["intercept"], rtol=1e-7)
    # glmnet's zeros are exact zeros and so are linmod's
    np.testing.assert_array_equal(path.coefs == 0, np.array(ref["coef"]) == 0)


@pytest.mark.parametrize("case", ["diabetes_enet_std", "diabetes_enet"])
def test_elastic_net_matches_glmnet_through_its_ridge_scaling(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    a, sd_y = ref["alpha_glmnet"], ref["sd_y"]
    coefs = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        # hand-derived: glmnet divides its ridge term by sd_y (see the R script)
        alpha = lam * a + lam * (1 - a) / sd_y
        model = ElasticNet(
            alpha=alpha, l1_ratio=lam * a / alpha, standardize=ref["standardize"],
            tol=1e-14, max_iter=100_000,
        ).fit(X, y)  # fmt: skip
        assert_coef_close(model.coef_, coefs[:, k], rtol=1e-7)
        assert model.intercept_ == pytest.approx(ref["intercept"][k], rel=1e-7)


def test_enet_path_with_glmnet_mapping_at_fixed_l1_ratio():
    # With standardize and l1_ratio = 1 the path function matches glmnet too.
    ref = REFERENCE["diabetes_lasso_std"]
    X, y = _data("diabetes")
    path = enet_path(X, y, l1_ratio=1.0, alphas=ref["lambda"], standardize=True, tol=1e-14,
                     max_iter=100_000)  # fmt: skip
    assert_coef_close(path.coefs, np.array(ref["coef"]), rtol=1e-7)


@pytest.mark.parametrize("case", ["house_cv_lasso_std", "diabetes_cv_lasso"])
def test_lasso_cv_matches_cv_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    foldid = np.asarray(ref["foldid"], dtype=int)
    model = LassoCV(
        alphas=ref["lambda"], cv=PredefinedSplit(foldid - 1), standardize=ref["standardize"],
        tol=1e-14, max_iter=100_000,
    ).fit(X, y)  # fmt: skip
    curve = model.cv_curve_
    np.testing.assert_allclose(curve["alpha"], ref["lambda"], rtol=1e-15)
    np.testing.assert_allclose(curve["mean_mse"], ref["cvm"], rtol=1e-7)
    np.testing.assert_allclose(curve["se_mse"], ref["cvsd"], rtol=1e-6)
    assert model.alpha_ == pytest.approx(ref["lambda_min"], rel=1e-14)
    assert model.alpha_1se_ == pytest.approx(ref["lambda_1se"], rel=1e-14)
