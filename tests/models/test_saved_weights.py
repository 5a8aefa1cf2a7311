"""Model files of weighted fits keep the weights' meaning and the predict-time behaviour."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError, LinmodWarning

from ..conftest import load_dataset


@pytest.fixture
def cars():
    data = load_dataset("mtcars")
    data["w"] = 1.0 / (1.0 + data["disp"] / 200.0)
    data.loc[[3, 8], "w"] = 0.0
    return data


def test_precision_weights_survive_a_round_trip(cars, tmp_path):
    res = linmod.ols("mpg ~ wt + hp", data=cars, weights="w")
    path = tmp_path / "model.json"
    res.save(path)
    document = json.loads(path.read_text())
    assert document["weights"] == {"type": "precision", "column": "w", "zero_weight_rows": 2}
    model = linmod.load(path)
    new, w = cars.iloc[:4], [0.5, 1.0, 2.0, 4.0]
    assert_allclose(
        model.predict(new, interval="prediction", weights=w),
        res.predict(new, interval="prediction", weights=w),
        rtol=1e-12,
    )
    with pytest.warns(LinmodWarning, match="constant prediction variance"):
        model.predict(new, interval="prediction")
    assert_allclose(model.to_frame(), res.to_frame(), rtol=1e-12)
    text = model.summary()
    assert "Weights: precision (1/variance, as R's lm) from column 'w'" in text
    assert "2 zero-weight rows dropped from the fit" in text


def test_sampling_weights_keep_their_robust_covariance(cars, tmp_path):
    res = linmod.ols("mpg ~ wt + hp", data=cars, weights="w", weights_type="sampling")
    path = tmp_path / "model.json"
    res.save(path)
    model = linmod.load(path)
    assert_allclose(model.to_frame()["std_err"], res.std_err, rtol=1e-12)
    assert_allclose(
        model.predict(cars.iloc[:3], interval="confidence"),
        res.predict(cars.iloc[:3], interval="confidence"),
        rtol=1e-12,
    )
    with pytest.raises(InputError, match="sampling weights"):
        model.predict(cars.iloc[:3], interval="prediction")


def test_frequency_weights_predict_one_new_row(cars, tmp_path):
    data = cars.assign(n=np.tile([1, 2, 3, 1], 8))
    res = linmod.ols("mpg ~ wt", data=data, weights="n", weights_type="frequency")
    path = tmp_path / "model.json"
    res.save(path)
    model = linmod.load(path)
    assert_allclose(
        model.predict(data.iloc[:3], interval="prediction"),
        res.predict(data.iloc[:3], interval="prediction"),
        rtol=1e-12,
    )
    with pytest.raises(InputError, match="frequency weights a prediction interval is for one"):
        model.predict(data.iloc[:3], interval="prediction", weights=[1, 2, 3])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"type": "importance"}, r"field 'weights' has type 'importance'"),
        ("precision", r"field 'weights' is not an object"),
        ({"type": "sampling", "column": None}, r"needs 'cov_params', a 3 x 3 matrix"),
        ({"type": "precision", "zero_weight_rows": -1}, r"'zero_weight_rows' that is not a count"),
    ],
)
def test_a_corrupted_weights_field_is_named(cars, tmp_path, weights, message):
    res = linmod.ols("mpg ~ wt + hp", data=cars, weights="w")
    path = tmp_path / "model.json"
    res.save(path)
    document = json.loads(path.read_text())
    document["weights"] = weights
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match=message):
        linmod.load(path)


def test_unweighted_model_files_are_unchanged(cars, tmp_path):
    res = linmod.ols("mpg ~ wt + hp", data=cars)
    path = tmp_path / "model.json"
    res.save(path)
    assert "weights" not in json.loads(path.read_text())
    with pytest.raises(InputError, match="is for a weighted fit"):
        linmod.load(path).predict(cars.iloc[:2], interval="prediction", weights=[1, 1])
