"""Cluster-robust covariances equal R's sandwich::vcovCL and clubSandwich; HC4/HC5 vcovHC.

References: tests/references/r/cluster_reference.json, written by generate_cluster.R
(R 4.2.2, sandwich 3.0.2, lmtest 0.9.40, clubSandwich 0.5.8).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod

from ..conftest import DATA_DIR, ROOT

REFERENCE = json.loads((ROOT / "references" / "r" / "cluster_reference.json").read_text())
CLUSTER = REFERENCE["cluster"]
HC = REFERENCE["hc"]
TIGHT = 1e-10  # covariances, standard errors, t values, intervals
LOOSE = 1e-8  # p-values (R's pt and scipy's stdtr agree to about this)


def _data(name: str) -> pd.DataFrame:
    if name == "Grunfeld_na":
        frame = pd.read_csv(DATA_DIR / "Grunfeld.csv")
        frame.loc[[3, 59], "invest"] = np.nan  # R's rows 4 and 60
        return frame
    return pd.read_csv(DATA_DIR / f"{name.removesuffix('_mixed')}.csv")


def _groups(ref: dict):
    """A column name, a list of them, or the labels the R script made (``labels``)."""
    if "labels" in ref:
        return np.array(ref["labels"], dtype=object)
    return ref["groups"][0] if len(ref["groups"]) == 1 else ref["groups"]


def _fit(ref: dict) -> tuple[linmod.OLSResults, pd.DataFrame]:
    data = _data(ref["data"])
    missing = "drop" if ref["data"].endswith("_na") else "raise"
    return linmod.ols(ref["linmod_formula"], data=data, missing=missing), data


def _plain(name: str) -> str:
    """R's and linmod's names of the same coefficient, alike: factor(f)a, C(f)[T.a] -> a."""
    for prefix in ("factor(firm)", "C(firm)[T."):
        name = name.removeprefix(prefix).removesuffix("]") if name.startswith(prefix) else name
    return "Intercept" if name == "(Intercept)" else name


def _vcov(res: linmod.OLSResults, ref: dict) -> np.ndarray:
    """linmod's covariance over R's ``vcov_names``, in R's order (R sorts factor levels in
    the locale's order, linmod in code-point order)."""
    position = {_plain(name): i for i, name in enumerate(res.names)}
    rows = [position[_plain(name)] for name in ref["vcov_names"]]
    return res.cov_params().to_numpy()[np.ix_(rows, rows)]


