"""Bad input raises InputError naming the parameter, the value and the valid range."""

from __future__ import annotations

import numpy as np
import pytest

import linmod
from linmod import InputError
from linmod.regularization import (
    ElasticNet,
    ElasticNetCV,
    Lasso,
    LassoCV,
    Ridge,
    RidgeCV,
    enet_path,
    lasso,
    lasso_path,
    ridge,
    ridge_path,
    train_test_r2,
)

from .datasets import random_problem

X, Y = random_problem(0, 30, 4)


@pytest.mark.parametrize("estimator", [Ridge, Lasso, ElasticNet])
@pytest.mark.parametrize("alpha", [-1.0, -1e-12])
def test_negative_alpha_in_estimators(estimator, alpha):
    with pytest.raises(InputError, match=r"'alpha' parameter .* range \[0(\.0)?, inf\)") as info:
        estimator(alpha=alpha).fit(X, Y)
    assert str(alpha) in str(info.value)


@pytest.mark.parametrize(
    "call",
    [
        lambda: lasso_path(X, Y, alphas=[1.0, -2.0]),
        lambda: enet_path(X, Y, alphas=[-2.0]),
        lambda: ridge_path(X, Y, alphas=[-2.0]),
        lambda: train_test_r2(X, Y, X, Y, alphas=[1.0, -2.0]),
    ],
)
def test_negative_alpha_in_grids(call):
    with pytest.raises(InputError, match=r"alphas\[\d\]=-2\.0 .* \[0, inf\)"):
        call()


def test_negative_alpha_in_formula_and_cv_grids():
    data = linmod.datasets.house_prices(n=50)
    with pytest.raises(InputError, match=r"'alpha' parameter.*\[0\.0, inf\).*-5\.0"):
        lasso("price ~ age", data=data, alpha=-5.0)
    with pytest.raises(InputError, match=r"alphas\[1\]=-1\.0"):
        LassoCV(alphas=[1.0, -1.0]).fit(X, Y)
    with pytest.raises(InputError, match=r"alphas\[0\]=-1\.0"):
        RidgeCV(alphas=[-1.0]).fit(X, Y)
    with pytest.raises(InputError, match=r"alpha='best' is not valid.*'cv'.*'1se'"):
        ridge("price ~ age", data=data, alpha="best")


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.5])
def test_l1_ratio_outside_unit_interval(l1_ratio):
    with pytest.raises(InputError, match=r"'l1_ratio' parameter .* \[0(\.0)?, 1(\.0)?\]"):
        ElasticNet(l1_ratio=l1_ratio).fit(X, Y)
    with pytest.raises(InputError, match=rf"l1_ratio={l1_ratio} is not valid.*\[0, 1\]"):
        enet_path(X, Y, l1_ratio=l1_ratio)
    with pytest.raises(InputError, match=rf"l1_ratio={l1_ratio} is not valid.*\[0, 1\]"):
        ElasticNetCV(l1_ratio=[0.5, l1_ratio]).fit(X, Y)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize(
    "model", [Ridge(), Lasso(), ElasticNet(), RidgeCV(), LassoCV(cv=3), linmod.LinearRegression()]
)
def test_non_finite_data(model, bad):
    Xb = X.copy()
    Xb[4, 2] = bad
    with pytest.raises(InputError, match=r"X contains NaN or infinity .*column 'x2', row\(s\) 5"):
        model.fit(Xb, Y)
    Yb = Y.copy()
    Yb[7] = bad
    with pytest.raises(InputError, match=r"y contains NaN or infinity .*row\(s\) 8"):
        model.fit(X, Yb)


def test_non_finite_data_in_paths_and_predict():
    Xb = X.copy()
    Xb[0, 0] = np.nan
    for path in (lasso_path, enet_path, ridge_path):
        with pytest.raises(InputError, match="NaN or infinity"):
            path(Xb, Y)
    model = Lasso().fit(X, Y)
    with pytest.raises(InputError, match="NaN or infinity"):
        model.predict(Xb)


@pytest.mark.parametrize("empty", [[], np.array([])])
def test_empty_alpha_grid(empty):
    for call in (
        lambda: lasso_path(X, Y, alphas=empty),
        lambda: ridge_path(X, Y, alphas=empty),
        lambda: LassoCV(alphas=empty).fit(X, Y),
        lambda: RidgeCV(alphas=empty).fit(X, Y),
    ):
        with pytest.raises(InputError, match=r"alphas=.* non-empty"):
            call()
    with pytest.raises(InputError, match=r"n_alphas|alphas=0 .*≥ 1"):
        lasso_path(X, Y, alphas=0)


def test_other_ranges_are_named():
    with pytest.raises(InputError, match=r"eps=0 .*\(0, 1\]"):
        lasso_path(X, Y, eps=0)
    with pytest.raises(InputError, match=r"tol=-1 .*\[0, inf\)"):
        lasso_path(X, Y, tol=-1)
    with pytest.raises(InputError, match=r"max_iter=0 .*≥ 1"):
        lasso_path(X, Y, max_iter=0)
    with pytest.raises(InputError, match=r"'max_iter' parameter"):
        Lasso(max_iter=0).fit(X, Y)
    with pytest.raises(InputError, match=r"'solver' parameter"):
        Ridge(solver="qr").fit(X, Y)
    with pytest.raises(InputError, match=r"l1_ratio=0 has no automatic penalty grid"):
        enet_path(X, Y, l1_ratio=0.0)
    with pytest.raises(InputError, match=r"l1_ratio=0 has no automatic penalty grid"):
        ElasticNetCV(l1_ratio=[0.0, 0.5]).fit(X, Y)
    with pytest.raises(InputError, match=r"X has 30 rows but y has 29"):
        lasso_path(X, Y[:-1])
    with pytest.raises(InputError, match=r"cannot split these data"):
        LassoCV(cv=50).fit(X, Y)
    with pytest.raises(InputError, match=r"n_samples=1"):
        RidgeCV().fit(X[:1], Y[:1])


def test_errors_are_also_value_errors_and_sklearn_parameter_errors():
    from sklearn.utils._param_validation import InvalidParameterError

    with pytest.raises(InvalidParameterError):
        Lasso(alpha=-1).fit(X, Y)
    with pytest.raises(ValueError, match="alpha"):
        Ridge(alpha=-1).fit(X, Y)


def test_l1_ratio_zero_with_explicit_alphas_is_allowed():
    path = enet_path(X, Y, l1_ratio=0.0, alphas=[1.0, 0.1])
    assert path.coefs.shape == (4, 2)
    model = ElasticNetCV(l1_ratio=[0.0, 1.0], alphas=[1.0, 0.1], cv=3).fit(X, Y)
    assert model.l1_ratio_ in (0.0, 1.0)
