"""Read-option, level-cleaning and iteration advice in the command line's words (issue 13)."""

from __future__ import annotations

import json
import re
import shlex

import numpy as np
import pandas as pd
import pytest

from linmod.cli.advice import to_cli
from linmod.cli.main import main


@pytest.mark.parametrize(
    ("python", "cli"),
    [
        (
            "column 'income' holds numbers written with thousands separators (e.g. '43,609'), "
            "read as text: read the file with thousands=','",
            "column 'income' holds numbers written with thousands separators (e.g. '43,609'), "
            "read as text: read the file with --thousands ,",
        ),
        ("read the file with decimal=','", "read the file with --decimal ,"),
        (
            "read the file with na_values=['n/a', '-'] if they mean missing",
            "read the file with --na-values n/a,- if they mean missing",
        ),
        (
            "'North' / 'north'; they are separate levels: clean them if they are one "
            "(e.g. df['region'].str.strip().str.lower())",
            "'North' / 'north'; they are separate levels: clean them in the file if they are "
            "one (the command line keeps levels as written)",
        ),
        (
            "White's test skipped: its auxiliary regression would have 231 columns; run "
            "linmod.diagnostics.white(res) to compute it anyway",
            "White's test skipped: its auxiliary regression would have 231 columns; the "
            "command line does not run it (from Python: linmod.diagnostics.white(res))",
        ),
        (
            "drop or merge the redundant ones, or fit a Ridge regression (linmod.ridge); the",
            "drop or merge the redundant ones, or compare a Ridge fit with linmod cv; the",
        ),
        (
            "at 18 (fold, alpha) pairs of the cross-validation; increase max_iter or loosen tol",
            "at 18 (fold, alpha) pairs of the cross-validation; the command line keeps the "
            "default limits (from Python: max_iter= or tol=)",
        ),
    ],
)
def test_reading_and_remedy_advice_becomes_flags(python, cli):
    assert to_cli(python) == cli


def test_numbers_with_thousands_separators_name_the_flag_once(tmp_path, capsys):
    data = tmp_path / "messy.csv"
    rows = "".join(f'{i},"{40 + i},{100 + i}"\n' for i in range(30))
    data.write_text("price,income\n" + rows, encoding="utf-8")
    assert main(["fit", str(data), "-f", "price ~ income"]) == 1
    err = capsys.readouterr().err
    assert err.rstrip().endswith("read as text: read the file with --thousands ,"), err
    assert err.count("--thousands") == 1


def test_na_values_advice_starting_with_a_dash_can_be_typed_as_given(tmp_path, capsys):
    # '--na-values -,?' was the advice: argparse reads '-,?' as a flag ("expected one
    # argument") and a shell expands '?'. The advice is now '--na-values='-,?''.
    rng = np.random.default_rng(3)
    n = 400
    x = rng.normal(size=n)
    y = 1 + 2 * x + rng.normal(size=n)
    z = rng.normal(size=n).round(3).astype(object)
    z[rng.random(n) < 0.5] = "-"  # too many for stray words: the read option is the fix
    z[rng.random(n) < 0.1] = "?"
    path = tmp_path / "codes.csv"
    pd.DataFrame({"y": y, "x": x, "z": z}).to_csv(path, index=False)
    assert main(["fit", str(path), "-f", "y ~ x + z"]) == 1
    err = capsys.readouterr().err
    flag = re.search(r"--na-values[= ]('[^']*'|[^\s;]+)", err)
    assert flag is not None, err
    (typed,) = shlex.split(flag.group(0))  # what a shell passes on
    assert typed == "--na-values=-,?"
    assert main(["fit", str(path), "-f", "y ~ x + z", typed, "--missing", "drop", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    sm = pytest.importorskip("statsmodels.formula.api")
    frame = pd.DataFrame({"y": y, "x": x, "z": pd.to_numeric(z, errors="coerce")}).dropna()
    ref = sm.ols("y ~ x + z", frame).fit()
    assert got["n_obs"] == len(frame)
    assert [got["coefficients"][k]["coef"] for k in ref.params.index] == pytest.approx(
        ref.params.to_list(), rel=1e-10
    )


@pytest.mark.parametrize(
    "typed",
    [["--na-values", "-,?"], ["--na-values", "-"], ["--na-values", "-", "--na-values", "?"]],
)
def test_a_dash_value_typed_after_its_option_is_read_as_the_value(tmp_path, capsys, typed):
    """'--na-values -,?' (a space, as users type it) reads '-,?' as the option's value;
    argparse alone stopped with "expected one argument"."""
    rng = np.random.default_rng(4)
    n = 200
    x = rng.normal(size=n)
    z = rng.normal(size=n).round(3).astype(object)
    z[rng.random(n) < 0.2] = "-"
    if typed == ["--na-values", "-"]:
        codes = ["-"]
    else:
        z[rng.random(n) < 0.1] = "?"
        codes = ["-", "?"]
    y = 1 + 2 * x + rng.normal(size=n)
    path = tmp_path / "codes.csv"
    pd.DataFrame({"y": y, "x": x, "z": z}).to_csv(path, index=False)
    args = ["fit", str(path), "-f", "y ~ x + z", *typed, "--missing", "drop", "--json"]
    assert main(args) == 0, capsys.readouterr().err
    got = json.loads(capsys.readouterr().out)
    sm = pytest.importorskip("statsmodels.formula.api")
    frame = pd.read_csv(path, na_values=codes)
    ref = sm.ols("y ~ x + z", frame.dropna()).fit()
    assert [got["coefficients"][k]["coef"] for k in ref.params.index] == pytest.approx(
        ref.params.to_list(), rel=1e-10
    )


def test_an_option_after_na_values_is_still_an_option(capsys):
    with pytest.raises(SystemExit):
        main(["fit", "data.csv", "-f", "y ~ x", "--na-values", "--json"])
    assert "--na-values: expected one argument" in capsys.readouterr().err
