"""Cluster-robust covariances against statsmodels, their presentation, and bad groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

import linmod
from linmod.exceptions import InputError, LinmodError, LinmodWarning

from ..conftest import DATA_DIR

sm = pytest.importorskip("statsmodels.api")
sandwich_covariance = pytest.importorskip("statsmodels.stats.sandwich_covariance")


@pytest.fixture(scope="module")
def grunfeld() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "Grunfeld.csv")


@pytest.fixture(scope="module")
def fit(grunfeld):
    return linmod.ols("invest ~ value + capital", data=grunfeld)


@pytest.fixture(scope="module")
def sm_fit(grunfeld):
    x = sm.add_constant(grunfeld[["value", "capital"]].to_numpy())
    return sm.OLS(grunfeld["invest"].to_numpy(), x).fit()


def _codes(values: pd.Series) -> np.ndarray:
    return pd.factorize(values)[0]


# ----------------------------------------------------------------- statsmodels
@pytest.mark.parametrize(("kind", "correction"), [("CR1", True), ("CR0", False)])
def test_one_way_equals_statsmodels(fit, sm_fit, grunfeld, kind, correction):
    # statsmodels' default (use_correction=True) is vcovCL's CR1, G/(G-1) (n-1)/(n-k)
    expected = sandwich_covariance.cov_cluster(
        sm_fit, _codes(grunfeld["firm"]), use_correction=correction
    )
    got = fit.robust("cluster", groups="firm", type=kind).cov_params().to_numpy()
    assert_allclose(got, expected, rtol=1e-10)


def test_one_way_equals_statsmodels_fit_option(fit, grunfeld):
    x = sm.add_constant(grunfeld[["value", "capital"]].to_numpy())
    model = sm.OLS(grunfeld["invest"].to_numpy(), x)
    expected = model.fit(cov_type="cluster", cov_kwds={"groups": _codes(grunfeld["firm"])})
    got = fit.robust(groups="firm")
    assert_allclose(got.std_err, expected.bse, rtol=1e-10)


def test_cr3_equals_statsmodels_cluster_jackknife(fit, sm_fit, grunfeld):
    # CR3 is the approximate jackknife: statsmodels' crv3 without its (G-1)/G
    expected = sandwich_covariance.cov_cluster(
        sm_fit, _codes(grunfeld["firm"]), use_correction=False, crv_type="cluster-crv3"
    )
    got = fit.robust(groups="firm", type="CR3").cov_params().to_numpy()
    assert_allclose(got, expected, rtol=1e-9)


@pytest.mark.parametrize(("kind", "correction"), [("CR1", True), ("CR0", False)])
def test_two_way_equals_statsmodels(fit, sm_fit, grunfeld, kind, correction):
    groups = np.column_stack([_codes(grunfeld["firm"]), _codes(grunfeld["year"])])
    expected = sandwich_covariance.cov_cluster_2groups(sm_fit, groups, use_correction=correction)[0]
    got = fit.robust(groups=["firm", "year"], type=kind).cov_params().to_numpy()
    assert_allclose(got, expected, rtol=1e-10)


def test_two_way_negative_variance_is_nan_with_a_warning():
    # Three firms by three years on twelve rows: V_a + V_b - V_ab has a negative diagonal.
    rng = np.random.default_rng(8)
    a, b = rng.integers(0, 3, 12), rng.integers(0, 3, 12)
    frame = pd.DataFrame({"y": rng.normal(size=12), "x": rng.normal(size=12), "a": a, "b": b})
    res = linmod.ols("y ~ x", data=frame)
    with pytest.warns(LinmodWarning, match=r"not positive semi-definite: the variance of 'Int"):
        robust = res.robust(groups=["a", "b"])
    x = sm.add_constant(frame["x"].to_numpy())
    expected = sandwich_covariance.cov_cluster_2groups(
        sm.OLS(frame["y"].to_numpy(), x).fit(), frame[["a", "b"]].to_numpy()
    )[0]
    assert expected[0, 0] < 0
    assert_allclose(robust.cov_params().to_numpy(), expected, rtol=1e-10)
    assert np.isnan(robust.std_err["Intercept"])
    assert np.isfinite(robust.std_err["x"])


def test_every_row_its_own_cluster_is_hc1_hc2_hc3(fit):
    """With singleton clusters CR0/CR2/CR3 are HC0/HC2/HC3 up to vcovCL's factors."""
    rows = np.arange(fit.n_obs)
    n, k = fit.n_obs, fit.rank
    pairs = {"CR0": ("HC0", 1.0), "CR1": ("HC1", n / (n - 1) * (n - 1) / (n - k) * (n - k) / n)}
    pairs |= {"CR2": ("HC2", 1.0), "CR3": ("HC3", 1.0)}
    for kind, (hc, factor) in pairs.items():
        got = fit.robust(groups=rows, type=kind).cov_params()
        assert_allclose(got, fit.robust(hc).cov_params() * factor, rtol=1e-10)


# ----------------------------------------------------------------- presentation
def test_summary_table_and_json_name_the_clusters(fit, grunfeld):
    robust = fit.robust(groups="firm")
    assert robust.cov_type == "cluster"
    assert "Standard errors: cluster-robust (CR1), 11 clusters by firm" in robust.summary()
    two = fit.robust(groups=["firm", "year"], type="CR2")
    assert "cluster-robust (CR2), 11 clusters by firm and 20 by year" in two.summary()
    labelled = fit.robust(groups=grunfeld["firm"].rename("company").to_numpy())
    assert "11 clusters by groups" in labelled.summary()
    named = fit.robust(groups=grunfeld["firm"].rename("company"))
    assert "11 clusters by company" in named.summary()
    table = robust.to_frame()
    assert_allclose(table["std_err"], robust.std_err, rtol=0)
    assert_allclose(table["p_value"], robust.p_values, rtol=0)


