"""Ridge: closed forms, scikit-learn, leave-one-out against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import linear_model
from sklearn.model_selection import KFold

from linmod.regularization import Ridge, RidgeCV, ridge_path

from .datasets import assert_coef_close, diabetes, house, random_problem, standardized


def _closed_form(X, y, alpha, fit_intercept=True):
    """(XcᵀXc + αI)⁻¹Xcᵀyc by an independent route: least squares on the augmented
    system [Xc; √α I] β = [yc; 0] (LAPACK's SVD-based lstsq, no normal equations)."""
    if fit_intercept:
        Xc, yc = X - X.mean(axis=0), y - y.mean()
    else:
        Xc, yc = X, y
    p = X.shape[1]
    A = np.vstack([Xc, np.sqrt(alpha) * np.eye(p)])
    b = np.concatenate([yc, np.zeros(p)])
    coef = np.linalg.lstsq(A, b, rcond=None)[0]
    intercept = y.mean() - X.mean(axis=0) @ coef if fit_intercept else 0.0
    return coef, intercept


CASES = {
    "house": tuple(a.to_numpy() for a in house()),
    "diabetes": diabetes(),
    "random_n>p": random_problem(3, 60, 8),
    "random_p>n": random_problem(4, 20, 70),
}


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
@pytest.mark.parametrize("alpha", [0.01, 1.0, 100.0])
def test_ridge_equals_closed_form(name, solver, alpha):
    X, y = CASES[name]
    model = Ridge(alpha=alpha, solver=solver).fit(X, y)
    coef, intercept = _closed_form(X, y, alpha)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-10, atol=1e-10 * np.abs(coef).max())
    assert model.intercept_ == pytest.approx(intercept, rel=1e-10)


def test_one_feature_by_hand():
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([2.0, 4.0, 5.0, 4.0, 5.0])
    # Sxx = 10, Sxy = 6: slope = Sxy / (Sxx + α), intercept = ȳ − slope·x̄
    for alpha in (0.0, 2.0, 10.0):
        model = Ridge(alpha=alpha).fit(x[:, None], y)
        slope = 6.0 / (10.0 + alpha)
        assert model.coef_[0] == pytest.approx(slope, rel=1e-14)
        assert model.intercept_ == pytest.approx(4.0 - 3.0 * slope, rel=1e-14)


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridge_matches_sklearn(name, fit_intercept):
    X, y = CASES[name]
    ours = Ridge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y)
    theirs = linear_model.Ridge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-6, abs=1e-9)


def test_alpha_zero_with_aliased_columns_is_minimum_norm():
    X, y = random_problem(7, 30, 3)
    X = np.column_stack([X, 2.0 * X[:, 0]])
    model = Ridge(alpha=0.0).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    np.testing.assert_allclose(model.coef_, np.linalg.pinv(Xc) @ yc, rtol=1e-8)


def test_standardize_equals_fit_on_standardized_features():
    X, y = CASES["house"]
    Z, _mean, sd = standardized(X)
    ours = Ridge(alpha=50.0, standardize=True).fit(X, y)
    theirs = linear_model.Ridge(alpha=50.0).fit(Z, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_ / sd, rtol=1e-10)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(Z), rtol=1e-10)


@pytest.mark.parametrize("name", list(CASES))
def test_ridge_path_equals_closed_form_at_every_alpha(name):
    X, y = CASES[name]
    alphas = np.array([1e-3, 0.1, 10.0, 1e3])
    path = ridge_path(X, y, alphas=alphas)
    np.testing.assert_array_equal(path.alphas, alphas[::-1])
    for k, alpha in enumerate(path.alphas):
        coef, intercept = _closed_form(X, y, alpha)
        np.testing.assert_allclose(
            path.coefs[:, k], coef, rtol=1e-9, atol=1e-10 * np.abs(coef).max()
        )
        assert path.intercepts[k] == pytest.approx(intercept, rel=1e-9)


