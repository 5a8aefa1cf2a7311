"""The group Lasso kernel (:mod:`linmod.solvers.group_lasso`) and its path.

References: skglm's ``GroupLasso`` (an independent block solver of
``(1/2n)‖y − Xw‖² + α Σ_g w_g‖w_g‖``, given the same weights ``√|g|``), the optimality
conditions written out by hand, and linmod's own coordinate-descent Lasso for groups of
one feature (a different algorithm on the same objective).
"""

from __future__ import annotations

import numpy as np
import pytest

import linmod
from linmod.exceptions import InputError
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.feature_groups import feature_groups
from linmod.solvers.group_lasso import group_alpha_max, solve_group_path
from linmod.solvers.penalized_problem import make_problem

IDS = [0, 0, 0, 1, 1, 2, 2, 2, 2, 3, 4, 4]


def _data(seed: int = 0, n: int = 120) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, len(IDS)))
    x[:, 1] += 0.7 * x[:, 0]  # correlated within a group
    y = x[:, :3] @ [1.0, -1.0, 0.5] + 0.3 * x[:, 9] + rng.normal(size=n)
    return x, y


def kkt_excess(x, y, coef, intercept, alpha, ids, l1_ratio=1.0, scale=None):
    """Largest violation of the group elastic net's optimality conditions, by hand."""
    n = x.shape[0]
    scale = np.ones(x.shape[1]) if scale is None else scale
    xs = (x - x.mean(axis=0)) / scale
    beta = coef * scale
    r = y - intercept - x @ coef
    ids = np.asarray(ids)
    worst = 0.0
    for g in np.unique(ids):
        members = ids == g
        bound = alpha * l1_ratio * np.sqrt(members.sum())
        grad = xs[:, members].T @ r / n - alpha * (1 - l1_ratio) * beta[members]
        norm = np.linalg.norm(beta[members])
        if norm == 0:
            worst = max(worst, np.linalg.norm(grad) / bound - 1.0)
        else:
            worst = max(worst, np.linalg.norm(grad - bound * beta[members] / norm) / bound)
    return worst


@pytest.mark.slow  # skglm compiles its numba kernels on first use (about a minute)
def test_matches_skglm_group_lasso() -> None:
    skglm = pytest.importorskip("skglm")
    x, y = _data()
    layout = feature_groups(IDS, len(IDS))
    xc = (x - x.mean(axis=0))[:, layout.order]  # skglm wants contiguous groups
    groups = [list(range(a, b)) for a, b in zip(layout.starts[:-1], layout.starts[1:], strict=True)]
    for alpha in (0.3, 0.1, 0.02):
        model = linmod.Lasso(alpha=alpha, feature_groups=IDS, tol=1e-14, max_iter=100_000)
        model.fit(x, y)
        ref = skglm.GroupLasso(
            groups=groups, alpha=alpha, weights=layout.weights, tol=1e-14, max_iter=10_000,
            fit_intercept=False,
        ).fit(xc, y - y.mean())  # fmt: skip
        expected = np.empty(len(IDS))
        expected[layout.order] = ref.coef_
        np.testing.assert_allclose(model.coef_, expected, rtol=1e-8, atol=1e-10)


def fista(x, y, alpha, ids, l1_ratio=1.0, iterations=20_000):
    """Accelerated proximal gradient on the whole problem (centred data), by hand."""
    n, p = x.shape
    xc, yc = x - x.mean(axis=0), y - y.mean()
    ids = np.asarray(ids)
    sizes = np.sqrt(np.bincount(ids))[ids]
    l2 = alpha * (1 - l1_ratio)
    step = 1.0 / (np.linalg.eigvalsh(xc.T @ xc / n)[-1] + l2)
    beta = z = np.zeros(p)
    t = 1.0
    for _ in range(iterations):
        u = z - step * (xc.T @ (xc @ z - yc) / n + l2 * z)
        norms = np.sqrt(np.bincount(ids, weights=u * u))[ids]
        k = step * alpha * l1_ratio * sizes
        new = np.where(norms > k, 1 - k / np.where(norms > k, norms, 1.0), 0.0) * u
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        z = new + (t - 1) / t_next * (new - beta)
        beta, t = new, t_next
    return beta


@pytest.mark.parametrize(("alpha", "l1_ratio"), [(0.3, 1.0), (0.1, 1.0), (0.02, 1.0), (0.1, 0.5)])
def test_matches_proximal_gradient(alpha: float, l1_ratio: float) -> None:
    x, y = _data()
    model = linmod.ElasticNet(
        alpha=alpha, l1_ratio=l1_ratio, feature_groups=IDS, tol=1e-14, max_iter=100_000
    ).fit(x, y)
    np.testing.assert_allclose(model.coef_, fista(x, y, alpha, IDS, l1_ratio), atol=1e-9)
    assert kkt_excess(x, y, model.coef_, model.intercept_, alpha, IDS, l1_ratio) < 1e-10


