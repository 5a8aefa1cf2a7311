"""Every number of a weighted fit equals R's on ``lm(weights=)``.

References: tests/references/r/weights_reference.json, written by generate_weights.R
(R 4.2.2, sandwich 3.0.2, lmtest 0.9-40) on tests/data/mtcars.csv.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod

from ..conftest import load_dataset

REFERENCE = Path(__file__).parents[1] / "references" / "r" / "weights_reference.json"
CASES = {k: v for k, v in json.loads(REFERENCE.read_text()).items() if not k.startswith("_")}
WLS_CASES = ("precision", "zero_weights", "no_intercept")
TIGHT = 1e-10
LOOSE = 1e-8  # p-values and robust covariances


def _frame() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.fixture(scope="module", params=WLS_CASES)
def case(request):
    ref = CASES[request.param]
    data = _frame().assign(w=ref["weights"])
    res = linmod.ols(ref["linmod_formula"], data=data, weights="w")
    return request.param, ref, res, data


def test_coefficients_and_their_inference(case):
    _, ref, res, _ = case
    assert_allclose(res.coef, ref["coef"], rtol=TIGHT)
    assert_allclose(res.std_err, ref["std_err"], rtol=TIGHT)
    assert_allclose(res.t_values, ref["t_values"], rtol=TIGHT)
    assert_allclose(res.p_values, ref["p_values"], rtol=LOOSE)
    ci = res.conf_int(0.95)
    assert_allclose(ci.to_numpy(), np.array(ref["conf_int_95"]), rtol=TIGHT)


def test_fit_statistics(case):
    _, ref, res, _ = case
    assert res.df_resid == ref["df_resid"]
    assert res.n_obs == ref["nobs"]
    assert_allclose(res.sigma, ref["sigma"], rtol=TIGHT)
    assert_allclose(res.r_squared, ref["r_squared"], rtol=TIGHT)
    assert_allclose(res.adj_r_squared, ref["adj_r_squared"], rtol=TIGHT)
    assert_allclose(res.f_statistic, ref["f_statistic"], rtol=TIGHT)
    assert_allclose(res.f_p_value, ref["f_p_value"], rtol=LOOSE)
    assert_allclose(res.log_likelihood, ref["log_likelihood"], rtol=TIGHT)
    assert_allclose(res.aic, ref["aic"], rtol=TIGHT)
    assert_allclose(res.bic, ref["bic"], rtol=TIGHT)


def test_residuals_and_fitted_are_r_raw_ones_of_the_rows_in_the_fit(case):
    _, ref, res, _ = case
    kept = np.asarray(ref["weights"]) > 0
    assert list(res.residuals.index) == list(np.flatnonzero(kept))
    assert_allclose(res.residuals, np.asarray(ref["residuals"])[kept], rtol=1e-9, atol=1e-12)
    assert_allclose(res.fitted, np.asarray(ref["fitted"])[kept], rtol=TIGHT)
    assert_allclose(res.solution.residuals, ref["weighted_residuals"], rtol=1e-9, atol=1e-12)


def test_hat_values_and_influence_measures(case):
    _, ref, res, _ = case
    assert_allclose(res.leverage, ref["hat"], rtol=TIGHT)
    table = res.influence()
    assert_allclose(table["standardized_residual"], ref["rstandard"], rtol=1e-9)
    assert_allclose(table["studentized_residual"], ref["rstudent"], rtol=1e-9)
    assert_allclose(table["cooks_distance"], ref["cooks_distance"], rtol=1e-9)
    assert_allclose(table["dffits"], ref["dffits"], rtol=1e-9)
    assert_allclose(table["covratio"], ref["covratio"], rtol=1e-9)
    k = len(ref["coef"])
    infmat = np.array(ref["influence_matrix"])
    assert_allclose(infmat[:, :k], np.array(ref["dfbetas"]), rtol=1e-12)
    dfbetas = table[[c for c in table.columns if c.startswith("dfbeta_")]].to_numpy()
    assert_allclose(dfbetas, np.array(ref["dfbetas"]), rtol=1e-8, atol=1e-12)


def test_sandwich_covariances(case):
    name, ref, res, _ = case
    # sandwich 3.0.2 counts zero-weight rows in n (its HC0 is (n_fit/n_all)^2 times the
    # sandwich of the rows in the fit) and misaligns HC2/HC3's hat values with them (R
    # warns "longer object length"); linmod uses the rows in the fit, as R's df do.
    kinds = ("HC0",) if name == "zero_weights" else ("HC0", "HC1", "HC2", "HC3")
    n_fit, n_all = res.n_obs, len(ref["weights"])
    for kind in kinds:
        cov = res.robust(kind).cov_params().to_numpy()
        expected = np.array(ref[kind.lower()]) * (n_all / n_fit) ** 2
        assert_allclose(cov, expected, rtol=LOOSE)
    if "hac_lag2" in ref:
        cov = res.robust("HAC", lags=2).cov_params().to_numpy()
        assert_allclose(cov, np.array(ref["hac_lag2"]), rtol=LOOSE)


def test_prediction_intervals_use_sigma2_over_the_new_weights(case):
    _, ref, res, data = case
    new = data.iloc[:5]
    table = res.predict(new, interval="prediction", weights=ref["predict_weights"])
    assert_allclose(table.to_numpy(), np.array(ref["prediction_interval"]), rtol=TIGHT)
    table = res.predict(new, interval="confidence")
    assert_allclose(table.to_numpy(), np.array(ref["confidence_interval"]), rtol=TIGHT)


def test_new_rows_without_weights_assume_weight_one_with_rs_warning(case):
    _, _ref, res, data = case
    with pytest.warns(linmod.exceptions.LinmodWarning, match="constant prediction variance"):
        table = res.predict(data.iloc[:5], interval="prediction")
    with_one = res.predict(data.iloc[:5], interval="prediction", weights=np.ones(5))
    assert_allclose(table.to_numpy(), with_one.to_numpy(), rtol=0)


def test_assumption_tests_use_the_residuals_r_uses(case):
    name, ref, res, _ = case
    tests = {t.name: t for c in res.check().checks.values() for t in c.tests}
    dw = next(t for key, t in tests.items() if key.startswith("Durbin-Watson"))
    assert_allclose(dw.statistic, ref["dwtest_scaled"], rtol=1e-10)
    assert_allclose(tests["Shapiro-Wilk"].statistic, ref["shapiro_weighted"], rtol=1e-7)
    assert_allclose(tests["Shapiro-Wilk"].p_value, ref["shapiro_weighted_p"], rtol=1e-5)
    if name == "precision":  # lmtest's bptest on a weighted lm
        assert_allclose(tests["Breusch-Pagan"].statistic, ref["bptest"], rtol=1e-9)
        assert_allclose(tests["Breusch-Pagan"].p_value, ref["bptest_p"], rtol=1e-8)


def test_the_summary_names_the_meaning_and_the_dropped_rows(case):
    name, _, res, _ = case
    text = res.summary()
    assert "Weighted Residuals:" in text
    assert "Weights: precision (1/variance, as R's lm) from column 'w'" in text
    assert "Weights: precision (1/variance, as R&#x27;s lm)" in res._repr_html_()
    if name == "zero_weights":
        assert "3 zero-weight rows dropped from the fit" in text
    else:
        assert "zero-weight" not in text


# ---------------------------------------------------------------- frequency weights


@pytest.fixture(scope="module")
def frequency():
    ref = CASES["frequency"]
    data = _frame().assign(w=ref["weights"])
    return ref, linmod.ols(ref["formula"], data=data, weights="w", weights_type="frequency")


def test_frequency_weights_give_rs_fit_of_the_repeated_rows(frequency):
    ref, res = frequency
    assert res.n_obs == sum(ref["weights"])
    assert res.df_resid == ref["df_resid"]
    assert_allclose(res.coef, ref["coef"], rtol=TIGHT)
    assert_allclose(res.std_err, ref["std_err"], rtol=TIGHT)
    for key in ("sigma", "r_squared", "adj_r_squared", "f_statistic", "log_likelihood"):
        assert_allclose(getattr(res, key), ref[key], rtol=TIGHT, err_msg=key)
    assert_allclose(res.aic, ref["aic"], rtol=TIGHT)
    assert_allclose(res.bic, ref["bic"], rtol=TIGHT)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        cov = res.robust(kind).cov_params().to_numpy()
        assert_allclose(cov, np.array(ref[kind.lower()]), rtol=LOOSE, err_msg=kind)


# ---------------------------------------------------------------- sampling weights


def test_sampling_weights_have_wls_coefficients_and_hc1_standard_errors():
    ref = CASES["precision"]
    data = _frame().assign(w=ref["weights"])
    res = linmod.ols(ref["formula"], data=data, weights="w", weights_type="sampling")
    assert res.cov_type == "HC1"
    assert_allclose(res.coef, ref["coef"], rtol=TIGHT)
    assert_allclose(res.std_err, np.sqrt(np.diag(ref["hc1"])), rtol=LOOSE)
    assert_allclose(res.cov_params().to_numpy(), np.array(ref["hc1"]), rtol=LOOSE)
    # sigma with the weights rescaled to mean 1: free of the weights' scale
    scaled = linmod.ols(ref["formula"], data=data.assign(w=data.w * 1000), weights="w",
                        weights_type="sampling")  # fmt: skip
    assert_allclose(scaled.sigma, res.sigma, rtol=1e-12)
    assert_allclose(scaled.std_err, res.std_err, rtol=1e-12)
    mean = np.mean(ref["weights"])
    assert_allclose(res.sigma, ref["sigma"] / np.sqrt(mean), rtol=TIGHT)
    assert np.isnan(res.log_likelihood)
    assert np.isnan(res.aic)
    assert "Weights: sampling (inverse-probability; robust standard errors)" in str(res)
    with pytest.raises(linmod.exceptions.InputError, match="sampling weights"):
        res.predict(data.iloc[:3], interval="prediction")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res.predict(data.iloc[:3], interval="confidence")
