"""Frames that cannot mean what they say: duplicate names, text in numeric columns (QA)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.exceptions import InputError

from .conftest import load_dataset


@pytest.fixture
def duplicated():
    rng = np.random.default_rng(0)
    return pd.DataFrame(rng.normal(size=(20, 3)), columns=["y", "x", "x"])


@pytest.mark.parametrize(
    "call",
    [
        lambda d: linmod.ols("y ~ x", data=d),
        lambda d: linmod.ols(d[["x"]], d["y"]),
        lambda d: linmod.LinearRegression().fit(d[["x"]], d["y"]),
        lambda d: linmod.Lasso(alpha=0.1).fit(d[["x"]], d["y"]),
        lambda d: linmod.LassoCV(cv=3).fit(d[["x"]], d["y"]),
        lambda d: linmod.GDRegressor().fit(d[["x"]], d["y"]),
        lambda d: linmod.lasso_path(d[["x"]], d["y"]),
    ],
)
def test_duplicate_column_names_are_named(duplicated, call):
    with pytest.raises(InputError, match=r"duplicate column names: 'x' \(2 columns\)"):
        call(duplicated)


@pytest.fixture
def typo():
    frame = load_dataset("mtcars")
    frame["hp"] = frame["hp"].astype(object)
    frame.loc[7, "hp"] = "abc"
    return frame


def test_a_word_in_a_numeric_column_is_refused_by_a_formula(typo):
    message = r"column 'hp' holds text .* 'abc' at row 8; .* or write C\(hp\)"
    with pytest.raises(InputError, match=message):
        linmod.ols("mpg ~ wt + hp", data=typo)
    with pytest.raises(InputError, match="column 'hp' holds text"):
        linmod.lasso("mpg ~ wt + hp", data=typo, alpha=0.1)
    # Asked for a factor, it is one; a text column of words stays a factor as before.
    assert len(linmod.ols("mpg ~ wt + C(hp)", data=typo).coef) == 2 + typo["hp"].nunique() - 1
    words = load_dataset("mtcars").assign(kind=lambda f: np.where(f.am == 1, "manual", "auto"))
    assert "kind[T.manual]" in linmod.ols("mpg ~ wt + kind", data=words).coef.index


@pytest.mark.parametrize(
    "estimator",
    [linmod.LinearRegression(), linmod.Ridge(), linmod.LassoCV(cv=3), linmod.GDRegressor()],
)
def test_estimators_name_the_text_column(typo, estimator):
    with pytest.raises(InputError, match=r"column 'hp' holds text .* 'abc' at row 8; features"):
        estimator.fit(typo[["wt", "hp"]], typo["mpg"])
