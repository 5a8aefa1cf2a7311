"""Standardized (beta) coefficients against R (coef * sd(x) / sd(y), as lm.beta) and statsmodels."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import linmod

from ..conftest import load_dataset

REFERENCE = Path(__file__).resolve().parents[1] / "references" / "r" / "presentation_reference.json"


@pytest.fixture(scope="module")
def cases() -> dict:
    return {c["id"]: c for c in json.loads(REFERENCE.read_text())["standardized"]}


def test_factor_and_interaction_columns_match_r(cases):
    case = cases["mtcars_factor_interaction"]
    res = linmod.ols(case["formula"], data=load_dataset("mtcars"))
    table = res.standardized()
    assert list(table.index) == ["C(cyl)[T.6]", "C(cyl)[T.8]", "wt", "hp", "wt:hp"]
    assert len(case["terms"]) == len(table)  # R: factor(cyl)6, factor(cyl)8, wt, hp, wt:hp
    assert_allclose(table["coef"], case["coef"], rtol=1e-10)
    assert_allclose(table["sd_x"], case["sd_x"], rtol=1e-14)
    assert_allclose(table["standardized"], case["standardized"], rtol=1e-10)
    assert table["column"].tolist() == ["dummy", "dummy", "numeric", "numeric", "derived"]


def test_numeric_columns_match_r_and_statsmodels_on_z_scores(cases):
    case = cases["swiss_numeric"]
    data = load_dataset("swiss").rename(columns={"Infant.Mortality": "Infant_Mortality"})
    table = linmod.ols(case["formula"], data=data).standardized()
    assert_allclose(table["standardized"], case["standardized"], rtol=1e-11)
    assert (table["column"] == "numeric").all()
    # statsmodels (test-only): the slopes of the fit on z-scored columns.
    z = (data - data.mean()) / data.std(ddof=1)
    fit = sm.OLS(z["Fertility"], sm.add_constant(z.drop(columns="Fertility"))).fit()
    assert_allclose(table["standardized"], fit.params.drop("const"), rtol=1e-11)


def test_aliased_terms_are_nan_and_streamed_fits_are_refused(tmp_path):
    data = load_dataset("mtcars")
    data["wt2"] = 2 * data["wt"]
    table = linmod.ols("mpg ~ wt + wt2", data=data).standardized()
    assert np.isnan(table.loc["wt2", "standardized"])
    assert np.isfinite(table.loc["wt", "coef"])
    chunks = [data.iloc[:16], data.iloc[16:]]
    streamed = linmod.ols("mpg ~ wt", data=chunks)
    with pytest.raises(linmod.LinmodError, match=r"standardized\(\) needs the individual rows"):
        streamed.standardized()


def test_array_designs_are_all_numeric():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 2)) * [1.0, 10.0]
    y = x @ [2.0, 0.3] + rng.normal(size=40)
    res = linmod.ols(pd.DataFrame(x, columns=["a", "b"]), pd.Series(y, name="y"))
    table = res.standardized()
    expected = res.coef[["a", "b"]].to_numpy() * x.std(axis=0, ddof=1) / y.std(ddof=1)
    assert_allclose(table["standardized"], expected, rtol=1e-13)
    assert (table["column"] == "numeric").all()
