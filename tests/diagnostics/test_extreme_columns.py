"""Assumption checks of a design with a column near 1e300 or 1e-300.

Every statistic check() reports is invariant to scaling a design column by a constant,
so statsmodels on the same data with that column rescaled by hand (an independent
reference) must give the same numbers. Before, check() squared the raw column: RESET on
0 degrees of freedom, Breusch-Pagan on 1 instead of 3, Durbin-Watson's p NaN.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import linmod
import linmod.diagnostics as dg

sm = pytest.importorskip("statsmodels.api")
smf = pytest.importorskip("statsmodels.formula.api")
sm_diag = pytest.importorskip("statsmodels.stats.diagnostic")
from statsmodels.stats.outliers_influence import (  # noqa: E402
    OLSInfluence,
    variance_inflation_factor,
)
from statsmodels.stats.stattools import durbin_watson  # noqa: E402

FORMULA = "y ~ z + w + x"
RTOL = 1e-8


def _data(magnitude: float) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 120
    x = rng.normal(50, 10, n)
    w = rng.normal(size=n) + 0.3 * x / 10
    z = rng.normal(size=n) + 0.2 * w
    y = 1.0 + 0.5 * x - w + 2.0 * z + rng.normal(size=n) * (1 + 0.05 * np.abs(x - 50))
    return pd.DataFrame({"z": z * magnitude, "w": w, "x": x, "y": y})


def _quiet_check(res: object) -> tuple[pd.DataFrame, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = res.check().to_frame()  # type: ignore[attr-defined]
    return table, caught


def _row(table: pd.DataFrame, test: str) -> pd.Series:
    return table[table["test"].astype(str).str.startswith(test)].iloc[0]


@pytest.fixture(params=[1e300, 1e-300], ids=["1e300", "1e-300"])
def case(request):
    magnitude = request.param
    frame = _data(magnitude)
    by_hand = frame.assign(z=frame["z"] / magnitude)  # the reference: rescaled by hand
    ref = smf.ols(FORMULA, by_hand).fit()
    return linmod.ols(FORMULA, data=frame), ref


def test_check_statistics_match_statsmodels_on_the_column_rescaled_by_hand(case):
    res, ref = case
    table, caught = _quiet_check(res)
    messages = [f"{w.category.__name__}: {w.message}" for w in caught]
    assert not caught, messages  # no RuntimeWarning, no overflow, no rescale advice
    exog, resid = ref.model.exog, ref.resid.to_numpy()

    reset = sm_diag.linear_reset(ref, power=3, use_f=True)
    row = _row(table, "RESET")
    assert row["df"] == f"(2, {int(ref.df_resid) - 2})"
    np.testing.assert_allclose(row["statistic"], np.squeeze(reset.statistic), rtol=RTOL)
    np.testing.assert_allclose(row["p_value"], reset.pvalue, rtol=RTOL)

    f, p = sm_diag.linear_rainbow(ref, frac=0.5)
    row = _row(table, "Rainbow")
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [f, p], rtol=RTOL)

    row = _row(table, "Durbin-Watson")
    np.testing.assert_allclose(row["statistic"], durbin_watson(resid), rtol=RTOL)
    assert np.isfinite(row["p_value"])

    lm, p, _, _ = sm_diag.acorr_breusch_godfrey(ref, nlags=1, result_object=False)
    row = _row(table, "Breusch-Godfrey")
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [lm, p], rtol=RTOL)

    lm, p, _, _ = sm_diag.het_breuschpagan(resid, exog)
    row = _row(table, "Breusch-Pagan")
    assert row["df"] == "(3)"
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [lm, p], rtol=RTOL)

    lm, p, _, _ = sm_diag.het_white(resid, exog)
    row = _row(table, "White")
    assert row["df"] == "(9)"
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [lm, p], rtol=RTOL)

    by_fit = np.argsort(ref.fittedvalues.to_numpy(), kind="stable")  # check() orders so
    f, p, _ = sm_diag.het_goldfeldquandt(
        ref.model.endog[by_fit], exog[by_fit], split=0.5, result_object=False
    )
    row = _row(table, "Goldfeld-Quandt")
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [f, p], rtol=RTOL)

    w, p = stats.shapiro(resid)
    row = _row(table, "Shapiro-Wilk")
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [w, p], rtol=1e-6)


@pytest.mark.parametrize("test", ["Durbin-Watson", "Harvey-Collier"])
def test_what_statsmodels_lacks_matches_the_fit_rescaled_by_hand(case, test):
    # statsmodels has no exact Durbin-Watson p-value, and its recursive residuals give a
    # Harvey-Collier t ~3e-5 away from lmtest's on ordinary data too: the reference is the
    # R-parity-tested ordinary-magnitude path, on the column rescaled by hand
    res, ref = case
    table, _ = _quiet_check(res)
    frame = pd.DataFrame(ref.model.exog[:, 1:], columns=["z", "w", "x"])
    frame["y"] = ref.model.endog
    expected = _row(linmod.ols(FORMULA, data=frame).check().to_frame(), test)
    row = _row(table, test)
    assert row["df"] == expected["df"]
    np.testing.assert_allclose(
        [row["statistic"], row["p_value"]], [expected["statistic"], expected["p_value"]], rtol=1e-10
    )


def test_vif_and_influence_match_statsmodels_on_the_column_rescaled_by_hand(case):
    res, ref = case
    exog = ref.model.exog
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vif = dg.vif(res)
        influence = dg.influence(res)
    expected_vif = [variance_inflation_factor(exog, i) for i in range(1, 4)]
    np.testing.assert_allclose(vif[["z", "w", "x"]].to_numpy(), expected_vif, rtol=RTOL)
    sm_inf = OLSInfluence(ref)
    np.testing.assert_allclose(influence["leverage"], sm_inf.hat_matrix_diag, rtol=RTOL)
    np.testing.assert_allclose(
        influence["studentized_residual"], sm_inf.resid_studentized_external, rtol=RTOL
    )
    np.testing.assert_allclose(influence["cooks_distance"], sm_inf.cooks_distance[0], rtol=RTOL)
    np.testing.assert_allclose(influence["dffits"], sm_inf.dffits[0], rtol=RTOL)
    dfbetas = influence[[f"dfbeta_{c}" for c in ("Intercept", "z", "w", "x")]].to_numpy()
    np.testing.assert_allclose(dfbetas, sm_inf.dfbetas, rtol=1e-7, atol=1e-12)


def test_added_variable_data_stays_in_the_columns_own_units(case):
    res, ref = case
    magnitude = float(np.max(np.abs(res.design.x[:, 1]))) / np.max(np.abs(ref.model.exog[:, 1]))
    x_resid, y_resid, slope = dg.added_variable_data(res, ["z"])["z"]
    # statsmodels: residuals of z (rescaled) and of y on the other columns
    others = ref.model.exog[:, [0, 2, 3]]
    z_ref = sm.OLS(ref.model.exog[:, 1], others).fit().resid
    y_ref = sm.OLS(ref.model.endog, others).fit().resid
    np.testing.assert_allclose(x_resid / magnitude, z_ref, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(y_resid, y_ref, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(slope * magnitude, ref.params["z"], rtol=1e-9)


def test_rainbow_by_mahalanobis_distance_matches_the_fit_rescaled_by_hand(case):
    # the distances are taken on the scaled design with its (X'X)^-1 (scale-invariant);
    # statsmodels' use_distance orders by another distance, so the reference is the
    # ordinary-magnitude path on the column rescaled by hand
    res, ref = case
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = dg.rainbow(res, order_by="mahalanobis")
    frame = pd.DataFrame(ref.model.exog[:, 1:], columns=["z", "w", "x"])
    frame["y"] = ref.model.endog
    expected = dg.rainbow(linmod.ols(FORMULA, data=frame), order_by="mahalanobis")
    assert result.df == expected.df
    np.testing.assert_allclose(
        [result.statistic, result.p_value], [expected.statistic, expected.p_value], rtol=1e-10
    )


@pytest.fixture(params=[1e300, 1e-300], ids=["y 1e300", "y 1e-300"])
def response_case(request):
    """The response, not a column, near 1e300 or 1e-300: its squares (sums of squares of
    the residuals, their moments) leave float64's range. Before, check() stopped on a
    ZeroDivisionError in RESET (1e300) after a warning to rescale."""
    magnitude = request.param
    frame = _data(1.0)
    ref = smf.ols(FORMULA, frame).fit()  # the reference: the response as it was
    return linmod.ols(FORMULA, data=frame.assign(y=frame["y"] * magnitude)), ref, magnitude


def test_check_statistics_of_an_extreme_response_match_statsmodels(response_case):
    res, ref, _ = response_case
    test_check_statistics_match_statsmodels_on_the_column_rescaled_by_hand((res, ref))
    table, _ = _quiet_check(res)
    jb, p, _, _ = sm.stats.stattools.jarque_bera(ref.resid)
    row = _row(table, "Jarque-Bera")  # the residuals' third and fourth moments
    np.testing.assert_allclose([row["statistic"], row["p_value"]], [jb, p], rtol=RTOL)


def test_influence_of_an_extreme_response_matches_statsmodels(response_case):
    res, ref, magnitude = response_case
    test_vif_and_influence_match_statsmodels_on_the_column_rescaled_by_hand((res, ref))
    _, y_resid, slope = dg.added_variable_data(res, ["z"])["z"]
    others = ref.model.exog[:, [0, 2, 3]]
    y_ref = sm.OLS(ref.model.endog, others).fit().resid  # in the response's own units:
    np.testing.assert_allclose(y_resid / magnitude, y_ref, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(slope / magnitude, ref.params["z"], rtol=1e-9)
