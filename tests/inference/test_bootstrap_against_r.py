"""The bootstrap against R's boot on the same resamples.

``tests/references/r/generate_bootstrap.R`` records the row indices ``boot`` drew
(``boot.array(b, indices = TRUE)``), its replicates ``b$t`` (``coef(lm(...))`` on each
resample) and ``boot.ci``'s percentile and BCa endpoints (acceleration from the centred
jackknife influence values, Efron & Tibshirani eq. 14.15) at 95% and 90%. Here linmod
refits the same resamples (``draws=``) and must give the same replicates and endpoints.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.inference.bootstrap import bootstrap
from linmod.inference.bootstrap_intervals import acceleration
from linmod.inference.bootstrap_results import BootstrapResults

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = json.loads(
    (ROOT / "tests" / "references" / "r" / "bootstrap_reference.json").read_text()
)
CASES = [key for key in REFERENCE if not key.startswith("_")]


def _with_ratio(coef: pd.Series) -> pd.Series:
    values = coef.copy()
    values["ratio"] = coef["wt"] / coef["hp"]
    return values


@pytest.fixture(scope="module", params=CASES)
def case(request: pytest.FixtureRequest) -> tuple[dict, BootstrapResults]:
    ref = REFERENCE[request.param]
    data = pd.read_csv(ROOT / "tests" / "data" / f"{ref['dataset']}.csv")
    res = linmod.ols(ref["linmod"], data=data)
    func = _with_ratio if "ratio" in ref["names"] else None
    draws = np.asarray(ref["indices"], dtype=np.int64) - 1
    return ref, bootstrap(res, method="pairs", func=func, draws=draws, level=0.95)


def test_estimate_and_replicates_equal_lm_on_each_resample(case):
    ref, boot = case
    assert list(boot.estimate.index) == ref["names"]
    np.testing.assert_allclose(boot.estimate.to_numpy(), ref["t0"], rtol=1e-12)
    np.testing.assert_allclose(boot.replicates.to_numpy(), np.asarray(ref["t"]), rtol=1e-10)
    assert boot.n_boot == ref["R"]
    assert boot.n_failed == 0


@pytest.mark.parametrize("position", [0, 1])
def test_percentile_endpoints_equal_boot_ci(case, position):
    ref, boot = case
    level = ref["levels"][position]
    table = boot.conf_int("percentile", level=level)
    for name in ref["names"]:
        expected = ref["statistics"][name]["percentile"][position]
        np.testing.assert_allclose(table.loc[name].to_numpy(), expected, rtol=1e-12)


@pytest.mark.parametrize("position", [0, 1])
def test_bca_endpoints_equal_boot_ci(case, position):
    ref, boot = case
    level = ref["levels"][position]
    table = boot.conf_int("bca", level=level)
    for name in ref["names"]:
        expected = ref["statistics"][name]["bca"][position]
        np.testing.assert_allclose(table.loc[name].to_numpy(), expected, rtol=1e-12)


def test_acceleration_equals_the_jackknife_of_r(case):
    ref, boot = case
    for name in ref["names"]:
        a = acceleration(boot.jackknife[name].to_numpy())
        np.testing.assert_allclose(a, ref["statistics"][name]["acceleration"], rtol=1e-9)
