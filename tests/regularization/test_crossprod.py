"""Centred cross-products without a centred copy of X, and data checks from them.

Reference values are exact: rational arithmetic (``fractions.Fraction``) on the float64
inputs, rounded once, or numpy's two-pass centring (subtract the means, then multiply),
which has no cancellation.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from sklearn import linear_model
from sklearn.model_selection import KFold

from linmod.exceptions import InputError
from linmod.linalg import crossprod
from linmod.linalg.crossprod import KAPPA_MAX, cross_products, ill_centred
from linmod.regularization import enet_path, lasso_path
from linmod.solvers.penalized_problem import FoldGrams, make_problem

from .datasets import assert_coef_close, random_problem

TIGHT = {"tol": 1e-13, "max_iter": 200_000}


def _exact(x: np.ndarray, y: np.ndarray, fit_intercept: bool):
    """``X̃ᵀX̃``, ``X̃ᵀỹ`` and ``‖ỹ‖²`` in exact rational arithmetic, rounded once."""
    n, p = x.shape
    cols = [[Fraction(float(v)) for v in x[:, j]] for j in range(p)]
    yv = [Fraction(float(v)) for v in y]
    if fit_intercept:
        cols = [[v - sum(c) / n for v in c] for c in cols]
        mean_y = sum(yv) / n
        yv = [v - mean_y for v in yv]
    gram = np.array(
        [[float(sum(a * b for a, b in zip(cols[j], cols[k], strict=True))) for k in range(p)]
         for j in range(p)]
    )  # fmt: skip
    xty = np.array([float(sum(a * b for a, b in zip(c, yv, strict=True))) for c in cols])
    return gram, xty, float(sum(v * v for v in yv))


def _assert_gram_close(actual: np.ndarray, expected: np.ndarray, rtol: float) -> None:
    """Entrywise agreement relative to ``√(G_jj G_kk)`` (the scale of a centred entry)."""
    d = np.sqrt(np.maximum(np.diag(expected), 0.0))
    error = np.abs(actual - expected)
    bound = rtol * np.outer(d, d)
    worst = np.unravel_index(np.argmax(error - bound), error.shape)
    assert np.all(error <= bound), f"entry {worst}: {actual[worst]!r} vs {expected[worst]!r}"


def _data(seed: int, n: int, p: int, means: np.ndarray, spreads: np.ndarray):
    rng = np.random.default_rng(seed)
    x = means + spreads * rng.standard_normal((n, p))
    y = 1e3 + x[:, 0] / np.maximum(spreads[0], 1e-300) + rng.standard_normal(n)
    return np.ascontiguousarray(x), y


class _Spy:
    def __init__(self, target):
        self.target = target
        self.calls = 0

    def __call__(self, *args):
        self.calls += 1
        return self.target(*args)


@pytest.fixture
def blocked(monkeypatch):
    spy = _Spy(crossprod.blocked_cross_products)
    monkeypatch.setattr(crossprod, "blocked_cross_products", spy)
    return spy


def test_folded_centring_equals_exact_products(blocked):
    # Means up to 20 spreads: κ ≤ 401, well inside KAPPA_MAX, so the rank-one fold is used.
    x, y = _data(0, 60, 5, np.array([0.0, 3.0, -20.0, 5.0, 1.0]), np.ones(5))
    gram, xty, y_norm2, x_offset, y_offset = cross_products(x, y, True)
    g_ref, c_ref, s_ref = _exact(x, y, True)
    _assert_gram_close(gram, g_ref, rtol=1e-12)
    np.testing.assert_allclose(
        xty, c_ref, rtol=0, atol=1e-12 * np.sqrt(g_ref.diagonal().max() * s_ref)
    )
    assert y_norm2 == pytest.approx(s_ref, rel=1e-13)
    np.testing.assert_allclose(x_offset, x.mean(axis=0), rtol=1e-14)
    assert y_offset == pytest.approx(y.mean(), rel=1e-15)
    assert gram.flags.c_contiguous
    assert blocked.calls == 0


def test_ill_centred_columns_are_recentred_exactly(blocked):
    # Column 1 has mean 1e6 and spread 1e-2 (κ ≈ 1e16: the rank-one fold would lose every
    # digit); column 3 is constant.  Both get exactly centred rows and columns.
    means = np.array([0.0, 1e6, 2.0, 3.0, -1.0, 4.0, 0.5, 1.0])
    spreads = np.array([1.0, 1e-2, 1.0, 0.0, 2.0, 1.0, 1.0, 3.0])
    x, y = _data(1, 40, 8, means, spreads)
    gram, xty, y_norm2, _, _ = cross_products(x, y, True)
    g_ref, c_ref, s_ref = _exact(x, y, True)
    _assert_gram_close(gram, g_ref, rtol=1e-10)
    assert np.all(gram[3] == 0.0)
    assert np.all(gram[:, 3] == 0.0)
    np.testing.assert_allclose(xty, c_ref, rtol=1e-9, atol=1e-9 * np.abs(c_ref).max())
    assert y_norm2 == pytest.approx(s_ref, rel=1e-13)
    assert blocked.calls == 0
    # The naive fold for comparison: it really is wrong on column 1.
    naive = x.T @ x - len(y) * np.outer(x.mean(axis=0), x.mean(axis=0))
    assert abs(naive[1, 1] - g_ref[1, 1]) > 1e-3 * g_ref[1, 1]


def test_many_ill_centred_columns_use_centred_blocks(blocked):
    means = np.array([1e6, 1e7, -1e6, 5.0])
    spreads = np.array([1e-2, 1.0, 1e-1, 1.0])
    x, y = _data(2, 50, 4, means, spreads)
    gram, xty, y_norm2, _, _ = cross_products(x, y, True)
    g_ref, c_ref, s_ref = _exact(x, y, True)
    _assert_gram_close(gram, g_ref, rtol=1e-10)
    np.testing.assert_allclose(xty, c_ref, rtol=1e-9, atol=1e-9 * np.abs(c_ref).max())
    assert y_norm2 == pytest.approx(s_ref, rel=1e-13)
    assert blocked.calls == 1


def test_raw_products_without_intercept():
    x, y = _data(3, 30, 4, np.array([1e6, 0.0, 2.0, -3.0]), np.ones(4))
    gram, xty, y_norm2, x_offset, y_offset = cross_products(x, y, False)
    g_ref, c_ref, s_ref = _exact(x, y, False)
    np.testing.assert_allclose(gram, g_ref, rtol=1e-13)
    np.testing.assert_allclose(xty, c_ref, rtol=1e-12)
    assert y_norm2 == pytest.approx(s_ref, rel=1e-14)
    assert not x_offset.any()
    assert y_offset == 0.0


def test_ill_centred_flags_kappa_above_the_limit():
    raw = np.array([1.0, 2.0, KAPPA_MAX * 0.5, KAPPA_MAX * 2.0, 5.0, 5.0])
    centred = np.array([1.0, 1.0, 1.0, 1.0, 0.0, np.nan])
    assert ill_centred(raw, centred).tolist() == [3, 4, 5]


@pytest.mark.parametrize("means", [np.array([0.0, 2.0, -1.0]), np.array([1e6, 2.0, -1e7])])
@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("standardize", [False, True])
def test_fold_grams_equal_two_pass_centring(means, shuffle, standardize):
    x, y = _data(4, 103, 3, means, np.array([1e-2, 1.0, 3.0]))
    folds = list(KFold(4, shuffle=shuffle, random_state=0 if shuffle else None).split(x))
    grams = FoldGrams(x, y, [test for _, test in folds], True, standardize)
    for k, (train, _) in enumerate([(np.arange(len(y)), None), *folds]):
        problem = grams.full if k == 0 else grams.train(k - 1)
        xt, yt = x[train], y[train]
        xc, yc = xt - xt.mean(axis=0), yt - yt.mean()
        sd = np.sqrt(np.mean(xc**2, axis=0)) if standardize else np.ones(3)
        zc = xc / sd
        _assert_gram_close(problem.gram, zc.T @ zc, rtol=1e-10)
        np.testing.assert_allclose(
            problem.xty, zc.T @ yc, rtol=1e-9, atol=1e-9 * np.abs(zc.T @ yc).max()
        )
        assert problem.y_norm2 == pytest.approx(yc @ yc, rel=1e-12)
        np.testing.assert_allclose(problem.scaling.x_offset, xt.mean(axis=0), rtol=1e-13)
        np.testing.assert_allclose(problem.scaling.x_scale, sd, rtol=1e-9)
        assert problem.n == len(train)


@pytest.mark.parametrize("positive", [False, True])
@pytest.mark.parametrize("shape", [(120, 8), (25, 60)])
def test_intercept_paths_on_ill_centred_data_match_sklearn(positive, shape):
    # sklearn's path functions do not centre: give them the (two-pass) centred data.
    n, p = shape
    X, y = random_problem(7, n, p, k=4)
    X[:, 1] = 1e6 + 1e-2 * X[:, 1]  # κ ≈ 1e16: recentred exactly
    X[:, 2] = 2.5  # constant
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ours = lasso_path(X, y, alphas=25, positive=positive, **TIGHT)
    alphas, coefs, _ = linear_model.lasso_path(Xc, yc, alphas=25, positive=positive, **TIGHT)
    np.testing.assert_allclose(ours.alphas, alphas, rtol=1e-10)
    for k in range(alphas.size):
        assert_coef_close(ours.coefs[:, k], coefs[:, k], rtol=1e-6)
    assert np.all(ours.coefs[2] == 0.0)


@pytest.mark.parametrize("shape", [(60, 4), (10, 30)])
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_paths_check_finiteness_from_the_statistics(shape, fit_intercept, bad):
    n, p = shape
    X, y = random_problem(8, n, p, k=2)
    frame = pd.DataFrame(X, columns=[f"f{j}" for j in range(p)])
    frame.iloc[3, 2] = bad
    with pytest.raises(InputError, match=r"X contains NaN or infinity .*column 'f2', row\(s\) 4"):
        lasso_path(frame, y, fit_intercept=fit_intercept)
    yb = y.copy()
    yb[5] = bad
    with pytest.raises(InputError, match=r"y contains NaN or infinity .*row\(s\) 6"):
        enet_path(X, yb, fit_intercept=fit_intercept)


@pytest.mark.parametrize("shape", [(60, 4), (10, 30)])
def test_overflowing_squares_are_reported(shape):
    n, p = shape
    X, y = random_problem(9, n, p, k=2)
    X[:, 1] *= 1e160  # finite, but its squares overflow float64
    # One power of two cannot bring both columns into range without changing the problem.
    with pytest.raises(
        InputError, match=r"column 'x1' .* and column 'x0' .*too far apart.*rescale column 'x1'"
    ):
        lasso_path(X, y)
    # A response whose squares overflow is rescaled exactly: the Lasso path of (X, c·y) is
    # c times the path of (X, y) at c times the penalties.
    c = 2.0**997
    big = lasso_path(X[:, [0, 2]], y * c, alphas=5)
    small = lasso_path(X[:, [0, 2]], y, alphas=5)
    np.testing.assert_allclose(big.alphas, small.alphas * c, rtol=1e-15)
    np.testing.assert_allclose(big.coefs, small.coefs * c, rtol=1e-12, atol=1e-12 * c)


def test_gram_layout_statistics_match_the_residual_layout():
    X, y = random_problem(10, 90, 7)
    gram = make_problem(X, y, True, True, gram=True)
    resid = make_problem(X, y, True, True, gram=False)
    assert resid.xt is not None
    _assert_gram_close(gram.gram, resid.xt @ resid.xt.T, rtol=1e-12)
    np.testing.assert_allclose(gram.xty, resid.xty, rtol=1e-11)
    np.testing.assert_allclose(gram.norm2, resid.norm2, rtol=1e-12)
    assert gram.y_norm2 == pytest.approx(resid.y_norm2, rel=1e-13)
