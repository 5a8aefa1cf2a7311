"""The exact Lasso path (:mod:`linmod.solvers.lasso_homotopy`) against scikit-learn's
``lars_path(method="lasso")`` (an independent LARS implementation with Cholesky updates),
and the non-negative path's end against ``scipy.optimize.nnls``."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import nnls
from sklearn.datasets import load_diabetes
from sklearn.linear_model import lars_path

from linmod.exceptions import InputError
from linmod.solvers.lasso_homotopy import lasso_knots
from linmod.solvers.penalized_problem import make_problem


def _problems() -> list[tuple[str, np.ndarray, np.ndarray]]:
    x, y = load_diabetes(return_X_y=True)
    out = [("diabetes", x, y)]
    rng = np.random.default_rng(11)
    x1 = rng.normal(size=(100, 20))
    x1[:, 1] += x1[:, 0]  # correlated columns: a coefficient leaves and re-enters
    out.append(("correlated", x1, x1[:, :5] @ [1, -2, 3, 0.1, 0.01] + rng.normal(size=100)))
    x2 = rng.normal(size=(30, 50))  # more columns than rows
    out.append(("wide", x2, x2[:, :3] @ [1, 2, 3] + rng.normal(size=30)))
    return out


@pytest.mark.parametrize("gram", [False, True])
@pytest.mark.parametrize(
    ("name", "x", "y"), _problems(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_knots_and_coefficients_match_lars_path(name, x, y, gram) -> None:
    if gram and x.shape[0] < x.shape[1]:
        pytest.skip("the Gram layout is for n ≥ p")
    problem = make_problem(x, y, True, False, gram)
    path = lasso_knots(problem, rank=x.shape[0] - 1)
    alphas, _, coefs = lars_path(x - x.mean(0), y - y.mean(), method="lasso")
    assert path.complete
    assert path.alphas.shape == alphas.shape
    np.testing.assert_allclose(path.alphas, alphas, rtol=1e-11, atol=1e-13 * alphas[0])
    scale = np.abs(coefs).max()
    np.testing.assert_allclose(path.coefs, coefs, rtol=0, atol=1e-11 * scale)


def test_diabetes_path_has_a_coefficient_that_leaves_and_returns() -> None:
    x, y = load_diabetes(return_X_y=True)
    path = lasso_knots(make_problem(x, y, True, False, False))
    nonzero = path.coefs[6] != 0  # column 6 enters, leaves (a knot) and comes back
    assert nonzero.tolist() == [False] * 4 + [True] * 6 + [False, False, True]
    assert path.alphas[-1] == 0.0


def test_positive_path_matches_lars_and_ends_at_nnls() -> None:
    x, y = load_diabetes(return_X_y=True)
    xc, yc = x - x.mean(0), y - y.mean()
    path = lasso_knots(make_problem(x, y, True, False, False), positive=True)
    alphas, _, coefs = lars_path(xc, yc, method="lasso", positive=True)
    np.testing.assert_allclose(path.alphas, alphas, rtol=1e-11, atol=1e-13)
    # scikit-learn documents that its last positive point is not the non-negative Lasso
    # solution; every earlier knot agrees, and the end is the exact NNLS fit.
    np.testing.assert_allclose(path.coefs[:, :-1], coefs[:, :-1], atol=1e-9)
    np.testing.assert_allclose(path.coefs[:, -1], nnls(xc, yc)[0], rtol=1e-10, atol=1e-9)


def test_zero_response_gives_one_knot() -> None:
    x = np.random.default_rng(0).normal(size=(10, 3))
    path = lasso_knots(make_problem(x, np.zeros(10), True, False, False))
    assert path.alphas.tolist() == [0.0]
    assert path.complete


def test_max_steps_stops_early() -> None:
    x, y = load_diabetes(return_X_y=True)
    path = lasso_knots(make_problem(x, y, True, False, False), max_steps=3)
    assert not path.complete
    assert path.alphas.shape == (4,)


def test_duplicated_column_is_refused() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 3))
    x = np.column_stack([x, x[:, 0] + x[:, 1]])
    y = x[:, 0] + x[:, 1] + 0.5 * x[:, 2] + 0.01 * rng.normal(size=40)
    with pytest.raises(InputError, match="not unique"):
        lasso_knots(make_problem(x, y, True, False, False))
