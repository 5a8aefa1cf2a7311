"""Coordinate descent stops at the float64 limit (:mod:`linmod.solvers.fixed_point`).

On NIST Longley a ``tol`` of 1e-15 or 1e-16 is below what float64 resolves: the sweeps
stop changing the coefficients (or toggle one of them by one unit in the last place)
while the duality gap stays above ``tol``.  The kernels used to sweep on to ``max_iter``
(300,000 epochs here) and warn "increase max_iter"; they now stop there, report the gap
they reached, and warn only when that gap is large (:mod:`linmod.solvers.convergence`).

References: the exact solutions of ``test_ill_conditioned`` (rational arithmetic on the
float64 data), scikit-learn's ``ElasticNet``, and the group optimality conditions
written out by hand in ``test_group_lasso``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.linear_model import ElasticNet as SkElasticNet

import linmod
from linmod.data.sparse_input import as_csc
from linmod.exceptions import ConvergenceWarning
from linmod.solvers.convergence import FIXED_POINT_RTOL, stop_status, warn_unconverged
from linmod.solvers.coordinate_descent import ANDERSON_K, enet_gram
from linmod.solvers.penalized_problem import gram_problem
from linmod.solvers.sparse_paths import solve_sparse_path
from linmod.solvers.sparse_problem import sparse_problem

from ..regularization.test_ill_conditioned import exact_enet, longley
from .test_group_lasso import kkt_excess

MAX_ITER = 300_000
#: Far fewer epochs than MAX_ITER: the fits below stop after 9,000 to 45,000.
FEW = MAX_ITER // 5


def _y_scale(y: np.ndarray) -> float:
    """``‖y − ȳ‖²/n``: the scale of scikit-learn's ``dual_gap_``."""
    return float(np.sum((y - y.mean()) ** 2)) / y.shape[0]


@pytest.mark.parametrize("precompute", [False, True], ids=["residual", "gram"])
@pytest.mark.parametrize(
    ("l1_ratio", "alpha"), [(1.0, 1.0), (1.0, 0.1), (1.0, 1e-3), (0.5, 1.0), (0.5, 1e-3)]
)
def test_a_tol_below_float64_stops_at_the_fixed_point(l1_ratio, alpha, precompute):
    # On the Gram layout (precompute=True) this ran to max_iter: see
    # test_the_gram_kernel_stops_at_the_fixed_point_with_and_without_anderson.
    X, y = longley()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)  # neither "increase max_iter"
        model = linmod.ElasticNet(
            alpha=alpha, l1_ratio=l1_ratio, tol=1e-16, max_iter=MAX_ITER, precompute=precompute
        ).fit(X, y)
    assert model.n_iter_ < FEW
    # The gap reported is the one reached: above tol, within the fixed-point allowance.
    assert 1e-16 * _y_scale(y) < model.dual_gap_ <= FIXED_POINT_RTOL * _y_scale(y)
    expected, intercept = exact_enet(X, y, alpha, l1_ratio, signs=np.sign(model.coef_))
    np.testing.assert_allclose(model.coef_, expected, rtol=1e-9)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-14, max_iter=200_000)
        reference.fit(X, y)
    np.testing.assert_allclose(model.coef_, reference.coef_, rtol=1e-6)


@pytest.mark.parametrize("anderson", [0, ANDERSON_K])
def test_the_gram_kernel_stops_at_the_fixed_point_with_and_without_anderson(anderson):
    # Raw Longley, alpha=1e-3: the gradient q = Xᵀy − Gw is up to 1e11 times smaller than
    # the terms it is the difference of.  Rebuilt in float64 before each confirming sweep,
    # it moved by a different rounding error (1e-4 of the penalty) at every bit-level
    # change of w, so the sweeps never settled: 277,000 epochs without Anderson, 135,000
    # with it, stopping only when the noisy gap happened to dip below tol.
    X, y = longley()
    n = X.shape[0]
    problem = gram_problem(X, y, True, False)
    w, q = np.zeros(X.shape[1]), np.empty(X.shape[1])
    tol = 1e-16 * problem.y_norm2
    assert problem.gram is not None
    gap, epochs = enet_gram(problem.gram, problem.xty, problem.y_norm2, w, q, n * 1e-3, 0.0,
                            False, tol, MAX_ITER, 10, anderson, False)  # fmt: skip
    assert epochs < FEW
    # Stopped at the float64 limit, and says so: a fixed point (the gap, 1e-11·‖y‖², is
    # far above tol), accepted as converged since its gap is below FIXED_POINT_RTOL.
    assert stop_status(gap <= tol, gap, epochs, MAX_ITER, problem.y_norm2) == (True, True)
    assert tol < gap <= FIXED_POINT_RTOL * problem.y_norm2
    expected, _ = exact_enet(X, y, 1e-3, 1.0, signs=np.sign(w))
    np.testing.assert_allclose(w, expected, rtol=1e-9)


