"""Frames a formula cannot use as they are: clear errors (or warnings), never a raw
KeyError or TypeError from pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def numbered() -> pd.DataFrame:
    """A frame as read_csv(header=None) gives it: columns 0, 1, 2."""
    return pd.DataFrame(np.random.default_rng(3).normal(size=(20, 3)))


@pytest.mark.parametrize("formula", ["`0` ~ `1` + `2`", "`0` ~ .", "Q('0') ~ Q('1')", "0 ~ 1 + 2"])
def test_integer_column_names_are_refused_with_the_rename(numbered, formula):
    with pytest.raises(InputError, match=r"column names 0, 1.* are int, not text") as caught:
        linmod.ols(formula, data=numbered)
    assert "df = df.add_prefix('x') and write x0 ~ x1 + x2" in str(caught.value)
    with pytest.raises(InputError, match=r"are int, not text"):
        linmod.ols(formula, data=numbered, chunksize=5)


def test_integer_names_renamed_as_the_message_says_fit(numbered):
    fit = linmod.ols("x0 ~ x1 + x2", data=numbered.add_prefix("x"))
    x = np.column_stack([np.ones(20), numbered[[1, 2]]])
    expected = np.linalg.lstsq(x, numbered[0], rcond=None)[0]
    np.testing.assert_allclose(fit.coef.to_numpy(), expected, rtol=1e-10)
    # A frame whose unused columns are not named by text still fits.
    mixed = numbered.rename(columns={0: "y", 1: "x"})
    assert list(linmod.ols("y ~ x", data=mixed).coef.index) == ["Intercept", "x"]