def test_back_to_hc_forgets_the_clusters(fit):
    again = fit.robust(groups="firm").robust("HC3")
    assert again.clusters is None
    assert again.cov_type == "HC3"
    assert_allclose(again.std_err, fit.robust("HC3").std_err, rtol=0)


def test_groups_alone_implies_cluster(fit):
    assert fit.robust(groups="firm").cov_type == "cluster"
    assert_allclose(
        fit.robust(groups="firm").std_err, fit.robust("cluster", groups="firm").std_err, rtol=0
    )


def test_id_column_can_cluster(grunfeld):
    frame = grunfeld.assign(row=[f"r{i}" for i in range(len(grunfeld))])
    res = linmod.ols("invest ~ value + capital", data=frame, id="row")
    robust = res.robust(groups="firm")
    assert_allclose(
        robust.std_err,
        linmod.ols("invest ~ value + capital", data=grunfeld).robust(groups="firm").std_err,
        rtol=0,
    )


# ----------------------------------------------------------------- bad input
def test_unknown_column_is_named(fit):
    with pytest.raises(InputError, match=r"groups='company': no such column.*'firm'"):
        fit.robust(groups="company")


def test_missing_labels_name_the_rows(grunfeld):
    frame = grunfeld.copy()
    frame["firm"] = frame["firm"].astype(object)
    frame.loc[[2, 40], "firm"] = None
    res = linmod.ols("invest ~ value + capital", data=frame)
    with pytest.raises(InputError, match=r"groups 'firm' is missing in rows 3, 41;"):
        res.robust(groups="firm")
    labels = frame["firm"].to_numpy()
    with pytest.raises(InputError, match=r"groups 'groups' is missing in rows 3, 41;"):
        res.robust(groups=labels)


def test_missing_labels_in_dropped_rows_do_not_matter(grunfeld):
    frame = grunfeld.copy()
    frame["firm"] = frame["firm"].astype(object)
    frame.loc[5, ["firm", "invest"]] = [None, np.nan]
    res = linmod.ols("invest ~ value + capital", data=frame, missing="drop")
    assert res.robust(groups="firm").clusters.counts == (11,)


def test_one_cluster_is_refused(grunfeld):
    res = linmod.ols("invest ~ value + capital", data=grunfeld[grunfeld["firm"] == "IBM"])
    with pytest.raises(InputError, match=r"single cluster \('IBM'\).*at least two clusters"):
        res.robust(groups="firm")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "cluster"}, r"needs groups="),
        ({"groups": "firm", "type": "CR9"}, r"type='CR9' is not a cluster-robust type"),
        ({"kind": "HC3", "groups": "firm"}, r"groups= is for cluster-robust errors, not kind="),
        ({"kind": "HC1", "type": "CR2"}, r"type='CR2' is for cluster-robust errors"),
        ({"groups": "firm", "lags": 2}, r"lags=2 applies to kind='HAC' only"),
        ({"groups": []}, r"names no clustering dimension"),
        ({"groups": np.arange(7)}, r"has 7 labels, but the fit used 220 rows"),
        ({"groups": list(range(7))}, r"has 7 labels, but the fit used 220 rows"),
        ({"groups": np.zeros((220, 2, 2))}, r"one label per row"),
        ({"groups": [{"firm": 1}] * 220}, r"cannot label clusters"),
    ],
)
def test_bad_arguments(fit, kwargs, message):
    with pytest.raises(InputError, match=message):
        fit.robust(**kwargs)


def test_column_name_needs_a_formula_fit(grunfeld):
    res = linmod.ols(grunfeld[["value", "capital"]].to_numpy(), grunfeld["invest"].to_numpy())
    with pytest.raises(InputError, match=r"groups='firm' names a column.*one label per row"):
        res.robust(groups="firm")


def test_streamed_fit_refuses_clusters_and_hc4(tmp_path, grunfeld):
    path = tmp_path / "g.csv"
    grunfeld.to_csv(path, index=False)
    res = linmod.ols("invest ~ value + capital", data=str(path), chunksize=50, second_pass=True)
    with pytest.raises(InputError, match=r"streamed or distributed fit.*fit the data in memory"):
        res.robust(groups="firm")
    for kind in ("HC4", "HC5"):
        with pytest.raises(LinmodError, match=rf"{kind} of a streamed or distributed fit"):
            res.robust(kind)


def test_confidence_interval_of_a_prediction_uses_the_clustered_covariance(fit, grunfeld):
    robust = fit.robust(groups="firm", type="CR2")
    new = grunfeld.head(3)
    x0 = np.column_stack([np.ones(3), new[["value", "capital"]].to_numpy()])
    cov = robust.cov_params().to_numpy()
    se = np.sqrt(np.einsum("ij,jk,ik->i", x0, cov, x0))
    half = stats.t.isf(0.025, robust.df_resid) * se
    table = robust.predict(new, interval="confidence")
    assert_allclose(table["upper"] - table["fit"], half, rtol=1e-10)
