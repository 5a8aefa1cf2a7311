"""``LinearRegression(positive=True)``: NNLS with a free intercept, against scikit-learn.

Assertions adapted from scikit-learn's ``test_base.py`` (``test_linear_regression_positive``,
``..._vs_nonpositive``, ``..._vs_nonpositive_when_positive``), written anew.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn import linear_model

from linmod import LinearRegression
from linmod.solvers.nnls import positive_least_squares


def _data(seed: int, n: int = 80, p: int = 6) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) + 3.0
    y = x @ np.array([1.5, -2.0, 0.0, 0.7, -0.3, 2.2][:p]) + rng.normal(size=n) + 10.0
    return x, y


def test_simple_and_degenerate_inputs():
    model = LinearRegression(positive=True).fit([[1.0], [2.0]], [1.0, 2.0])
    np.testing.assert_allclose(model.coef_, [1.0], rtol=1e-14)
    np.testing.assert_allclose(model.intercept_, 0.0, atol=1e-14)
    np.testing.assert_allclose(model.predict([[1.0], [2.0]]), [1.0, 2.0], rtol=1e-14)
    one = LinearRegression(positive=True).fit([[1.0]], [0.0])  # one row, one feature
    assert one.coef_.tolist() == [0.0]
    assert one.intercept_ == 0.0
    assert one.results_ is None


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_scikit_learn(fit_intercept, weighted):
    x, y = _data(0)
    w = None
    if weighted:
        w = np.random.default_rng(1).uniform(0.0, 4.0, size=y.size)
        w[:7] = 0.0  # zero weights drop rows
    ours = LinearRegression(positive=True, fit_intercept=fit_intercept).fit(x, y, sample_weight=w)
    theirs = linear_model.LinearRegression(positive=True, fit_intercept=fit_intercept)
    theirs.fit(x, y, sample_weight=w)
    assert (ours.coef_ >= 0).all()
    assert (ours.coef_ == 0).sum() >= 2  # the constraint binds on these data
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-11)
    assert isinstance(ours.intercept_, float)


def test_kkt_conditions_hold():
    """An independent certificate: at the NNLS optimum the gradient Xcᵀ(yc − Xcβ) is 0 on
    the positive coefficients and ≤ 0 on the zero ones."""
    x, y = _data(2)
    coef, intercept = positive_least_squares(x, y, None, True)
    xc, yc = x - x.mean(axis=0), y - y.mean()
    grad = xc.T @ (yc - xc @ coef)
    scale = np.abs(xc.T @ yc).max()
    assert np.all(np.abs(grad[coef > 0]) <= 1e-12 * scale)
    assert np.all(grad[coef == 0] <= 1e-12 * scale)
    assert intercept == pytest.approx(y.mean() - x.mean(axis=0) @ coef, rel=1e-14)


def test_positive_equals_ols_when_ols_is_positive():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 4))
    y = x @ np.array([1.0, 2.0, 0.5, 3.0]) + 0.01 * rng.normal(size=50)
    ols = LinearRegression().fit(x, y)
    nnls = LinearRegression(positive=True).fit(x, y)
    assert (ols.coef_ > 0).all()
    np.testing.assert_allclose(nnls.coef_, ols.coef_, rtol=1e-10)
    np.testing.assert_allclose(nnls.intercept_, ols.intercept_, rtol=1e-9, atol=1e-12)


def test_positive_differs_from_ols_when_ols_has_negative_coefficients():
    x, y = _data(4)
    assert (LinearRegression().fit(x, y).coef_ < 0).any()
    nnls = LinearRegression(positive=True).fit(x, y)
    assert not np.allclose(nnls.coef_, LinearRegression().fit(x, y).coef_)


def test_positive_fit_saves_coefficients(tmp_path):
    import linmod

    x, y = _data(5)
    model = LinearRegression(positive=True).fit(x, y)
    model.save(tmp_path / "nnls.json")
    loaded = linmod.load(tmp_path / "nnls.json")
    np.testing.assert_allclose(np.ravel(loaded.predict(x)), model.predict(x), rtol=1e-14)


def test_scalar_sample_weight_and_scikit_learn_keywords():
    x, y = _data(6)
    plain = LinearRegression().fit(x, y)
    scalar = LinearRegression(copy_X=False, tol=1e-10, n_jobs=2).fit(x, y, sample_weight=2.5)
    np.testing.assert_allclose(scalar.coef_, plain.coef_, rtol=1e-12)
    nnls = LinearRegression(positive=True).fit(x, y, sample_weight=2.5)
    np.testing.assert_allclose(
        nnls.coef_, LinearRegression(positive=True).fit(x, y).coef_, rtol=1e-12
    )
