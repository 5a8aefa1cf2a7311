"""Rank-deficient designs: the estimable columns by the fast paths, as the refined QR fit.

``solver="auto"`` fits the estimable columns of an aliased design with the certified (or
well-conditioned Cholesky) solver and embeds the result (:mod:`linmod.solvers.reduced`);
the reference is ``solver="qr"`` (Householder QR refined in double-double) on the same
design, and statsmodels' pinv fit for the estimable coefficients.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose, assert_array_equal

import linmod
import linmod.solvers.auto as auto_module
from linmod.exceptions import NearSingularWarning
from linmod.linalg.rank import analyse_rank
from linmod.solvers.base import LeastSquaresProblem
from linmod.solvers.certified import solve_certified
from linmod.solvers.reduced import fit_estimable_columns


def _designs() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(11)
    n = 300
    x = rng.standard_normal((n, 4)) + np.array([0.0, 3.0, -1.0, 0.5])
    y = x @ [1.0, -2.0, 0.5, 3.0] + 2.0 + rng.standard_normal(n)
    groups = rng.integers(0, 3, n)
    dummies = np.eye(3)[groups]  # every level's dummy beside the intercept: one aliased
    return {
        "a sum of two columns": (np.column_stack([x, x[:, 0] + x[:, 1]]), y),
        "a duplicate in the middle": (np.column_stack([x[:, :2], x[:, 1], x[:, 2:]]), y),
        "a zero column": (np.column_stack([x, np.zeros(n)]), y),
        "all dummies and an intercept": (np.column_stack([x, dummies]), y + groups),
    }


@pytest.mark.parametrize("name", list(_designs()))
@pytest.mark.parametrize("large", [False, True], ids=["certified", "large-path cholesky"])
def test_aliased_designs_match_the_refined_qr_fit(name, large, monkeypatch):
    x, y = _designs()[name]
    if large:  # the path of designs beyond n p**2 = 5e7, on this small design
        monkeypatch.setattr(auto_module, "AUTO_SMALL_DESIGN", 10.0)
    res, reference = linmod.ols(x, y), linmod.ols(x, y, solver="qr")
    assert res.solution.method == "cholesky"
    assert res.rank == reference.rank == x.shape[1]  # one of p + 1 columns aliased
    assert_array_equal(res.aliased, reference.aliased)
    assert_array_equal(np.isnan(res.coef), res.aliased)
    assert_allclose(res.coef, reference.coef, rtol=1e-14, atol=0)
    assert_allclose(res.std_err, reference.std_err, rtol=1e-14, atol=0)
    assert_allclose(res.residuals, reference.residuals, rtol=0, atol=1e-13 * np.abs(y).max())
    assert res.solution.dependencies == reference.solution.dependencies
    assert res.condition_number == reference.condition_number
    kept = ~res.aliased.to_numpy()
    peer = sm.OLS(y, sm.add_constant(x)[:, kept]).fit()
    assert_allclose(res.coef[kept], peer.params, rtol=1e-9)
    assert_allclose(res.std_err[kept], peer.bse, rtol=1e-9)


def test_ill_conditioned_estimable_columns_fall_back_to_qr():
    # Two columns 1e-6 apart (full rank, condition ~1e6: not certified) and one aliased.
    rng = np.random.default_rng(5)
    x = rng.standard_normal((200, 3))
    x = np.column_stack([x, x[:, 0] + 1e-6 * rng.standard_normal(200), x[:, 1] + x[:, 2]])
    y = x[:, :3].sum(axis=1) + rng.standard_normal(200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res, reference = linmod.ols(x, y), linmod.ols(x, y, solver="qr")
    assert res.solution.method == "qr"
    assert_array_equal(res.aliased, reference.aliased)
    assert_allclose(res.coef, reference.coef, rtol=0, atol=0)


def test_fit_estimable_columns_declines_what_it_cannot_take():
    rng = np.random.default_rng(2)
    x = np.column_stack([np.ones(50), rng.standard_normal((50, 2))])
    x = np.column_stack([x, x[:, 1]])
    y = rng.standard_normal(50)
    names = ("Intercept", "a", "b", "a2")
    analysis = analyse_rank(x, np.ones(4))
    problem = LeastSquaresProblem(x=x, y=y, names=names, intercept=True)
    assert fit_estimable_columns(problem, analysis, lambda reduced: None) is None
    with_lo = LeastSquaresProblem(x=x, y=y, names=names, x_lo=np.zeros_like(x), intercept=True)
    assert fit_estimable_columns(with_lo, analysis, solve_certified) is None
    result = fit_estimable_columns(problem, analysis, solve_certified)
    assert result is not None
    assert result.coef.shape == (4,)
    assert np.isnan(result.coef[3])
    assert result.column_scales is None  # the solver's were of the estimable columns only
    assert result.cov_scaled is None
    assert np.isnan(result.cov_unscaled[3]).all()
    assert np.isnan(result.cov_unscaled[:, 3]).all()
