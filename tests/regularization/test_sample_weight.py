"""``sample_weight`` in the penalised estimators, paths and cross-validation.

References: scikit-learn's ``Ridge``/``Lasso``/``ElasticNet``/``LassoCV`` with
``sample_weight`` (test-only), the frequency identity (integer weights = repeated rows),
and ridge with weights solved by hand from ``sqrt(w)``-scaled, weighted-centred rows.
"""

from __future__ import annotations

import numpy as np
import pytest
import sklearn
import sklearn.linear_model as sk
from sklearn.model_selection import KFold, PredefinedSplit, cross_val_score

from linmod.exceptions import InputError
from linmod.regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    RidgeCV,
    enet_path,
    lasso_path,
    ridge_path,
)

from .datasets import assert_coef_close


def _data(n: int = 60, p: int = 4, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * [1.0, 3.0, 0.5, 10.0][:p] + [1.0, -2.0, 3.0, 40.0][:p]
    y = x @ np.array([1.5, 0.0, -2.0, 0.05][:p]) + 3.0 + rng.normal(size=n)
    w = rng.integers(0, 4, size=n).astype(float)
    return x, y, w


TIGHT = {"tol": 1e-14, "max_iter": 100_000}


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (Ridge(alpha=4.0), sk.Ridge(alpha=4.0)),
        (Lasso(alpha=0.2, **TIGHT), sk.Lasso(alpha=0.2, **TIGHT)),
        (
            ElasticNet(alpha=0.3, l1_ratio=0.4, **TIGHT),
            sk.ElasticNet(alpha=0.3, l1_ratio=0.4, **TIGHT),
        ),
        (Lasso(alpha=0.1, positive=True, **TIGHT), sk.Lasso(alpha=0.1, positive=True, **TIGHT)),
    ],
)
def test_matches_scikit_learn_sample_weight(ours, theirs, fit_intercept):
    x, y, w = _data()
    w = w + np.linspace(0.1, 0.9, w.size)  # fractional weights
    ours.set_params(fit_intercept=fit_intercept).fit(x, y, sample_weight=w)
    theirs.set_params(fit_intercept=fit_intercept).fit(x, y, sample_weight=w)
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-9)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize(
    "estimator",
    [
        Ridge(alpha=3.0),
        Lasso(alpha=0.1, **TIGHT),
        ElasticNet(alpha=0.2, l1_ratio=0.7, **TIGHT),
        ElasticNet(alpha=0.2, l1_ratio=0.0),
    ],
)
def test_integer_weights_equal_repeated_rows(estimator, standardize):
    x, y, w = _data()
    reps = w.astype(int)
    weighted = estimator.set_params(standardize=standardize).fit(x, y, sample_weight=w)
    coef, intercept = weighted.coef_.copy(), weighted.intercept_
    repeated = estimator.fit(np.repeat(x, reps, axis=0), np.repeat(y, reps))
    assert_coef_close(coef, repeated.coef_, rtol=1e-10)
    assert intercept == pytest.approx(repeated.intercept_, rel=1e-10)


def test_zero_weights_drop_rows_and_fractional_scale_is_irrelevant_for_lasso():
    x, y, w = _data()
    keep = w > 0
    a = Lasso(alpha=0.1, **TIGHT).fit(x, y, sample_weight=w)
    b = Lasso(alpha=0.1, **TIGHT).fit(x[keep], y[keep], sample_weight=w[keep])
    c = Lasso(alpha=0.1, **TIGHT).fit(x, y, sample_weight=7.5 * w)  # (1/2W)Σw r²: scale-free
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert_coef_close(a.coef_, c.coef_, rtol=1e-10)


@pytest.mark.parametrize("standardize", [False, True])
def test_ridge_is_ridge_on_sqrt_w_scaled_rows_with_weighted_centring(standardize):
    """Solved by hand: centre at weighted means, scale rows by sqrt(w), normal equations."""
    x, y, w = _data(seed=3)
    w = w + 0.25
    alpha = 5.0
    xbar, ybar = w @ x / w.sum(), w @ y / w.sum()
    sd = np.sqrt(w @ (x - xbar) ** 2 / w.sum()) if standardize else np.ones(x.shape[1])
    z = (x - xbar) / sd * np.sqrt(w)[:, None]
    t = (y - ybar) * np.sqrt(w)
    beta = np.linalg.solve(z.T @ z + alpha * np.eye(x.shape[1]), z.T @ t) / sd
    model = Ridge(alpha=alpha, standardize=standardize).fit(x, y, sample_weight=w)
    np.testing.assert_allclose(model.coef_, beta, rtol=1e-12)
    assert model.intercept_ == pytest.approx(ybar - xbar @ beta, rel=1e-12)
    path = ridge_path(x, y, alphas=[alpha], standardize=standardize, sample_weight=w)
    np.testing.assert_allclose(path.coefs[:, 0], beta, rtol=1e-12)


