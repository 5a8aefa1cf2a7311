"""Every diagnostic statistic and p-value equals R's (lmtest, car, nortest, stats).

References: tests/references/r/diagnostics_reference.json, written by
tests/references/r/generate_diagnostics.R (R 4.2.2, lmtest 0.9.40, car 3.1.1,
nortest 1.0.4) on eleven fits of ten real data sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod import diagnostics as dg

from ..conftest import load_dataset

REFERENCE = Path(__file__).resolve().parents[1] / "references" / "r" / "diagnostics_reference.json"
CASES = {k: v for k, v in json.loads(REFERENCE.read_text()).items() if not k.startswith("_")}
RTOL = 1e-8


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    ref = CASES[request.param]
    data = load_dataset(ref["dataset"])
    res = linmod.ols(ref["linmod_formula"], data=data, **ref.get("linmod_kwargs", {}))
    return request.param, ref, res


def _usable(entry: dict) -> bool:
    return "error" not in entry and "r_warnings" not in entry and entry["statistic"] is not None


def _zero_df(entry: dict) -> bool:
    return 0 in entry.get("parameter", [])


def _check(result: dg.TestResult, entry: dict, df: bool = True) -> None:
    if not _usable(entry):
        pytest.skip(f"R gave no usable value: {entry.get('error') or entry.get('r_warnings')}")
    assert_allclose(result.statistic, entry["statistic"], rtol=RTOL)
    assert_allclose(result.p_value, entry["p_value"], rtol=RTOL)
    if df and "parameter" in entry:
        assert_allclose(result.df, entry["parameter"], rtol=0)


# --------------------------------------------------------------------------- linearity
def test_reset(case):
    _, ref, res = case
    _check(dg.reset(res), ref["resettest"])
    _check(dg.reset(res, powers=(2,)), ref["resettest_power2"])


def test_rainbow(case):
    name, ref, res = case
    _check(dg.rainbow(res), ref["raintest"])
    if _zero_df(ref["raintest_fraction04"]):
        # R returns NaN with 0 residual df; linmod says what to change instead.
        with pytest.raises(linmod.InputError, match="increase fraction"):
            dg.rainbow(res, fraction=0.4)
    else:
        _check(dg.rainbow(res, fraction=0.4), ref["raintest_fraction04"])
    result = dg.rainbow(res, order_by="mahalanobis")
    if name == "duncan_type":
        # The 22 central observations contain no 'wc' occupation, so the subset fit has
        # rank 4, not 5: R still divides by n1 - ncol(X) = 17, linmod by n1 - rank = 18.
        entry = ref["raintest_mahalanobis"]
        assert result.df == (23.0, 18.0)
        assert entry["parameter"] == [23, 17]
        assert_allclose(result.statistic * 17 / 18, entry["statistic"], rtol=RTOL)
    else:
        _check(result, ref["raintest_mahalanobis"])


def test_harvey_collier(case):
    name, ref, res = case
    result = dg.harvey_collier(res)
    if "error" in ref["harvtest_qr"]:
        # The first k rows are singular (sorted factor levels): R's harvtest fails, linmod
        # starts the recursion at the first full-rank prefix.
        assert result["first_recursive_row"] > res.rank
        return
    # R's recursion solved by QR at every step ...
    _check(result, ref["harvtest_qr"])
    # ... and lmtest::harvtest itself, whose Sherman-Morrison updates lose 3 digits on
    # Longley's ill-conditioned design (condition number 4e4 after scaling).
    if name != "longley_all":
        _check(result, ref["harvtest"])


# --------------------------------------------------------------------------- independence
@pytest.mark.parametrize(
    ("alternative", "key"),
    [("greater", "dwtest_greater"), ("two-sided", "dwtest_two_sided"), ("less", "dwtest_less")],
)
def test_durbin_watson(case, alternative, key):
    _, ref, res = case
    _check(dg.durbin_watson(res, alternative=alternative), ref[key])


def test_durbin_watson_normal_approximation(case):
    _, ref, res = case
    _check(dg.durbin_watson(res, exact=False), ref["dwtest_approx"])


def test_breusch_godfrey(case):
    _, ref, res = case
    _check(dg.breusch_godfrey(res), ref["bgtest_1"])
    _check(dg.breusch_godfrey(res, order=2), ref["bgtest_2"])
    _check(dg.breusch_godfrey(res, order=2, test="F"), ref["bgtest_2_F"])


# --------------------------------------------------------------------------- variance
def test_breusch_pagan(case):
    _, ref, res = case
    _check(dg.breusch_pagan(res), ref["bptest"])
    _check(dg.breusch_pagan(res, studentize=False), ref["bptest_classic"])


def test_goldfeld_quandt(case):
    _, ref, res = case
    _check(dg.goldfeld_quandt(res), ref["gqtest"])
    _check(dg.goldfeld_quandt(res, alternative="two-sided"), ref["gqtest_two_sided"])
    if _zero_df(ref["gqtest_fraction02"]):
        with pytest.raises(linmod.InputError, match="0 degrees of freedom"):
            dg.goldfeld_quandt(res, fraction=0.2)
    else:
        _check(dg.goldfeld_quandt(res, fraction=0.2), ref["gqtest_fraction02"])


def test_order_by(case):
    _, ref, res = case
    if "order_by" not in ref:
        pytest.skip("no order_by variant for this case")
    column = ref["order_by"]
    key = load_dataset(ref["dataset"]).loc[res.design.row_labels, column].to_numpy()
    _check(dg.goldfeld_quandt(res, order_by=key), ref["gqtest_order_by"])
    _check(dg.goldfeld_quandt(res, order_by=column), ref["gqtest_order_by"])
    _check(dg.rainbow(res, order_by=column), ref["raintest_order_by"])
    _check(dg.durbin_watson(res, order_by=column), ref["dwtest_order_by"])
    _check(dg.harvey_collier(res, order_by=column), ref["harvtest_order_by"])


# --------------------------------------------------------------------------- normality
def test_shapiro_wilk(case):
    _, ref, res = case
    _check(dg.shapiro_wilk(res), ref["shapiro"])


def test_anderson_darling(case):
    _, ref, res = case
    _check(dg.anderson_darling(res), ref["ad_test"])


# --------------------------------------------------------------------------- collinearity
def test_vif(case):
    _, ref, res = case
    if "vif" not in ref:
        pytest.skip("car::vif needs at least two terms")
    values = dg.vif(res)
    assert len(values) == len(ref["vif_terms"])
    assert_allclose(values.to_numpy(), ref["vif"], rtol=RTOL)
    if "vif_df" in ref:
        table = dg.gvif(res)
        assert_allclose(table["df"], ref["vif_df"], rtol=0)
        assert_allclose(table["gvif_1_2df"], ref["vif_gvif_1_2df"], rtol=RTOL)


# --------------------------------------------------------------------------- influence
def test_influence_measures(case):
    _, ref, res = case
    table = dg.influence(res)
    assert_allclose(table["leverage"], ref["hatvalues"], rtol=RTOL)
    assert_allclose(table["leverage"], ref["infmat_hat"], rtol=RTOL)
    assert_allclose(table["standardized_residual"], ref["rstandard"], rtol=RTOL)
    assert_allclose(table["studentized_residual"], ref["rstudent"], rtol=RTOL)
    assert_allclose(table["cooks_distance"], ref["cooks_distance"], rtol=RTOL)
    assert_allclose(table["cooks_distance"], ref["infmat_cook_d"], rtol=RTOL)
    assert_allclose(table["dffits"], ref["dffits"], rtol=RTOL)
    assert_allclose(table["dffits"], ref["infmat_dffit"], rtol=RTOL)
    assert_allclose(table["covratio"], ref["covratio"], rtol=RTOL)
    assert_allclose(table["covratio"], ref["infmat_cov_r"], rtol=RTOL)
    dfb = table[[c for c in table.columns if c.startswith("dfbeta_")]].to_numpy()
    expected = np.array(ref["dfbetas"], dtype=float)
    assert dfb.shape == expected.shape
    assert_allclose(dfb, expected, rtol=RTOL, atol=RTOL * np.abs(expected).max())


def test_outlier_test(case):
    _, ref, res = case
    result = dg.outlier_test(res)
    assert_allclose(result.statistic, ref["outlier_max_abs_rstudent"], rtol=RTOL)
    assert_allclose(result["p_value_unadjusted"], ref["outlier_p_unadjusted"], rtol=RTOL)
    assert_allclose(result["bonferroni_p_value_raw"], ref["outlier_bonferroni_raw"], rtol=RTOL)
    assert_allclose(result.p_value, min(1.0, ref["outlier_bonferroni_raw"]), rtol=RTOL)
    # R names the row by its row name: the 1-based CSV row (the reference stores it 0-based).
    assert ref["outlier_row"] in list(res.design.row_labels)
    assert result["observation"] == ref["outlier_row"] + 1
    flagged = result["flagged"]
    assert bool(flagged) == ref["outlier_signif"]
    if ref["outlier_signif"]:
        assert [f["observation"] for f in flagged] == [r + 1 for r in ref["outlier_flagged_rows"]]
        assert_allclose(
            [f["bonferroni_p_value"] for f in flagged], ref["outlier_flagged_bonf_p"], rtol=RTOL
        )
