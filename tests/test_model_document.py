"""A model file is validated whole at load: each bad field is an InputError naming it."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError

from .conftest import load_dataset


@pytest.fixture
def saved(tmp_path):
    """The text of a saved OLS fit with a categorical column."""
    linmod.ols("mpg ~ wt + C(cyl)", data=load_dataset("mtcars")).save(tmp_path / "m.json")
    return (tmp_path / "m.json").read_text()


def _load_text(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    return linmod.load(path)


def _load(tmp_path, document):
    return _load_text(tmp_path, json.dumps(document))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # JSON's non-standard constants and numbers beyond float64 are never taken as values
        (
            '"coef": [\n    ',
            '"coef": [\n    Infinity, ',
            r"field 'coef\[0\]' is Infinity \(not a finite number; a model file writes null",
        ),
        ('"sigma": ', '"sigma": NaN, "x": ', "field 'sigma' is NaN"),
        ('"sigma": ', '"sigma": 1e999, "x": ', r"field 'sigma' is 1e999 \(beyond float64's range"),
        (
            '"sigma": ',
            '"sigma": -1e999, "x": ',
            r"field 'sigma' is -1e999 \(beyond float64's range",
        ),
        (
            '"n_obs": ',
            '"n_obs": 1' + "0" * 5000 + ', "x": ',
            r"field 'n_obs' is 1000.* \(5001 digits\)",
        ),
        (
            '"r_squared": ',
            f'"r_squared": {2**1024}, "x": ',
            r"field 'r_squared' is 1797.*beyond float64",
        ),
        (
            '"coef": [\n    ',
            f'"coef": [\n    {10**400}, ',
            r"field 'coef\[0\]' is 1000.* \(401 digits\)",
        ),
    ],
)
def test_non_finite_and_huge_numbers_are_refused_by_field(tmp_path, saved, old, new, message):
    assert old in saved
    with pytest.raises(InputError, match=message):
        _load_text(tmp_path, saved.replace(old, new, 1))


@pytest.mark.parametrize("depth", [20, 100_000])
def test_deep_json_is_refused(tmp_path, saved, depth):
    text = saved.replace('"sigma": ', f'"extra": {"[" * depth}{"]" * depth}, "sigma": ', 1)
    with pytest.raises(InputError, match="nested deeper than 16 levels"):
        _load_text(tmp_path, text)


def _spec(**changes):
    def change(document):
        document["spec"].update(changes)

    return change


@pytest.mark.parametrize(
    ("corrupt", "message"),
    [
        (_spec(formula="wt + C(cyl)"), r"'spec.formula' is corrupted: 'wt \+ C\(cyl\)' is not"),
        (_spec(formula="mpg ~ "), "'spec.formula' is corrupted"),
        (_spec(formula=["mpg ~ wt"]), "'spec.formula' is corrupted: a JSON list"),
        (_spec(levels={"cyl": "468"}), "'spec.levels.cyl' is corrupted: a JSON str"),
        (_spec(levels={"cyl": []}), "'spec.levels.cyl' is corrupted: .*non-empty list"),
        (_spec(levels={"cyl": [4, 4, 8]}), "'spec.levels.cyl' is corrupted: a level occurs twice"),
        (_spec(levels={"cyl": [4, None]}), r"'spec.levels.cyl\[1\]' is corrupted: null"),
        (_spec(levels={"cyl": [4, [6]]}), r"'spec.levels.cyl\[1\]' is corrupted: a JSON list"),
        (_spec(levels={"gear": [3, 4]}), "'spec.levels.gear' is corrupted: not one of spec.var"),
        (_spec(levels=[4, 6, 8]), "'spec.levels' is corrupted: a JSON list"),
        (_spec(categories={"C(cyl)": [4, 6, 6]}), "'spec.categories.C.cyl.' is corrupted"),
        (_spec(variables=["cyl", "cyl"]), "'spec.variables' is corrupted: a name occurs twice"),
        (_spec(type="pickle"), "'spec.type' is corrupted: 'pickle' is not"),
        (lambda d: d.update(spec=[]), "'spec' is corrupted"),
        (lambda d: d.update(terms="Intercept"), "'terms' is corrupted"),
        (lambda d: d.update(coef=d["coef"][:2]), "'coef' is corrupted: 2 numbers where the 4"),
        (lambda d: d["coef"].__setitem__(1, "3.5"), r"'coef\[1\]' is corrupted: a JSON str"),
        (lambda d: d["coef"].__setitem__(1, True), r"'coef\[1\]' is corrupted: a JSON bool"),
        (lambda d: d["cov_unscaled"].pop(), "'cov_unscaled' is corrupted: not a 4 x 4"),
        (lambda d: d["cov_unscaled"][2].pop(), r"'cov_unscaled\[2\]' is corrupted: 3 numbers"),
        (lambda d: d.update(sigma=-1.0), "'sigma' is corrupted: -1.0 is negative"),
        (lambda d: d.update(df_resid=-1), "'df_resid' is corrupted: -1 where a count"),
        (lambda d: d.update(df_resid=27.5), "'df_resid' is corrupted: 27.5 where a count"),
        (lambda d: d.update(n_obs=True), "'n_obs' is corrupted: True where a count"),
        (lambda d: d.pop("sigma"), "'sigma' is corrupted: missing"),
        (lambda d: d.update(response=None), "'response' is corrupted: null"),
        (_spec(formula="mpg ~ wt + poly(cyl, 2)"), "poly without raw=True"),
    ],
)
def test_each_bad_field_is_named(tmp_path, saved, corrupt, message):
    document = json.loads(saved)
    corrupt(document)
    with pytest.raises(InputError, match=r"bad.json is not a valid linmod model file|refused"):
        _load(tmp_path, document)
    with pytest.raises(InputError, match=message):
        _load(tmp_path, document)


@pytest.mark.parametrize("text", ["[1, 2]", '"linmod-model"', "null"])
def test_a_document_that_is_not_an_object_is_refused(tmp_path, text):
    with pytest.raises(InputError, match="not a JSON object"):
        _load_text(tmp_path, text)


def test_estimator_params_are_checked_too(tmp_path):
    linmod.Ridge(alpha=2.0).fit(np.eye(3), [1.0, 2.0, 3.0]).save(tmp_path / "m.json")
    text = (tmp_path / "m.json").read_text().replace('"alpha": 2.0', '"alpha": -Infinity')
    with pytest.raises(InputError, match=r"field 'params.alpha' is -Infinity"):
        _load_text(tmp_path, text)


def test_a_fit_without_residual_degrees_of_freedom_loads(tmp_path):
    # sigma and R² are undefined (saved as null): the file still loads and predicts.
    res = linmod.ols("y ~ x", data=pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 5.0]}))
    res.save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    assert math.isnan(model.sigma)
    assert model.df_resid == 0
    np.testing.assert_allclose(model.predict(pd.DataFrame({"x": [3.0]}))["fit"], [7.0])


def test_a_folder_is_not_a_model_file(tmp_path):
    with pytest.raises(InputError, match="cannot be read"):
        linmod.load(tmp_path)
