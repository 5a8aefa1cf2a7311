"""Agreement with R's glmnet ``weights=`` (tests/references/r/generate_glmnet_weights.R)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linmod.regularization import ElasticNet, Lasso, Ridge, lasso_path, ridge_path

from .datasets import assert_coef_close

R_DIR = Path(__file__).resolve().parents[1] / "references" / "r"
REFERENCE = json.loads((R_DIR / "glmnet_weights_reference.json").read_text())


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "house":
        frame = pd.read_csv(R_DIR / "glmnet_house_prices.csv")
        return frame.drop(columns="price").to_numpy(), frame["price"].to_numpy()
    frame = pd.read_csv(R_DIR / "glmnet_diabetes.csv")
    return frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


def test_reference_weights_are_the_documented_ones():
    ref = REFERENCE["diabetes_lasso"]
    n = len(ref["weights"])
    i = np.arange(1, n + 1)
    expected = 1 + (i % 4) / 2
    expected[6::11] = 0.0
    np.testing.assert_array_equal(ref["weights"], expected)
    assert (np.asarray(ref["weights"]) == 0).sum() > 30


LASSO_CASES = ["house_lasso_std", "house_lasso", "diabetes_lasso", "diabetes_lasso_std"]
#: The unstandardised house data (columns from 1 to 4000 in scale) reach a gap of about
#: 1e-15·‖y‖² at best, short of 1e-14 at a few penalties: 1e-13 there.
TOL = {"house_lasso": 1e-13}


@pytest.mark.parametrize("case", LASSO_CASES)
def test_weighted_lasso_matches_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    w = np.asarray(ref["weights"])
    coefs = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        tol = TOL.get(case, 1e-14)
        model = Lasso(alpha=lam, standardize=ref["standardize"], tol=tol, max_iter=100_000)
        model.fit(X, y, sample_weight=w)
        assert_coef_close(model.coef_, coefs[:, k], rtol=1e-7)
        assert model.intercept_ == pytest.approx(ref["intercept"][k], rel=1e-7)
        np.testing.assert_array_equal(model.coef_ == 0, coefs[:, k] == 0)


@pytest.mark.parametrize("case", LASSO_CASES)
def test_weighted_lasso_path_matches_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    path = lasso_path(
        X, y, alphas=ref["lambda"], standardize=ref["standardize"], tol=TOL.get(case, 1e-14),
        max_iter=100_000, sample_weight=ref["weights"],
    )  # fmt: skip
    assert_coef_close(path.coefs, np.array(ref["coef"]), rtol=1e-7)
    np.testing.assert_allclose(path.intercepts, ref["intercept"], rtol=1e-7)


@pytest.mark.parametrize("case", ["diabetes_enet_std", "diabetes_enet"])
def test_weighted_elastic_net_matches_glmnet_through_its_ridge_scaling(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    w = np.asarray(ref["weights"])
    a, sd_y = ref["alpha_glmnet"], ref["sd_y"]
    # sd_y is glmnet's weighted sd of y, derived here by hand from the weights
    ybar = np.sum(w * y) / np.sum(w)
    assert sd_y == pytest.approx(np.sqrt(np.sum(w * (y - ybar) ** 2) / np.sum(w)), rel=1e-13)
    coefs = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        alpha = lam * a + lam * (1 - a) / sd_y
        model = ElasticNet(
            alpha=alpha, l1_ratio=lam * a / alpha, standardize=ref["standardize"],
            tol=1e-14, max_iter=100_000,
        ).fit(X, y, sample_weight=w)  # fmt: skip
        assert_coef_close(model.coef_, coefs[:, k], rtol=1e-7)
        assert model.intercept_ == pytest.approx(ref["intercept"][k], rel=1e-7)


def test_weighted_ridge_matches_glmnet_alpha_zero():
    ref = REFERENCE["diabetes_ridge_std"]
    X, y = _data(ref["dataset"])
    w = np.asarray(ref["weights"])
    # glmnet's (1/2W) Σ w r² + λ/(2 sd_y) ‖β‖² is Ridge's Σ w r² + α‖β‖² with α = W λ / sd_y
    alphas = ref["weight_sum"] * np.asarray(ref["lambda"]) / ref["sd_y"]
    coefs = np.array(ref["coef"])
    for k, alpha in enumerate(alphas):
        model = Ridge(alpha=alpha, standardize=True).fit(X, y, sample_weight=w)
        # glmnet's own ridge solution is iterative: 1e-7 is its accuracy at thresh=1e-26
        assert_coef_close(model.coef_, coefs[:, k], rtol=1e-7)
        assert model.intercept_ == pytest.approx(ref["intercept"][k], rel=1e-7)
    path = ridge_path(X, y, alphas=alphas, standardize=True, sample_weight=w)
    assert_coef_close(path.coefs, coefs, rtol=1e-7)
