"""Checks on observation weights (issue 15): every bad weight is refused naming the row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

import linmod
from linmod.data.weights import check_weights, check_weights_type
from linmod.exceptions import InputError


def test_good_weights_come_back_as_float64():
    values = check_weights([1, 0, 2.5], 3)
    assert values.dtype == np.float64
    assert_array_equal(values, [1.0, 0.0, 2.5])
    assert_array_equal(check_weights(pd.Series([3, 1]), 2, weights_type="frequency"), [3.0, 1.0])


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([1.0, np.nan, 1.0], r"1 missing \(NaN\) values in row 2"),
        ([1.0, 1.0, np.inf], r"1 infinite values in row 3"),
        ([-1.0, 1.0, -2.0], r"2 negative values in rows 1, 3"),
        ([0.0, 0.0, 0.0], r"all zero"),
        ([1.0, 2.0], r"shape \(2,\), but the data has 3 rows"),
        ([[1.0, 2.0, 3.0]], r"shape \(1, 3\)"),
        (["a", "b", "c"], r"must be numbers"),
    ],
)
def test_bad_weights_are_refused_naming_the_rows(weights, message):
    with pytest.raises(InputError, match=message):
        check_weights(weights, 3)


def test_messages_use_the_row_labels_and_the_name():
    labels = pd.Index(["Mazda", "Fiat", "Volvo"])
    with pytest.raises(InputError, match=r"column 'w' has 1 negative values in row Fiat"):
        check_weights([1.0, -1.0, 1.0], 3, name="column 'w'", labels=labels)


def test_frequency_weights_must_be_whole():
    with pytest.raises(InputError, match=r"fractions in row 2"):
        check_weights([1.0, 1.5, 2.0], 3, weights_type="frequency")
    check_weights([1.0, 1.5, 2.0], 3, weights_type="sampling")


def test_unknown_meaning_is_refused():
    assert check_weights_type("sampling") == "sampling"
    with pytest.raises(InputError, match=r"weights_type='analytic' is not known"):
        check_weights_type("analytic")


def test_words_in_a_weights_column_are_named_with_their_rows_and_the_read_option(tmp_path):
    # "weights column 'w' holds str values, not numbers ... pd.to_numeric(df[col])" named
    # neither the words nor their rows; now they are, with na_values and missing='drop'.
    rng = np.random.default_rng(11)
    n = 60
    x = rng.normal(size=n)
    w = rng.uniform(0.5, 2.0, n).round(4)
    frame = pd.DataFrame({"y": 1 + x + rng.normal(size=n) / np.sqrt(w), "x": x})
    frame["w"] = w.astype(str).astype(object)
    frame.loc[[4, 30], "w"] = "-"
    path = tmp_path / "weighted.csv"
    frame.to_csv(path, index=False)
    message = (
        r"column 'w' holds text where numbers are expected: 2 value\(s\) such as '-' at row 5;"
        r" weights must be numbers: fix them, or make them missing \(read the file with "
        r"na_values=\['-'\]\) and pass missing='drop'"
    )
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x", data=pd.read_csv(path), weights="w")
    read = pd.read_csv(path, na_values=["-"])
    res = linmod.ols("y ~ x", data=read, weights="w", missing="drop")
    kept = read.dropna()
    sm = pytest.importorskip("statsmodels.api")
    ref = sm.WLS(kept.y, sm.add_constant(kept.x), weights=kept.w).fit()
    np.testing.assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-10)
    np.testing.assert_allclose(res.std_err.to_numpy(), ref.bse.to_numpy(), rtol=1e-8)
