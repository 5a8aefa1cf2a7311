"""A data column named like a column the formula generates is refused, not merged."""

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
    rng = np.random.default_rng(21)
    n = 80
    frame = pd.DataFrame(
        {
            "g": rng.choice(["a", "b"], n),
            "x1": rng.standard_normal(n),
            "other": rng.standard_normal(n),
        }
    )
    frame["y"] = (
        1.0 + 3.0 * (frame.g == "b") + 2.0 * frame.x1 - frame.other + rng.standard_normal(n)
    )
    return frame


def test_a_column_named_intercept_is_not_merged_with_the_intercept(data):
    frame = data.rename(columns={"other": "Intercept"})
    with pytest.raises(InputError, match="name of the formula's intercept column"):
        linmod.ols("y ~ x1 + Intercept", data=frame)
    with pytest.raises(InputError, match=r"'\. - Intercept'"):
        linmod.ols("y ~ .", data=frame)
    res = linmod.ols("y ~ x1 + I(`Intercept`)", data=frame)  # the suggested fix
    ref = smf.ols("y ~ x1 + other", data=data).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)
    assert res.coef.index.tolist() == ["Intercept", "x1", "I(`Intercept`)"]


def test_an_exported_column_of_ones_is_left_out_as_suggested(data):
    frame = data.drop(columns="g").assign(Intercept=1.0)
    with pytest.raises(InputError, match="column of ones of an exported design"):
        linmod.ols("y ~ .", data=frame)
    res = linmod.ols("y ~ . - Intercept", data=frame)
    ref = smf.ols("y ~ x1 + other", data=data).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)


def test_a_column_named_like_a_dummy_is_not_merged_with_it(data):
    frame = data.rename(columns={"other": "g[T.b]"})
    with pytest.raises(InputError, match=r"'g\[T\.b\]' \(from the terms 'g' and 'g\[T\.b\]'\)"):
        linmod.ols("y ~ .", data=frame)
    with pytest.raises(InputError, match="two columns of the design"):
        linmod.ols("y ~ g + x1 + `g[T.b]`", data=frame)
    res = linmod.ols("y ~ g + x1 + I(`g[T.b]`)", data=frame)
    ref = smf.ols("y ~ g + x1 + other", data=data).fit()
    assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-12)
    assert_allclose(res.coef["g[T.b]"], ref.params["g[T.b]"], rtol=1e-12)