@pytest.mark.parametrize(("alpha", "l1_ratio"), [(0.2, 1.0), (0.05, 1.0), (0.1, 0.5), (0.5, 0.2)])
@pytest.mark.parametrize("standardize", [False, True])
def test_optimality_conditions_by_hand(alpha: float, l1_ratio: float, standardize: bool) -> None:
    x, y = _data(1)
    x[:, 3] *= 50.0  # columns of different scales
    est = linmod.ElasticNet(
        alpha=alpha, l1_ratio=l1_ratio, standardize=standardize, feature_groups=IDS,
        tol=1e-14, max_iter=100_000,
    ).fit(x, y)  # fmt: skip
    scale = x.std(axis=0) if standardize else None
    assert kkt_excess(x, y, est.coef_, est.intercept_, alpha, IDS, l1_ratio, scale) < 1e-7
    assert est.kkt_violation_ < 1e-7
    # Never half-selected: each group is wholly zero or wholly non-zero.
    for g in set(IDS):
        members = est.coef_[np.asarray(IDS) == g]
        assert (members == 0).all() or (members != 0).all()


def test_groups_of_one_are_the_lasso() -> None:
    x, y = _data(2)
    tight = {"tol": 1e-14, "max_iter": 100_000}
    for alpha in (0.3, 0.05, 0.001):
        grouped = linmod.Lasso(alpha=alpha, feature_groups=list(range(12)), **tight).fit(x, y)
        plain = linmod.Lasso(alpha=alpha, **tight).fit(x, y)
        np.testing.assert_allclose(grouped.coef_, plain.coef_, rtol=1e-9, atol=1e-11)
        np.testing.assert_allclose(grouped.intercept_, plain.intercept_, rtol=1e-10)
        np.testing.assert_array_equal(grouped.coef_ == 0, plain.coef_ == 0)


def test_solver_singletons_equal_coordinate_descent_on_a_path() -> None:
    x, y = _data(3)
    problem = make_problem(x, y, True, True, False)
    alphas = np.geomspace(0.5, 0.005, 8)
    grouped = solve_group_path(
        problem, alphas, 0.7, feature_groups(range(12), 12), tol=1e-14, max_iter=100_000
    )
    plain = solve_path(problem, alphas, 0.7, tol=1e-14, max_iter=100_000)
    np.testing.assert_allclose(grouped.coefs, plain.coefs, atol=1e-10)
    assert grouped.converged.all()


def test_alpha_max_zeroes_every_group() -> None:
    x, y = _data(4)
    problem = make_problem(x, y, True, False, False)
    layout = feature_groups(IDS, 12)
    top = group_alpha_max(problem, layout)
    # By hand: max_g ‖X_gᵀy‖ / (n·√|g|) on centred data.
    xc, yc = x - x.mean(0), y - y.mean()
    ids = np.asarray(IDS)
    by_hand = max(
        np.linalg.norm(xc[:, ids == g].T @ yc) / (len(yc) * np.sqrt((ids == g).sum()))
        for g in set(IDS)
    )
    assert top == pytest.approx(by_hand, rel=1e-12)
    solution = solve_group_path(
        problem, np.array([top * (1 + 1e-12), top * 0.999]), 1.0, layout, tol=1e-12
    )
    assert not solution.coefs[:, 0].any()
    assert solution.coefs[:, 1].any()


def test_group_path_and_sample_weight() -> None:
    x, y = _data(5)
    path = linmod.lasso_path(x, y, feature_groups=IDS, alphas=15, standardize=True)
    assert path.alphas.shape == (15,)
    assert path.n_nonzero[0] == 0
    assert path.n_nonzero[-1] == 12
    for k in range(15):
        fit = linmod.Lasso(alpha=path.alphas[k], feature_groups=IDS, standardize=True).fit(x, y)
        np.testing.assert_allclose(path.coefs[:, k], fit.coef_, rtol=1e-3, atol=1e-3)
    # Integer weights are repeated rows.
    w = np.random.default_rng(0).integers(0, 3, size=x.shape[0]).astype(float)
    rows = np.repeat(np.arange(x.shape[0]), w.astype(int))
    tight = {"tol": 1e-13, "max_iter": 100_000, "feature_groups": IDS}
    weighted = linmod.Lasso(alpha=0.05, **tight).fit(x, y, sample_weight=w)
    repeated = linmod.Lasso(alpha=0.05, **tight).fit(x[rows], y[rows])
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-8, atol=1e-10)


def test_path_hostile_options() -> None:
    x, y = _data(6)
    with pytest.raises(InputError, match="l1_ratio=0"):
        linmod.enet_path(x, y, l1_ratio=0.0, alphas=[1.0], feature_groups=IDS)
    with pytest.raises(InputError, match="positive"):
        linmod.lasso_path(x, y, positive=True, feature_groups=IDS)
    with pytest.raises(InputError, match="11 ids but X has 12"):
        linmod.lasso_path(x, y, feature_groups=IDS[:-1])
