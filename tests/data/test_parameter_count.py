"""Least squares refuses more parameters than rows from the term list, before a design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from formulaic import model_matrix

import linmod.data.formula as formula_module
from linmod.data.column_screening import factor_columns
from linmod.data.formula import _parse, design_from_formula
from linmod.data.parameter_count import parameter_floor
from linmod.exceptions import InputError


@pytest.fixture(scope="module")
def wide() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    columns = [f"x{i}" for i in range(30)]
    return pd.DataFrame(rng.normal(size=(2000, 30)), columns=columns).assign(
        y=rng.normal(size=2000)
    )


def test_a_cubic_interaction_of_30_columns_is_refused_before_any_design(wide, monkeypatch):
    def no_design(*args, **kwargs):
        raise AssertionError("the design was materialised")

    monkeypatch.setattr(formula_module, "_materialize", no_design)
    message = r"^2000 rows but 4526 parameters \(Intercept, x0, x1, .*Ridge or Lasso\)$"
    with pytest.raises(InputError, match=message):
        design_from_formula("y ~ (.)^3", wide, least_squares=True)  # the patch proves it


def test_ols_refuses_the_cubic_interaction_before_any_design(wide, monkeypatch):
    import linmod

    def no_design(*args, **kwargs):
        raise AssertionError("the design was materialised")

    monkeypatch.setattr(formula_module, "_materialize", no_design)
    with pytest.raises(InputError, match=r"^2000 rows but 4526 parameters"):
        linmod.ols("y ~ (.)^3", data=wide)


def test_without_least_squares_the_count_is_not_checked(wide):
    # Ridge and Lasso take more parameters than rows: the check is the caller's choice.
    design = design_from_formula("y ~ (x0 + x1 + x2 + x3)^2", wide.head(8))
    assert design.x.shape == (8, 11)


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ g * x",
        "y ~ 0 + g",
        "y ~ g:h",
        "y ~ g + h + g:h:x",
        "y ~ C(k) + x",
        "y ~ np.log(z) + I(x**2) + flag",
        "y ~ one + x",
    ],
)
def test_the_floor_never_exceeds_the_design_formulaic_builds(formula):
    rng = np.random.default_rng(4)
    n = 60
    frame = pd.DataFrame(
        {
            "y": rng.normal(size=n),
            "x": rng.normal(size=n),
            "z": rng.uniform(1, 2, size=n),
            "g": rng.choice(list("abcd"), size=n),
            "h": pd.Categorical(rng.choice(["u", "v", "w"], size=n)),
            "k": rng.integers(0, 5, size=n),
            "flag": rng.normal(size=n) > 0,
            "one": ["A"] * n,
        }
    )
    parsed = _parse(formula, frame.columns)
    floor = parameter_floor(frame, parsed.rhs, factor_columns(parsed.rhs, frame.columns)[1])
    built = model_matrix(formula, frame).rhs.shape[1]
    assert floor <= built
    if formula in ("y ~ g * x", "y ~ C(k) + x", "y ~ np.log(z) + I(x**2) + flag"):
        assert floor == built  # exact for main effects and numeric interactions


def test_a_factor_count_is_a_floor_and_said_so():
    frame = pd.DataFrame({"y": np.arange(6.0), "g": list("abcdef"), "x": np.arange(6.0) ** 2})
    with pytest.raises(InputError, match=r"^6 rows but at least 12 parameters"):
        design_from_formula("y ~ C(g) * x", frame, least_squares=True)  # 1 + 5 + 1 + 5: 12
    # as a plain term, the screening's message (six levels in six rows) comes first
    with pytest.raises(InputError, match=r"column 'g' is text with 6 distinct values"):
        design_from_formula("y ~ g * x", frame, least_squares=True)


def test_levels_seen_only_in_dropped_rows_do_not_count():
    # the floor counted levels over every row: 'd' and 'e' (only in incomplete rows) made
    # 'C(f)*x' look like 10 parameters on 9 rows; the 7 complete rows need 6
    import linmod

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "f": [*"abcabca", "d", "e"],
            "x": [*rng.normal(size=7), 1.0, 2.0],
            "y": [*rng.normal(size=7), np.nan, np.nan],
        }
    )
    fit = linmod.ols("y ~ C(f)*x", data=frame, missing="drop")
    complete = linmod.ols("y ~ C(f)*x", data=frame.dropna())
    assert fit.n_obs == 7
    np.testing.assert_array_equal(fit.coef.to_numpy(), complete.coef.to_numpy())
