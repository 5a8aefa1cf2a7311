"""``--version``, ``--robust``/``--hac-lags`` (fit) and ``--order-by`` (check)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from statsmodels.stats.stattools import durbin_watson

from linmod._version import __version__
from linmod.cli.main import main

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"linmod {__version__}"


@pytest.mark.parametrize("kind", ["HC0", "HC1", "HC2", "HC3"])
def test_robust_standard_errors_match_statsmodels(kind, capsys, tmp_path):
    target = tmp_path / "fit.json"
    args = ["fit", MTCARS, "-f", "mpg ~ wt + hp", "--robust", kind, "--json", "-o", str(target)]
    assert main(args) == 0
    payload = json.loads(target.read_text())
    ref = smf.ols("mpg ~ wt + hp", data=pd.read_csv(MTCARS)).fit(cov_type=kind)
    assert payload["standard_errors"] == kind
    for name in ("wt", "hp"):
        assert_allclose(payload["coefficients"][name]["std_err"], ref.bse[name], rtol=1e-10)
    # the summary says which covariance its standard errors use
    assert main(["fit", MTCARS, "-f", "mpg ~ wt + hp", "--robust", kind]) == 0
    assert f"Standard errors: robust ({kind})" in capsys.readouterr().out


@pytest.mark.parametrize("stream", [False, True])
def test_hac_standard_errors_match_statsmodels(stream, tmp_path):
    target = tmp_path / "fit.json"
    args = ["fit", MTCARS, "-f", "mpg ~ wt", "--robust", "HAC", "--hac-lags", "2"]
    if stream:
        args += ["--chunksize", "7", "--second-pass", "--quiet"]
    assert main([*args, "--json", "-o", str(target)]) == 0
    payload = json.loads(target.read_text())
    # Newey-West, Bartlett kernel, no small-sample correction (sandwich's adjust = FALSE)
    ref = smf.ols("mpg ~ wt", data=pd.read_csv(MTCARS)).fit(
        cov_type="HAC", cov_kwds={"maxlags": 2, "use_correction": False}
    )
    assert payload["standard_errors"] == "HAC"
    assert payload["hac_lags"] == 2
    assert_allclose(payload["coefficients"]["wt"]["std_err"], ref.bse["wt"], rtol=1e-9)


def test_robust_option_errors(capsys):
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--hac-lags", "2"]) == 1
    assert "--hac-lags 2 is the lag of --robust HAC: add --robust HAC" in capsys.readouterr().err
    for bad in (["--robust", "HC6"], ["--robust", "HAC", "--hac-lags", "-1"]):
        with pytest.raises(SystemExit) as stop:
            main(["fit", MTCARS, "-f", "mpg ~ wt", *bad])
        assert stop.value.code == 2
    capsys.readouterr()


def test_order_by_orders_the_independence_tests(capsys):
    frame = pd.read_csv(MTCARS)
    assert main(["check", MTCARS, "-f", "mpg ~ wt + hp", "--order-by", "qsec", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    ref = smf.ols("mpg ~ wt + hp", data=frame).fit()
    order = frame["qsec"].to_numpy().argsort(kind="stable")
    dw = durbin_watson(ref.resid.to_numpy()[order])
    test = payload["checks"]["independence"]["tests"][0]
    assert test["name"] == "Durbin-Watson (H1: rho > 0)"  # R dwtest default alternative
    assert_allclose(test["statistic"], dw, rtol=1e-12)
    assert abs(dw - durbin_watson(ref.resid.to_numpy())) > 0.05  # the order matters here
    assert main(["check", MTCARS, "-f", "mpg ~ wt", "--order-by", "nope"]) == 1
    assert "--order-by nope: no such column" in capsys.readouterr().err
