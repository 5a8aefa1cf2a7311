"""Leave-one-out ridge residuals computed in row blocks: exact, with no n x k temporaries."""

from __future__ import annotations

import numpy as np
import pytest

from linmod.solvers import ridge


def _brute_force_loo(x: np.ndarray, y: np.ndarray, alpha: float, i: int) -> float:
    """Refit without row i (centring included) and predict it: the definition."""
    keep = np.arange(x.shape[0]) != i
    x_mean, y_mean = x[keep].mean(axis=0), y[keep].mean()
    xc, yc = x[keep] - x_mean, y[keep] - y_mean
    beta = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ yc)
    return float(y[i] - (y_mean + (x[i] - x_mean) @ beta))


@pytest.mark.parametrize("block_bytes", [8 << 20, 1000, 1])
def test_blocked_loo_residuals_match_refits_without_each_row(monkeypatch, block_bytes):
    monkeypatch.setattr(ridge, "_BLOCK_BYTES", block_bytes)
    rng = np.random.default_rng(7)
    n, p = 300, 5
    x = rng.normal(size=(n, p)) * [1.0, 10.0, 0.1, 3.0, 1.0]
    y = x @ rng.normal(size=p) + rng.normal(size=n)
    xc, yc = x - x.mean(axis=0), y - y.mean()
    svd = ridge.RidgeSVD.of(xc, yc, intercept=True)
    alphas = np.array([50.0, 1.0, 1e-3])
    loo = svd.loo_residuals(alphas)
    assert loo.shape == (n, 3)
    for i in (0, 149, 299):
        for j, alpha in enumerate(alphas):
            assert loo[i, j] == pytest.approx(_brute_force_loo(x, y, alpha, i), rel=1e-10)
    gcv = svd.loo_residuals(alphas, gcv=True)
    for j, alpha in enumerate(alphas):  # GCV: every leverage replaced by their mean
        f = svd.s**2 / (svd.s**2 + alpha)
        hat = (svd.u**2) @ f + 1.0 / n
        fitted = svd.u @ (f * svd.uty)
        expected = (yc - fitted) / (1.0 - hat.mean())
        np.testing.assert_allclose(gcv[:, j], expected, rtol=1e-12, atol=1e-12)
