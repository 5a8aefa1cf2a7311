"""Rows without a cluster label (QA): ``linmod fit --cluster COL --missing drop`` drops them
as rows with a missing value in the formula's variables (R's ``na.omit`` on a model frame
holding the cluster variable, statsmodels' ``missing='drop'`` with groups); without
``--missing drop``, and in the Python API, they are refused by row."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError

from ..conftest import DATA_DIR

FORMULA = "invest ~ value + capital"


@pytest.fixture
def holes(tmp_path):
    frame = pd.read_csv(DATA_DIR / "Grunfeld.csv")
    frame["firm"] = frame["firm"].astype(object)
    frame.loc[[3, 17, 150], "firm"] = np.nan  # rows 4, 18 and 151 of the file
    frame.loc[40, "value"] = np.nan  # row 41: missing in a formula variable
    path = tmp_path / "holes.csv"
    frame.to_csv(path, index=False)
    return frame, path


@pytest.mark.parametrize("formula", [FORMULA, "np.log(invest) ~ value + capital"])
def test_missing_drop_drops_rows_without_a_cluster(holes, tmp_path, formula):
    frame, path = holes
    target = tmp_path / "fit.json"
    options = ["--cluster", "firm", "--missing", "drop", "--json", "-o", str(target)]
    assert main(["fit", str(path), "-f", formula, *options]) == 0
    payload = json.loads(target.read_text())
    complete = frame.dropna(subset=["invest", "value", "capital", "firm"])
    expected = smf.ols(formula, data=complete).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(complete["firm"])[0]}
    )  # CR1, vcovCL's default
    names = ["Intercept", "value", "capital"]
    got = [payload["coefficients"][n]["coef"] for n in names]
    assert_allclose(got, expected.params.to_numpy(), rtol=1e-10)
    got = [payload["coefficients"][n]["std_err"] for n in names]
    assert_allclose(got, expected.bse.to_numpy(), rtol=1e-10)
    assert payload["n_obs"] == len(complete) == len(frame) - 4
    assert payload["n_dropped"] == 4
    assert payload["clusters"] == {"type": "CR1", "by": {"firm": 11}}


def test_the_summary_counts_them_as_deleted(holes, capsys):
    _, path = holes
    assert main(["fit", str(path), "-f", FORMULA, "--cluster", "firm", "--missing", "drop"]) == 0
    assert "(4 observations deleted due to missingness)" in capsys.readouterr().out


def test_without_missing_drop_the_rows_are_named(holes, capsys):
    _, path = holes
    assert main(["fit", str(path), "-f", FORMULA, "--cluster", "firm"]) == 1
    err = capsys.readouterr().err
    assert "--cluster firm is missing in rows 4, 18, 151: add --missing drop" in err
    assert "Traceback" not in err


def test_rows_by_id_and_no_row_left(holes, tmp_path, capsys):
    frame, _ = holes
    labelled = frame.assign(obs=[f"o{i}" for i in range(len(frame))])
    path = tmp_path / "labelled.csv"
    labelled.to_csv(path, index=False)
    assert main(["fit", str(path), "-f", FORMULA, "--cluster", "firm", "--id", "obs"]) == 1
    assert "missing in rows o3, o17, o150:" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    frame.assign(firm=np.nan).to_csv(empty, index=False)
    assert main(["fit", str(empty), "-f", FORMULA, "--cluster", "firm", "--missing", "drop"]) == 1
    assert "--cluster firm is missing in every row" in capsys.readouterr().err


def test_the_python_api_names_the_rows(holes):
    frame, _ = holes
    res = linmod.ols(FORMULA, data=frame, missing="drop")
    message = r"groups .firm. is missing in rows 4, 18, 151; .* df.dropna\(subset=\[.firm.\]\)"
    with pytest.raises(InputError, match=message):
        res.robust("cluster", groups="firm")
