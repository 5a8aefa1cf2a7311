"""A response of words is a categorical outcome, said as such with a conversion that runs;
a response of numbers with a few stray words is refused by word and row (before, every
text response of ``ols(X, y)`` got the stray-word advice "fix them, or make them missing",
and a formula's response with 20-50% words was called a 13-column categorical)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import linmod
from linmod.estimators import LinearRegression
from linmod.exceptions import InputError

N = 40


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    x = rng.standard_normal(N)
    bought = np.where(x + rng.standard_normal(N) > 0, "yes", "no")
    grade = rng.choice(["low", "mid", "high"], N)
    return pd.DataFrame({"x": x, "bought": bought, "grade": grade})


def _suggestion(message: str, target: str) -> str:
    match = re.search(re.escape(target) + r" = .*?\.astype\(int\)", message)
    assert match, message
    return match.group(0)


@pytest.mark.parametrize("column", ["bought", "bought it?"])
def test_two_valued_text_response_in_a_formula_gets_a_working_0_1_response(
    frame, column: str
) -> None:
    frame = frame.rename(columns={"bought": column})
    name = column if column.isidentifier() else f"`{column}`"
    with pytest.raises(
        InputError,
        match=rf"^the response '{re.escape(column)}' holds categories, not numbers \(2 values: "
        r"'no', 'yes'\);.*linear probability model",
    ) as info:
        linmod.ols(f"{name} ~ x", data=frame)
    assert "fix them" not in str(info.value)
    written = re.search(r"write the response as (I\(.*?\))(;|$)", str(info.value))
    assert written, str(info.value)
    assert written.group(1) == f"I({name} == 'yes')"
    res = linmod.ols(f"{written.group(1)} ~ x", data=frame)
    frame = frame.rename(columns={column: "bought"})
    expected = sm.OLS((frame["bought"] == "yes").astype(float), sm.add_constant(frame["x"])).fit()
    np.testing.assert_allclose(res.coef.to_numpy(), expected.params.to_numpy(), rtol=1e-12)


@pytest.mark.parametrize("as_array", [False, True])
def test_two_valued_text_response_of_arrays(frame, as_array: bool) -> None:
    y = frame["bought"].to_numpy() if as_array else frame["bought"]
    with pytest.raises(InputError, match=r"holds categories, not numbers") as info:
        linmod.ols(frame[["x"]].to_numpy(), y)
    code = _suggestion(str(info.value), "y")
    assert code == "y = (y == 'yes').astype(int)"
    with pytest.raises(InputError, match=r"holds categories, not numbers"):
        LinearRegression().fit(frame[["x"]], y)


def test_many_valued_text_response_is_offered_scores_not_fixes(frame) -> None:
    with pytest.raises(
        InputError,
        match=r"the response 'grade' holds categories, not numbers \(3 values: 'high', 'low', "
        r"'mid'\).*map each to its score: df\['grade'\] = df\['grade'\]\.map\(\{'high': score",
    ):
        linmod.ols("grade ~ x", data=frame)


@pytest.mark.parametrize("numbers", [12, 18])
def test_numbers_with_stray_words_are_named_by_row(frame, numbers: int) -> None:
    """Mostly numbers (60% and 90% here): the words are strays, named with their rows."""
    y = pd.Series([str(float(i)) for i in range(numbers)] + ["n/a"] * (20 - numbers))
    df = frame.iloc[:20].assign(y=y.to_numpy())
    rows = rf"'n/a' at row {numbers + 1}"
    with pytest.raises(InputError, match=rf"column 'y' holds text where numbers.*{rows}"):
        linmod.ols("y ~ x", data=df)
    with pytest.raises(InputError, match=rf"column 'y' holds text where numbers.*{rows}"):
        linmod.ols(df[["x"]].to_numpy(), y)
