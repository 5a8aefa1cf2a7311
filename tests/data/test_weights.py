"""Checks on observation weights (issue 15): every bad weight is refused naming the row."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

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
