"""Every number of an OLS fit equals R's (lm, summary.lm, confint, predict.lm, sandwich).

References: tests/references/r/ols_reference.json, produced by generate_ols.R (R 4.2.2).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod

from ..conftest import R_REFERENCE, load_dataset

CASES = {k: v for k, v in json.loads(R_REFERENCE.read_text()).items() if not k.startswith("_")}
TIGHT = 1e-10
LOOSE = 1e-8  # p-values and robust covariances, as the issue specifies


def _nan(values):
    return np.array([np.nan if v is None else v for v in values], dtype=float)


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request):
    ref = CASES[request.param]
    data = load_dataset(ref["dataset"])
    res = linmod.ols(ref["linmod_formula"], data=data, **ref.get("linmod_kwargs", {}))
    return ref, res, data


def test_coefficients_and_their_inference(case):
    ref, res, _ = case
    assert len(res.coef) == len(ref["coef_names"])
    assert_allclose(res.coef, _nan(ref["coef"]), rtol=TIGHT)
    assert_allclose(res.std_err, _nan(ref["std_err"]), rtol=TIGHT)
    assert_allclose(res.t_values, _nan(ref["t_values"]), rtol=TIGHT)
    assert_allclose(res.p_values, _nan(ref["p_values"]), rtol=LOOSE)
    ci = res.conf_int()
    assert_allclose(ci["lower"], _nan(ref["conf_int_lower"]), rtol=TIGHT)
    assert_allclose(ci["upper"], _nan(ref["conf_int_upper"]), rtol=TIGHT)
    ci90 = res.conf_int(level=0.90)
    assert_allclose(ci90["lower"], _nan(ref["conf_int_90_lower"]), rtol=TIGHT)
    assert_allclose(ci90["upper"], _nan(ref["conf_int_90_upper"]), rtol=TIGHT)
    assert list(res.aliased) == ref["aliased"]


def test_fit_statistics(case):
    ref, res, _ = case
    assert res.n_obs == ref["n_obs"]
    assert res.df_resid == ref["df_resid"]
    assert res.design.n_dropped == ref["n_dropped"]
    for name in (
        "sigma",
        "r_squared",
        "adj_r_squared",
        "f_statistic",
        "log_likelihood",
        "aic",
        "bic",
    ):
        assert_allclose(getattr(res, name), ref[name], rtol=TIGHT, err_msg=name)
    assert res.df_model == ref["f_df_num"]
    assert_allclose(res.f_p_value, ref["f_p_value"], rtol=LOOSE)


def test_residuals_and_fitted_values(case):
    ref, res, _ = case
    scale = np.max(np.abs(ref["fitted"]))
    assert_allclose(res.fitted, ref["fitted"], rtol=TIGHT, atol=TIGHT * scale)
    assert_allclose(res.residuals, ref["residuals"], rtol=TIGHT, atol=TIGHT * scale)
    assert list(res.residuals.index) == ref["used_rows"]


def test_covariance_matrices(case):
    ref, res, _ = case
    kept = ~np.array(ref["aliased"])
    cov = res.cov_params().to_numpy()[np.ix_(kept, kept)]
    assert_allclose(cov, ref["vcov"], rtol=TIGHT, atol=1e-14 * np.abs(ref["vcov"]).max())
    for kind in ("hc0", "hc1", "hc2", "hc3"):
        robust = res.robust(kind.upper()).cov_params().to_numpy()[np.ix_(kept, kept)]
        scale = np.abs(ref[kind]).max()
        assert_allclose(robust, ref[kind], rtol=LOOSE, atol=1e-12 * scale, err_msg=kind)
    hac = res.robust("HAC", lags=2)
    assert_allclose(
        hac.cov_params().to_numpy()[np.ix_(kept, kept)],
        ref["hac_lag2"],
        rtol=LOOSE,
        atol=1e-12 * np.abs(ref["hac_lag2"]).max(),
    )
    assert_allclose(hac.std_err[kept], ref["hac_lag2_se"], rtol=LOOSE)


def test_predictions_with_intervals(case):
    ref, res, data = case
    new = data.iloc[ref["predict_rows"]]
    conf = res.predict(new, interval="confidence")
    pred = res.predict(new, interval="prediction")
    assert_allclose(conf["fit"], ref["predict_fit"], rtol=TIGHT)
    assert_allclose(conf["lower"], ref["predict_conf_lower"], rtol=TIGHT)
    assert_allclose(conf["upper"], ref["predict_conf_upper"], rtol=TIGHT)
    assert_allclose(pred["lower"], ref["predict_pred_lower"], rtol=TIGHT)
    assert_allclose(pred["upper"], ref["predict_pred_upper"], rtol=TIGHT)


def test_the_aliased_column_and_its_dependency_are_named():
    ref = CASES["mtcars_aliased"]
    res = linmod.ols(ref["linmod_formula"], data=load_dataset("mtcars"))
    assert res.dependencies == ["I(2 * wt) = 2·wt"]
    assert "1 coefficient not defined because of singularities" in res.summary()
    with pytest.raises(linmod.SingularDesignError, match=r"I\(2 \* wt\) = 2·wt"):
        linmod.ols(ref["linmod_formula"], data=load_dataset("mtcars"), on_singular="raise")
