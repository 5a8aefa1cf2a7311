"""``linmod fit --loss lad|quantile|huber|bisquare|hampel`` (issue 17)."""

from __future__ import annotations

import json

import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main

from ..conftest import DATA_DIR, load_dataset

ENGEL = str(DATA_DIR / "engel.csv")
STACKLOSS = str(DATA_DIR / "stackloss.csv")


def test_quantile_loss_matches_the_python_fit(tmp_path):
    target = tmp_path / "fit.json"
    args = ["fit", ENGEL, "-f", "foodexp ~ income", "--loss", "quantile", "--q", "0.9"]
    assert main([*args, "--json", "-o", str(target)]) == 0
    payload = json.loads(target.read_text())
    ref = linmod.quantreg("foodexp ~ income", data=load_dataset("engel"), q=0.9)
    assert payload["loss"] == "quantile"
    assert payload["q"] == 0.9
    assert_allclose(payload["coefficients"]["income"]["coef"], ref.coef["income"], rtol=1e-15)
    # 235 rows: quantreg's default, rank-inversion intervals (no standard errors)
    assert payload["standard_errors"] == "rank"
    assert payload["coefficients"]["income"]["std_err"] is None
    bounds = ref.conf_int().loc["income"]
    assert_allclose(payload["coefficients"]["income"]["lower"], bounds["lower"], rtol=1e-15)
    assert_allclose(payload["coefficients"]["income"]["upper"], bounds["upper"], rtol=1e-15)
    assert payload["pseudo_r_squared"] == pytest.approx(ref.pseudo_r_squared, rel=1e-15)


def test_lad_and_robust_losses_print_their_summaries(capsys):
    assert main(["fit", ENGEL, "-f", "foodexp ~ income", "--loss", "lad"]) == 0
    assert "least absolute deviations, q = 0.5" in capsys.readouterr().out
    assert main(["fit", STACKLOSS, "-f", "stack.loss ~ .", "--loss", "bisquare"]) == 0
    out = capsys.readouterr().out
    assert "Tukey's bisquare norm" in out
    assert "Down-weighted rows" in out


def test_robust_payload_lists_downweighted_rows(tmp_path):
    target = tmp_path / "fit.json"
    args = [
        "fit",
        STACKLOSS,
        "-f",
        "stack.loss ~ .",
        "--loss",
        "huber",
        "--json",
        "-o",
        str(target),
    ]
    assert main(args) == 0
    payload = json.loads(target.read_text())
    frame = load_dataset("stackloss")
    ref = linmod.rlm("stack.loss ~ .", data=frame)
    assert payload["converged"] is True
    assert payload["scale"] == pytest.approx(ref.scale, rel=1e-15)
    assert set(payload["downweighted"]) == {str(i + 1) for i in ref.downweighted().index}


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--loss", "quantile"], "needs the level: add --q"),
        (["--loss", "lad", "--q", "0.3"], "--q 0.3 is the level of --loss quantile"),
        (["--q", "0.3"], "add --loss quantile"),
        (["--loss", "lad", "--chunksize", "10"], "--chunksize is not available with --loss lad"),
        (["--loss", "huber", "--robust", "HC3"], "--robust is not available with --loss huber"),
        (["--loss", "huber", "--solver", "qr"], "--solver is for least squares"),
        (["--loss", "lad", "--cluster", "income"], "--cluster is not available with --loss lad"),
        (["--loss", "quantile", "--q", "1.5"], "--q 1.5 is outside (0, 1)"),
    ],
)
def test_bad_combinations(extra, message, capsys):
    assert main(["fit", ENGEL, "-f", "foodexp ~ income", *extra]) != 0
    assert message in capsys.readouterr().err


def test_weights_column_multiplies_the_loss(tmp_path):
    frame = load_dataset("mtcars")
    target = tmp_path / "fit.json"
    args = ["fit", str(DATA_DIR / "mtcars.csv"), "-f", "mpg ~ wt", "--loss", "huber"]
    assert main([*args, "--weights", "qsec", "--json", "-o", str(target)]) == 0
    ref = linmod.rlm("mpg ~ wt", data=frame, weights="qsec")
    coef = json.loads(target.read_text())["coefficients"]["wt"]["coef"]
    assert coef == pytest.approx(ref.coef["wt"], rel=1e-15)
    assert main([*args, "--weights", "qsec", "--weights-type", "frequency"]) != 0
