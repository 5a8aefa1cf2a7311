"""Nested-model F tests and likelihood ratios: against statsmodels, and the refusals.

The reference values of R (anova(m1, m2, m3), lmtest::lrtest) are checked in
test_hypothesis_against_r.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.anova import anova_lm

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.fixture(scope="module")
def fits(cars):
    formulas = ("mpg ~ wt", "mpg ~ wt + hp", "mpg ~ wt + hp + C(cyl)")
    return [linmod.ols(f, data=cars) for f in formulas]


def test_f_tests_equal_statsmodels(cars, fits):
    formulas = ("mpg ~ wt", "mpg ~ wt + hp", "mpg ~ wt + hp + C(cyl)")
    theirs = anova_lm(*(smf.ols(f, data=cars).fit() for f in formulas))
    ours = linmod.anova(*fits).table
    assert_allclose(ours["RSS"], theirs["ssr"], rtol=1e-12)
    assert_allclose(ours["F"].iloc[1:], theirs["F"].iloc[1:], rtol=1e-10)
    # statsmodels refers each F to its own larger model's residual df, R (and linmod) to the
    # largest model's: the p-values agree where the two are the same model.
    assert_allclose(ours["Pr(>F)"].iloc[2], theirs["Pr(>F)"].iloc[2], rtol=1e-8)


def test_two_models_f_is_the_wald_f_of_the_extra_terms(fits):
    small, large = fits[0], fits[2]
    f = linmod.anova(small, large).table.loc[2, "F"]
    wald = large.wald_test("hp = 0, C(cyl)[T.6] = 0, C(cyl)[T.8] = 0")
    assert_allclose(f, wald.statistic, rtol=1e-10)


def test_larger_model_first_gives_negative_differences_as_r(fits):
    table = linmod.anova(fits[1], fits[0]).table
    assert table.loc[2, "Df"] == -1
    assert_allclose(table.loc[2, "F"], linmod.anova(fits[0], fits[1]).table.loc[2, "F"])


def test_lr_test_is_twice_the_log_likelihood_difference(fits):
    table = linmod.lr_test([fits[0], fits[1]]).table
    chisq = 2 * (fits[1].log_likelihood - fits[0].log_likelihood)
    assert_allclose(table.loc[2, "Chisq"], chisq, rtol=1e-12)
    assert_allclose(table.loc[2, "Pr(>Chisq)"], stats.chi2.sf(chisq, 1), rtol=1e-10)


def test_rendering(fits):
    text = str(linmod.anova(*fits))
    assert "Model 3: mpg ~ wt + hp + C(cyl)" in text
    assert "Res.Df" in text
    assert "Likelihood ratio test" in str(linmod.lr_test(*fits))


def test_array_fits_are_compared_too():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 3))
    y = x[:, 0] + rng.normal(size=40)
    small, large = linmod.ols(x[:, :1], y), linmod.ols(x, y)
    comparison = linmod.anova(small, large)
    assert comparison.formulas == ("y ~ x0", "y ~ x0 + x1 + x2")
    assert comparison.table.loc[2, "Df"] == 2


# ---------------------------------------------------------------- refusals
def test_non_nested_models_are_refused_naming_the_column(cars):
    a = linmod.ols("mpg ~ wt + hp", data=cars)
    b = linmod.ols("mpg ~ wt + qsec + disp", data=cars)
    with pytest.raises(InputError, match=r"models 1 and 2 are not nested: column 'hp' of model 1"):
        linmod.anova(a, b)
    with pytest.raises(InputError, match="not nested"):
        linmod.lr_test(a, b)


def test_models_on_different_rows_are_refused(cars):
    holes = cars.assign(hp=cars["hp"].where(cars.index % 5 != 0))
    small = linmod.ols("mpg ~ wt", data=cars)
    large = linmod.ols("mpg ~ wt + hp", data=holes, missing="drop")
    with pytest.raises(InputError, match=r"32 rows and model 2 on 25.*missing values: 0 and 7"):
        linmod.anova(small, large)
    shuffled = cars.sample(frac=1.0, random_state=0)
    with pytest.raises(InputError, match="different rows"):
        linmod.anova(small, linmod.ols("mpg ~ wt + hp", data=shuffled))


def test_other_response_is_refused(cars):
    with pytest.raises(InputError, match="model 2 explains 'qsec' but model 1 explains 'mpg'"):
        linmod.anova(linmod.ols("mpg ~ wt", data=cars), linmod.ols("qsec ~ wt", data=cars))


def test_bad_arguments(fits):
    with pytest.raises(InputError, match="two or more fits"):
        linmod.anova(fits[0])
    with pytest.raises(InputError, match="model 2 is a str"):
        linmod.anova(fits[0], "mpg ~ wt")
    with pytest.raises(InputError, match=r"model 2 uses the HC3 covariance.*wald_test"):
        linmod.lr_test(fits[0], fits[1].robust("HC3"))
