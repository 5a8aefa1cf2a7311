"""A loaded model encodes new data exactly as the fit that saved it (issue 12, item 10)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def frame():
    rng = np.random.default_rng(12)
    n = 40
    return pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "flag": np.arange(n) % 3 == 0,
            "group": pd.Categorical(
                np.array(["a", "b", "c"])[np.arange(n) % 3], categories=["a", "b", "c", "unused"]
            ),
            "n": np.where(np.arange(n) % 2 == 0, 9, 10),
            "y": rng.normal(size=n) + np.arange(n) % 3,
        }
    )


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ x + flag",  # a bool column is a number to formulaic
        "y ~ x + C(flag)",
        "y ~ x + group",  # a Categorical with an unused level
        "y ~ x + C(group, contr.treatment('b'))",
        "y ~ x + C(n)",  # numeric levels 9 and 10, whose text order differs
        "y ~ x:flag + group:x + C(n)",
    ],
)
def test_a_loaded_model_predicts_its_training_data(tmp_path, frame, formula):
    res = linmod.ols(formula, data=frame)
    res.save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    loaded = model.predict(frame, interval="prediction")
    expected = res.predict(frame, interval="prediction")
    pd.testing.assert_frame_equal(loaded, expected, rtol=1e-13, atol=1e-13)
    # the fitted values are the training predictions (computed here as X b, without the
    # aliased columns, e.g. the unused level's column of zeros)
    coef = res.coef.to_numpy()
    kept = np.isfinite(coef)
    np.testing.assert_allclose(loaded["fit"], res.design.x[:, kept] @ coef[kept], rtol=1e-12)


def test_an_unused_level_is_dropped_as_r_does_and_refused_at_prediction(tmp_path, frame):
    assert "unused" in frame["group"].cat.categories  # a category no row holds
    res = linmod.ols("y ~ x + group", data=frame)
    res.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    assert document["spec"]["categories"] == {"group": ["a", "b", "c"]}  # R's lm drops it
    assert not [term for term in document["terms"] if "unused" in term]
    model = linmod.load(tmp_path / "m.json")
    new = frame.head(3).astype({"group": object})
    new.loc[0, "group"] = "unused"
    with pytest.raises(InputError, match=r"level.*'unused'.*not seen when fitting"):
        model.predict(new)


def test_bool_column_with_a_missing_value_predicts_nan(tmp_path, frame):
    res = linmod.ols("y ~ x + flag", data=frame)
    res.save(tmp_path / "m.json")
    new = frame.head(3).astype({"flag": object})
    new.loc[1, "flag"] = None
    table = linmod.load(tmp_path / "m.json").predict(new)
    assert np.isnan(table["fit"].iloc[1])
    np.testing.assert_allclose(
        table["fit"].iloc[[0, 2]], res.predict(frame.head(3))["fit"].iloc[[0, 2]], rtol=1e-13
    )


def test_a_file_without_categories_still_loads(tmp_path):
    # Files written before "categories": C(column) is encoded with the saved levels.
    data = pd.DataFrame({"x": np.arange(12.0), "cyl": [4, 6, 8] * 4})
    data["y"] = data["x"] * 0.5 + data["cyl"] ** 0.5
    res = linmod.ols("y ~ x + C(cyl)", data=data)
    res.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    del document["spec"]["categories"]
    (tmp_path / "m.json").write_text(json.dumps(document))
    loaded = linmod.load(tmp_path / "m.json").predict(data.head(2))
    np.testing.assert_allclose(loaded["fit"], res.predict(data.head(2))["fit"], rtol=1e-13)