def test_default_ridge_grid_spans_the_degrees_of_freedom():
    X, y = CASES["diabetes"]
    path = ridge_path(X, y)
    assert path.alphas.size == 100
    Xc = X - X.mean(axis=0)
    s2 = np.linalg.svd(Xc, compute_uv=False) ** 2
    df = [np.sum(s2 / (s2 + a)) for a in (path.alphas[0], path.alphas[-1])]
    assert df[0] < 0.01 * X.shape[1]
    assert df[1] > 0.99 * X.shape[1]


def _brute_force_loo(X, y, alpha, fit_intercept=True):
    out = np.empty(len(y))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        coef, intercept = _closed_form(X[keep], y[keep], alpha, fit_intercept)
        out[i] = y[i] - (X[i] @ coef + intercept)
    return out


@pytest.mark.parametrize("name", ["diabetes", "random_n>p", "random_p>n"])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_ridgecv_loo_residuals_equal_brute_force(name, fit_intercept):
    X, y = CASES[name]
    X, y = X[:60], y[:60]
    alphas = [0.01, 1.0, 100.0]
    model = RidgeCV(alphas=alphas, fit_intercept=fit_intercept).fit(X, y)
    assert model.alphas_.tolist() == sorted(alphas, reverse=True)
    for k, alpha in enumerate(model.alphas_):
        expected = _brute_force_loo(X, y, alpha, fit_intercept)
        np.testing.assert_allclose(model.loo_residuals_[:, k], expected, rtol=1e-8)
    mse = (model.loo_residuals_**2).mean(axis=0)
    np.testing.assert_allclose(model.cv_curve_["mean_mse"], mse, rtol=1e-12)
    se = (model.loo_residuals_**2).std(axis=0, ddof=1) / np.sqrt(len(y))
    np.testing.assert_allclose(model.cv_curve_["se_mse"], se, rtol=1e-12)
    assert model.alpha_ == model.alphas_[np.argmin(mse)]


def test_ridgecv_agrees_with_sklearn_ridgecv():
    X, y = CASES["diabetes"]
    alphas = np.geomspace(1e-3, 10, 25)
    ours = RidgeCV(alphas=alphas).fit(X, y)
    theirs = linear_model.RidgeCV(alphas=alphas).fit(X, y)
    assert ours.alpha_ == theirs.alpha_
    assert ours.best_score_ == pytest.approx(theirs.best_score_, rel=1e-9)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8)


def test_gcv_uses_the_mean_leverage():
    X, y = CASES["diabetes"]
    alpha = 0.5
    model = RidgeCV(alphas=[alpha], gcv=True).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    coef, _ = _closed_form(X, y, alpha)
    hat_trace = 1.0 + np.trace(Xc @ np.linalg.solve(Xc.T @ Xc + alpha * np.eye(10), Xc.T))
    resid = yc - Xc @ coef
    expected = np.mean((resid / (1 - hat_trace / len(y))) ** 2)
    assert model.cv_curve_["mean_mse"].iloc[0] == pytest.approx(expected, rel=1e-10)


def test_ridgecv_kfold_equals_manual_cross_validation():
    X, y = CASES["house"]
    alphas = np.array([1e4, 10.0, 0.1])
    cv = KFold(5, shuffle=True, random_state=0)
    model = RidgeCV(alphas=alphas, cv=cv).fit(X, y)
    manual = np.empty((3, 5))
    for f, (train, test) in enumerate(cv.split(X)):
        for k, alpha in enumerate(alphas):
            fit = linear_model.Ridge(alpha=alpha).fit(X[train], y[train])
            manual[k, f] = np.mean((y[test] - fit.predict(X[test])) ** 2)
    np.testing.assert_allclose(model.mse_path_, manual, rtol=1e-9)
    best = alphas[np.argmin(manual.mean(axis=1))]
    assert model.alpha_ == best
    assert "effective_df" in model.cv_curve_
