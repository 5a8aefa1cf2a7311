"""``Ridge(positive=True)``, ``tol`` and scikit-learn's other ``solver=`` values.

Assertions adapted from scikit-learn's ``test_ridge.py`` (``test_ridge_positive_*``,
``test_positive_ridge_loss``, ``test_lbfgs_solver_consistency``,
``test_ridge_positive_error_test``, ``test_lbfgs_solver_error``), written anew; the
reference fits are scikit-learn's.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize
from sklearn import linear_model

from linmod import Ridge
from linmod.exceptions import InputError
from linmod.solvers.bounded_ridge import ridge_positive


def _data(seed: int = 0, n: int = 60, p: int = 8) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, p))
    y = x @ rng.normal(size=p) + rng.normal(size=n) + 4.0
    return x, y


def _loss(x, y, coef, intercept, alpha):
    return np.sum((y - x @ coef - intercept) ** 2) + alpha * coef @ coef


@pytest.mark.parametrize("alpha", [1e-3, 0.1, 10.0])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_positive_matches_scikit_learn(alpha, fit_intercept):
    x, y = _data()
    ours = Ridge(alpha=alpha, positive=True, fit_intercept=fit_intercept).fit(x, y)
    theirs = linear_model.Ridge(
        alpha=alpha, positive=True, fit_intercept=fit_intercept, tol=1e-14, max_iter=100_000
    ).fit(x, y)
    assert (ours.coef_ >= 0).all()
    assert (ours.coef_ == 0).any()
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-7)
    # Ours is the exact minimiser (BVLS): its loss is never above scikit-learn's.
    assert _loss(x, y, ours.coef_, ours.intercept_, alpha) <= _loss(
        x, y, theirs.coef_, theirs.intercept_, alpha
    ) * (1 + 1e-12)


def test_positive_ground_truth_and_loss_perturbation():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 5))
    truth = np.array([0.5, 0.0, 2.0, 1.0, 0.0])
    y = x @ truth + 1.0 + 1e-3 * rng.normal(size=300)
    model = Ridge(alpha=1e-8, positive=True).fit(x, y)
    np.testing.assert_allclose(model.coef_, truth, atol=1e-3)
    best = _loss(x, y, model.coef_, model.intercept_, 1e-8)
    for _ in range(20):  # any feasible perturbation increases the loss
        coef = np.maximum(model.coef_ + 1e-3 * rng.normal(size=5), 0.0)
        assert _loss(x, y, coef, model.intercept_, 1e-8) >= best


def test_positive_matches_a_general_bounded_optimiser():
    """Independent reference: L-BFGS-B on the ridge loss with β ≥ 0 (centred data)."""
    x, y = _data(2, n=40, p=6)
    xc, yc = x - x.mean(axis=0), y - y.mean()
    alpha = 3.0

    def loss_and_gradient(b):
        r = yc - xc @ b
        return r @ r + alpha * b @ b, -2 * xc.T @ r + 2 * alpha * b

    result = minimize(
        loss_and_gradient, np.zeros(6), jac=True, method="L-BFGS-B", bounds=[(0, None)] * 6,
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )  # fmt: skip
    np.testing.assert_allclose(ridge_positive(xc, yc, alpha, 1e-10, None), result.x, atol=1e-7)


def test_positive_with_many_features_uses_the_tolerance():
    x, y = _data(3, n=300, p=250)
    loose = Ridge(alpha=1.0, positive=True, tol=1e-2).fit(x, y)
    tight = Ridge(alpha=1.0, positive=True, tol=1e-12).fit(x, y)
    theirs = linear_model.Ridge(alpha=1.0, positive=True, tol=1e-12, max_iter=100_000).fit(x, y)
    assert (tight.coef_ >= 0).all()
    np.testing.assert_allclose(tight.coef_, theirs.coef_, atol=1e-5)
    tight_loss = _loss(x, y, tight.coef_, tight.intercept_, 1.0)
    assert tight_loss <= _loss(x, y, theirs.coef_, theirs.intercept_, 1.0)
    assert _loss(x, y, loose.coef_, loose.intercept_, 1.0) > tight_loss * (1 + 1e-6)
    # The KKT conditions of the centred problem hold at the tight solution.
    xc, yc = x - x.mean(axis=0), y - y.mean()
    gradient = xc.T @ (yc - xc @ tight.coef_) - tight.coef_
    scale = np.abs(xc.T @ yc).max()
    assert np.all(np.abs(gradient[tight.coef_ > 0]) <= 1e-9 * scale)
    assert np.all(gradient[tight.coef_ == 0] <= 1e-9 * scale)


@pytest.mark.parametrize("solver", ["lsqr", "sparse_cg", "sag", "saga"])
def test_other_solvers_match_the_direct_solution(solver):
    x, y = _data(4)
    direct = Ridge(alpha=2.0, solver="cholesky").fit(x, y)
    model = Ridge(alpha=2.0, solver=solver, tol=1e-12).fit(x, y)
    np.testing.assert_allclose(model.coef_, direct.coef_, rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, direct.intercept_, rtol=1e-10)
    theirs = linear_model.Ridge(alpha=2.0, solver=solver, tol=1e-12, max_iter=100_000)
    np.testing.assert_allclose(model.coef_, theirs.fit(x, y).coef_, rtol=1e-5)


def test_lsqr_reports_iterations_and_stops_at_tol():
    x, y = _data(5)
    loose = Ridge(alpha=1.0, solver="lsqr", tol=1e-1).fit(x, y)
    tight = Ridge(alpha=1.0, solver="lsqr", tol=1e-12).fit(x, y)
    assert loose.n_iter_.shape == (1,)
    assert loose.n_iter_[0] >= 1
    assert tight.n_iter_[0] > loose.n_iter_[0]
    assert Ridge().fit(x, y).n_iter_ is None  # a direct solver, as in scikit-learn
    capped = Ridge(alpha=1.0, solver="lsqr", tol=1e-14, max_iter=2).fit(x, y)
    assert capped.n_iter_[0] == 2


@pytest.mark.parametrize("solver", ["cholesky", "svd", "lsqr", "sparse_cg", "sag", "saga"])
def test_positive_with_an_unconstrained_solver_is_refused(solver):
    with pytest.raises(InputError, match=rf"positive=True\) cannot use solver='{solver}'"):
        Ridge(positive=True, solver=solver).fit(*_data())


def test_lbfgs_needs_positive():
    with pytest.raises(InputError, match="only for positive=True"):
        Ridge(solver="lbfgs").fit(*_data())
    x, y = _data(6)
    lbfgs = Ridge(alpha=0.5, solver="lbfgs", positive=True).fit(x, y)
    auto = Ridge(alpha=0.5, positive=True).fit(x, y)
    np.testing.assert_array_equal(lbfgs.coef_, auto.coef_)


def test_positive_standardize_and_weights():
    x, y = _data(7)
    w = np.random.default_rng(8).uniform(0.5, 2.0, size=y.size)
    ours = Ridge(alpha=1.0, positive=True).fit(x, y, sample_weight=w)
    theirs = linear_model.Ridge(alpha=1.0, positive=True, tol=1e-14, max_iter=100_000)
    theirs.fit(x, y, sample_weight=w)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=1e-8)
    std = Ridge(alpha=1.0, positive=True, standardize=True).fit(x * 100.0, y)
    assert (std.coef_ >= 0).all()
