"""linmod.table: several models aligned by term, numbers checked against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.inference.model_table import ModelTable

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.fixture(scope="module")
def models(mtcars):
    m1 = linmod.ols("mpg ~ wt", data=mtcars)
    m2 = linmod.ols("mpg ~ wt + hp", data=mtcars).robust("HC3")
    m3 = linmod.ols("mpg ~ hp + qsec", data=mtcars)
    return m1, m2, m3


def test_terms_are_aligned_by_name_in_order_of_first_appearance(models, mtcars):
    table = linmod.table(list(models))
    assert isinstance(table, ModelTable)
    assert list(table.terms) == ["Intercept", "wt", "hp", "qsec"]
    assert table.names == ("(1)", "(2)", "(3)")
    assert table.covariance == ("classical", "HC3", "classical")
    refs = [
        smf.ols("mpg ~ wt", data=mtcars).fit(),
        smf.ols("mpg ~ wt + hp", data=mtcars).fit(cov_type="HC3", use_t=True),
        smf.ols("mpg ~ hp + qsec", data=mtcars).fit(),
    ]
    for name, ref in zip(table.names, refs, strict=True):
        params = ref.params.rename({"Intercept": "Intercept"})
        assert_allclose(table.estimates[name].dropna(), params, rtol=1e-10)
        assert_allclose(table.std_err[name].dropna(), ref.bse, rtol=1e-8)
        assert_allclose(table.p_value[name].dropna(), ref.pvalues, rtol=1e-7)
        stats = table.fit_statistics[name]
        assert stats["N"] == ref.nobs
        assert_allclose(stats["R2"], ref.rsquared, rtol=1e-12)
        assert_allclose(stats["Adj. R2"], ref.rsquared_adj, rtol=1e-12)
        assert_allclose(stats["Sigma"], np.sqrt(ref.scale), rtol=1e-12)
        assert_allclose(stats["AIC"], ref.aic + 2, rtol=1e-12)  # R counts sigma: +2
        assert_allclose(stats["BIC"], ref.bic + np.log(ref.nobs), rtol=1e-12)
        assert_allclose(stats["F"], ref.fvalue, rtol=1e-8)
    assert np.isnan(table.estimates.loc["qsec", "(1)"])
    assert not table.present.loc["qsec", "(1)"]
    assert table.present.loc["wt", "(1)"]


def test_names_from_a_dict_or_a_list(models):
    table = linmod.table({"base": models[0], "robust": models[1]})
    assert table.names == ("base", "robust")
    assert linmod.table(models[0]).names == ("(1)",)
    assert linmod.table(list(models[:2]), names=["a", "b"]).names == ("a", "b")


def test_confidence_intervals_and_t_values(models):
    table = linmod.table(list(models), statistic="conf_int", level=0.9)
    ci = models[1].conf_int(0.9)
    assert_allclose(table.lower["(2)"].dropna(), ci["lower"], rtol=1e-14)
    assert_allclose(table.upper["(2)"].dropna(), ci["upper"], rtol=1e-14)
    assert table.level == 0.9
    assert table.statistic == "conf_int"


def test_aliased_terms_are_present_with_nan(mtcars):
    data = mtcars.assign(wt2=2 * mtcars["wt"])
    table = linmod.table([linmod.ols("mpg ~ wt + wt2", data=data)])
    assert table.present.loc["wt2", "(1)"]
    assert np.isnan(table.estimates.loc["wt2", "(1)"])


def test_penalised_fits_show_coefficients_only(mtcars):
    lasso = linmod.lasso("mpg ~ wt + hp", data=mtcars, alpha=0.1)
    table = linmod.table([linmod.ols("mpg ~ wt + hp", data=mtcars), lasso])
    assert_allclose(table.estimates["(2)"], lasso.coef.to_numpy(), rtol=0)
    assert table.std_err["(2)"].isna().all()
    assert table.p_value["(2)"].isna().all()
    assert table.covariance[1] == "none (lasso, alpha=0.1)"
    assert table.fit_statistics.loc["N", "(2)"] == 32
    assert_allclose(table.fit_statistics.loc["R2", "(2)"], lasso.r_squared, rtol=0)
    assert np.isnan(table.fit_statistics.loc["AIC", "(2)"])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda m: linmod.table([]), "at least one fitted model"),
        (lambda m: linmod.table([m, "x"]), "not str"),
        (lambda m: linmod.table([m], statistic="z"), "statistic='z' is not known"),
        (lambda m: linmod.table([m, m], names=["a"]), "must give 2 different names"),
        (lambda m: linmod.table([m, m], names=["a", "a"]), "must give 2 different names"),
        (lambda m: linmod.table([m], level=1.5), "level=1.5 must lie strictly between"),
        (lambda m: linmod.table([linmod.LinearRegression()]), "pass\\s+its .results_"),
    ],
)
def test_bad_calls_are_refused(models, call, message):
    with pytest.raises(linmod.InputError, match=message):
        call(models[0])
