"""Invariances of the penalised fits (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from linmod.regularization import ElasticNet, Lasso, Ridge

from .datasets import assert_coef_close, random_problem

TIGHT = {"tol": 1e-13, "max_iter": 100_000}
FAST = settings(max_examples=20, deadline=None)
seeds = st.integers(0, 10_000)


def _problem(seed: int, wide: bool):
    n, p = (15, 30) if wide else (40, 6)
    return random_problem(seed, n, p, k=3)


@FAST
@given(seed=seeds, wide=st.booleans(), scale=st.floats(0.01, 100.0), frac=st.floats(0.01, 0.9))
def test_lasso_is_equivariant_in_y(seed, wide, scale, frac):
    # (1/2n)‖cy − Xcβ‖² + cα‖cβ‖₁ = c²·objective(β): the solution for (cy, cα) is cβ.
    X, y = _problem(seed, wide)
    alpha = frac * np.max(np.abs((X - X.mean(0)).T @ (y - y.mean()))) / len(y)
    base = Lasso(alpha=alpha, **TIGHT).fit(X, y)
    scaled = Lasso(alpha=scale * alpha, **TIGHT).fit(X, scale * y)
    assert_coef_close(scaled.coef_, scale * base.coef_, rtol=1e-7)


@FAST
@given(seed=seeds, wide=st.booleans(), shift=st.floats(-1e3, 1e3))
def test_translating_features_changes_only_the_intercept(seed, wide, shift):
    X, y = _problem(seed, wide)
    offsets = shift * np.linspace(-1.0, 1.0, X.shape[1])
    for model in (Ridge(alpha=0.5), ElasticNet(alpha=0.05, l1_ratio=0.5, **TIGHT)):
        a = model.fit(X, y)
        coef, intercept = a.coef_.copy(), a.intercept_
        b = model.fit(X + offsets, y)
        assert_coef_close(b.coef_, coef, rtol=1e-7)
        np.testing.assert_allclose(
            b.intercept_, intercept - offsets @ coef, rtol=1e-7, atol=1e-7 * abs(intercept)
        )


@FAST
@given(seed=seeds, wide=st.booleans(), data=st.data())
def test_permuting_features_permutes_coefficients(seed, wide, data):
    X, y = _problem(seed, wide)
    order = data.draw(st.permutations(range(X.shape[1])))
    a = ElasticNet(alpha=0.02, l1_ratio=0.7, **TIGHT).fit(X, y).coef_
    b = ElasticNet(alpha=0.02, l1_ratio=0.7, **TIGHT).fit(X[:, order], y).coef_
    assert_coef_close(b, a[list(order)], rtol=1e-7)


@FAST
@given(seed=seeds, wide=st.booleans(), logs=st.lists(st.floats(-3, 3), min_size=6, max_size=6))
def test_standardize_makes_the_fit_independent_of_column_units(seed, wide, logs):
    X, y = _problem(seed, wide)
    scales = np.resize(10.0 ** np.array(logs), X.shape[1])
    for model in (Lasso(alpha=0.05, standardize=True, **TIGHT), Ridge(alpha=2.0, standardize=True)):
        a = model.fit(X, y)
        coef, pred = a.coef_.copy(), a.predict(X)
        b = model.fit(X * scales, y)
        assert_coef_close(b.coef_ * scales, coef, rtol=1e-7)
        np.testing.assert_allclose(b.predict(X * scales), pred, rtol=1e-8, atol=1e-8)
