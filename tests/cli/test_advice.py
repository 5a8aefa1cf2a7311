"""Messages of the ``linmod`` command say what to type on the command line, not in Python."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from linmod.cli.advice import to_cli
from linmod.cli.main import main

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")
#: Python spellings no command-line message may contain.
PYTHON = re.compile(
    r"missing=|second_pass|hac_lags|res\.robust|report\.refit|refine=|solver=|order_by"
    r"|standardize=|learning_rate=|levels=|linmod\.ols\("
)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_missing_values_advise_the_missing_flag(capsys):
    code, _, err = _run(capsys, "fit", str(DATA_DIR / "airquality.csv"), "-f", "Ozone ~ Wind")
    assert code == 1
    assert "add --missing drop" in err
    assert not PYTHON.search(err)


def test_text_in_a_number_column_advises_the_missing_flag(tmp_path, capsys):
    data = tmp_path / "words.csv"
    data.write_text("y,x\n" + "".join(f"{i},{i % 7}\n" for i in range(30)) + "3,seven\n")
    code, _, err = _run(capsys, "fit", str(data), "-f", "y ~ x")
    assert code == 1
    assert "--missing drop" in err
    assert not PYTHON.search(err)


def test_streamed_robust_errors_advise_the_second_pass_flag(capsys):
    args = ["fit", MTCARS, "-f", "mpg ~ wt", "--chunksize", "10", "--quiet", "--robust", "HC3"]
    code, _, err = _run(capsys, *args)
    assert code == 1
    assert "add --second-pass" in err
    assert not PYTHON.search(err)


def test_solver_advice_names_the_solver_flag(capsys):
    longley = str(DATA_DIR / "longley.csv")
    code, _, err = _run(capsys, "fit", longley, "-f", "Employed ~ .", "--solver", "normal")
    assert code == 0
    assert "use --solver qr (or --solver auto)" in err
    code, _, err = _run(capsys, "fit", longley, "-f", "Employed ~ .", "--solver", "simple")
    assert code == 1
    assert "use --solver auto" in err
    code, _, err = _run(capsys, "fit", longley, "-f", "Employed ~ .", "--solver", "gd")
    assert code == 0
    assert "use a direct solver (--solver qr or --solver auto)" in err
    for message in (err,):
        assert not PYTHON.search(message)


def _write(tmp_path, name: str, frame: pd.DataFrame) -> str:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return str(path)


def test_check_remedies_name_the_robust_flag(tmp_path, capsys):
    rng = np.random.default_rng(13)
    x = rng.uniform(0, 10, 300)
    spread = pd.DataFrame({"x": x, "y": 1 + 2 * x + rng.normal(0, 0.05 + x**2 / 5, x.size)})
    code, out, _ = _run(capsys, "check", _write(tmp_path, "spread.csv", spread), "-f", "y ~ x")
    assert code == 0
    assert "linmod fit ... --robust HC3" in out
    assert not PYTHON.search(out)
    errors = np.zeros(300)
    shocks = rng.normal(size=300)
    for i in range(1, 300):  # AR(1) errors, rho = 0.9
        errors[i] = 0.9 * errors[i - 1] + shocks[i]
    series = pd.DataFrame({"x": rng.normal(size=300)})
    series["y"] = 1 + series["x"] + errors
    args = ["check", _write(tmp_path, "series.csv", series), "-f", "y ~ x", "--json"]
    code, out, _ = _run(capsys, *args)
    assert code == 0
    remedy = json.loads(out)["checks"]["independence"]["remedy"]
    assert "linmod fit ... --robust HAC" in remedy
    assert not PYTHON.search(remedy)


@pytest.mark.parametrize("command", ["check", "report"])
def test_order_by_with_missing_values_names_the_flag(tmp_path, capsys, command):
    """check and report resolve --order-by alike (report's message was the bare Python one)."""
    frame = pd.read_csv(MTCARS)
    frame.loc[3, "qsec"] = np.nan
    path = _write(tmp_path, "holes.csv", frame)
    out = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    code, _, err = _run(capsys, command, path, "-f", "mpg ~ wt", "--order-by", "qsec", *out)
    assert code == 1
    assert "--order-by qsec has 1 missing value(s) in the rows fitted (row 4)" in err
    assert not PYTHON.search(err)


@pytest.mark.parametrize(
    ("python", "cli"),
    [
        # the library's messages as written (src/linmod/...), and what the CLI prints
        (
            "robust covariance HC3 of a streamed fit needs a second pass over the data that "
            "computes it (computed: none); fit with second_pass=True (and hac_lags= for HAC)",
            "robust covariance HC3 of a streamed fit needs a second pass over the data that "
            "computes it (computed: none); add --second-pass (and --hac-lags N with --robust "
            "HAC)",
        ),
        (
            "refine=True reads the data again, which a one-shot iterator cannot do",
            "--refine always reads the data again, which a one-shot iterator cannot do",
        ),
        (
            "so leave refine=None",
            "so leave --refine auto",
        ),
        (
            "categorical column(s) 'g' need their levels declared, e.g. levels={'g': [...]}, "
            "because a one-shot iterator cannot be read twice",
            "categorical column(s) 'g' need their levels declared, which only a file can "
            "give: stream a file, not standard input, with --chunksize",
        ),
        (
            "encode a categorical column first (a formula does it: "
            "linmod.ols('y ~ C(g) + ...', data=df))",
            'encode a categorical column first (a formula does it: -f "y ~ C(g) + ...")',
        ),
        (
            "use heteroskedasticity-robust HC3 standard errors: res.robust('HC3') (report.refit())",
            "use heteroskedasticity-robust HC3 standard errors: linmod fit ... --robust HC3",
        ),
        (
            "name one explicitly, e.g. report.refit('homoscedasticity')",
            "name one explicitly, e.g. linmod fit ... --robust HC3",
        ),
        (
            "this fit's second pass has the residual statistics: .diagnostics (Durbin-Watson, "
            "Breusch-Pagan), .mae and .robust(); for the rest fit the data in memory",
            "this fit's second pass has the residual statistics: the MAE in linmod fit's "
            "table and --robust (linmod check needs the data in memory); for the rest fit "
            "the data in memory",
        ),
        (
            "order_by='t' is not a column of the design",
            "--order-by t is not a column of the design",
        ),
    ],
)
def test_python_spellings_become_flags(python, cli):
    assert to_cli(python) == cli
    assert not PYTHON.search(to_cli(python))
