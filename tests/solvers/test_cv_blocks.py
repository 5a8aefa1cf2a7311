"""Mean and variance of the squared leave-one-out ridge errors, without the n x k array."""

from __future__ import annotations

import numpy as np
import pytest

from linmod.solvers import ridge


def _svd(n: int, p: int, seed: int) -> ridge.RidgeSVD:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p)) * np.linspace(0.1, 10.0, p)
    y = x @ rng.normal(size=p) + rng.standard_t(3, size=n)
    return ridge.RidgeSVD.of(x - x.mean(axis=0), y - y.mean(), intercept=True)


@pytest.mark.parametrize("block_bytes", [8 << 20, 4000, 1])
@pytest.mark.parametrize("gcv", [False, True])
def test_moments_match_numpy_on_the_stored_residuals(monkeypatch, block_bytes, gcv):
    monkeypatch.setattr(ridge, "_BLOCK_BYTES", block_bytes)
    svd = _svd(257, 4, 3)
    alphas = np.geomspace(1e4, 1e-4, 9)
    squared = svd.loo_residuals(alphas, gcv=gcv) ** 2  # the reference: numpy on all rows
    mean, variance = svd.loo_error_moments(alphas, gcv=gcv)
    np.testing.assert_allclose(mean, squared.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(variance, squared.var(axis=0, ddof=1), rtol=1e-12)


def test_a_leverage_of_one_gives_an_infinite_mean_and_a_nan_variance():
    # p > n - 1: at a tiny penalty every leverage is ~1, so the LOO errors are infinite
    svd = _svd(6, 8, 5)
    mean, variance = svd.loo_error_moments(np.array([1e3, 0.0]))
    assert np.isfinite(mean[0])
    assert np.isfinite(variance[0])
    assert mean[1] == np.inf
    assert np.isnan(variance[1])
    squared = svd.loo_residuals(np.array([0.0])) ** 2
    assert squared.mean() == np.inf  # as numpy says of the stored errors


@pytest.mark.parametrize("block_bytes", [1600, 16_000, 4 << 20])
def test_blocked_held_out_mse_equals_the_mean_over_all_rows(monkeypatch, block_bytes):
    from linmod.solvers import penalty_cv
    from linmod.solvers.penalized_problem import center_scale

    monkeypatch.setattr(penalty_cv, "_TEST_BLOCK_BYTES", block_bytes)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(5001, 6))
    y = x @ rng.normal(size=6) + rng.normal(size=5001)
    _, _, scaling = center_scale(x[:4000], y[:4000], True, True)
    coefs = rng.normal(size=(6, 100))
    beta, intercepts = scaling.to_original(coefs)
    expected = np.mean((y[:, None] - (x @ beta + intercepts)) ** 2, axis=0)  # n x 100 at once
    got = penalty_cv._test_mse(x, y, coefs, scaling)
    np.testing.assert_allclose(got, expected, rtol=4e-16, atol=0)
