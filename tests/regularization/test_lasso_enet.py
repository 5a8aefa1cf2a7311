"""Lasso and ElasticNet: agreement with scikit-learn, optimality, conventions."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.optimize import nnls
from sklearn import linear_model
from sklearn.exceptions import ConvergenceWarning as SklearnConvergenceWarning

import linmod
from linmod.regularization import ElasticNet, Lasso, enet_path, lasso_path
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.penalized_problem import make_problem

from .datasets import assert_coef_close, diabetes, house, random_problem, standardized

TIGHT = {"tol": 1e-13, "max_iter": 200_000}


def _datasets():
    X_h, y_h = house()
    X_d, y_d = diabetes()
    return {
        "house": (X_h.to_numpy(), y_h.to_numpy()),
        "diabetes": (X_d, y_d),
        "random_n>p": random_problem(0, 80, 12),
        "random_p>n": random_problem(1, 30, 90, k=5),
    }


DATA = _datasets()


def _alpha_max(X, y, l1_ratio=1.0):
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    return np.max(np.abs(Xc.T @ yc)) / (len(y) * l1_ratio)


@pytest.mark.parametrize("name", list(DATA))
@pytest.mark.parametrize("fraction", [0.5, 0.05, 0.005])
def test_lasso_matches_sklearn(name, fraction):
    X, y = DATA[name]
    alpha = fraction * _alpha_max(X, y)
    ours = Lasso(alpha=alpha, **TIGHT).fit(X, y)
    theirs = linear_model.Lasso(alpha=alpha, **TIGHT).fit(X, y)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-6, abs=1e-6 * abs(y).max())


@pytest.mark.parametrize("name", list(DATA))
@pytest.mark.parametrize("l1_ratio", [0.1, 0.5, 0.9])
def test_elastic_net_matches_sklearn(name, l1_ratio):
    X, y = DATA[name]
    alpha = 0.05 * _alpha_max(X, y, l1_ratio)
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    theirs = linear_model.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-6, abs=1e-6 * abs(y).max())


@pytest.mark.parametrize("name", ["diabetes", "random_n>p", "random_p>n"])
def test_positive_lasso_matches_sklearn(name):
    X, y = DATA[name]
    alpha = 0.02 * _alpha_max(X, y)
    ours = Lasso(alpha=alpha, positive=True, **TIGHT).fit(X, y)
    theirs = linear_model.Lasso(alpha=alpha, positive=True, **TIGHT).fit(X, y)
    assert (ours.coef_ >= 0).all()
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)


@pytest.mark.parametrize("name", list(DATA))
def test_no_intercept_matches_sklearn(name):
    X, y = DATA[name]
    alpha = 0.05 * np.max(np.abs(X.T @ y)) / len(y)
    ours = ElasticNet(alpha=alpha, l1_ratio=0.7, fit_intercept=False, **TIGHT).fit(X, y)
    theirs = linear_model.ElasticNet(alpha=alpha, l1_ratio=0.7, fit_intercept=False, **TIGHT)
    theirs.fit(X, y)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-6)
    assert ours.intercept_ == 0.0


@pytest.mark.parametrize("name", list(DATA))
def test_lasso_path_matches_sklearn_lasso_path(name):
    X, y = DATA[name]
    ours = lasso_path(X, y, fit_intercept=False, **TIGHT)
    with warnings.catch_warnings():  # the reference may stop a hair above tol=1e-13
        warnings.simplefilter("ignore", SklearnConvergenceWarning)
        alphas, coefs, _ = linear_model.lasso_path(X, y, alphas=100, **TIGHT)
    np.testing.assert_allclose(ours.alphas, alphas, rtol=1e-12)
    for k in range(alphas.size):
        assert_coef_close(ours.coefs[:, k], coefs[:, k], rtol=1e-6)
    # sklearn-style unpacking
    a, c, gaps = ours
    assert a is ours.alphas
    assert c is ours.coefs
    assert gaps.shape == (100,)


@pytest.mark.parametrize("name", ["house", "random_p>n"])
def test_paths_with_intercept_match_sklearn_on_centred_data(name):
    X, y = DATA[name]
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ours = enet_path(X, y, l1_ratio=0.4, alphas=30, **TIGHT)
    alphas, coefs, _ = linear_model.enet_path(Xc, yc, l1_ratio=0.4, alphas=30, **TIGHT)
    np.testing.assert_allclose(ours.alphas, alphas, rtol=1e-10)
    for k in range(alphas.size):
        assert_coef_close(ours.coefs[:, k], coefs[:, k], rtol=1e-6)
    np.testing.assert_allclose(
        ours.intercepts, y.mean() - X.mean(axis=0) @ ours.coefs, rtol=1e-12, atol=1e-9
    )


@pytest.mark.parametrize("name", ["house", "diabetes", "random_p>n"])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_standardize_equals_sklearn_on_standardized_features(name, l1_ratio):
    X, y = DATA[name]
    Z, mean, sd = standardized(X)
    alpha = 0.02 * _alpha_max(Z, y, l1_ratio)
    ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, standardize=True, **TIGHT).fit(X, y)
    theirs = linear_model.ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(Z, y)
    # hand-derived back-transformation to the original scale
    coef = theirs.coef_ / sd
    assert_coef_close(ours.coef_, coef, rtol=1e-6)
    assert ours.intercept_ == pytest.approx(theirs.intercept_ - mean @ coef, rel=1e-6)
    np.testing.assert_allclose(ours.predict(X), theirs.predict(Z), rtol=1e-6)


def _objective(X, y, coef, intercept, alpha, l1_ratio):
    r = y - X @ coef - intercept
    return (
        r @ r / (2 * len(y))
        + alpha * l1_ratio * np.abs(coef).sum()
        + 0.5 * alpha * (1 - l1_ratio) * coef @ coef
    )


@pytest.mark.parametrize("name", list(DATA))
def test_default_tolerance_has_sklearn_meaning(name):
    # At tol=1e-4 both solvers stop with a duality gap below tol·‖y − ȳ‖²/n, so both
    # objectives lie within that bound of the optimum, and of each other.
    X, y = DATA[name]
    alpha = 0.01 * _alpha_max(X, y, 0.8)
    ours = ElasticNet(alpha=alpha, l1_ratio=0.8).fit(X, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SklearnConvergenceWarning)
        theirs = linear_model.ElasticNet(alpha=alpha, l1_ratio=0.8).fit(X, y)
    bound = 1e-4 * np.sum((y - y.mean()) ** 2) / len(y)
    assert 0 <= ours.dual_gap_ <= bound
    p_ours = _objective(X, y, ours.coef_, ours.intercept_, alpha, 0.8)
    p_theirs = _objective(X, y, theirs.coef_, theirs.intercept_, alpha, 0.8)
    assert abs(p_ours - p_theirs) <= bound


def test_reported_gap_is_the_duality_gap_derived_by_hand():
    X, y = DATA["diabetes"]
    alpha, l1_ratio = 0.05, 0.6
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-3).fit(X, y)
    n = len(y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    w = model.coef_
    r = yc - Xc @ w
    l1, l2 = n * alpha * l1_ratio, n * alpha * (1 - l1_ratio)
    # primal/dual of the n-scaled problem at θ = r·min(1, l1/‖Xᵀr − l2 w‖∞)
    primal = 0.5 * (r @ r + l2 * w @ w) + l1 * np.abs(w).sum()
    scale = min(1.0, l1 / np.max(np.abs(Xc.T @ r - l2 * w)))
    dual = -0.5 * scale**2 * (r @ r + l2 * w @ w) + scale * r @ yc
    assert model.dual_gap_ == pytest.approx((primal - dual) / n, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("name", list(DATA))
def test_solution_satisfies_kkt_conditions(name):
    X, y = DATA[name]
    alpha, l1_ratio = 0.03 * _alpha_max(X, y, 0.5), 0.5
    model = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, **TIGHT).fit(X, y)
    n = len(y)
    r = y - model.predict(X)
    grad = (X - X.mean(axis=0)).T @ r / n - alpha * (1 - l1_ratio) * model.coef_
    active = model.coef_ != 0
    scale = alpha * l1_ratio
    np.testing.assert_allclose(
        grad[active], scale * np.sign(model.coef_[active]), rtol=1e-6, atol=1e-8 * scale
    )
    assert np.all(np.abs(grad[~active]) <= scale * (1 + 1e-6))
    assert abs(r.sum()) <= 1e-8 * np.abs(y).sum()  # the intercept is unpenalised


def test_alpha_at_or_above_alpha_max_gives_zero_coefficients():
    X, y = DATA["diabetes"]
    amax = _alpha_max(X, y)
    for alpha in (amax, 2 * amax):
        model = Lasso(alpha=alpha).fit(X, y)
        assert np.all(model.coef_ == 0)
        assert model.intercept_ == pytest.approx(y.mean(), rel=1e-14)
        # The zero start is optimal: no epoch runs (scikit-learn also reports 0 here).
        assert model.n_iter_ == linear_model.Lasso(alpha=alpha).fit(X, y).n_iter_ == 0
    assert np.any(Lasso(alpha=0.99 * amax, tol=1e-10).fit(X, y).coef_ != 0)


def test_alpha_zero_is_least_squares():
    X, y = DATA["diabetes"]
    model = Lasso(alpha=0.0).fit(X, y)
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    expected = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-9)
    positive = Lasso(alpha=0.0, positive=True).fit(X, y)
    np.testing.assert_allclose(positive.coef_, nnls(Xc, yc)[0], rtol=1e-9, atol=1e-9)


def test_gram_and_residual_layouts_agree():
    X, y = random_problem(5, 200, 40)
    alphas = np.geomspace(1.0, 0.001, 20)
    results = []
    for gram in (True, False):
        problem = make_problem(X, y, True, True, gram=gram)
        results.append(solve_path(problem, alphas, 0.7, tol=1e-13, max_iter=100_000).coefs)
    assert_coef_close(results[0], results[1], rtol=1e-8)


def test_anderson_extrapolation_does_not_stall_the_duality_gap():
    # Regression (found by Hypothesis): the residual extrapolated by Anderson acceleration
    # carried the rounding of the weights, and the inner duality gap computed from it
    # stalled above a tight tol until max_iter.  Any warning fails this test.
    X, y = random_problem(323, 15, 30, k=3)
    y = 0.01 * y
    alpha = 0.01 * _alpha_max(X, y)
    ours = Lasso(alpha=alpha, **TIGHT).fit(X, y)
    theirs = linear_model.Lasso(alpha=alpha, **TIGHT).fit(X, y)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-7)
    assert ours.n_iter_ < 10_000


@pytest.mark.parametrize("shape", [(120, 15), (30, 90)])
@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.6])
def test_paths_without_intercept_match_sklearn(shape, positive, l1_ratio):
    # Both layouts (Gram for n > p, residual for p > n), with and without the constraint.
    X, y = random_problem(21, *shape, k=6)
    ours = enet_path(X, y, l1_ratio=l1_ratio, fit_intercept=False, positive=positive, **TIGHT)
    alphas, coefs, _ = linear_model.enet_path(
        X, y, l1_ratio=l1_ratio, alphas=100, positive=positive, **TIGHT
    )
    np.testing.assert_allclose(ours.alphas, alphas, rtol=1e-12)
    for k in range(alphas.size):
        assert_coef_close(ours.coefs[:, k], coefs[:, k], rtol=1e-6)
    if positive:
        assert (ours.coefs >= 0).all()


def test_exhausted_iterations_warn():
    X, y = random_problem(2, 40, 200, k=30)
    with pytest.warns(linmod.ConvergenceWarning, match="max_iter=2"):
        Lasso(alpha=1e-3, max_iter=2, tol=1e-12).fit(X, y)


def test_selection_lists_selected_and_dropped_features():
    X, y = house()
    model = Lasso(alpha=15000.0, standardize=True).fit(X, y)
    theirs = linear_model.Lasso(alpha=15000.0).fit(standardized(X.to_numpy())[0], y)
    table = model.selection_table()
    assert table["feature"].tolist() == list(X.columns)
    expected = np.where(theirs.coef_ != 0, "selected", "dropped").tolist()
    assert table["status"].tolist() == expected
    assert "dropped" in expected
    assert "selected" in expected


def test_path_result_helpers():
    X, y = house()
    path = lasso_path(X, y, alphas=[1e5, 1e3, 10.0], standardize=True)
    frame = path.to_frame()
    assert frame.columns.tolist() == ["alpha", "intercept", *X.columns]
    assert path.n_nonzero.tolist() == [int((path.coefs[:, k] != 0).sum()) for k in range(3)]
    assert "lasso" in repr(path)
    assert path.feature_names == tuple(X.columns)
