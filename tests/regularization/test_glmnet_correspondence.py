"""The correspondence table of docs/regularization.md: glmnet's (λ, a) as linmod's and
scikit-learn's (alpha, l1_ratio), including the sd(y) factor of glmnet's ridge term.

References: R glmnet 4.1-6 at thresh = 1e-26
(tests/references/r/generate_glmnet_correspondence.R), and scikit-learn on standardised
columns for ``standardize=True``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.preprocessing import StandardScaler

from linmod import ElasticNet, Lasso, Ridge
from linmod.regularization import glmnet_to_sklearn

R_DIR = Path(__file__).resolve().parents[1] / "references" / "r"
REFERENCE = json.loads((R_DIR / "glmnet_correspondence_reference.json").read_text())
TIGHT = {"tol": 1e-15, "max_iter": 1_000_000}


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "house":
        frame = pd.read_csv(R_DIR / "glmnet_house_prices.csv")
        return frame.drop(columns="price").to_numpy(), frame["price"].to_numpy()
    frame = pd.read_csv(R_DIR / "glmnet_diabetes.csv")
    return frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


@pytest.mark.parametrize("case", [c for c in REFERENCE if c != "_meta"])
def test_the_table_reproduces_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    s = float(np.sqrt(np.mean((y - y.mean()) ** 2)))
    assert s == pytest.approx(ref["sd_y"], rel=1e-15)
    coef = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        alpha, l1_ratio = glmnet_to_sklearn(lam, ref["alpha_glmnet"], y)
        if ref["alpha_glmnet"] == 0:
            assert l1_ratio == 0.0
            assert alpha == pytest.approx(lam / s, rel=1e-15)
            model = Ridge(alpha=ref["n"] * alpha, standardize=ref["standardize"])
        else:
            model = ElasticNet(
                alpha=alpha, l1_ratio=l1_ratio, standardize=ref["standardize"], **TIGHT
            )
        model.fit(X, y)
        np.testing.assert_allclose(model.coef_, coef[:, k], rtol=1e-7, atol=1e-9 * s)
        np.testing.assert_allclose(model.intercept_, ref["intercept"][k], rtol=1e-9)


def test_glmnet_to_sklearn_formulas_by_hand():
    y = np.array([1.0, 3.0, 5.0, 7.0])  # mean 4, sd (1/n) = sqrt(5)
    s = np.sqrt(5.0)
    alpha, rho = glmnet_to_sklearn(0.2, 0.5, y)
    assert alpha == pytest.approx(0.1 + 0.1 / s, rel=1e-15)
    assert rho == pytest.approx(0.1 / (0.1 + 0.1 / s), rel=1e-15)
    assert glmnet_to_sklearn(0.3, 1.0, y) == (0.3, 1.0)  # the Lasso: alpha = lambda


def test_linmod_standardize_is_scikit_learn_on_standardised_columns():
    X, y = _data("diabetes")
    scaler = StandardScaler().fit(X)  # population (1/n) standard deviations
    Z = scaler.transform(X)
    for ours, theirs in [
        (ElasticNet(alpha=0.05, l1_ratio=0.3, standardize=True, **TIGHT),
         linear_model.ElasticNet(alpha=0.05, l1_ratio=0.3, **TIGHT)),
        (Lasso(alpha=0.5, standardize=True, **TIGHT), linear_model.Lasso(alpha=0.5, **TIGHT)),
        (Ridge(alpha=3.0, standardize=True), linear_model.Ridge(alpha=3.0)),
    ]:  # fmt: skip
        ours.fit(X, y)
        theirs.fit(Z, y)
        np.testing.assert_allclose(ours.coef_, theirs.coef_ / scaler.scale_, rtol=1e-8)
        intercept = theirs.intercept_ - (scaler.mean_ / scaler.scale_) @ theirs.coef_
        np.testing.assert_allclose(ours.intercept_, intercept, rtol=1e-10)


def test_sklearn_to_glmnet_inverts_and_refuses_bad_input():
    from linmod.exceptions import InputError
    from linmod.regularization import sklearn_to_glmnet

    _, y = _data("house")
    w = np.linspace(0.5, 2.0, y.size)
    for lam, a in [(0.2, 0.5), (3.0, 0.0), (7.0, 1.0), (0.01, 0.9)]:
        alpha, rho = glmnet_to_sklearn(lam, a, y, sample_weight=w)
        back = sklearn_to_glmnet(alpha, rho, y, sample_weight=w)
        # l1_ratio near 1 (sd(y) is large here) loses digits in 1 - l1_ratio: ~1e-12
        np.testing.assert_allclose(back, (lam, a), rtol=1e-10, atol=1e-15)
    with pytest.raises(InputError, match=r"a=1.5 is outside \[0, 1\]"):
        glmnet_to_sklearn(0.1, 1.5, y)
    with pytest.raises(InputError, match="y is constant"):
        glmnet_to_sklearn(0.1, 0.5, np.ones(5))
    with pytest.raises(InputError, match="non-empty finite"):
        glmnet_to_sklearn(0.1, 0.5, np.array([1.0, np.nan]))