@pytest.mark.parametrize("centred", [True, False], ids=["centred", "raw"])
def test_the_sparse_kernel_stops_at_the_fixed_point(centred):
    # Raw columns: the implicit centring kept the offset μ̃ᵀw (3.5e6, the size of the
    # intercept) in the residual, rounding every update and gradient at that scale, and
    # its uncentred column sums rounded at the size of the column means: the gap stalled
    # at 2e-3·‖y‖² at alpha=1e-3 (300,000 epochs and a warning), and at alpha=1 it was
    # reported 0.0 with coefficients 1.7e-8 off the exact solution.
    X, y = longley()
    xs = X - X.mean(axis=0) if centred else X
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = linmod.lasso_path(sp.csc_matrix(xs), y, alphas=[1.0, 0.1, 1e-3], tol=1e-16,
                                 max_iter=MAX_ITER)  # fmt: skip
    assert (path.n_iter < FEW).all()
    for k, alpha in enumerate(path.alphas):
        expected, _ = exact_enet(X, y, alpha, 1.0, signs=np.sign(path.coefs[:, k]))
        np.testing.assert_allclose(path.coefs[:, k], expected, rtol=1e-9)
    # The same solves, as the path solver classifies them: fixed points, converged.
    problem = sparse_problem(as_csc(sp.csc_matrix(xs)), y, None, True, False)
    solution = solve_sparse_path(problem, path.alphas, 1.0, tol=1e-16, max_iter=MAX_ITER)
    assert solution.fixed_point.all()
    assert solution.converged.all()


def test_the_group_kernel_stops_at_the_fixed_point():
    X, y = longley()
    ids = [0, 0, 1, 1, 2, 2]
    alphas = [1.0, 0.1, 0.01, 0.001]
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = linmod.lasso_path(X, y, alphas=alphas, tol=1e-15, max_iter=MAX_ITER,
                                 feature_groups=ids, standardize=True)  # fmt: skip
    assert (path.n_iter < FEW).all()
    for k, alpha in enumerate(path.alphas):
        excess = kkt_excess(X, y, path.coefs[:, k], path.intercepts[k], alpha, ids,
                            scale=X.std(axis=0))  # fmt: skip
        assert excess < 1e-7


def test_cross_validation_at_a_tol_below_float64_does_not_warn():
    # It warned "did not reach tol=1e-16 within max_iter=300000 epochs at 24 (fold,
    # alpha) pairs ...; increase max_iter" after 300,000 epochs per pair.
    X, y = longley()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        cv = linmod.LassoCV(alphas=[10.0, 1.0, 0.1], tol=1e-16, max_iter=MAX_ITER, cv=4)
        cv.fit(X, y)
    assert cv.n_iter_ < FEW
    expected, _ = exact_enet(X, y, cv.alpha_, 1.0, signs=np.sign(cv.coef_))
    np.testing.assert_allclose(cv.coef_, expected, rtol=1e-9)


def test_running_out_of_max_iter_still_warns():
    X, y = longley()
    with pytest.warns(ConvergenceWarning, match="increase max_iter"):
        model = linmod.Lasso(alpha=1.0, tol=1e-4, max_iter=2, precompute=False).fit(X, y)
    assert model.n_iter_ == 2
    with pytest.warns(ConvergenceWarning, match="increase max_iter"):
        linmod.LassoCV(alphas=[1.0, 0.1], tol=1e-4, max_iter=2, cv=3).fit(X, y)


def test_stop_status():
    # (converged, fixed_point): met; ran out of epochs; small-gap and large-gap fixed points
    assert stop_status(True, 1e-3, 10, 100, 1.0) == (True, False)
    assert stop_status(False, 1e-3, 100, 100, 1.0) == (False, False)
    assert stop_status(False, 1e-9, 10, 100, 1.0) == (True, True)
    assert stop_status(False, 1e-3, 10, 100, 1.0) == (False, True)


def test_a_large_gap_at_a_fixed_point_warns_without_advising_max_iter():
    alphas = np.array([1.0, 0.5, 0.1])
    gaps = np.array([0.0, 2e-3, 1e-9])  # in the scale gap_scale=1
    converged = np.array([True, False, False])
    fixed = np.array([False, True, False])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_unconverged(alphas, gaps, converged, 100, 1e-12, fixed=fixed, gap_scale=1.0)
    texts = [str(w.message) for w in caught]
    assert len(texts) == 2
    assert "max_iter=100" in texts[0]
    assert "alpha = 0.1 " in texts[0]
    assert "fixed point" in texts[1]
    assert "alpha = 0.5 " in texts[1]
    assert "0.002" in texts[1]
    assert "max_iter" not in texts[1]


def test_one_group_of_correlated_columns_stops_at_the_rounding_limit():
    # One group of all six standardised columns: each block update divides the rounding
    # of Xᵀr by λ_min(XᵀX) ≈ 1e-3·n, so it moves β by thousands of units in the last
    # place even at the solution and the iterates never repeat (ran to max_iter).  They
    # stop when the optimality conditions hold to within the rounding of a sweep.
    X, y = longley()
    ids = [0] * 6
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        path = linmod.lasso_path(X, y, alphas=[1.0, 0.1, 0.01, 0.001], tol=1e-15,
                                 max_iter=MAX_ITER, feature_groups=ids,
                                 standardize=True)  # fmt: skip
    assert (path.n_iter < FEW).all()
    for k, alpha in enumerate(path.alphas):
        excess = kkt_excess(X, y, path.coefs[:, k], path.intercepts[k], alpha, ids,
                            scale=X.std(axis=0))  # fmt: skip
        assert excess < 1e-7


def test_the_group_kernel_out_of_max_iter_still_warns():
    X, y = longley()
    with pytest.warns(ConvergenceWarning, match="increase max_iter"):
        path = linmod.lasso_path(X, y, alphas=[0.01], tol=1e-15, max_iter=2,
                                 feature_groups=[0, 0, 1, 1, 2, 2], standardize=True)  # fmt: skip
    assert path.n_iter[0] == 2
