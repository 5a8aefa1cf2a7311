"""Wald and t tests, ANOVA tables and nested-model comparisons equal R's.

References: tests/references/r/hypothesis_reference.json, written by
generate_hypothesis.R (car::linearHypothesis, anova, car::Anova, lmtest::lrtest, sandwich).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod

from ..conftest import load_dataset

REFERENCE = json.loads(
    (Path(__file__).parents[1] / "references" / "r" / "hypothesis_reference.json").read_text()
)
TIGHT = 1e-9
P_VALUES = 1e-8


def _data(name: str):
    if name == "warpbreaks_unbalanced":
        frame = load_dataset("warpbreaks")
        return frame.drop(index=REFERENCE["unbalanced_drop"]).reset_index(drop=True)
    return load_dataset(name)


def _fit(case: dict):
    res = linmod.ols(case["formula_py"], data=_data(case["data"]))
    if case["cov"] == "HC3":
        return res.robust("HC3")
    if case["cov"] == "HAC2":
        return res.robust("HAC", lags=2)
    return res


def _nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@pytest.mark.parametrize("case", REFERENCE["wald"], ids=lambda c: c["id"])
def test_wald_test_equals_linear_hypothesis(case):
    res = _fit(case)
    f = res.wald_test(case["hypotheses_py"])
    assert f.distribution == "F"
    assert f.df_num == case["df"]
    assert f.df_denom == case["res_df"]
    assert_allclose(f.statistic, case["F"], rtol=TIGHT)
    assert_allclose(f.p_value, case["p_F"], rtol=P_VALUES)
    chi = res.wald_test(case["hypotheses_py"], use_f=False)
    assert chi.distribution == "chi2"
    assert_allclose(chi.statistic, case["Chisq"], rtol=TIGHT)
    assert_allclose(chi.p_value, case["p_Chisq"], rtol=P_VALUES)
    # The matrix form of the same hypothesis gives the same test.
    again = res.wald_test(f.matrix.to_numpy(), f.rhs)
    assert_allclose(again.statistic, f.statistic, rtol=1e-14)


@pytest.mark.parametrize("case", REFERENCE["t_test"], ids=lambda c: c["id"])
def test_t_test_equals_linear_combinations_in_r(case):
    res = _fit(case)
    table = res.t_test(case["hypotheses_py"]).table
    assert_allclose(table["rhs"], case["rhs"], rtol=0)
    for column in ("estimate", "std_err", "t_value", "lower", "upper"):
        assert_allclose(table[column], case[column], rtol=TIGHT, err_msg=column)
    assert_allclose(table["p_value"], case["p_value"], rtol=P_VALUES)


@pytest.mark.parametrize("case", REFERENCE["anova"], ids=lambda c: c["id"])
def test_anova_tables_equal_r_and_car(case):
    res = _fit(case)
    anova = res.anova(type=case["type"])
    table = anova.table
    terms = table.index[:-1]
    assert len(terms) == len(case["terms"])
    assert table.index[-1] == "Residuals"
    assert list(table["Df"].iloc[:-1]) == case["df"]
    assert table["Df"].iloc[-1] == case["resid_df"]
    assert_allclose(table["F value"].iloc[:-1], case["F"], rtol=TIGHT)
    assert_allclose(table["Pr(>F)"].iloc[:-1], _nan(case["p"]), rtol=P_VALUES)
    if case.get("sum_sq") is not None:
        assert_allclose(table["Sum Sq"].iloc[:-1], case["sum_sq"], rtol=TIGHT)
        assert_allclose(table["Sum Sq"].iloc[-1], case["resid_ss"], rtol=TIGHT)
    else:
        assert "Sum Sq" not in table.columns
    if case["sum_contrasts"]:
        assert anova.note is not None
        assert "sum-to-zero contrasts" in anova.note
    elif case["cov"] == "nonrobust":
        assert anova.note is None


def test_anova_of_nested_models_equals_r():
    ref = REFERENCE["nested"]
    data = load_dataset("mtcars")
    fits = [linmod.ols(f, data=data) for f in ref["formulas_py"]]
    table = linmod.anova(*fits).table
    assert_allclose(table["Res.Df"], ref["res_df"], rtol=0)
    assert_allclose(table["RSS"], ref["rss"], rtol=TIGHT)
    assert_allclose(table["Df"], _nan(ref["df"]), rtol=0)
    assert_allclose(table["Sum of Sq"], _nan(ref["sum_sq"]), rtol=TIGHT)
    assert_allclose(table["F"], _nan(ref["F"]), rtol=TIGHT)
    assert_allclose(table["Pr(>F)"], _nan(ref["p"]), rtol=P_VALUES)


def test_lr_test_equals_lmtest():
    ref = REFERENCE["nested"]
    data = load_dataset("mtcars")
    fits = [linmod.ols(f, data=data) for f in ref["formulas_py"]]
    table = linmod.lr_test(*fits).table
    assert_allclose(table["#Df"], ref["lr_df"], rtol=0)
    assert_allclose(table["LogLik"], ref["loglik"], rtol=TIGHT)
    assert_allclose(table["Df"], _nan(ref["lr_ddf"]), rtol=0)
    assert_allclose(table["Chisq"], _nan(ref["chisq"]), rtol=TIGHT)
    assert_allclose(table["Pr(>Chisq)"], _nan(ref["lr_p"]), rtol=P_VALUES)
