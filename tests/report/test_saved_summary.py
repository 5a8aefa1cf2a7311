"""A loaded model has summary() and to_frame() from the saved numbers (issue 13)."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset

FORMULA = "mpg ~ wt + hp + C(cyl)"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    path = tmp_path_factory.mktemp("saved") / "m.json"
    data = load_dataset("mtcars")
    linmod.ols(FORMULA, data=data).save(path)
    return linmod.load(path), smf.ols(FORMULA, data=data).fit()


def test_to_frame_matches_statsmodels(saved):
    model, ref = saved
    table = model.to_frame()
    order = list(table.index)  # statsmodels puts factor columns first
    assert sorted(order) == sorted(ref.params.index)
    assert_allclose(table["coef"], ref.params[order], rtol=1e-10)
    assert_allclose(table["std_err"], ref.bse[order], rtol=1e-10)
    assert_allclose(table["t_value"], ref.tvalues[order], rtol=1e-10)
    assert_allclose(table["p_value"], ref.pvalues[order], rtol=1e-8)
    assert_allclose(table[["lower", "upper"]], ref.conf_int(0.05).loc[order], rtol=1e-10)
    assert_allclose(model.to_frame(0.9)["lower"], ref.conf_int(0.1)[0][order], rtol=1e-10)
    assert model.adj_r_squared == pytest.approx(ref.rsquared_adj, rel=1e-12)
    with pytest.raises(InputError, match=r"level=1\.5"):
        model.to_frame(1.5)


def test_summary_says_it_is_saved_and_shows_the_saved_numbers(saved):
    model, ref = saved
    text = model.summary()
    assert text.startswith("Saved OLS model (read from a model file): " + FORMULA)
    assert "no residual quantiles" in text
    # R's printCoefmat shows estimate and SE to a common number of decimals (5 here)
    assert f"{ref.params['wt']:.5f}" in text
    assert f"{ref.bse['wt']:.5f}" in text
    assert f"Residual standard error: {np.sqrt(ref.scale):.4g} on 27 degrees of freedom" in text
    assert f"Adjusted R-squared:  {ref.rsquared_adj:.4g}" in text
    assert f"F-statistic: {ref.fvalue:.4g} on 4 and 27 DF" in text
    assert "Observations: 32" in text
    assert str(model) == text


def test_summary_of_an_aliased_model(tmp_path):
    data = load_dataset("mtcars")
    data["wt2"] = 2 * data["wt"]
    linmod.ols("mpg ~ wt + wt2 + hp", data=data).save(tmp_path / "m.json")
    text = linmod.load(tmp_path / "m.json").summary()
    assert "(1 coefficient not defined because of singularities)" in text
    ref = smf.ols("mpg ~ wt + hp", data=data).fit()
    assert f"F-statistic: {ref.fvalue:.4g} on 2 and 29 DF" in text


def test_summary_of_a_saved_estimator(tmp_path):
    data = load_dataset("mtcars")
    estimator = linmod.Lasso(alpha=0.5).fit(data[["wt", "hp"]], data["mpg"])
    estimator.save(tmp_path / "e.json")
    model = linmod.load(tmp_path / "e.json")
    text = model.summary()
    assert text.startswith("Saved Lasso model")
    assert "no standard errors" in text
    assert f"{estimator.coef_[0]:.6g}" in text
    assert list(model.to_frame().columns) == ["coef"]
