"""``linmod fit FILE -f ... --weights COLUMN [--weights-type ...]`` (issue 15)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import statsmodels.api as sm

from linmod.cli.main import main

from ..conftest import load_dataset


@pytest.fixture
def cars_file(tmp_path):
    data = load_dataset("mtcars")[["mpg", "wt", "hp", "disp"]]
    data["w"] = 1.0 / data["disp"]
    data["n"] = np.tile([1, 2, 3, 1], 8)
    data["bad"] = data["w"]
    data.loc[4, "bad"] = -1.0
    data["text"] = "a"
    data["half"] = 0.5
    path = tmp_path / "cars.csv"
    data.to_csv(path, index=False)
    return str(path), data


def test_fit_with_weights_matches_wls(cars_file, capsys):
    path, data = cars_file
    assert main(["fit", path, "-f", "mpg ~ wt + hp", "--weights", "w", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    x = sm.add_constant(data[["wt", "hp"]].to_numpy())
    ref = sm.WLS(data["mpg"].to_numpy(), x, weights=data["w"].to_numpy()).fit()
    coefs = out["coefficients"]
    np.testing.assert_allclose([coefs[k]["coef"] for k in coefs], ref.params, rtol=1e-12)
    np.testing.assert_allclose([coefs[k]["std_err"] for k in coefs], ref.bse, rtol=1e-12)
    assert out["weights"] == {"type": "precision", "column": "w", "zero_weight_rows": 0}


def test_text_summary_names_the_meaning(cars_file, capsys):
    path, _ = cars_file
    args = ["fit", path, "-f", "mpg ~ wt", "--weights", "n", "--weights-type", "frequency"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Weights: frequency (each row counts w times) from column 'n'; n = 56 from 32" in out


def test_target_without_features_leaves_the_weights_out(cars_file, capsys):
    path, _ = cars_file
    assert main(["fit", path, "--target", "mpg", "--features", "wt,hp", "--weights", "w",
                 "--json"]) == 0  # fmt: skip
    assert set(json.loads(capsys.readouterr().out)["coefficients"]) == {"Intercept", "wt", "hp"}


def test_saved_model_keeps_the_meaning(cars_file, tmp_path, capsys):
    path, _ = cars_file
    model = tmp_path / "m.json"
    assert main(["fit", path, "-f", "mpg ~ wt", "--weights", "w", "--weights-type", "sampling",
                 "--save", str(model)]) == 0  # fmt: skip
    assert json.loads(model.read_text())["weights"]["type"] == "sampling"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--weights", "bad"], "weights column 'bad' has 1 negative values in row 5"),
        (["--weights", "nope"], "weights column 'nope' is not a column of the data"),
        (["--weights", "text"], "weights column 'text' holds"),
        (["--weights", "half", "--weights-type", "frequency"], "must be whole numbers"),
        (["--weights-type", "frequency"], "--weights-type frequency needs --weights COLUMN"),
        (["--weights", "bad", "--chunksize", "2"], "cars.csv row 5: weights column 'bad' is "),
    ],
)
def test_bad_weights_are_clear_errors(cars_file, capsys, extra, message):
    path, _ = cars_file
    assert main(["fit", path, "-f", "mpg ~ wt", *extra]) != 0
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_unknown_weights_type_is_refused_by_the_parser(cars_file, capsys):
    path, _ = cars_file
    with pytest.raises(SystemExit):
        main(["fit", path, "-f", "mpg ~ wt", "--weights", "w", "--weights-type", "counts"])
    assert "invalid choice: 'counts'" in capsys.readouterr().err


@pytest.mark.parametrize("kind", ["precision", "frequency", "sampling"])
def test_streamed_fit_with_weights_equals_the_fit_in_memory(cars_file, tmp_path, capsys, kind):
    path, _ = cars_file
    column = "n" if kind == "frequency" else "w"
    args = ["fit", path, "-f", "mpg ~ wt + hp", "--weights", column, "--weights-type", kind]
    assert main([*args, "--json"]) == 0
    memory = json.loads(capsys.readouterr().out)
    model = tmp_path / "streamed.json"
    assert main([*args, "--chunksize", "5", "--json", "--save", str(model)]) == 0
    streamed = json.loads(capsys.readouterr().out)
    for name in ("Intercept", "wt", "hp"):
        for key in ("coef", "std_err"):
            np.testing.assert_allclose(
                streamed["coefficients"][name][key], memory["coefficients"][name][key], rtol=1e-12
            )
    assert streamed["weights"] == memory["weights"]
    assert json.loads(model.read_text())["weights"]["type"] == kind  # the file keeps it
