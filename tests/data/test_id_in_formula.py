"""id= labels the rows; a formula that names the id column uses it as a predictor too."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def data() -> pd.DataFrame:
    rng = np.random.default_rng(61)
    frame = pd.DataFrame({"wt": rng.uniform(1, 5, 30), "year": np.arange(1990, 2020)})
    frame["mpg"] = 40 - 5 * frame.wt + 0.1 * (frame.year - 2000) + rng.standard_normal(30)
    return frame


def test_an_id_column_named_in_the_formula_is_a_predictor_too(data):
    res = linmod.ols("mpg ~ wt + year", data=data, id="year")
    ref = smf.ols("mpg ~ wt + year", data=data).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)
    assert list(res.residuals.index[:2]) == [1990, 1991]  # labelled by the id
    backticked = linmod.ols("mpg ~ wt + np.log(`year`)", data=data, id="year")
    assert "np.log(`year`)" in backticked.coef.index or "np.log(year)" in backticked.coef.index


def test_dot_leaves_the_id_column_out(data):
    res = linmod.ols("mpg ~ .", data=data, id="year")
    assert list(res.coef.index) == ["Intercept", "wt"]


def test_a_repeated_id_value_is_shown_as_the_value(data):
    data.loc[3, "year"] = 1990
    with pytest.raises(InputError, match=r"repeats 1990 \(rows 1, 4\)"):
        linmod.ols("mpg ~ wt", data=data, id="year")


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ . - id.x",  # an attribute-like name that starts with the id's name
        "y ~ . - `old id value`",  # a word of a backticked name
        "y ~ . - g + C(g, levels=['id', 'b'])",  # a string literal
    ],
)
def test_words_that_only_look_like_the_id_column_do_not_keep_it(formula):
    rng = np.random.default_rng(62)
    frame = pd.DataFrame(
        {
            "id": np.arange(100, 130),
            "id.x": rng.normal(size=30),
            "x": rng.normal(size=30),
            "g": rng.choice(["id", "b"], 30),
            "old id value": rng.normal(size=30),
        }
    )
    frame["y"] = frame.x + rng.normal(size=30)
    res = linmod.ols(formula, data=frame, id="id")
    assert "id" not in res.coef.index  # labels only: '.' leaves it out, nothing names it
    assert list(res.residuals.index[:2]) == [100, 101]
