"""The command line: fit, json, errors and exit codes, the demo."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

from linmod.cli.main import main

from ..conftest import DATA_DIR, load_dataset


def test_fit_prints_the_summary(capsys):
    assert main(["fit", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt + hp"]) == 0
    out = capsys.readouterr().out
    assert "Residual standard error: 2.593 on 29 degrees of freedom" in out


def test_fit_json_matches_statsmodels(capsys, tmp_path):
    target = tmp_path / "fit.json"
    code = main(
        ["fit", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt + hp", "--json", "-o", str(target)]
    )
    assert code == 0
    payload = json.loads(target.read_text())
    ref = smf.ols("mpg ~ wt + hp", data=load_dataset("mtcars")).fit()
    assert_allclose(payload["coefficients"]["wt"]["coef"], ref.params["wt"], rtol=1e-12)
    assert_allclose(payload["r_squared"], ref.rsquared, rtol=1e-12)


def test_analysis_errors_exit_1_in_one_line(capsys):
    code = main(["fit", str(DATA_DIR / "airquality.csv"), "-f", "Ozone ~ Wind"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1
    assert "column 'Ozone' has 37 missing values" in err
    assert main(["fit", "no/such.csv", "-f", "y ~ x"]) == 1


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as stop:
        main(["fit", "data.csv"])
    assert stop.value.code == 2


def test_refuses_to_overwrite_its_input(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n1,2\n2,4.5\n3,5.9\n")
    assert main(["fit", str(data), "-f", "y ~ x", "-o", str(data)]) == 1
    assert data.read_text() == "x,y\n1,2\n2,4.5\n3,5.9\n"


def test_compare_lists_every_solver(capsys):
    assert main(["compare", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt + hp"]) == 0
    out = capsys.readouterr().out
    for solver in ("normal", "cholesky", "qr", "svd", "gd"):
        assert solver in out


def test_compare_honours_missing_drop(capsys, tmp_path):
    # --missing drop was accepted and ignored: "add --missing drop to drop incomplete rows"
    frame = load_dataset("mtcars")
    frame.loc[frame.index[[2, 7]], "hp"] = np.nan
    path = tmp_path / "gaps.csv"
    frame.to_csv(path, index=False)
    args = ["compare", str(path), "-f", "mpg ~ wt + hp", "--json"]
    assert main(args) == 1
    assert "add --missing drop" in capsys.readouterr().err
    assert main([*args, "--missing", "drop"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {row["solver"] for row in rows} >= {"qr", "cholesky", "svd", "gd"}
    # the same design as the 30 complete rows written out on their own
    complete = tmp_path / "complete.csv"
    frame.dropna(subset=["hp"]).to_csv(complete, index=False)
    assert main(["compare", str(complete), "-f", "mpg ~ wt + hp", "--json"]) == 0
    expected = {
        row["solver"]: row["condition_number"] for row in json.loads(capsys.readouterr().out)
    }
    assert {row["solver"]: row["condition_number"] for row in rows} == expected


def test_demo_reproduces_the_lesson(capsys):
    assert main(["demo"]) == 0
    assert "Intercept: 4.22, Slope: 2.77" in capsys.readouterr().out


def test_streamed_fit_from_the_command_line(capsys, tmp_path):
    frame = load_dataset("mtcars")
    path = tmp_path / "mtcars.parquet"
    frame.to_parquet(path)
    assert (
        main(
            [
                "fit",
                str(path),
                "-f",
                "mpg ~ wt + hp",
                "--chunksize",
                "7",
                "--json",
                "--second-pass",
                "--quiet",
            ]
        )
        == 0
    )
    payload = json.loads(capsys.readouterr().out)
    ref = smf.ols("mpg ~ wt + hp", data=frame).fit()
    assert_allclose(payload["coefficients"]["hp"]["coef"], ref.params["hp"], rtol=1e-12)
    assert payload["solver"] == "tsqr"


def test_refine_option_of_a_streamed_fit(capsys, tmp_path):
    # NIST's Wampler5: the one-pass fit keeps about 6 certified digits, the refined 15.
    from ..conftest import NIST_DIR
    from ..models.nist import lre, read_nist

    problem = read_nist(NIST_DIR / "Wampler5.dat")
    x, y = problem.design()
    path = tmp_path / "w5.csv"
    names = [f"c{j}" for j in range(x.shape[1])]
    pd.DataFrame(np.column_stack([x, y]), columns=[*names, "y"]).to_csv(path, index=False)
    fit = ["fit", str(path), "--target", "y", "--chunksize", "8", "--json"]
    digits = {}
    for choice in ("never", "always"):
        assert main([*fit, "--refine", choice]) == 0
        payload = json.loads(capsys.readouterr().out)
        assert payload["mae"] is None  # known only after --second-pass
        coef = [payload["coefficients"][name]["coef"] for name in ["Intercept", *names]]
        digits[choice] = lre(np.array(coef), problem.coef).min()
        refined = [note for note in payload["notes"] if note.startswith("refined by")]
        assert bool(refined) is (choice == "always")
    assert digits["never"] < 9
    assert digits["always"] >= 14
    # In memory --refine changes nothing: a warning, like R's "argument disregarded".
    assert main(["fit", str(path), "--target", "y", "--refine", "always"]) == 0
    assert "--refine always does nothing without --chunksize" in capsys.readouterr().err


def test_check_reports_every_assumption(capsys):
    from statsmodels.stats.stattools import durbin_watson

    assert main(["check", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt + hp", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    text = json.dumps(payload).lower()
    for assumption in (
        "linearity",
        "independence",
        "homoscedasticity",
        "normality",
        "multicollinearity",
    ):
        assert assumption in text
    ref = smf.ols("mpg ~ wt + hp", data=load_dataset("mtcars")).fit()
    assert f"{durbin_watson(ref.resid):.6f}"[:6] in text
    assert main(["check", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt + hp"]) == 0
    assert "Durbin" in capsys.readouterr().out
