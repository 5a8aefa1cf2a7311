"""Saved models: JSON round trip, predictions equal to R's, clear errors, no pickle."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError

from .conftest import R_REFERENCE, load_dataset

REFERENCE = json.loads(R_REFERENCE.read_text())


@pytest.mark.parametrize("case", ["mtcars_factor_cyl", "iris_species", "mtcars_log_poly"])
def test_round_trip_predictions_equal_r(case, tmp_path):
    ref = REFERENCE[case]
    data = load_dataset(ref["dataset"])
    linmod.ols(ref["linmod_formula"], data=data).save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    table = model.predict(data.iloc[ref["predict_rows"]], interval="prediction")
    assert_allclose(table["fit"], ref["predict_fit"], rtol=1e-10)
    assert_allclose(table["lower"], ref["predict_pred_lower"], rtol=1e-10)
    assert_allclose(table["upper"], ref["predict_pred_upper"], rtol=1e-10)
    confidence = model.predict(data.iloc[ref["predict_rows"]], interval="confidence")
    assert_allclose(confidence["upper"], ref["predict_conf_upper"], rtol=1e-10)


def test_file_is_plain_versioned_json(tmp_path):
    res = linmod.ols("mpg ~ wt + C(cyl)", data=load_dataset("mtcars"))
    res.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["format"] == "linmod-model"
    assert document["version"] == 1
    assert document["spec"]["levels"] == {"cyl": [4, 6, 8]}
    assert document["terms"] == list(res.coef.index)


def test_arrays_model_round_trip(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.normal(size=(50, 2))
    res = linmod.ols(x, x @ [1.0, 2.0] + rng.normal(size=50))
    res.save(tmp_path / "a.json")
    model = linmod.load(tmp_path / "a.json")
    assert_allclose(model.predict(x[:4])["fit"], res.predict(x[:4])["fit"], rtol=1e-14)


def test_prediction_errors(tmp_path):
    data = load_dataset("mtcars")
    linmod.ols("mpg ~ wt + C(cyl)", data=data).save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    new = data.head(2).assign(cyl=[4, 5])
    with pytest.raises(InputError, match=r"column 'cyl' has level\(s\) '5' not seen"):
        model.predict(new)
    with pytest.raises(InputError, match="lacks column"):
        model.predict(data[["mpg"]])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not JSON"),
        ('{"format": "other"}', "'format' is not 'linmod-model'"),
        ('{"format": "linmod-model", "version": 99}', "version 99"),
        ('{"format": "linmod-model", "version": 1, "terms": ["a"]}', "corrupted"),
    ],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(InputError, match=message):
        linmod.load(path)
    with pytest.raises(InputError, match="no such file"):
        linmod.load(tmp_path / "absent.json")


def test_stateful_transforms_are_refused(tmp_path):
    res = linmod.ols("mpg ~ center(wt)", data=load_dataset("mtcars"))
    with pytest.raises(InputError, match="transform whose state"):
        res.save(tmp_path / "m.json")


def test_cli_predict(tmp_path, capsys):
    data = load_dataset("mtcars")
    csv = tmp_path / "cars.csv"
    data.to_csv(csv, index=False)
    model = tmp_path / "m.json"
    assert main(["fit", str(csv), "-f", "mpg ~ wt + hp", "--save", str(model), "--json"]) == 0
    capsys.readouterr()
    assert main(["predict", str(model), str(csv), "--interval", "prediction"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "row,fit,lower,upper"
    ref = REFERENCE["mtcars_wt_hp"]
    assert_allclose(float(lines[1].split(",")[1]), ref["predict_fit"][0], rtol=1e-10)
    assert main(["predict", str(model), str(csv), "-o", str(model)]) == 1