def test_weighted_alpha_max_zeroes_every_coefficient_just_above_it():
    x, y, w = _data()
    xbar, ybar = w @ x / w.sum(), w @ y / w.sum()
    alpha_max = np.max(np.abs((w * (y - ybar)) @ (x - xbar))) / w.sum()  # by hand
    path = lasso_path(x, y, alphas=5, eps=0.1, sample_weight=w)
    assert path.alphas[0] == pytest.approx(alpha_max, rel=1e-13)
    assert np.all(path.coefs[:, 0] == 0)
    assert np.any(Lasso(alpha=alpha_max * 0.99, **TIGHT).fit(x, y, sample_weight=w).coef_ != 0)
    path_en = enet_path(x, y, l1_ratio=0.5, alphas=[alpha_max * 2.0], sample_weight=w)
    assert np.all(path_en.coefs == 0)


def test_lasso_cv_matches_scikit_learn_weighted_fold_errors():
    x, y, w = _data(n=90, seed=5)
    w = w + 0.5
    alphas = np.geomspace(1.0, 0.001, 12)
    folds = KFold(5, shuffle=True, random_state=0)
    ours = LassoCV(alphas=alphas, cv=folds, **TIGHT).fit(x, y, sample_weight=w)
    theirs = sk.LassoCV(alphas=alphas, cv=folds, **TIGHT).fit(x, y, sample_weight=w)
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-15)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-8)
    assert ours.alpha_ == theirs.alpha_
    assert_coef_close(ours.coef_, theirs.coef_, rtol=1e-8)


def test_cv_fold_errors_are_weighted_by_the_held_out_rows():
    x, y, w = _data(n=40, seed=2)
    w = w + 1.0
    test_fold = np.repeat([0, 1], 20)
    model = RidgeCV(alphas=[2.0], cv=PredefinedSplit(test_fold)).fit(x, y, sample_weight=w)
    for k in (0, 1):
        train, test = test_fold != k, test_fold == k
        fit = Ridge(alpha=2.0).fit(x[train], y[train], sample_weight=w[train])
        r = y[test] - fit.predict(x[test])
        assert model.mse_path_[0, k] == pytest.approx(np.sum(w[test] * r**2) / w[test].sum())


@pytest.mark.parametrize("standardize", [False, True])
def test_ridge_loo_with_weights_equals_refitting_without_each_row(standardize):
    x, y, w = _data(n=25, seed=4)
    w = w + 0.5
    alphas = np.array([0.5, 5.0])
    model = RidgeCV(alphas=alphas, standardize=standardize).fit(x, y, sample_weight=w)
    # standardize keeps the full data's scaling for each left-out point (as unweighted)
    for j, alpha in enumerate(np.sort(alphas)[::-1]):
        loo = np.empty(25)
        for i in range(25):
            out = np.arange(25) != i
            if standardize:
                xbar = w @ x / w.sum()
                sd = np.sqrt(w @ (x - xbar) ** 2 / w.sum())
                fit = Ridge(alpha=alpha).fit(x[out] / sd, y[out], sample_weight=w[out])
                loo[i] = y[i] - fit.predict(x[i : i + 1] / sd)[0]
            else:
                fit = Ridge(alpha=alpha).fit(x[out], y[out], sample_weight=w[out])
                loo[i] = y[i] - fit.predict(x[i : i + 1])[0]
        np.testing.assert_allclose(model.loo_residuals_[:, j], loo, rtol=1e-9)
        weighted_mse = np.sum(w * loo**2) / w.sum()
        assert model.cv_curve_["mean_mse"].iloc[j] == pytest.approx(weighted_mse, rel=1e-9)


def test_cv_drops_zero_weight_rows_before_splitting():
    x, y, w = _data(n=50, seed=6)
    keep = w > 0
    a = ElasticNetCV(alphas=8, cv=3, **TIGHT).fit(x, y, sample_weight=w)
    b = ElasticNetCV(alphas=8, cv=3, **TIGHT).fit(x[keep], y[keep], sample_weight=w[keep])
    np.testing.assert_array_equal(a.mse_path_, b.mse_path_)
    assert a.alpha_ == b.alpha_


def test_explicit_folds_follow_the_rows_when_zero_weights_are_dropped():
    x, y, w = _data(n=30, seed=7)
    w[:3] = 0.0
    folds = [(np.arange(15, 30), np.arange(15)), (np.arange(15), np.arange(15, 30))]
    model = LassoCV(alphas=[0.5, 0.05], cv=folds, **TIGHT).fit(x, y, sample_weight=w)
    keep = w > 0
    fit = Lasso(alpha=0.5, **TIGHT).fit(x[15:], y[15:], sample_weight=w[15:])
    test = np.arange(15)[keep[:15]]
    r = y[test] - fit.predict(x[test])
    assert model.mse_path_[0, 0] == pytest.approx(np.sum(w[test] * r**2) / w[test].sum())
    bad = [(np.arange(3, 30), np.arange(3))]
    with pytest.raises(InputError, match="fold 1 of cv has no held-out row"):
        LassoCV(alphas=[0.1], cv=bad).fit(x, y, sample_weight=w)


