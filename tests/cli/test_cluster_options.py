"""``linmod fit --robust cluster --cluster COL [--cluster COL2] [--cluster-type T]``, HC4/HC5."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose
from statsmodels.stats.sandwich_covariance import cov_cluster, cov_cluster_2groups

from linmod.cli.main import main

from ..conftest import DATA_DIR, ROOT

GRUNFELD = str(DATA_DIR / "Grunfeld.csv")
FORMULA = "invest ~ value + capital"
R_HC = json.loads((ROOT / "references" / "r" / "cluster_reference.json").read_text())["hc"]


def _statsmodels_fit():
    frame = pd.read_csv(GRUNFELD)
    x = sm.add_constant(frame[["value", "capital"]].to_numpy())
    return frame, sm.OLS(frame["invest"].to_numpy(), x).fit()


def _payload(tmp_path, *options):
    target = tmp_path / "fit.json"
    assert main(["fit", GRUNFELD, "-f", FORMULA, *options, "--json", "-o", str(target)]) == 0
    return json.loads(target.read_text())


def _std_err(payload):
    return [payload["coefficients"][n]["std_err"] for n in ("Intercept", "value", "capital")]


@pytest.mark.parametrize("robust", [[], ["--robust", "cluster"]])
def test_one_way_cluster_matches_statsmodels(robust, tmp_path, capsys):
    frame, fit = _statsmodels_fit()
    payload = _payload(tmp_path, *robust, "--cluster", "firm")
    expected = cov_cluster(fit, pd.factorize(frame["firm"])[0])  # CR1, vcovCL's default
    assert_allclose(_std_err(payload), np.sqrt(np.diag(expected)), rtol=1e-10)
    assert payload["standard_errors"] == "cluster"
    assert payload["clusters"] == {"type": "CR1", "by": {"firm": 11}}
    assert main(["fit", GRUNFELD, "-f", FORMULA, "--cluster", "firm"]) == 0
    assert "Standard errors: cluster-robust (CR1), 11 clusters by firm" in capsys.readouterr().out


def test_two_way_cluster_with_type(tmp_path):
    frame, fit = _statsmodels_fit()
    groups = np.column_stack([pd.factorize(frame[c])[0] for c in ("firm", "year")])
    payload = _payload(tmp_path, "--cluster", "firm", "--cluster", "year", "--cluster-type", "CR0")
    expected = cov_cluster_2groups(fit, groups, use_correction=False)[0]
    assert_allclose(_std_err(payload), np.sqrt(np.diag(expected)), rtol=1e-10)
    assert payload["clusters"] == {"type": "CR0", "by": {"firm": 11, "year": 20}}


@pytest.mark.parametrize("kind", ["HC4", "HC5"])
def test_hc4_hc5_match_r(kind, tmp_path):
    payload = _payload(tmp_path, "--robust", kind)
    assert payload["standard_errors"] == kind
    assert_allclose(_std_err(payload), R_HC["grunfeld"][kind]["std_err"], rtol=1e-10)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--robust", "cluster"], "--robust cluster needs the grouping column: add --cluster"),
        (["--robust", "HC3", "--cluster", "firm"], "--cluster firm is for --robust cluster, not"),
        (["--cluster-type", "CR2"], "--cluster-type CR2 needs --cluster COLUMN"),
        (["--cluster", "company"], "--cluster company: no such column in"),
        (["--cluster", "firm", "--hac-lags", "2"], "--hac-lags 2 is the lag of --robust HAC"),
        (["--cluster", "firm", "--chunksize", "50"], "--cluster needs the data in memory"),
    ],
)
def test_cluster_option_errors(options, message, capsys):
    assert main(["fit", GRUNFELD, "-f", FORMULA, *options]) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_cluster_of_one_group_is_an_error(tmp_path, capsys):
    path = tmp_path / "one.csv"
    pd.read_csv(GRUNFELD).query("firm == 'IBM'").to_csv(path, index=False)
    assert main(["fit", str(path), "-f", FORMULA, "--cluster", "firm"]) == 1
    assert "single cluster ('IBM')" in capsys.readouterr().err
