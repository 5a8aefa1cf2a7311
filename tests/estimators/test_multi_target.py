"""A 2-D y in Ridge, Lasso and ElasticNet: scikit-learn's shapes and numbers.

scikit-learn is the reference (same data, same objective); the invariances (one column at
a time, columns permuted) hold whatever the reference.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model as sk
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.estimator_checks import parametrize_with_checks

import linmod
from linmod.exceptions import InputError
from linmod.regularization import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge, RidgeCV


def _data(n=40, p=5, k=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * np.array([1.0, 3.0, 0.5, 2.0, 1.0])[:p]
    y = x @ rng.normal(size=(p, k)) + rng.normal(size=(n, k)) * np.array([0.5, 2.0, 5.0])[:k]
    return x, y + np.array([1.0, -3.0, 10.0])[:k], rng.uniform(0.2, 3.0, size=n)


# --- Ridge -------------------------------------------------------------------------------


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize(("n", "p"), [(40, 5), (6, 9)])
def test_ridge_matches_sklearn(solver, weighted, fit_intercept, n, p):
    rng = np.random.default_rng(n + p)
    x = rng.normal(size=(n, p))
    y = rng.normal(size=(n, 3)) + 4.0
    w = rng.uniform(0.2, 3.0, size=n) if weighted else None
    ours = Ridge(alpha=2.5, solver=solver, fit_intercept=fit_intercept).fit(x, y, w)
    ref = sk.Ridge(alpha=2.5, fit_intercept=fit_intercept, solver="svd").fit(x, y, w)
    assert ours.coef_.shape == (3, p)
    assert ours.intercept_.shape == (3,)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(ours.predict(x), ref.predict(x), rtol=1e-11, atol=1e-12)
    assert ours.predict(x).shape == (n, 3)


def test_ridge_standardize_is_sklearn_on_standardised_columns():
    x, y, w = _data()
    sd = x.std(axis=0)  # glmnet's population standard deviation
    ours = Ridge(alpha=3.0, standardize=True).fit(x, y)
    ref = sk.Ridge(alpha=3.0).fit(x / sd, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_ / sd, rtol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-12)
    # weighted: the weighted standard deviation sqrt(Σ w (x − x̄_w)² / Σ w)
    mean = w @ x / w.sum()
    sd_w = np.sqrt(w @ (x - mean) ** 2 / w.sum())
    ours = Ridge(alpha=3.0, standardize=True).fit(x, y, sample_weight=w)
    ref = sk.Ridge(alpha=3.0).fit(x / sd_w, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, ref.coef_ / sd_w, rtol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-12)


def test_ridge_min_norm_at_alpha_zero_with_dependent_columns():
    x, y, _ = _data()
    x = np.column_stack([x, x[:, 0] + x[:, 1]])  # rank-deficient: the minimum-norm solution
    ours = Ridge(alpha=0.0).fit(x, y)
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    np.testing.assert_allclose(ours.coef_, (np.linalg.pinv(xc) @ yc).T, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize(
    "estimator",
    [
        Ridge(alpha=2.0),
        Ridge(alpha=2.0, solver="svd", standardize=True),
        Lasso(alpha=0.05, tol=1e-12, max_iter=100_000),
        ElasticNet(alpha=0.1, l1_ratio=0.3, standardize=True, tol=1e-12, max_iter=100_000),
        ElasticNet(alpha=0.1, l1_ratio=0.0),
        Lasso(alpha=0.05, positive=True, tol=1e-12, max_iter=100_000),
    ],
    ids=lambda e: repr(e),
)
@pytest.mark.parametrize("weighted", [False, True])
def test_each_column_is_the_single_response_fit(estimator, weighted):
    x, y, w = _data()
    sw = w if weighted else None
    both = linmod.regularization.__dict__[type(estimator).__name__](**estimator.get_params())
    both.fit(x, y, sample_weight=sw)
    for j in range(y.shape[1]):
        alone = type(estimator)(**estimator.get_params()).fit(x, y[:, j], sample_weight=sw)
        np.testing.assert_allclose(both.coef_[j], alone.coef_, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(both.intercept_[j], alone.intercept_, rtol=1e-12, atol=1e-14)
    # permuting the columns of y permutes the outputs
    order = [2, 0, 1]
    permuted = type(estimator)(**estimator.get_params()).fit(x, y[:, order], sample_weight=sw)
    np.testing.assert_allclose(permuted.coef_, both.coef_[order], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(permuted.predict(x), both.predict(x)[:, order], rtol=1e-12)


def test_ridge_y_of_one_column_has_sklearns_shapes():
    x, y, _ = _data()
    ours = Ridge(alpha=1.0).fit(x, y[:, :1])
    ref = sk.Ridge(alpha=1.0).fit(x, y[:, :1])
    assert ours.coef_.shape == ref.coef_.shape == (5,)
    assert ours.intercept_.shape == np.shape(ref.intercept_) == (1,)
    assert ours.predict(x).shape == ref.predict(x).shape == (40,)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-12)


def test_ridge_takes_a_data_frame_of_responses():
    x, y, _ = _data()
    frame = pd.DataFrame(x, columns=list("abcde"))
    responses = pd.DataFrame(y, columns=["mpg", "qsec", "hp"])
    ours = Ridge(alpha=1.0).fit(frame, responses)
    np.testing.assert_array_equal(ours.feature_names_in_, list("abcde"))
    np.testing.assert_allclose(ours.coef_, Ridge(alpha=1.0).fit(x, y).coef_, rtol=1e-14)


@pytest.mark.parametrize("power", [-440, 440])
def test_ridge_rescales_responses_beyond_float64_squares(power):
    x, y, _ = _data()
    big = Ridge(alpha=1.0).fit(x, np.ldexp(y, power))
    plain = Ridge(alpha=1.0).fit(x, y)
    np.testing.assert_allclose(big.coef_, np.ldexp(plain.coef_, power), rtol=1e-13)
    np.testing.assert_allclose(big.intercept_, np.ldexp(plain.intercept_, power), rtol=1e-13)


# --- Lasso and ElasticNet ----------------------------------------------------------------


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.1])
@pytest.mark.parametrize("weighted", [False, True])
def test_elastic_net_matches_sklearn_at_a_tight_tolerance(l1_ratio, weighted):
    x, y, w = _data()
    sw = w if weighted else None
    kwargs = {"alpha": 0.2, "l1_ratio": l1_ratio, "tol": 1e-14, "max_iter": 100_000}
    ours = ElasticNet(**kwargs).fit(x, y, sample_weight=sw)
    ref = sk.ElasticNet(**kwargs).fit(x, y, sample_weight=sw)
    assert ours.coef_.shape == ref.coef_.shape == (3, 5)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-9, atol=1e-11)
    assert isinstance(ours.n_iter_, list)
    assert len(ours.n_iter_) == len(ref.n_iter_) == 3
    assert ours.dual_gap_.shape == ref.dual_gap_.shape == (3,)
    assert (ours.dual_gap_ <= 1e-14 * np.sum((y - y.mean(axis=0)) ** 2, axis=0)).all()


def test_lasso_matches_sklearn_and_zeroes_the_same_coefficients():
    x, y, _ = _data()
    ours = Lasso(alpha=0.8, tol=1e-14, max_iter=100_000).fit(x, y)
    ref = sk.Lasso(alpha=0.8, tol=1e-14, max_iter=100_000).fit(x, y)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-9, atol=1e-11)
    np.testing.assert_array_equal(ours.coef_ == 0, ref.coef_ == 0)
    assert (ours.coef_ == 0).any()
    table = ours.selection_table()
    assert list(table.columns) == ["target", "feature", "coef", "status"]
    assert len(table) == 15
    assert (table["status"] == "dropped").sum() == (ref.coef_ == 0).sum()


def test_lasso_y_of_one_column_has_sklearns_shapes():
    x, y, _ = _data()
    ours = Lasso(alpha=0.1).fit(x, y[:, :1])
    ref = sk.Lasso(alpha=0.1).fit(x, y[:, :1])
    assert ours.coef_.shape == ref.coef_.shape == (5,)
    assert ours.intercept_.shape == np.shape(ref.intercept_) == (1,)
    assert isinstance(ours.n_iter_, int)
    assert ours.predict(x).shape == ref.predict(x).shape == (40,)


# --- RidgeCV -----------------------------------------------------------------------------

ALPHAS = np.logspace(-2, 3, 25)


@pytest.mark.parametrize("alpha_per_target", [False, True])
def test_ridge_cv_leave_one_out_matches_sklearn(alpha_per_target):
    x, y, _ = _data()
    ours = RidgeCV(alphas=ALPHAS, alpha_per_target=alpha_per_target).fit(x, y)
    ref = sk.RidgeCV(alphas=ALPHAS, alpha_per_target=alpha_per_target).fit(x, y)
    np.testing.assert_allclose(ours.alpha_, ref.alpha_, rtol=1e-15)
    np.testing.assert_allclose(ours.best_score_, ref.best_score_, rtol=1e-10)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-10, atol=1e-12)
    assert np.shape(ours.alpha_) == np.shape(ref.alpha_)
    assert ours.loo_residuals_.shape == (40, 25, 3)
    assert ours.mse_path_.shape == (25, 40, 3)
    if alpha_per_target:  # three responses, three different penalties here
        assert len(set(ours.alpha_)) == 3
        assert list(ours.cv_curve_["target"].unique()) == ["0", "1", "2"]


def test_ridge_cv_one_column_per_target_has_sklearns_types():
    x, y, _ = _data()
    ours = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x, y[:, :1])
    ref = sk.RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x, y[:, :1])
    assert isinstance(ours.alpha_, float)
    assert ours.alpha_ == ref.alpha_
    assert ours.best_score_.shape == np.shape(ref.best_score_) == (1,)
    assert ours.coef_.shape == ref.coef_.shape == (5,)


def _brute_loo(x, y, alpha, w=None):
    """Leave-one-out squared errors by refitting n times with scikit-learn (n, k)."""
    n = x.shape[0]
    out = np.empty(y.shape)
    for i in range(n):
        keep = np.arange(n) != i
        fit = sk.Ridge(alpha=alpha).fit(x[keep], y[keep], None if w is None else w[keep])
        out[i] = (y[i] - fit.predict(x[i : i + 1])[0]) ** 2
    return out if w is None else out * (w / w.mean())[:, None]


def test_ridge_cv_weighted_leave_one_out_is_refitting_n_times():
    x, y, w = _data(n=25)
    alphas = np.array([0.3, 3.0, 30.0])
    ours = RidgeCV(alphas=alphas).fit(x, y, sample_weight=w)
    for i, alpha in enumerate(ours.alphas_):
        np.testing.assert_allclose(ours.mse_path_[i], _brute_loo(x, y, alpha, w), rtol=1e-9)
    mean = ours.cv_curve_["mean_mse"].to_numpy()
    np.testing.assert_allclose(mean, ours.mse_path_.mean(axis=(1, 2)), rtol=1e-12)


def test_ridge_cv_gcv_is_the_hand_formula():
    x, y, _ = _data()
    alphas = np.array([0.1, 1.0, 10.0, 100.0])
    ours = RidgeCV(alphas=alphas, gcv=True).fit(x, y)
    n = x.shape[0]
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    for i, alpha in enumerate(ours.alphas_):
        hat = xc @ np.linalg.solve(xc.T @ xc + alpha * np.eye(5), xc.T) + 1.0 / n
        resid = yc - (hat - 1.0 / n) @ yc
        gcv = (resid / (1.0 - np.trace(hat) / n)) ** 2
        np.testing.assert_allclose(ours.mse_path_[i], gcv, rtol=1e-10)


@pytest.mark.parametrize("alpha_per_target", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_cv_k_fold_is_refitting_each_fold(alpha_per_target, weighted):
    from sklearn.model_selection import KFold

    x, y, w = _data()
    sw = w if weighted else None
    alphas = np.array([0.1, 1.0, 10.0, 100.0])
    ours = RidgeCV(alphas=alphas, cv=4, alpha_per_target=alpha_per_target).fit(x, y, sw)
    expected = np.empty((4, 4, 3))
    for f, (train, test) in enumerate(KFold(4).split(x)):
        for i, alpha in enumerate(ours.alphas_):
            fit = sk.Ridge(alpha=alpha).fit(x[train], y[train], None if sw is None else w[train])
            sq = (y[test] - fit.predict(x[test])) ** 2
            expected[i, f] = sq.mean(axis=0) if sw is None else w[test] @ sq / w[test].sum()
    np.testing.assert_allclose(ours.mse_path_, expected, rtol=1e-10)
    means = expected.mean(axis=1)  # (alphas, targets)
    if alpha_per_target:
        best = ours.alphas_[np.argmin(means, axis=0)]
        np.testing.assert_array_equal(ours.alpha_, best)
    else:
        assert ours.alpha_ == ours.alphas_[np.argmin(means.mean(axis=1))]
        best = np.full(3, ours.alpha_)
    refit = np.array([sk.Ridge(alpha=a).fit(x, y[:, j], sw).coef_ for j, a in enumerate(best)])
    np.testing.assert_allclose(ours.coef_, refit, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("alpha_per_target", [False, True])
@pytest.mark.parametrize("gcv", [False, True])
def test_ridge_cv_summary_equals_the_stored_errors(alpha_per_target, gcv, monkeypatch):
    import linmod.solvers.ridge as ridge_module

    monkeypatch.setattr(ridge_module, "_BLOCK_BYTES", 8 * 25 * 7)  # blocks of 7 rows
    x, y, _ = _data()
    kwargs = {"alphas": ALPHAS, "gcv": gcv, "alpha_per_target": alpha_per_target}
    stored = RidgeCV(**kwargs).fit(x, y)
    light = RidgeCV(**kwargs, store_cv_results=False).fit(x, y)
    np.testing.assert_array_equal(light.alpha_, stored.alpha_)
    np.testing.assert_array_equal(light.alpha_1se_, stored.alpha_1se_)
    np.testing.assert_array_equal(light.coef_, stored.coef_)
    for column in ("mean_mse", "se_mse"):
        np.testing.assert_allclose(light.cv_curve_[column], stored.cv_curve_[column], rtol=1e-10)
    assert light.mse_path_ is None
    assert light.loo_residuals_ is None


def test_ridge_cv_each_column_alone_with_per_target_alphas():
    x, y, _ = _data()
    both = RidgeCV(alphas=ALPHAS, alpha_per_target=True).fit(x, y)
    for j in range(3):
        alone = RidgeCV(alphas=ALPHAS).fit(x, y[:, j])
        assert both.alpha_[j] == alone.alpha_
        assert both.alpha_1se_[j] == alone.alpha_1se_
        np.testing.assert_allclose(both.coef_[j], alone.coef_, rtol=1e-12)
        curve = both.cv_curve_[both.cv_curve_["target"] == str(j)]
        np.testing.assert_allclose(curve["mean_mse"], alone.cv_curve_["mean_mse"], rtol=1e-12)


def test_ridge_cv_automatic_grid_is_the_designs():
    x, y, _ = _data()
    both = RidgeCV().fit(x, y)
    np.testing.assert_allclose(both.alphas_, RidgeCV().fit(x, y[:, 0]).alphas_, rtol=1e-15)


# --- scikit-learn's checks with multi-output tags ----------------------------------------


@parametrize_with_checks(
    [
        RidgeCV(alpha_per_target=True),
        RidgeCV(cv=3, alpha_per_target=True),
        RidgeCV(gcv=True, store_cv_results=False),
        Ridge(solver="cholesky", standardize=True),
        ElasticNet(standardize=True, l1_ratio=0.7),
    ],
    # Ridge's direct solvers report n_iter_ = None (scikit-learn marks this check xfail
    # for its own Ridge).
    expected_failed_checks=lambda e: (
        {"check_non_transformer_estimators_n_iter": "n_iter_ is None (direct solver)"}
        if isinstance(e, Ridge)
        else {}
    ),
)
def test_sklearn_checks_with_multi_output(estimator, check):
    check(estimator)


# --- hostile inputs ----------------------------------------------------------------------


@pytest.mark.parametrize("make", [Ridge, Lasso, ElasticNet, RidgeCV])
def test_a_nan_in_y_names_the_response_and_row(make):
    x, y, _ = _data()
    frame = pd.DataFrame(y, columns=["mpg", "qsec", "hp"])
    frame.iloc[6, 1] = np.nan
    with pytest.raises(InputError, match=r"NaN in response 'qsec', row 7\b"):
        make().fit(x, frame)
    y[3, 2] = np.inf
    with pytest.raises(InputError, match=r"infinity in response '2', row 4\b"):
        make().fit(x, y)


@pytest.mark.parametrize("make", [Ridge, Lasso, ElasticNet, RidgeCV])
def test_y_without_columns_is_refused(make):
    x, _, _ = _data()
    with pytest.raises(InputError, match="no column"):
        make().fit(x, np.empty((40, 0)))


def test_non_numeric_responses_are_refused():
    x, y, _ = _data()
    frame = pd.DataFrame({"a": y[:, 0], "b": ["x"] * 40})
    with pytest.raises(InputError, match="must hold numbers"):
        Ridge().fit(x, frame)


@pytest.mark.parametrize("make", [LassoCV, ElasticNetCV])
def test_lasso_cv_refuses_several_responses_saying_what_to_use(make):
    x, y, _ = _data()
    with pytest.raises(InputError, match=r"per column .*2-D y"):
        make(cv=3).fit(x, y)
    with pytest.raises(InputError, match="no column"):
        make(cv=3).fit(x, y[:, :0])
    with pytest.warns(DataConversionWarning):  # one column: raveled, as scikit-learn does
        fit = make(cv=3).fit(x, y[:, :1])
    assert fit.coef_.shape == (5,)


@pytest.mark.parametrize("name", ["ridge", "lasso", "elastic_net"])
def test_functional_fits_refuse_several_responses(name):
    x, y, _ = _data()
    fit = getattr(linmod, name)
    estimator = {"ridge": "Ridge", "lasso": "Lasso", "elastic_net": "ElasticNet"}[name]
    with pytest.raises(InputError, match=rf"y has 3 columns: use linmod\.{estimator}\("):
        fit(x, y, alpha=1.0)
    frame = pd.DataFrame(np.column_stack([x, y]), columns=[*"abcde", "y1", "y2", "y3"])
    for formula in ("y1 + y2 ~ a + b", "cbind(y1, y2) ~ a + b"):
        with pytest.raises(InputError, match=rf"linmod\.{name} fits one response.*{estimator}"):
            fit(formula, data=frame, alpha=1.0)
    single = fit("I(y1 + y2) ~ a + b", data=frame, alpha=1.0)  # one response
    assert list(single.coef.index) == ["Intercept", "a", "b"]


def test_save_keeps_one_response_and_refuses_several():
    x, y, _ = _data()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.json"
        one = Ridge(alpha=1.0).fit(x, y[:, :1])
        one.save(path)
        loaded = linmod.load(path)
        np.testing.assert_allclose(
            np.asarray(loaded.predict(x)).ravel(), one.predict(x), rtol=1e-14
        )
        with pytest.raises(InputError, match="fitted to 3 responses"):
            Lasso(alpha=0.1).fit(x, y).save(path)


@pytest.mark.parametrize("make", [lambda: Ridge(alpha=2.0), lambda: RidgeCV(alphas=ALPHAS)])
def test_zero_weights_drop_their_rows_for_every_response(make):
    x, y, w = _data()
    w[[3, 17, 30]] = 0.0
    keep = w > 0
    dropped = make().fit(x, y, sample_weight=w)
    kept = make().fit(x[keep], y[keep], sample_weight=w[keep])
    np.testing.assert_allclose(dropped.coef_, kept.coef_, rtol=1e-12)
    np.testing.assert_allclose(dropped.intercept_, kept.intercept_, rtol=1e-12)


def test_ridge_cv_explicit_folds_with_zero_weights_are_renumbered():
    x, y, w = _data()
    w[0] = 0.0
    folds = [(np.arange(20, 40), np.arange(0, 20)), (np.arange(0, 20), np.arange(20, 40))]
    ours = RidgeCV(alphas=[0.1, 10.0], cv=folds).fit(x, y, sample_weight=w)
    first = sk.Ridge(alpha=ours.alphas_[0]).fit(x[20:], y[20:], w[20:])
    sq = (y[1:20] - first.predict(x[1:20])) ** 2
    np.testing.assert_allclose(ours.mse_path_[0, 0], w[1:20] @ sq / w[1:20].sum(), rtol=1e-10)


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_one_penalty_per_response_matches_sklearn(solver, weighted):
    x, y, w = _data()
    sw = w if weighted else None
    alphas = [0.5, 40.0, 0.5]
    ours = Ridge(alpha=alphas, solver=solver).fit(x, y, sample_weight=sw)
    ref = sk.Ridge(alpha=alphas).fit(x, y, sample_weight=sw)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-11, atol=1e-13)
    for j, alpha in enumerate(alphas):
        alone = Ridge(alpha=alpha, solver=solver).fit(x, y[:, j], sample_weight=sw)
        np.testing.assert_allclose(ours.coef_[j], alone.coef_, rtol=1e-11)


def test_ridge_array_penalty_with_one_response_has_sklearns_types():
    x, y, _ = _data()
    ours = Ridge(alpha=np.array([2.0])).fit(x, y[:, 0])
    ref = sk.Ridge(alpha=np.array([2.0])).fit(x, y[:, 0])
    assert ours.coef_.shape == ref.coef_.shape == (5,)
    assert isinstance(ours.intercept_, float)
    np.testing.assert_allclose(ours.coef_, ref.coef_, rtol=1e-12)
    np.testing.assert_allclose(ours.intercept_, ref.intercept_, rtol=1e-12)


@pytest.mark.parametrize(
    ("alpha", "message"),
    [
        ([1.0, 2.0], "alpha has 2 penalties but y has 3 response"),
        ([[1.0, 2.0, 3.0]], r"1-D array .*shape \(1, 3\)"),
        ([1.0, -2.0, 3.0], r"alpha\[1\] = -2.0 is not a penalty"),
        ([1.0, 2.0, np.nan], r"alpha\[2\] = nan is not a penalty"),
    ],
)
def test_bad_arrays_of_penalties_are_refused(alpha, message):
    x, y, _ = _data()
    with pytest.raises(InputError, match=message):
        Ridge(alpha=alpha).fit(x, y)


def test_the_functional_ridge_refuses_an_array_of_penalties():
    x, y, _ = _data()
    with pytest.raises(InputError, match=r"one penalty .*linmod\.Ridge\(alpha=\[\.\.\.\]\)"):
        linmod.ridge(x, y[:, 0], alpha=[1.0])


def test_streamed_formula_fits_refuse_several_responses_before_reading():
    x, y, _ = _data()
    frame = pd.DataFrame(np.column_stack([x[:, :2], y[:, :2]]), columns=["a", "b", "y1", "y2"])
    with pytest.raises(InputError, match=r"linmod\.lasso fits one response.*'y1', 'y2'"):
        linmod.lasso("y1 + y2 ~ a + b", data=[frame[:20], frame[20:]], alpha=1.0)
