"""Agreement with R's glmnet ``penalty.factor``, ``lower.limits``/``upper.limits`` and
``relax=TRUE`` (tests/references/r/generate_glmnet_options.R, glmnet 4.1-6 at
``thresh=1e-26``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import PredefinedSplit

from linmod.regularization import ElasticNet, Lasso, RelaxedLassoCV, enet_path, lasso_path

from .datasets import assert_coef_close

R_DIR = Path(__file__).resolve().parents[1] / "references" / "r"
REFERENCE = json.loads((R_DIR / "glmnet_options_reference.json").read_text())
CASES = [k for k in REFERENCE if not k.startswith("_") and "cvm" not in REFERENCE[k]]
#: glmnet's own convergence limits the agreement: its Lasso fits agree to ~1e-11 (1e-9
#: on the unstandardised diabetes columns, whose scales span 1e-2 to 1e2), its
#: elastic-net fits to ~3e-7 (as in test_glmnet.py: its covariance updates with the
#: ridge term stop short of thresh).
RTOL = {"diabetes_lasso_pf": 1e-8}
ENET_RTOL = 1e-6
LASSO_RTOL = 1e-10


def _data(name: str) -> tuple[np.ndarray, np.ndarray]:
    if name == "house":
        frame = pd.read_csv(R_DIR / "glmnet_house_prices.csv")
        return frame.drop(columns="price").to_numpy(), frame["price"].to_numpy()
    frame = pd.read_csv(R_DIR / "glmnet_diabetes.csv")
    return frame.drop(columns="target").to_numpy(), frame["target"].to_numpy()


def _floats(values: list) -> np.ndarray:
    return np.array([float(v) for v in values])  # "inf" / "-inf" strings included


def _rtol(case: str) -> float:
    if case in RTOL:
        return RTOL[case]
    return ENET_RTOL if REFERENCE[case]["alpha_glmnet"] < 1 else LASSO_RTOL


def _mapping(ref: dict, lam: float) -> tuple[float, float]:
    """glmnet's (λ, a) as linmod's (alpha, l1_ratio) (docs/regularization.md)."""
    a = ref["alpha_glmnet"]
    alpha = lam * a + lam * (1 - a) / ref["sd_y"]
    return alpha, lam * a / alpha


def _options(ref: dict) -> dict:
    return {
        "penalty_factor": _floats(ref["penalty_factor"]),
        "lower": _floats(ref["lower"]),
        "upper": _floats(ref["upper"]),
    }


def test_reference_options_are_the_documented_ones():
    ref = REFERENCE["diabetes_lasso_pf_inf_std"]
    assert np.isinf(_floats(ref["penalty_factor"])).sum() == 1
    box = REFERENCE["diabetes_lasso_box_std"]
    lower, upper = _floats(box["lower"]), _floats(box["upper"])
    assert (lower <= 0).all()
    assert (upper >= 0).all()
    assert np.isfinite(lower).any()
    assert np.isfinite(upper).any()
    # the bounds bind somewhere, or the case would not test them
    coefs = np.array(box["coef"])
    assert (np.isclose(coefs, lower[:, None], rtol=1e-12) & np.isfinite(lower[:, None])).any()


@pytest.mark.parametrize("case", CASES)
def test_estimator_matches_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    coefs = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        alpha, rho = _mapping(ref, lam)
        model = ElasticNet(
            alpha=alpha, l1_ratio=rho, standardize=ref["standardize"], tol=1e-14,
            max_iter=100_000, **_options(ref),
        ).fit(X, y)  # fmt: skip
        assert_coef_close(model.coef_, coefs[:, k], rtol=_rtol(case))
        assert model.intercept_ == pytest.approx(ref["intercept"][k], rel=_rtol(case))
        if ref["alpha_glmnet"] == 1:
            np.testing.assert_array_equal(model.coef_ == 0, coefs[:, k] == 0)


@pytest.mark.parametrize("case", [c for c in CASES if REFERENCE[c]["alpha_glmnet"] == 1])
def test_lasso_path_matches_glmnet(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    path = lasso_path(
        X, y, alphas=ref["lambda"], standardize=ref["standardize"], tol=1e-14,
        max_iter=100_000, **_options(ref),
    )  # fmt: skip
    assert_coef_close(path.coefs, np.array(ref["coef"]), rtol=_rtol(case))
    np.testing.assert_allclose(path.intercepts, ref["intercept"], rtol=_rtol(case))


@pytest.mark.parametrize("case", [c for c in CASES if "relaxed_coef" in REFERENCE[c]])
@pytest.mark.parametrize("gamma", [0.0, 0.25])
def test_relaxed_fit_matches_glmnet(case, gamma):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    if gamma == 0.0:
        coefs, intercepts = np.array(ref["relaxed_coef"]), ref["relaxed_intercept"]
    else:
        assert ref["gamma"] == gamma
        coefs, intercepts = np.array(ref["blend_coef"]), ref["blend_intercept"]
    for k, lam in enumerate(ref["lambda"]):
        alpha, rho = _mapping(ref, lam)
        model = ElasticNet(
            alpha=alpha, l1_ratio=rho, standardize=ref["standardize"], tol=1e-14,
            max_iter=100_000, relax=True, gamma=gamma, **_options(ref),
        ).fit(X, y)  # fmt: skip
        assert_coef_close(model.coef_, coefs[:, k], rtol=_rtol(case))
        assert model.intercept_ == pytest.approx(intercepts[k], rel=_rtol(case))
    if ref["alpha_glmnet"] == 1:
        path = lasso_path(
            X, y, alphas=ref["lambda"], standardize=ref["standardize"], tol=1e-14,
            max_iter=100_000, relax=True, gamma=gamma, **_options(ref),
        )  # fmt: skip
        assert_coef_close(path.coefs, coefs, rtol=_rtol(case))


def test_enet_path_with_options_matches_glmnet():
    ref = REFERENCE["diabetes_lasso_box_std"]
    X, y = _data(ref["dataset"])
    # a Lasso given as the elastic net's l1_ratio=1
    path = enet_path(
        X, y, l1_ratio=1.0, alphas=ref["lambda"], standardize=True, tol=1e-14,
        max_iter=100_000, **_options(ref),
    )  # fmt: skip
    assert_coef_close(path.coefs, np.array(ref["coef"]), rtol=LASSO_RTOL)


def test_lasso_class_with_nonnegative_limits_is_positive_true():
    ref = REFERENCE["diabetes_lasso_nonneg_std"]
    X, y = _data(ref["dataset"])
    coefs = np.array(ref["coef"])
    for k, lam in enumerate(ref["lambda"]):
        model = Lasso(alpha=lam, standardize=True, positive=True, tol=1e-14, max_iter=100_000)
        assert_coef_close(model.fit(X, y).coef_, coefs[:, k], rtol=LASSO_RTOL)
        boxed = Lasso(alpha=lam, standardize=True, lower=0.0, tol=1e-14, max_iter=100_000)
        assert_coef_close(boxed.fit(X, y).coef_, coefs[:, k], rtol=LASSO_RTOL)


@pytest.mark.parametrize("case", ["house_cv_relax_std", "house_cv_relax_box_pf"])
def test_relaxed_lasso_cv_matches_cv_glmnet_relax(case):
    ref = REFERENCE[case]
    X, y = _data(ref["dataset"])
    foldid = np.asarray(ref["foldid"], dtype=int)
    model = RelaxedLassoCV(
        alphas=ref["lambda"], cv=PredefinedSplit(foldid - 1), standardize=ref["standardize"],
        tol=1e-14, max_iter=100_000, gamma=ref["gammas"], **_options(ref),
    ).fit(X, y)  # fmt: skip
    curve = model.cv_curve_
    np.testing.assert_allclose(curve["gamma"], np.repeat(ref["gammas"], len(ref["lambda"])))
    np.testing.assert_allclose(curve["alpha"], np.tile(ref["lambda"], 5), rtol=1e-15)
    # cv.glmnet's relaxed refits in the folds stop short of least squares: its errors at
    # penalties with the same active sets in every fold (one refit, one error) differ by
    # ~3e-7 among themselves, so that is the agreement to expect.
    np.testing.assert_allclose(curve["mean_mse"], np.ravel(ref["cvm"]), rtol=1e-6)
    # (the standard errors, spreads of the folds' errors, amplify that to ~2e-5)
    np.testing.assert_allclose(curve["se_mse"], np.ravel(ref["cvsd"]), rtol=5e-5)
    # With gamma = 0 the curve is flat wherever every fold keeps every feature: linmod's
    # errors there are exactly equal and glmnet's tie rule picks the largest penalty;
    # glmnet's own errors differ by its refits' noise, so its pick among the tied ones is
    # arbitrary. The pair chosen must be a minimum of glmnet's curve to that noise.
    cvm = np.array(ref["cvm"])
    g = list(ref["gammas"]).index(model.gamma_)
    k = list(ref["lambda"]).index(model.alpha_)
    assert cvm[g, k] == pytest.approx(cvm.min(), rel=1e-6)
    assert model.gamma_ == ref["gamma_min"]
    assert (model.alpha_1se_, model.gamma_1se_) == (ref["lambda_1se"], ref["gamma_1se"])
    assert curve["is_min"].sum() == 1
    assert curve["is_1se"].sum() == 1
