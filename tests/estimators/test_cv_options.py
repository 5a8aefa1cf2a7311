"""scikit-learn's ``precompute``, ``copy_X``, ``random_state`` and ``selection`` on
``LassoCV``/``ElasticNetCV`` (and ``RelaxedLassoCV``'s ``n_jobs``), against scikit-learn's
``LassoCV``/``ElasticNetCV`` as the reference."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn import linear_model
from sklearn.base import clone
from sklearn.model_selection import KFold
from sklearn.utils._param_validation import InvalidParameterError

import linmod
from linmod import ElasticNetCV, LassoCV, RelaxedLassoCV
from linmod.estimators import enet_options
from linmod.exceptions import InputError

TIGHT = {"tol": 1e-12, "max_iter": 100_000}
NEW = {"precompute": "auto", "copy_X": True, "random_state": None, "selection": "cyclic"}


def _data(seed: int = 0, n: int = 60, p: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + 1.5
    coef = np.zeros(p)
    coef[:4] = [3.0, -2.0, 1.0, 0.2]
    return x, x @ coef + rng.normal(size=n) + 2.0


def _pair(name: str, **params):
    ours = getattr(linmod, name)(**params)
    theirs = getattr(linear_model, name)(**params)
    return ours, theirs


def _same_choice(ours, theirs) -> None:
    np.testing.assert_allclose(ours.alphas_, theirs.alphas_, rtol=1e-12)
    assert ours.alpha_ == pytest.approx(theirs.alpha_, rel=1e-12)
    np.testing.assert_allclose(ours.mse_path_, theirs.mse_path_, rtol=1e-7)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-7, atol=1e-9)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, rel=1e-7, abs=1e-9)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
def test_new_keywords_have_scikit_learns_defaults_and_come_last(name):
    ours = getattr(linmod, name)()
    theirs = getattr(linear_model, name)()
    params = ours.get_params()
    for key, value in NEW.items():
        assert params[key] == theirs.get_params()[key] == value
    signature = list(inspect.signature(type(ours).__init__).parameters)
    assert signature[-4:] == list(NEW)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize(
    "bad",
    [
        {"precompute": "always"},
        {"precompute": 1.5},
        {"copy_X": "no"},
        {"random_state": "seed"},
        {"selection": "shuffle"},
    ],
)
def test_bad_values_are_refused_as_scikit_learn_refuses_them(name, bad):
    x, y = _data()
    ours, theirs = _pair(name, cv=3, **bad)
    with pytest.raises(InvalidParameterError, match=next(iter(bad))):
        theirs.fit(x, y)
    with pytest.raises(InvalidParameterError, match=f"'{next(iter(bad))}' parameter"):
        ours.fit(x, y)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
@pytest.mark.parametrize("precompute", [True, False, "auto"])
@pytest.mark.parametrize("shape", [(60, 8), (20, 30)])
def test_every_layout_chooses_scikit_learns_penalty(name, precompute, shape):
    x, y = _data(1, *shape)
    ours, theirs = _pair(name, cv=KFold(4), precompute=precompute, **TIGHT)
    _same_choice(ours.fit(x, y), theirs.fit(x, y))


def test_layout_reaches_the_folds_and_the_refit(monkeypatch):
    from linmod.solvers import penalty_cv

    x, y = _data(2)
    seen = []
    original = penalty_cv.make_problem

    def spy(*args, **kwargs):
        problem = original(*args, **kwargs)
        seen.append(problem.gram is not None)
        return problem

    monkeypatch.setattr(penalty_cv, "make_problem", spy)
    # cv as a list of pairs that do not partition the rows: every fold is built alone
    folds = [(np.arange(20, 60), np.arange(0, 20)), (np.arange(0, 40), np.arange(40, 50))]
    for precompute in (True, False):
        seen.clear()
        fitted = LassoCV(cv=folds, precompute=precompute).fit(x, y)
        assert seen[1:] == [precompute, precompute]  # after the full data: the folds
        assert np.isfinite(fitted.coef_).all()


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
def test_random_selection_matches_scikit_learn_at_a_tight_tol(name, monkeypatch):
    x, y = _data(3)
    calls = []
    original = enet_options.permuted
    monkeypatch.setattr(
        enet_options, "permuted", lambda p, order: calls.append(order) or original(p, order)
    )
    ours, theirs = _pair(name, cv=KFold(5), selection="random", random_state=7, **TIGHT)
    _same_choice(ours.fit(x, y), theirs.fit(x, y))
    # the refit's order is the one drawn from random_state (once per fit)
    assert len(calls) == 1
    np.testing.assert_array_equal(calls[0], np.random.RandomState(7).permutation(8))
    cyclic = getattr(linmod, name)(cv=KFold(5), **TIGHT).fit(x, y)
    np.testing.assert_allclose(ours.coef_, cyclic.coef_, rtol=1e-8, atol=1e-10)


def test_random_selection_with_several_l1_ratios_and_weights():
    x, y = _data(4)
    w = np.random.default_rng(4).uniform(0.5, 2.0, size=x.shape[0])
    params = {"l1_ratio": [0.3, 0.9], "cv": KFold(3), "selection": "random", "random_state": 0}
    ours, theirs = _pair("ElasticNetCV", **params, **TIGHT)
    ours.fit(x, y, sample_weight=w)
    theirs.fit(x, y, sample_weight=w)
    assert ours.l1_ratio_ == theirs.l1_ratio_
    _same_choice(ours, theirs)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
def test_gram_matrix_with_an_intercept_is_recomputed_with_scikit_learns_warning(name):
    x, y = _data(5)
    gram = x.T @ x
    ours, theirs = _pair(name, cv=KFold(3), precompute=gram, **TIGHT)
    with pytest.warns(UserWarning, match="Gram matrix was provided but X was centered"):
        theirs.fit(x, y)
    with pytest.warns(UserWarning, match="Gram matrix was provided but X was centered"):
        ours.fit(x, y)
    _same_choice(ours, theirs)


def test_gram_matrix_of_centred_x_serves_the_refit():
    x, y = _data(6)
    xc = x - x.mean(axis=0)
    ours, theirs = _pair("LassoCV", cv=KFold(3), precompute=xc.T @ xc, **TIGHT)
    with pytest.warns(UserWarning, match="recomputing Gram matrix"):  # the folds'
        theirs.fit(xc, y)
    with pytest.warns(UserWarning, match="recomputing Gram matrix"):
        ours.fit(xc, y)
    _same_choice(ours, theirs)
    # the refit checks it as Lasso does: a wrong one is refused there
    wrong = xc.T @ xc
    wrong[3, 3] *= 1.01
    with (
        pytest.warns(UserWarning, match="recomputing Gram matrix"),
        pytest.raises(InputError, match=r"element \(3, 3\)"),
    ):
        LassoCV(cv=KFold(3), precompute=wrong).fit(xc, y)


@pytest.mark.parametrize("name", ["LassoCV", "ElasticNetCV"])
def test_gram_matrix_without_an_intercept_is_refused_by_the_folds(name):
    x, y = _data(7)
    ours, theirs = _pair(name, cv=KFold(3), precompute=x.T @ x, fit_intercept=False)
    with pytest.raises(ValueError, match="did not pass validation"):
        theirs.fit(x, y)
    with pytest.raises(InputError, match="not XᵀX of cross-validation training fold 1"):
        ours.fit(x, y)


def test_gram_matrix_of_a_training_fold_is_used():
    # Rows of zeros held out: the training folds all have the full data's XᵀX.
    x, y = _data(8)
    x[:3] = 0.0
    folds = [(np.arange(3, 60), np.arange(k, k + 1)) for k in range(3)]
    ours, theirs = _pair("LassoCV", cv=folds, precompute=x.T @ x, fit_intercept=False, **TIGHT)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours.fit(x, y)
        theirs.fit(x, y)
    _same_choice(ours, theirs)


@pytest.mark.parametrize(
    ("gram", "message"),
    [(np.eye(3), r"has shape \(3, 3\), X has 8 features"), (np.full((8, 8), np.nan), "NaN")],
)
def test_malformed_gram_matrix_is_refused(gram, message):
    x, y = _data()
    with pytest.raises(InputError, match=message):
        ElasticNetCV(cv=3, precompute=gram).fit(x, y)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("weighted", [False, True])
def test_copy_x_false_leaves_x_unchanged(order, weighted):
    x, y = _data(9)
    x = np.asarray(x, order=order)
    before = x.copy()
    w = np.linspace(0.5, 2.0, x.shape[0]) if weighted else None
    shared = {"cv": KFold(3), "l1_ratio": [0.5, 1.0], **TIGHT}
    kept = ElasticNetCV(copy_X=False, **shared).fit(x, y, sample_weight=w)
    np.testing.assert_array_equal(x, before)
    copied = ElasticNetCV(**shared).fit(before, y, sample_weight=w)
    np.testing.assert_array_equal(kept.coef_, copied.coef_)
    # scikit-learn's copy_X=False fit (on a copy: it may centre an F-ordered X in place)
    theirs = linear_model.ElasticNetCV(copy_X=False, **shared)
    _same_choice(kept, theirs.fit(x.copy(order="K"), y, sample_weight=w))


def test_selection_table_replaces_the_method_named_like_the_parameter():
    x, y = _data(10)
    fitted = LassoCV(cv=3, selection="random", random_state=0).fit(x, y)
    assert fitted.selection == "random"  # scikit-learn's parameter, not a method
    table = fitted.selection_table()
    assert table.columns.tolist() == ["feature", "coef", "status"]
    assert (table["status"] == "selected").sum() == np.count_nonzero(fitted.coef_)
    enet = ElasticNetCV(cv=3).fit(x, y)
    assert enet.selection_table()["coef"].tolist() == enet.coef_.tolist()


def test_relaxed_lasso_cv_takes_n_jobs_and_not_the_cv_options():
    x, y = _data(11)
    params = RelaxedLassoCV(n_jobs=2).get_params()
    assert params["n_jobs"] == 2
    assert not set(NEW) & set(params)
    one = RelaxedLassoCV(cv=KFold(3)).fit(x, y)
    two = clone(RelaxedLassoCV(cv=KFold(3), n_jobs=2)).fit(x, y)
    np.testing.assert_array_equal(one.coef_, two.coef_)
    with pytest.raises(InvalidParameterError, match="'n_jobs' parameter"):
        RelaxedLassoCV(n_jobs="all").fit(x, y)


@pytest.mark.parametrize("precompute", [True, False])
def test_sparse_x_ignores_a_precompute_bool_as_scikit_learn_does(precompute):
    x, y = _data(12)
    x[x < 1.0] = 0.0
    xs = sp.csc_matrix(x)
    ours, theirs = _pair("LassoCV", cv=KFold(3), precompute=precompute, **TIGHT)
    _same_choice(ours.fit(xs, y), theirs.fit(xs, y))
    dense = LassoCV(cv=KFold(3), **TIGHT).fit(x, y)
    np.testing.assert_allclose(ours.coef_, dense.coef_, rtol=1e-8, atol=1e-10)
    with pytest.raises(InputError, match="precompute=<a Gram matrix> is not available"):
        LassoCV(cv=3, precompute=x.T @ x).fit(xs, y)
    with pytest.raises(InputError, match="selection='random' is not available"):
        LassoCV(cv=3, selection="random").fit(xs, y)


def test_sparse_x_takes_a_number_as_sample_weight():
    x, y = _data(13)
    xs = sp.csr_matrix(np.where(x > 1.0, x, 0.0))
    plain = ElasticNetCV(cv=KFold(3), **TIGHT).fit(xs, y)
    scaled = ElasticNetCV(cv=KFold(3), **TIGHT).fit(xs, y, sample_weight=123.0)
    np.testing.assert_allclose(scaled.coef_, plain.coef_, rtol=1e-8, atol=1e-10)
    assert scaled.alpha_ == plain.alpha_
