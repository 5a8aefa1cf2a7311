"""``--target y`` without ``--features`` is ``y ~ .``, screened the same way (QA 6).

``linmod fit mtcars.csv --target mpg`` refused the car names ("leave it out of the
formula", though no formula was written) where ``-f "mpg ~ ."`` leaves them out with a
warning.  Every command that takes ``--target`` now prints what ``-f "mpg ~ ."`` prints;
the fit itself is checked against statsmodels.
"""

from __future__ import annotations

import json

import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

from linmod.cli.main import main

from ..conftest import DATA_DIR, load_dataset

MTCARS = str(DATA_DIR / "mtcars.csv")
PREDICTORS = ["cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb"]


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    "command",
    [
        ["fit", "--json"],
        ["fit", "--plain"],
        ["check", "--json"],
        ["cv", "--json", "--models", "ols,ridge"],
        ["path", "--json"],
        ["fit", "--json", "--weights", "wt"],
        ["fit", "--json", "--loss", "huber"],
        ["fit", "--json", "--chunksize", "10"],
    ],
    ids=lambda c: " ".join(c),
)
def test_target_prints_what_the_dot_formula_prints(capsys, command):
    name, *options = command
    by_target = _run(capsys, [name, MTCARS, "--target", "mpg", *options])
    by_formula = _run(capsys, [name, MTCARS, "-f", "mpg ~ .", *options])
    assert by_target == by_formula
    code, _, err = by_target
    assert code == 0
    assert err.count("column 'model' looks like an identifier") == 1
    assert "'.' leaves it out: write '+ C(model)' to include it" in err


def test_target_fits_every_numeric_column(capsys):
    code, out, _ = _run(capsys, ["fit", MTCARS, "--target", "mpg", "--json"])
    assert code == 0
    payload = json.loads(out)
    assert payload["formula"] == "mpg ~ (" + " + ".join(PREDICTORS) + ")"
    reference = smf.ols("mpg ~ " + " + ".join(PREDICTORS), data=load_dataset("mtcars")).fit()
    coef = [payload["coefficients"][name]["coef"] for name in reference.params.index]
    assert_allclose(coef, reference.params.to_numpy(), rtol=1e-9)


def test_target_report_matches_the_dot_formula(capsys, tmp_path):
    outputs = []
    for model in (["--target", "mpg"], ["-f", "mpg ~ ."]):
        path = tmp_path / f"report{len(outputs)}.html"
        code, _, err = _run(capsys, ["report", MTCARS, *model, "-o", str(path), "--quiet"])
        assert code == 0
        assert err.count("column 'model' looks like an identifier") == 1
        outputs.append(path.read_text())
    assert "mpg ~ ." in outputs[0]
    assert outputs[0] == outputs[1]


def test_features_still_name_the_predictors(capsys):
    code, out, err = _run(capsys, ["fit", MTCARS, "--target", "mpg", "--features", "wt,hp"])
    assert code == 0
    assert err == ""
    assert out.startswith("OLS fit: mpg ~ wt + hp\n")
    code, _, err = _run(capsys, ["fit", MTCARS, "--target", "mpg", "--features", "wt,model"])
    assert code == 1
    assert "column 'model' looks like an identifier" in err