def _nan(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


CASES = [
    (name, kind)
    for name, ref in sorted(CLUSTER.items())
    for kind in ("CR0", "CR1", "CR2", "CR3")
    if kind in ref
]


@pytest.mark.parametrize(("name", "kind"), CASES, ids=[f"{n}-{k}" for n, k in CASES])
def test_cluster_covariance_equals_vcovcl(name, kind):
    ref = CLUSTER[name]
    res, _ = _fit(ref)
    robust = res.robust("cluster", groups=_groups(ref), type=kind)
    expected = ref[kind]
    assert res.n_obs == ref["n_obs"]
    assert_allclose(_vcov(robust, ref), np.array(expected["vcov"]), rtol=TIGHT, atol=0)
    assert_allclose(_r_order(robust.std_err, ref), expected["std_err"], rtol=TIGHT)
    assert_allclose(_r_order(robust.t_values, ref), expected["t_value"], rtol=TIGHT)
    assert_allclose(_r_order(robust.p_values, ref), expected["p_value"], rtol=LOOSE)
    ci = robust.conf_int()
    bounds = np.array(expected["conf_int"], dtype=float)
    assert_allclose(_r_order(ci["lower"], ref), bounds[:, 0], rtol=TIGHT)
    assert_allclose(_r_order(ci["upper"], ref), bounds[:, 1], rtol=TIGHT)
    assert robust.std_err[robust.aliased].isna().all()
    if "wald_f" in expected:
        assert_allclose(robust.f_statistic, expected["wald_f"], rtol=TIGHT)
        assert [robust.df_model, robust.df_resid] == expected["wald_df"]
        assert_allclose(robust.f_p_value, expected["wald_p"], rtol=LOOSE)
    table = robust.to_frame()
    assert_allclose(table["std_err"], robust.std_err, rtol=0)


def _r_order(values: pd.Series, ref: dict) -> np.ndarray:
    """linmod's per-coefficient values over R's ``vcov_names`` (the non-aliased ones)."""
    by_name = {_plain(name): v for name, v in values.items()}
    return np.array([by_name[_plain(name)] for name in ref["vcov_names"]])


CLUB = [
    (name, key) for name, ref in sorted(CLUSTER.items()) for key in ref if key.startswith("club_")
]
CLUB_TYPES = {"club_CR0": "CR0", "club_CR1S": "CR1", "club_CR2": "CR2", "club_CR3": "CR3"}


@pytest.mark.parametrize(("name", "key"), CLUB, ids=[f"{n}-{k}" for n, k in CLUB])
def test_cluster_covariance_equals_clubsandwich(name, key):
    ref = CLUSTER[name]
    res, _ = _fit(ref)
    robust = res.robust("cluster", groups=_groups(ref), type=CLUB_TYPES[key])
    assert_allclose(_vcov(robust, ref), np.array(ref[key]["vcov"]), rtol=1e-9, atol=0)


def test_labels_for_every_row_of_the_data_follow_the_dropped_rows():
    ref = CLUSTER["grunfeld_missing"]
    res, data = _fit(ref)
    assert res.design.n_dropped == 2
    for groups in (data["firm"], data["firm"].to_numpy(), list(data["firm"])):
        robust = res.robust(groups=groups)
        assert_allclose(_vcov(robust, ref), np.array(ref["CR1"]["vcov"]), rtol=TIGHT, atol=0)
    used = data["firm"].to_numpy()[res.design.row_labels]  # one label per row used
    robust = res.robust(groups=used, type="CR2")
    assert_allclose(_vcov(robust, ref), np.array(ref["CR2"]["vcov"]), rtol=TIGHT, atol=0)


def test_array_fit_takes_labels():
    ref = CLUSTER["grunfeld_twoway"]
    data = _data("Grunfeld")
    res = linmod.ols(data[["value", "capital"]].to_numpy(), data["invest"].to_numpy())
    robust = res.robust(groups=[data["firm"].to_numpy(), data["year"].to_numpy()])
    cov = robust.cov_params().to_numpy()  # x0, x1 are value, capital
    assert_allclose(cov, np.array(ref["CR1"]["vcov"]), rtol=TIGHT, atol=0)
    two_columns = np.column_stack([data["firm"], data["year"]])
    assert_allclose(
        res.robust(groups=two_columns).cov_params(), robust.cov_params(), rtol=0, atol=0
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("grunfeld_mixed", "CR2"),
        ("grunfeld_mixed", "CR3"),
        ("grunfeld_twoway", "CR2"),
        ("petersen_firm", "CR2"),
        ("petersen_firm", "CR3"),
    ],
)
def test_cluster_by_cluster_path_equals_vcovcl(monkeypatch, name, kind):
    """Too many clusters for one batch of Gram matrices: one SVD per cluster instead."""
    from linmod.inference import cluster

    monkeypatch.setattr(cluster, "BATCH_ELEMENTS", 0)
    ref = CLUSTER[name]
    res, _ = _fit(ref)
    robust = res.robust("cluster", groups=_groups(ref), type=kind)
    assert_allclose(_vcov(robust, ref), np.array(ref[kind]["vcov"]), rtol=TIGHT, atol=0)


@pytest.mark.parametrize("kind", ["polars", "dict"])
def test_column_names_of_polars_and_dict_data(kind):
    ref = CLUSTER["grunfeld_twoway"]
    frame = _data("Grunfeld")
    if kind == "polars":
        pl = pytest.importorskip("polars")
        data = pl.from_pandas(frame)
    else:
        data = {name: frame[name].tolist() for name in frame.columns}
    res = linmod.ols(ref["linmod_formula"], data=data).robust(groups=["firm", "year"])
    assert_allclose(_vcov(res, ref), np.array(ref["CR1"]["vcov"]), rtol=TIGHT, atol=0)


@pytest.mark.parametrize("name", sorted(HC))
@pytest.mark.parametrize("kind", ["HC4", "HC5"])
def test_hc4_hc5_equal_vcovhc(name, kind):
    ref = HC[name]
    res = linmod.ols(ref["linmod_formula"], data=_data(ref["data"])).robust(kind)
    assert_allclose(res.cov_params().to_numpy(), np.array(ref[kind]["vcov"]), rtol=TIGHT)
    assert_allclose(res.std_err, ref[kind]["std_err"], rtol=TIGHT)
    assert_allclose(res.p_values, ref[kind]["p_value"], rtol=LOOSE)
