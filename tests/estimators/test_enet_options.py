"""``precompute``, ``warm_start``, ``selection`` of ``Lasso``/``ElasticNet``, and the CV
estimators' ``groups=``, ``n_jobs`` and ``alphas_``, against scikit-learn.

Assertions adapted from scikit-learn's ``test_coordinate_descent.py``
(``test_warm_start_convergence``, ``..._with_regularizer_decrement``,
``test_random_descent``, ``test_elasticnet_precompute_incorrect_gram``,
``test_elasticnet_precompute_gram``, ``..._gram_weighted_samples``), written anew.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn
from sklearn import linear_model
from sklearn.model_selection import GroupKFold, LeaveOneGroupOut, cross_val_score

from linmod import ElasticNet, ElasticNetCV, Lasso, LassoCV, RidgeCV
from linmod.exceptions import InputError

TIGHT = {"tol": 1e-12, "max_iter": 100_000}


def _data(seed: int = 0, n: int = 80, p: int = 30) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    coef = np.zeros(p)
    coef[:5] = [3.0, -2.0, 1.5, 1.0, -0.5]
    return x, x @ coef + rng.normal(size=n) + 2.0


@pytest.mark.parametrize("precompute", [False, True, "auto"])
@pytest.mark.parametrize("shape", [(80, 30), (30, 80)])
def test_precompute_layouts_match_scikit_learn(precompute, shape):
    x, y = _data(1, *shape)
    ours = ElasticNet(alpha=0.05, precompute=precompute, **TIGHT).fit(x, y)
    # scikit-learn's ElasticNet has no "auto" (linmod's default: the layout that suits).
    theirs = linear_model.ElasticNet(alpha=0.05, precompute=precompute is True, **TIGHT)
    theirs.fit(x, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-9)


def test_user_gram_matrix():
    x, y = _data(2)
    xc = x - x.mean(axis=0)
    gram = xc.T @ xc
    ours = Lasso(alpha=0.05, precompute=gram, **TIGHT).fit(xc, y)
    theirs = linear_model.Lasso(alpha=0.05, precompute=gram, **TIGHT).fit(xc, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-7, atol=1e-9)
    plain = Lasso(alpha=0.05, **TIGHT).fit(xc, y)
    np.testing.assert_allclose(ours.coef_, plain.coef_, rtol=1e-8, atol=1e-10)
    std = Lasso(alpha=0.05, precompute=gram, standardize=True, **TIGHT).fit(xc, y)
    np.testing.assert_allclose(
        std.coef_,
        Lasso(alpha=0.05, standardize=True, **TIGHT).fit(xc, y).coef_,
        rtol=1e-8,
        atol=1e-10,
    )


def test_wrong_gram_matrix_is_refused():
    x, y = _data(3)
    xc = x - x.mean(axis=0)
    gram = xc.T @ xc
    bad = gram.copy()
    bad[15, 16] = bad[16, 15] = bad[15, 16] + 1.0  # scikit-learn's checked element
    with pytest.raises(InputError, match=r"did not pass validation: at element \(15, 16\)"):
        ElasticNet(precompute=bad).fit(xc, y)
    with pytest.raises(InputError, match=r"element \(0, 0\)"):
        ElasticNet(precompute=2 * gram).fit(xc, y)
    with pytest.raises(InputError, match=r"shape \(3, 3\), X has 30 features"):
        ElasticNet(precompute=np.eye(3)).fit(xc, y)
    nan = gram.copy()
    nan[0, 1] = np.nan
    with pytest.raises(InputError, match="NaN or infinity"):
        ElasticNet(precompute=nan).fit(xc, y)


def test_gram_of_uncentred_x_is_recomputed_with_a_warning():
    x, y = _data(4)
    with pytest.warns(UserWarning, match="recomputing Gram matrix"):
        ours = ElasticNet(alpha=0.1, precompute=x.T @ x, **TIGHT).fit(x, y)
    np.testing.assert_allclose(
        ours.coef_, ElasticNet(alpha=0.1, **TIGHT).fit(x, y).coef_, rtol=1e-9
    )


def test_weighted_gram_matrix():
    """scikit-learn's convention: the Gram of the centred X with rows times sqrt(w), w
    rescaled to sum n."""
    x, y = _data(5)
    w = np.random.default_rng(6).uniform(0.5, 2.0, size=y.size)
    w_unit = w * y.size / w.sum()
    xc = x - np.average(x, axis=0, weights=w)
    xw = xc * np.sqrt(w_unit)[:, None]
    ours = ElasticNet(alpha=0.1, precompute=xw.T @ xw, **TIGHT).fit(xc, y, sample_weight=w)
    theirs = linear_model.ElasticNet(alpha=0.1, precompute=xw.T @ xw, **TIGHT)
    theirs.fit(xc, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-7, atol=1e-9)
    with pytest.raises(InputError, match="did not pass validation"):
        ElasticNet(alpha=0.1, precompute=xc.T @ xc).fit(xc, y, sample_weight=w)


def test_warm_start_converges_at_once_on_a_refit():
    x, y = _data(7)
    model = ElasticNet(alpha=1e-3, tol=1e-8, warm_start=True).fit(x, y)
    assert model.n_iter_ > 1
    first = model.coef_.copy()
    model.fit(x, y)
    assert model.n_iter_ == 0  # the start meets tol: no epoch (scikit-learn reports 0 too)
    np.testing.assert_allclose(model.coef_, first, rtol=1e-6, atol=1e-9)


def test_warm_start_with_a_smaller_penalty_takes_fewer_epochs():
    x, y = _data(8, 60, 200)
    cold = Lasso(alpha=1e-3, tol=1e-10, max_iter=100_000).fit(x, y)
    warm = Lasso(alpha=5e-3, tol=1e-10, max_iter=100_000, warm_start=True).fit(x, y)
    warm.set_params(alpha=1e-3).fit(x, y)
    assert warm.n_iter_ < cold.n_iter_
    np.testing.assert_allclose(warm.coef_, cold.coef_, rtol=1e-5, atol=1e-7)


def test_warm_start_with_standardize_and_changed_features():
    x, y = _data(9)
    model = Lasso(alpha=0.01, standardize=True, warm_start=True, **TIGHT).fit(x * 1e3, y)
    model.fit(x * 1e3, y)
    assert model.n_iter_ == 0  # the start was mapped to the standardised scale
    model.fit(x[:, :10], y)  # another shape: a cold start, no error
    cold = Lasso(alpha=0.01, standardize=True, **TIGHT).fit(x[:, :10], y)
    np.testing.assert_allclose(model.coef_, cold.coef_, rtol=1e-8, atol=1e-10)


def test_random_selection_reaches_the_same_solution():
    x, y = _data(10)
    cyclic = ElasticNet(alpha=0.05, **TIGHT).fit(x, y)
    for seed in (0, 1, 2):
        rand = ElasticNet(alpha=0.05, selection="random", random_state=seed, **TIGHT).fit(x, y)
        np.testing.assert_allclose(rand.coef_, cyclic.coef_, rtol=1e-8, atol=1e-10)
    gram = ElasticNet(alpha=0.05, selection="random", precompute=True, random_state=0, **TIGHT)
    np.testing.assert_allclose(gram.fit(x, y).coef_, cyclic.coef_, rtol=1e-8, atol=1e-10)
    theirs = linear_model.ElasticNet(alpha=0.05, selection="random", random_state=0, **TIGHT)
    np.testing.assert_allclose(cyclic.coef_, theirs.fit(x, y).coef_, rtol=1e-7, atol=1e-9)


def test_unknown_selection_is_refused():
    with pytest.raises(ValueError, match="selection"):
        Lasso(selection="greedy").fit(*_data())


def test_fitted_attribute_types():
    x, y = _data(11)
    model = ElasticNet(alpha=0.1).fit(x, y)
    assert isinstance(model.intercept_, float)
    assert model.coef_.dtype == np.float64
    assert model.coef_.shape == (30,)
    assert isinstance(model.n_iter_, int)
    assert isinstance(model.dual_gap_, float)
    assert ElasticNet(alpha=0.1, fit_intercept=False).fit(x, y).intercept_ == 0.0


@pytest.mark.parametrize("splitter", [GroupKFold(n_splits=4), LeaveOneGroupOut()])
def test_cv_groups_reach_the_splitter(splitter):
    x, y = _data(12)
    groups = np.repeat(np.arange(8), 10)
    ours = LassoCV(cv=splitter, **TIGHT).fit(x, y, groups=groups)
    with sklearn.config_context(enable_metadata_routing=True):
        theirs = linear_model.LassoCV(cv=splitter, **TIGHT).fit(x, y, groups=groups)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    assert ours.mse_path_.shape == theirs.mse_path_.shape
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-6)
    # Without the groups a group splitter cannot split.
    with pytest.raises(InputError, match="cannot split"):
        LassoCV(cv=splitter).fit(x, y)


def test_cv_groups_with_zero_weights_and_ridge():
    x, y = _data(13)
    groups = np.repeat(np.arange(8), 10)
    w = np.ones(80)
    w[:3] = 0.0
    enet = ElasticNetCV(cv=GroupKFold(4), alphas=[1.0, 0.1, 0.01], **TIGHT)
    enet.fit(x, y, sample_weight=w, groups=groups)
    same = ElasticNetCV(cv=GroupKFold(4), alphas=[1.0, 0.1, 0.01], **TIGHT)
    same.fit(x[3:], y[3:], groups=groups[3:])
    np.testing.assert_allclose(enet.mse_path_, same.mse_path_, rtol=1e-10)
    ridge = RidgeCV(alphas=[0.1, 1.0, 10.0], cv=LeaveOneGroupOut()).fit(x, y, groups=groups)
    folds = list(LeaveOneGroupOut().split(x, y, groups))
    assert ridge.mse_path_.shape == (3, len(folds))
    with pytest.raises(InputError, match="groups has shape \\(5,\\), X has 80 rows"):
        RidgeCV(cv=GroupKFold(4)).fit(x, y, groups=np.arange(5))
    with pytest.raises(InputError, match="missing \\(NaN\\) at row 2"):
        LassoCV(cv=GroupKFold(4)).fit(x, y, groups=np.r_[0.0, np.nan, np.arange(78.0)])


def test_cv_groups_through_metadata_routing():
    x, y = _data(14)
    groups = np.repeat(np.arange(8), 10)
    with sklearn.config_context(enable_metadata_routing=True):
        inner = LassoCV(cv=GroupKFold(3)).set_fit_request(groups=True)
        scores = cross_val_score(inner, x, y, cv=GroupKFold(4), params={"groups": groups})
    assert scores.shape == (4,)
    assert np.isfinite(scores).all()


def test_n_jobs_is_accepted_and_alphas_of_a_grid_are_one_dimensional():
    x, y = _data(15)
    grid = [0.01, 1.0, 0.1]
    ours = ElasticNetCV(l1_ratio=[0.5, 0.9], alphas=grid, n_jobs=2, **TIGHT).fit(x, y)
    theirs = linear_model.ElasticNetCV(l1_ratio=[0.5, 0.9], alphas=grid, n_jobs=2, **TIGHT)
    theirs.fit(x, y)
    np.testing.assert_array_equal(ours.alphas_, theirs.alphas_)  # (3,), sorted decreasing
    assert ours.mse_path_.shape == theirs.mse_path_.shape == (2, 3, 5)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-7)
    auto = ElasticNetCV(l1_ratio=[0.5, 0.9], alphas=5).fit(x, y)
    assert auto.alphas_.shape == (2, 5)  # automatic grids differ per l1_ratio
    assert RidgeCV(n_jobs=1).get_params()["n_jobs"] == 1
    assert LassoCV(n_jobs=-1).fit(x, y).alpha_ > 0


def test_no_warning_from_default_fits():
    x, y = _data(16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Lasso(alpha=0.1, warm_start=True, selection="random", random_state=0).fit(x, y)


def test_float32_gram_matrix_is_checked_at_float32_precision():
    """scikit-learn's test_elasticnet_precompute_gram: a float32 Gram matrix of float32 data
    differs from the float64 products by more than 1e-7 but less than 1e-4."""
    rng = np.random.RandomState(58)
    x = rng.binomial(1, 0.25, (1000, 4)).astype(np.float32)
    y = rng.rand(1000).astype(np.float32)
    xc = x - np.average(x, axis=0)
    gram = np.dot(xc.T, xc)
    ours = ElasticNet(alpha=0.01, precompute=gram).fit(xc, y)
    plain = ElasticNet(alpha=0.01, precompute=False).fit(x, y)
    np.testing.assert_allclose(ours.coef_, plain.coef_, rtol=1e-6)
    with pytest.raises(InputError, match="did not pass validation"):
        ElasticNet(alpha=0.01, precompute=gram.astype(np.float64) * 1.001).fit(xc, y)


def test_scalar_sample_weight_and_check_input():
    x, y = _data(17)
    plain = ElasticNet(alpha=0.1, **TIGHT).fit(x, y, check_input=False)
    scalar = ElasticNet(alpha=0.1, **TIGHT).fit(x, y, sample_weight=3.0)
    np.testing.assert_allclose(scalar.coef_, plain.coef_, rtol=1e-10)
    theirs = linear_model.Ridge(alpha=2.0).fit(x, y, sample_weight=0.5)
    ours = RidgeCV(alphas=[2.0], cv=3).fit(x, y, sample_weight=0.5)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    with pytest.raises(InputError, match="sample_weight"):
        ElasticNet().fit(x, y, sample_weight=-1.0)