def test_metadata_routing_passes_sample_weight_through_cross_val_score():
    x, y, w = _data(n=80, seed=8)
    w = w + 0.5
    with sklearn.config_context(enable_metadata_routing=True):
        model = Lasso(alpha=0.1, **TIGHT).set_fit_request(sample_weight=True)
        model = model.set_score_request(sample_weight=False)  # unweighted R² on each fold
        folds = KFold(4)
        scores = cross_val_score(model, x, y, cv=folds, params={"sample_weight": w})
    expected = []
    for train, test in folds.split(x):
        fit = Lasso(alpha=0.1, **TIGHT).fit(x[train], y[train], sample_weight=w[train])
        expected.append(fit.score(x[test], y[test]))
    np.testing.assert_allclose(scores, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "estimator",
    [Ridge(), Lasso(), ElasticNet(), RidgeCV(), LassoCV(cv=3), ElasticNetCV(cv=3)],
    ids=lambda e: type(e).__name__,
)
@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (lambda n: -np.ones(n), r"sample_weight has \d+ negative values in rows 1, 2, 3"),
        (lambda n: np.r_[1.0, np.nan, np.ones(n - 2)], "missing \\(NaN\\) values in row 2"),
        (lambda n: np.r_[np.inf, np.ones(n - 1)], "infinite values in row 1"),
        (lambda n: np.zeros(n), "all zero"),
        (lambda n: np.ones(n - 1), "give one weight per row"),
        (lambda n: ["a"] * n, "must be numbers"),
    ],
    ids=["negative", "nan", "inf", "all-zero", "length", "text"],
)
def test_bad_sample_weights_are_refused_naming_the_rows(estimator, weights, message):
    x, y, _ = _data(n=30)
    with pytest.raises(InputError, match=message):
        estimator.fit(x, y, sample_weight=weights(30))


@pytest.mark.parametrize("path", [lasso_path, enet_path, ridge_path])
def test_bad_sample_weights_are_refused_by_the_paths(path):
    x, y, _ = _data(n=30)
    w = np.ones(30)
    w[4] = -2.0
    with pytest.raises(InputError, match="negative values in row 5"):
        path(x, y, alphas=[1.0], sample_weight=w)


def test_sample_weight_is_not_modified():
    x, y, w = _data()
    given = w.copy()
    for estimator in (Ridge(), Lasso(), RidgeCV(), LassoCV(cv=3)):
        estimator.fit(x, y, sample_weight=w)
        np.testing.assert_array_equal(w, given)


@pytest.mark.parametrize("exponent", [800, -990])
def test_weights_of_any_magnitude_are_exact_for_ridge(exponent):
    """Σ (c·w) r² + (c·α)‖β‖² has the coefficients of Σ w r² + α‖β‖² (c a power of two);
    before the rescaling, c = 2^800 overflowed the rows' squares."""
    x, y, w = _data(seed=9)
    x = x * 1e5
    c = 2.0**exponent
    alphas = np.array([1e9, 1e5])
    plain = Ridge(alpha=1e9).fit(x, y, sample_weight=w)
    scaled = Ridge(alpha=1e9 * c).fit(x, y, sample_weight=w * c)
    np.testing.assert_array_equal(scaled.coef_, plain.coef_)
    for cv in (None, 3):
        a = RidgeCV(alphas=alphas, cv=cv).fit(x, y, sample_weight=w)
        b = RidgeCV(alphas=alphas * c, cv=cv).fit(x, y, sample_weight=w * c)
        np.testing.assert_array_equal(b.coef_, a.coef_)
        assert b.alpha_ == a.alpha_ * c
    p = ridge_path(x, y, alphas=5, sample_weight=w)
    q = ridge_path(x, y, alphas=5, sample_weight=w * c)
    np.testing.assert_array_equal(q.alphas, p.alphas * c)
    np.testing.assert_array_equal(q.coefs, p.coefs)


@pytest.mark.parametrize("estimator", [Lasso(alpha=0.1, **TIGHT), LassoCV(alphas=4, cv=3)])
def test_huge_weights_do_not_overflow_the_elastic_net(estimator):
    x, y, w = _data(seed=10)
    w = w + 1.0
    plain = estimator.fit(x, y, sample_weight=w).coef_.copy()
    huge = estimator.fit(x, y, sample_weight=w * 1e307).coef_
    np.testing.assert_allclose(huge, plain, rtol=1e-12)
