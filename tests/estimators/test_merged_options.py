"""Features that meet: scikit-learn keywords with several responses and sparse X.

Each combination either equals its reference or is refused with a message; none is
silently ignored.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from scipy.optimize import lsq_linear, nnls
from sklearn import linear_model as skl

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(100, 5))
    y = np.column_stack([x @ [1.0, -2.0, 0.5, 0.0, 3.0], x @ [-1.0, 1.0, 2.0, 0.5, 0.0]])
    return x, y + rng.normal(size=(100, 2))


def test_positive_linear_regression_with_several_responses(data):
    x, y = data
    ours = linmod.LinearRegression(positive=True).fit(x, y)
    peer = skl.LinearRegression(positive=True).fit(x, y)
    for j in range(2):  # NNLS of each centred response (independent: scipy's nnls)
        xc, yc = x - x.mean(axis=0), y[:, j] - y[:, j].mean()
        np.testing.assert_allclose(ours.coef_[j], nnls(xc, yc)[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.coef_, peer.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.intercept_, peer.intercept_, rtol=1e-8)
    assert ours.predict(x).shape == (100, 2)


def test_positive_ridge_with_several_responses_fits_each_column(data):
    x, y = data
    ours = linmod.Ridge(alpha=5.0, positive=True).fit(x, y)
    for j in range(2):  # the augmented bounded least squares, solved by scipy
        xc, yc = x - x.mean(axis=0), y[:, j] - y[:, j].mean()
        a = np.vstack([xc, np.sqrt(5.0) * np.eye(5)])
        b = np.concatenate([yc, np.zeros(5)])
        expected = lsq_linear(a, b, bounds=(0, np.inf), tol=1e-14).x
        np.testing.assert_allclose(ours.coef_[j], expected, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(
    "make",
    [lambda: linmod.Ridge(positive=True), lambda: linmod.LinearRegression(positive=True)],
)
def test_positive_fits_refuse_sparse_x(data, make):
    x, y = data
    with pytest.raises(InputError, match=r"positive=True\) needs a dense X"):
        make().fit(sp.csr_matrix(x), y[:, 0])


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (linmod.LinearRegression, skl.LinearRegression),
        (linmod.Ridge, skl.Ridge),
        (lambda **k: linmod.Lasso(alpha=0.01, **k), lambda **k: skl.Lasso(alpha=0.01, **k)),
        (linmod.RidgeCV, skl.RidgeCV),
        (lambda **k: linmod.LassoCV(cv=3, **k), lambda **k: skl.LassoCV(cv=3, **k)),
        (
            lambda **k: linmod.LinearRegression(positive=True, **k),
            lambda **k: skl.LinearRegression(positive=True, **k),
        ),
        (lambda **k: linmod.HuberRegressor(**k), lambda **k: skl.HuberRegressor(**k)),
    ],
)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_intercept_is_typed_as_scikit_learn_types_it(data, ours, theirs, fit_intercept):
    x, y = data
    mine = ours(fit_intercept=fit_intercept).fit(x, y[:, 0]).intercept_
    peer = theirs(fit_intercept=fit_intercept).fit(x, y[:, 0]).intercept_
    assert type(mine) is type(peer)
