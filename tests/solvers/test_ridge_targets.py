"""Ridge with several responses from one factorisation: the normal equations per column."""

from __future__ import annotations

import numpy as np
import pytest

from linmod.solvers.ridge import RidgeSVD
from linmod.solvers.ridge_targets import (
    averaged_loo_moments,
    center_scale_targets,
    ridge_svd_targets,
    solve_ridge_targets,
)


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
@pytest.mark.parametrize(("n", "p"), [(30, 4), (5, 12)])  # primal and dual (p > n) systems
def test_every_column_solves_its_normal_equations(solver, n, p):
    rng = np.random.default_rng(n * p)
    xc = rng.normal(size=(n, p))
    yc = rng.normal(size=(n, 4))
    coef = solve_ridge_targets(xc, yc, 0.7, solver)
    expected = np.linalg.solve(xc.T @ xc + 0.7 * np.eye(p), xc.T @ yc)
    np.testing.assert_allclose(coef, expected, rtol=1e-11, atol=1e-13)


def test_each_response_at_its_own_penalty():
    rng = np.random.default_rng(3)
    xc, yc = rng.normal(size=(20, 3)), rng.normal(size=(20, 2))
    coef = ridge_svd_targets(RidgeSVD.of(xc, yc, intercept=False), np.array([0.5, 50.0]))
    for j, alpha in enumerate([0.5, 50.0]):
        expected = np.linalg.solve(xc.T @ xc + alpha * np.eye(3), xc.T @ yc[:, j])
        np.testing.assert_allclose(coef[:, j], expected, rtol=1e-12)


def test_weighted_centring_is_per_response():
    rng = np.random.default_rng(4)
    x, y, w = rng.normal(size=(15, 3)), rng.normal(size=(15, 2)) + 5.0, rng.uniform(1, 2, 15)
    _, yc, scaling = center_scale_targets(x, y, w, True, False)
    means = w @ y / w.sum()
    np.testing.assert_allclose(scaling.y_offset, means, rtol=1e-14)
    np.testing.assert_allclose(yc, (y - means) * np.sqrt(w)[:, None], rtol=1e-13)


@pytest.mark.parametrize("gcv", [False, True])
def test_averaged_moments_in_blocks_equal_the_full_errors(gcv, monkeypatch):
    import linmod.solvers.ridge as ridge_module

    monkeypatch.setattr(ridge_module, "_BLOCK_BYTES", 8 * 6 * 4)  # blocks of 4 rows
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(23, 4)), rng.normal(size=(23, 3))
    xc, yc, _ = center_scale_targets(x, y, None, True, False)
    svd = RidgeSVD.of(xc, yc, intercept=True)
    alphas = np.logspace(-1, 2, 6)
    squared = np.zeros((23, 6))
    for j in range(3):
        one = RidgeSVD.of(xc, yc[:, j], intercept=True)
        squared += one.loo_residuals(alphas, gcv=gcv) ** 2 / 3
    mean, variance = averaged_loo_moments(svd, alphas, gcv)
    np.testing.assert_allclose(mean, squared.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(variance, squared.var(axis=0, ddof=1), rtol=1e-10)


@pytest.mark.parametrize("solver", ["auto", "cholesky", "svd"])
def test_penalties_per_response_including_infinite(solver):
    from linmod.solvers.ridge_targets import solve_ridge_penalties

    rng = np.random.default_rng(6)
    xc, yc = rng.normal(size=(25, 4)), rng.normal(size=(25, 3))
    alphas = np.array([2.0, np.inf, 0.1])
    coef = solve_ridge_penalties(xc, yc, alphas, solver)
    np.testing.assert_array_equal(coef[:, 1], 0.0)
    for j in (0, 2):
        expected = np.linalg.solve(xc.T @ xc + alphas[j] * np.eye(4), xc.T @ yc[:, j])
        np.testing.assert_allclose(coef[:, j], expected, rtol=1e-11)
