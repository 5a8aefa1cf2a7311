"""Ridge, Lasso, ElasticNet, their CV variants and LinearRegression on scipy.sparse X."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose
from sklearn import linear_model as sk
from sklearn.base import clone

import linmod
from linmod.exceptions import InputError
from linmod.inference.estimability import NonEstimableWarning


def _data(seed: int = 0, n: int = 150, p: int = 20, density: float = 0.2):
    rng = np.random.default_rng(seed)
    x = sp.random(n, p, density=density, random_state=seed, format="csr",
                  data_rvs=lambda k: rng.uniform(0.5, 3.0, size=k))  # fmt: skip
    beta = rng.normal(size=p)
    y = x @ beta + 0.5 * rng.normal(size=n) + 2.0
    return x, y


PAIRS = [
    (linmod.Lasso(alpha=0.01, tol=1e-14, max_iter=100_000),
     sk.Lasso(alpha=0.01, tol=1e-14, max_iter=100_000)),
    (linmod.ElasticNet(alpha=0.02, l1_ratio=0.3, tol=1e-14, max_iter=100_000),
     sk.ElasticNet(alpha=0.02, l1_ratio=0.3, tol=1e-14, max_iter=100_000)),
    (linmod.Lasso(alpha=0.01, positive=True, tol=1e-14, max_iter=100_000),
     sk.Lasso(alpha=0.01, positive=True, tol=1e-14, max_iter=100_000)),
    (linmod.Ridge(alpha=3.0), sk.Ridge(alpha=3.0, solver="sparse_cg", tol=1e-15, max_iter=10_000)),
]  # fmt: skip


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda e: type(e).__name__)
def test_coefficients_match_scikit_learn_on_the_same_sparse_matrix(ours, theirs, weighted):
    x, y = _data()
    w = np.random.default_rng(1).uniform(0.5, 2.0, size=y.size) if weighted else None
    a = ours.fit(x, y, sample_weight=w)
    b = theirs.fit(x, y, sample_weight=w)
    assert_allclose(a.coef_, b.coef_, rtol=1e-9, atol=1e-10)
    assert_allclose(a.intercept_, b.intercept_, rtol=1e-9)
    assert_allclose(a.predict(x), b.predict(x), rtol=1e-9)


@pytest.mark.parametrize(
    "estimator",
    [
        linmod.Lasso(alpha=0.005, standardize=True, tol=1e-14, max_iter=100_000),
        linmod.ElasticNet(alpha=0.01, l1_ratio=0.0),  # a pure ridge penalty: solved exactly
        linmod.Ridge(alpha=0.5, standardize=True),
        linmod.Ridge(alpha=0.5, fit_intercept=False),
    ],
    ids=repr,
)
def test_sparse_fit_equals_the_dense_fit_of_the_same_data(estimator):
    x, y = _data(2)
    w = np.random.default_rng(2).uniform(0.5, 2.0, size=y.size)
    sparse = clone(estimator).fit(x, y, sample_weight=w)
    dense = clone(estimator).fit(x.toarray(), y, sample_weight=w)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-9, atol=1e-11)
    assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-10)
    assert_allclose(sparse.predict(x[:7]), dense.predict(x[:7].toarray()), rtol=1e-10)


def test_lasso_cv_chooses_the_dense_cv_penalty_and_scikit_learns():
    x, y = _data(3)
    sparse = linmod.LassoCV(cv=5, tol=1e-12, max_iter=100_000).fit(x, y)
    dense = linmod.LassoCV(cv=5, tol=1e-12, max_iter=100_000).fit(x.toarray(), y)
    theirs = sk.LassoCV(cv=5, tol=1e-12, max_iter=100_000).fit(x, y)
    # The grids agree to the last bits (Xᵀy summed in another order).
    assert sparse.alpha_ == pytest.approx(dense.alpha_, rel=1e-13)
    assert sparse.alpha_ == pytest.approx(theirs.alpha_, rel=1e-13)
    assert_allclose(sparse.mse_path_, dense.mse_path_, rtol=1e-9)
    assert_allclose(sparse.mse_path_, theirs.mse_path_, rtol=1e-7)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-8, atol=1e-10)
    assert sparse.alpha_1se_ == pytest.approx(dense.alpha_1se_, rel=1e-13)


def test_elastic_net_cv_with_weights_equals_the_dense_cv():
    x, y = _data(4)
    w = np.random.default_rng(4).uniform(0.5, 2.0, size=y.size)
    kw = {"l1_ratio": [0.3, 0.9], "cv": 3, "standardize": True, "tol": 1e-12,
          "max_iter": 100_000}  # fmt: skip
    sparse = linmod.ElasticNetCV(**kw).fit(x, y, sample_weight=w)
    dense = linmod.ElasticNetCV(**kw).fit(x.toarray(), y, sample_weight=w)
    assert sparse.l1_ratio_ == dense.l1_ratio_
    assert sparse.alpha_ == pytest.approx(dense.alpha_, rel=1e-13)
    assert_allclose(sparse.mse_path_, dense.mse_path_, rtol=1e-9)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-8, atol=1e-10)


def test_elastic_net_cv_on_a_given_grid_has_one_dimensional_alphas_as_scikit_learn():
    x, y = _data(6)
    kw = {"l1_ratio": [0.5, 0.9], "alphas": [0.1, 0.03, 0.01], "cv": 3}
    theirs = sk.ElasticNetCV(**kw).fit(x, y)
    for data in (x, x.toarray()):  # the sparse fit gave one row per l1_ratio
        ours = linmod.ElasticNetCV(**kw).fit(data, y)
        assert ours.alphas_.shape == theirs.alphas_.shape == (3,)
        assert ours.mse_path_.shape == theirs.mse_path_.shape == (2, 3, 3)


@pytest.mark.parametrize("cv", [None, 4])
@pytest.mark.parametrize("weighted", [False, True])
def test_ridge_cv_equals_the_dense_cv(cv, weighted):
    x, y = _data(5)
    w = np.random.default_rng(5).uniform(0.5, 2.0, size=y.size) if weighted else None
    sparse = linmod.RidgeCV(alphas=12, cv=cv).fit(x, y, sample_weight=w)
    dense = linmod.RidgeCV(alphas=12, cv=cv).fit(x.toarray(), y, sample_weight=w)
    assert sparse.alpha_ == pytest.approx(dense.alpha_, rel=1e-12)
    assert_allclose(sparse.alphas_, dense.alphas_, rtol=1e-12)
    assert_allclose(sparse.mse_path_, dense.mse_path_, rtol=1e-9)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-10)
    assert sparse.cv_curve_.columns.tolist() == dense.cv_curve_.columns.tolist()
    assert_allclose(sparse.cv_curve_.effective_df, dense.cv_curve_.effective_df, rtol=1e-12)
    if cv is None:
        assert_allclose(sparse.loo_residuals_, dense.loo_residuals_, rtol=1e-9, atol=1e-12)


def test_ridge_cv_leave_one_out_agrees_with_scikit_learn():
    x, y = _data(6)
    alphas = [0.01, 0.3, 3.0, 30.0]
    ours = linmod.RidgeCV(alphas=alphas).fit(x, y)
    theirs = sk.RidgeCV(alphas=alphas).fit(x, y)
    assert ours.alpha_ == theirs.alpha_
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-9)


def test_the_estimators_declare_sparse_input():
    estimators = [linmod.Ridge(), linmod.Lasso(), linmod.ElasticNet(), linmod.RidgeCV()]
    estimators += [linmod.LassoCV(), linmod.ElasticNetCV(), linmod.LinearRegression()]
    for estimator in estimators:
        assert estimator.__sklearn_tags__().input_tags.sparse


def test_nan_in_sparse_x_is_refused_in_fit_and_predict_naming_the_column():
    x, y = _data(7)
    model = linmod.Lasso(alpha=0.01).fit(x, y)
    bad = sp.csc_array(x)
    bad.data[bad.indptr[5] + 1] = np.nan
    with pytest.raises(InputError, match="column 'x5'"):
        linmod.Lasso(alpha=0.01).fit(bad, y)
    with pytest.raises(InputError, match="column 'x5'"):
        model.predict(bad)
    with pytest.raises(InputError, match="column 'x5'"):
        linmod.LinearRegression().fit(bad, y)


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo"])
def test_linear_regression_on_sparse_x_equals_the_dense_fit(fmt):
    x, y = _data(8)
    sparse = linmod.LinearRegression().fit(x.asformat(fmt), y)
    dense = linmod.LinearRegression().fit(x.toarray(), y)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-13)
    assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-13)
    assert_allclose(sparse.results_.std_err, dense.results_.std_err, rtol=1e-13)
    assert_allclose(sparse.predict(x), dense.predict(x.toarray()), rtol=1e-12)
    theirs = sk.LinearRegression().fit(x.toarray(), y)  # its sparse fit is LSQR at 1e-6
    assert_allclose(sparse.coef_, theirs.coef_, rtol=1e-11)


def test_linear_regression_sparse_refuses_weights():
    x, y = _data(9)
    with pytest.raises(InputError, match="sample_weight is not available with a sparse X"):
        linmod.LinearRegression().fit(x, y, sample_weight=np.ones(y.size))


def test_rank_deficient_sparse_fit_predicts_nan_for_non_estimable_rows():
    x, y = _data(10)
    x = sp.hstack([x, x[:, [0]]], format="csr")  # the last column repeats the first
    sparse = linmod.LinearRegression().fit(x, y)
    dense = linmod.LinearRegression().fit(x.toarray(), y)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-12, atol=1e-13)
    new = sp.csr_array(np.eye(1, x.shape[1], 0))  # x0 without its copy: not estimable
    with pytest.warns(NonEstimableWarning):
        sparse_pred = sparse.predict(new)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonEstimableWarning)
        dense_pred = dense.predict(new.toarray())
    assert np.isnan(sparse_pred).all()
    assert np.isnan(dense_pred).all()
    ok = sp.csr_array(x[:3])
    assert_allclose(sparse.predict(ok), dense.predict(ok.toarray()), rtol=1e-12)


@pytest.mark.parametrize(
    "estimator",
    [linmod.Ridge(alpha=0.0), linmod.ElasticNet(alpha=0.0), linmod.Lasso(alpha=0.0, positive=True)],
    ids=repr,
)
def test_no_penalty_on_a_singular_sparse_design_is_the_dense_least_squares(estimator):
    x, y = _data(11, p=6)
    x = sp.hstack([x, x[:, [0]]], format="csr")  # minimum norm (or NNLS) on a singular design
    sparse = clone(estimator).fit(x, y)
    dense = clone(estimator).fit(x.toarray(), y)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
    assert_allclose(sparse.intercept_, dense.intercept_, rtol=1e-12)


def test_a_parameter_the_sparse_fit_does_not_honour_is_refused_by_name():
    from linmod.estimators.sparse_support import refuse_unhonoured

    class WithOption(linmod.Lasso):
        def __init__(self, *, alpha=1.0, penalty_factor=None, relax=False):
            super().__init__(alpha=alpha)
            self.penalty_factor = penalty_factor
            self.relax = relax

    refuse_unhonoured(WithOption(alpha=0.5))  # defaults: nothing to refuse
    with pytest.raises(InputError, match=r"relax=True is not available with a sparse X"):
        refuse_unhonoured(WithOption(relax=True))
    with pytest.raises(InputError, match=r"penalty_factor=\[0, 1\] is not available"):
        refuse_unhonoured(WithOption(penalty_factor=[0, 1]))
