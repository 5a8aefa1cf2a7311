"""The default solver reaches the float64 ceiling on NIST's certified regression problems."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import linmod
from linmod.exceptions import NearSingularWarning

from ..conftest import NIST_DIR
from .nist import lre, read_nist

FILES = sorted(NIST_DIR.glob("*.dat"))
PROBLEMS = {path.stem: read_nist(path) for path in FILES}


def _fit(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        return linmod.ols(*args, **kwargs)


def test_all_eleven_files_are_present():
    assert len(PROBLEMS) >= 11, f"expected NIST files in {NIST_DIR}"


def test_reader_builds_the_certified_models():
    assert PROBLEMS["Filip"].formula == "y ~ x + " + " + ".join(f"I(x**{k})" for k in range(2, 11))
    assert PROBLEMS["NoInt1"].formula == "y ~ 0 + x"
    assert PROBLEMS["Longley"].formula == "y ~ x1 + x2 + x3 + x4 + x5 + x6"


@pytest.mark.parametrize("name", sorted(PROBLEMS))
@pytest.mark.parametrize("solver", ["auto", "qr"])
def test_formula_api_reaches_the_float64_ceiling(name, solver):
    problem = PROBLEMS[name]
    res = _fit(problem.formula, data=problem.data, solver=solver)
    assert res.rank == len(problem.coef), "full-rank design misjudged as singular"
    assert lre(res.coef.to_numpy(), problem.coef).min() >= 13
    assert lre(res.std_err.to_numpy(), problem.std_err).min() >= 13
    assert lre(res.sigma, problem.residual_sd).min() >= 13
    assert lre(res.r_squared, problem.r_squared).min() >= 14


@pytest.mark.parametrize("name", sorted(set(PROBLEMS) - {"Filip"}))
def test_array_api_reaches_the_ceiling_where_the_matrix_is_exact(name):
    # Filip's x**10 is not representable in float64, so a float64 design cannot be exact;
    # every other design here is (integer powers below 2**53, or raw data).
    problem = PROBLEMS[name]
    x, y = problem.design()
    res = _fit(x, y, fit_intercept=problem.intercept)
    assert lre(res.coef.to_numpy(), problem.coef).min() >= 13
    assert lre(res.std_err.to_numpy(), problem.std_err).min() >= 13
    assert lre(res.sigma, problem.residual_sd).min() >= 13
    assert lre(res.r_squared, problem.r_squared).min() >= 14


def test_filip_through_poly_raw_is_exact_too():
    problem = PROBLEMS["Filip"]
    res = _fit("y ~ poly(x, 10, raw=True)", data=problem.data)
    assert lre(res.coef.to_numpy(), problem.coef).min() >= 13


def test_filip_warns_that_it_is_nearly_singular_and_names_columns():
    problem = PROBLEMS["Filip"]
    with pytest.warns(NearSingularWarning, match=r"condition number .*involves .*I\(x \*\* 9\)"):
        linmod.ols(problem.formula, data=problem.data)


def test_the_textbook_normal_equation_fails_on_filip_as_documented():
    # Independent of linmod: the lessons' inv(X'X) X'y on the same design.
    problem = PROBLEMS["Filip"]
    x, y = problem.design()
    xb = np.column_stack([np.ones(len(y)), x])
    with np.errstate(all="ignore"):
        textbook = np.linalg.inv(xb.T @ xb) @ xb.T @ y
    assert lre(textbook, problem.coef).min() < 2
    with pytest.warns(NearSingularWarning) as record:
        linmod.ols(problem.formula, data=problem.data, solver="normal")
    messages = [str(w.message) for w in record]
    assert any("normal equation squares the condition number" in m for m in messages)
    assert any("nearly singular" in m for m in messages)
