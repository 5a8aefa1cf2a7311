"""ANOVA tables of one fit: against statsmodels' anova_lm, invariances and refusals.

The reference values of R (anova, car::Anova) are checked in test_hypothesis_against_r.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from statsmodels.stats.anova import anova_lm

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def warp() -> pd.DataFrame:
    # Unbalanced: Type I, II and III all differ.
    return load_dataset("warpbreaks").drop(index=[0, 1, 2, 19, 20, 40]).reset_index(drop=True)


@pytest.mark.parametrize("kind", [1, 2])
def test_types_one_and_two_equal_statsmodels(warp, kind):
    ours = linmod.ols("breaks ~ wool * tension", data=warp).anova(type=kind).table
    theirs = anova_lm(smf.ols("breaks ~ wool * tension", data=warp).fit(), typ=kind)
    assert_allclose(ours["Sum Sq"], theirs["sum_sq"], rtol=1e-10)
    assert_allclose(ours["F value"].iloc[:-1], theirs["F"].iloc[:-1], rtol=1e-10)
    assert_allclose(ours["Pr(>F)"].iloc[:-1], theirs["PR(>F)"].iloc[:-1], rtol=1e-8)


def test_type_three_under_interactions_equals_an_explicit_sum_coded_fit(warp):
    ours = linmod.ols("breaks ~ wool * tension", data=warp).anova(type=3)
    formula = "breaks ~ C(wool, Sum) * C(tension, Sum)"
    theirs = anova_lm(smf.ols(formula, data=warp).fit(), typ=3)
    assert_allclose(ours.table["Sum Sq"], theirs["sum_sq"], rtol=1e-10)
    assert_allclose(ours.table["F value"].iloc[:-1], theirs["F"].iloc[:-1], rtol=1e-10)
    assert "sum-to-zero contrasts for tension, wool" in ours.note
    # The same fit written with sum (or Helmert) contrasts is not re-coded, and agrees.
    for contrasts in ("contr.sum", "contr.helmert"):
        formula = f"breaks ~ C(wool, {contrasts}) * C(tension, {contrasts})"
        coded = linmod.ols(formula, data=warp).anova(type=3)
        assert coded.note is None
        assert_allclose(coded.table["F value"], ours.table["F value"], rtol=1e-10)
    # Only the treatment-coded factor is re-coded.
    mixed = linmod.ols("breaks ~ C(wool, contr.sum) * tension", data=warp).anova(type=3)
    assert "sum-to-zero contrasts for tension:" in mixed.note
    assert_allclose(mixed.table["F value"], ours.table["F value"], rtol=1e-10)


def test_type_three_without_interactions_keeps_treatment_coding(warp):
    ours = linmod.ols("breaks ~ wool + tension", data=warp).anova(type=3)
    theirs = anova_lm(smf.ols("breaks ~ wool + tension", data=warp).fit(), typ=3)
    assert ours.note is None
    assert_allclose(ours.table["Sum Sq"], theirs["sum_sq"], rtol=1e-10)


def test_sequential_sums_of_squares_add_up_to_the_total(warp):
    res = linmod.ols("breaks ~ tension * wool", data=warp)
    table = res.anova().table
    assert_allclose(table["Sum Sq"].sum(), res.tss, rtol=1e-12)
    assert table["Df"].sum() == res.n_obs - 1


def test_aliased_columns_leave_type_one_and_are_refused_by_types_two_and_three():
    cars = load_dataset("mtcars").assign(wt2=lambda d: 2 * d["wt"])
    res = linmod.ols("mpg ~ wt + wt2 + hp", data=cars)
    table = res.anova().table
    assert "wt2" not in table.index  # no estimable column: no row, as R
    assert list(table.index) == ["wt", "hp", "Residuals"]
    for kind in (2, 3):
        with pytest.raises(InputError, match="'wt2' are aliased"):
            res.anova(type=kind)


def test_array_fits_have_one_term_per_column():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(50, 3))
    res = linmod.ols(x, x @ [1.0, 0.0, -1.0] + rng.normal(size=50))
    assert list(res.anova(2).table.index) == ["x0", "x1", "x2", "Residuals"]
    assert list(res.anova(3).table.index) == ["Intercept", "x0", "x1", "x2", "Residuals"]
    for name in ("x0", "x1", "x2"):  # a single column's Type II/III F is its squared t
        assert_allclose(res.anova(2).table.loc[name, "F value"], res.t_values[name] ** 2)


def test_robust_tables_drop_sums_of_squares_and_say_so():
    cars = load_dataset("mtcars")
    res = linmod.ols("mpg ~ wt + hp", data=cars).robust("HC3")
    anova = res.anova(type=2)
    assert "Sum Sq" not in anova.table.columns
    assert "HC3" in anova.note
    assert_allclose(anova.table.loc["wt", "F value"], res.t_values["wt"] ** 2, rtol=1e-10)
    with pytest.raises(InputError, match=r"Type I.*classical covariance.*HC3"):
        res.anova(type=1)


def test_rendering_shows_the_table_and_the_note(warp):
    text = str(linmod.ols("breaks ~ wool * tension", data=warp).anova(type=3))
    assert text.startswith("Anova Table (Type III tests)")
    assert "Response: breaks" in text
    assert "wool:tension" in text
    assert "Residuals" in text
    assert "Note: Type III tests with sum-to-zero contrasts" in text
    sequential = str(linmod.ols("breaks ~ wool", data=warp).anova())
    assert "Mean Sq" in sequential


@pytest.mark.parametrize("kind", [0, 4, "IV", True, None])
def test_unknown_type_is_refused(warp, kind):
    with pytest.raises(InputError, match=r"type=.* is not known"):
        linmod.ols("breaks ~ wool", data=warp).anova(type=kind)


def test_roman_numerals_are_accepted(warp):
    res = linmod.ols("breaks ~ wool * tension", data=warp)
    assert_allclose(res.anova("II").table["F value"], res.anova(2).table["F value"])


def test_stateful_transforms_cannot_be_recoded():
    cars = load_dataset("mtcars")
    res = linmod.ols("mpg ~ center(wt) * C(am)", data=cars)
    with pytest.raises(InputError, match=r"stateful transforms.*C\(x, contr.sum\)"):
        res.anova(type=3)
    assert res.anova(type=2).table.shape[0] == 4  # Type II needs no re-coding


def test_no_residual_degrees_of_freedom():
    res = linmod.ols(np.arange(3.0)[:, None] ** [1, 2], [1.0, 3.0, 2.0])
    with pytest.raises(InputError, match="no residual degrees of freedom"):
        res.anova()


def test_streamed_fits_give_the_same_type_two_and_three_tables(tmp_path):
    cars = load_dataset("mtcars")
    path = tmp_path / "cars.csv"
    cars.to_csv(path, index=False)
    formula = "mpg ~ wt * C(cyl) + hp"
    streamed = linmod.ols(formula, data=str(path), chunksize=10, levels={"cyl": [4, 6, 8]})
    memory = linmod.ols(formula, data=cars)
    for kind in (2, 3):
        assert_allclose(
            streamed.anova(kind).table.to_numpy(), memory.anova(kind).table.to_numpy(), rtol=1e-9
        )
    with pytest.raises(linmod.LinmodError, match=r"Type I.*needs the individual rows"):
        streamed.anova(1)


def test_non_finite_robust_covariance_is_refused():
    cars = load_dataset("mtcars").assign(one=lambda d: (d.index == 3).astype(float))
    res = linmod.ols("mpg ~ wt + one", data=cars).robust("HC3")  # leverage 1 at row 4
    with pytest.raises(InputError, match="HC3 covariance of this fit has non-finite entries"):
        res.anova(type=2)
    with pytest.raises(InputError, match="HC3 covariance of this fit has non-finite entries"):
        res.wald_test("one = 0")
