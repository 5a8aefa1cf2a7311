"""The formula fragments messages suggest are valid formulas for any column name (QA 12).

"write '+ I(Unnamed: 0)'" and "write '+ C(customer id)'" were parse errors when typed;
names that are not identifiers are backticked by one helper, and each suggestion is
pasted into the formula here and fitted (expected values from statsmodels, on the same
data with the columns renamed to identifiers).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.term_names import call_on, quoted_name, term_name
from linmod.exceptions import InputError, LinmodWarning


def test_names_are_backticked_unless_identifiers():
    assert quoted_name("price") == "price"
    assert quoted_name("x_1") == "x_1"
    assert quoted_name("customer id") == "`customer id`"
    assert quoted_name("Unnamed: 0") == "`Unnamed: 0`"
    assert quoted_name("x.1") == "`x.1`"
    assert quoted_name("1st") == "`1st`"
    assert call_on("C", "customer id") == "C(`customer id`)"
    assert call_on("I", "Unnamed: 0") == "I(`Unnamed: 0`)"
    assert call_on("C", "g") == "C(g)"
    assert term_name("a b") == "`a b`"
    with pytest.raises(InputError, match="contains a backtick"):
        term_name("a`b")


def _same_fit(res, reference) -> None:
    """The same least-squares fit: fitted values (unique whatever the column order)."""
    assert res.coef.size == reference.params.size
    assert_allclose(
        np.asarray(res.fitted), reference.fittedvalues.to_numpy(), rtol=1e-10, atol=1e-10
    )


def _suggestion(message: str, pattern: str) -> str:
    match = re.search(pattern, message)
    assert match is not None, message
    return match.group(1)


def _frame(n: int = 30, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({"Unnamed: 0": np.arange(n), "y": 1 + 2 * x + rng.normal(size=n), "x": x})


def test_the_row_number_suggestion_fits_as_pasted():
    """QA: with_index.csv's index column."""
    frame = _frame()
    with pytest.warns(LinmodWarning, match="looks like a row identifier") as caught:
        linmod.ols("y ~ .", data=frame)
    fragment = _suggestion(str(caught[0].message), r"write '\+ (.*)' to include it")
    assert fragment == "I(`Unnamed: 0`)"
    with pytest.warns(LinmodWarning):  # '.' still leaves the column out; the term adds it
        res = linmod.ols(f"y ~ . + {fragment}", data=frame)
    reference = smf.ols("y ~ x + u0", data=frame.rename(columns={"Unnamed: 0": "u0"})).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)
    with pytest.raises(InputError) as refused:
        linmod.ols("y ~ x + `Unnamed: 0`", data=frame)
    fragment = _suggestion(str(refused.value), r"or write (I\(.*?\)) to use it as a number")
    res = linmod.ols(f"y ~ x + {fragment}", data=frame)
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_the_identifier_suggestion_fits_as_pasted():
    """QA: spaceid.csv's "customer id" text column."""
    frame = _frame().drop(columns="Unnamed: 0")
    frame["customer id"] = [f"A-{i % 27:04d}" for i in range(len(frame))]  # 27 of 30 distinct
    with pytest.warns(LinmodWarning, match="looks like an identifier") as caught:
        linmod.ols("y ~ .", data=frame)
    fragment = _suggestion(str(caught[0].message), r"write '\+ (.*)' to include it")
    assert fragment == "C(`customer id`)"
    with pytest.warns(LinmodWarning):
        res = linmod.ols(f"y ~ . + {fragment}", data=frame)
    renamed = frame.rename(columns={"customer id": "cid"})
    reference = smf.ols("y ~ x + C(cid)", data=renamed).fit()
    _same_fit(res, reference)
    with pytest.raises(InputError) as refused:
        linmod.ols("y ~ x + `customer id`", data=frame)
    fragment = _suggestion(str(refused.value), r"or write (.*) to fit it anyway")
    res = linmod.ols(f"y ~ x + {fragment}", data=frame)
    _same_fit(res, reference)


def test_the_many_levels_suggestion_fits_as_pasted():
    frame = _frame(40).drop(columns="Unnamed: 0")
    frame["shop name"] = [f"shop {i % 21}" for i in range(40)]  # 21 levels > 40 / 2
    with pytest.warns(LinmodWarning, match="is text with 21 distinct values") as caught:
        linmod.ols("y ~ .", data=frame)
    fragment = _suggestion(str(caught[0].message), r"write '\+ (.*)' to include it")
    assert fragment == "C(`shop name`)"
    with pytest.raises(InputError) as refused:
        linmod.ols("y ~ x + `shop name`", data=frame)
    named = _suggestion(str(refused.value), r"write (.*) if you mean one coefficient per value")
    reference = smf.ols("y ~ x + C(s)", data=frame.rename(columns={"shop name": "s"})).fit()
    for formula in (f"y ~ x + {named}", f"y ~ x + {fragment}"):
        res = linmod.ols(formula, data=frame)
        _same_fit(res, reference)


def test_the_stray_word_suggestion_fits_as_pasted():
    frame = _frame().drop(columns="Unnamed: 0")
    frame["size class"] = [str(i % 3) for i in range(len(frame))]
    frame.loc[4, "size class"] = "big"
    with pytest.raises(InputError, match="holds text where numbers are expected") as refused:
        linmod.ols("y ~ x + `size class`", data=frame)
    fragment = _suggestion(str(refused.value), r"or write (.*) if the column is categorical")
    assert fragment == "C(`size class`)"
    res = linmod.ols(f"y ~ x + {fragment}", data=frame)
    reference = smf.ols("y ~ x + C(s)", data=frame.rename(columns={"size class": "s"})).fit()
    _same_fit(res, reference)


def test_the_date_suggestion_names_the_column_as_a_formula_does():
    frame = _frame().drop(columns="Unnamed: 0")
    frame["sale day"] = pd.date_range("2021-01-01", periods=len(frame))
    with pytest.raises(InputError, match=r"write C\(`sale day`\) to use them as categories"):
        linmod.ols("y ~ x + I(`sale day`)", data=frame.astype({"sale day": "period[D]"}))
