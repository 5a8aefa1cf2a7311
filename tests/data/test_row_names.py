"""Rows are shown 1-based (as R and a spreadsheet) unless the frame has labels of its own;
``id=`` makes an ID column the row labels (issue 13)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.data.row_names import is_default_index, set_id_column, shown_labels
from linmod.exceptions import InputError


def test_text_in_a_number_column_names_the_1_based_row_as_a_plain_number():
    # The QA report: "at row np.int64(1854)" for the 1855th row.
    values = np.arange(2000, dtype=float).astype(object)
    values[1854] = "n/a?"
    data = pd.DataFrame({"x": values, "y": np.arange(2000, dtype=float)})
    with pytest.raises(InputError, match=r"at row 1855;") as caught:
        linmod.ols("y ~ x", data=data)
    assert "np.int64" not in str(caught.value)


def test_a_frame_with_its_own_index_is_named_by_its_labels():
    data = pd.DataFrame(
        {"x": [1.0, np.nan, 3.0, 4.0], "y": [1.0, 2.0, 3.0, 5.0]}, index=["a", "b", "c", "d"]
    )
    with pytest.raises(InputError, match=r"missing values in row b;"):
        linmod.ols("y ~ x", data=data)
    filtered = pd.DataFrame({"x": [1.0, np.nan, 3.0], "y": [1.0, 2.0, 4.0]}, index=[10, 20, 30])
    with pytest.raises(InputError, match=r"missing values in row 20;"):
        linmod.ols("y ~ x", data=filtered)


def test_arrays_and_estimators_number_rows_from_one():
    x = np.array([[1.0], [np.nan], [3.0], [4.0]])
    with pytest.raises(InputError, match=r"missing values in row 2;"):
        linmod.ols(x, [1.0, 2.0, 3.0, 5.0])
    res = linmod.ols(np.array([[1.0], [2.0], [3.0], [5.0]]), [1.0, 2.0, 2.5, 5.0])
    assert list(res.design.shown_row_labels) == [1, 2, 3, 4]


def test_dropped_rows_keep_their_original_numbers():
    data = pd.DataFrame({"x": [1.0, np.nan, 3.0, 4.0, 6.0], "y": [1.0, 2.0, 3.0, 5.0, 5.5]})
    res = linmod.ols("y ~ x", data=data, missing="drop")
    assert list(res.design.shown_row_labels) == [1, 3, 4, 5]
    assert list(res.design.shown_dropped_labels) == [2]
    assert list(res.residuals.index) == [0, 2, 3, 4]  # still joins with the frame


def test_shown_labels_and_default_index():
    assert is_default_index(pd.RangeIndex(5))
    assert not is_default_index(pd.RangeIndex(1, 6))
    assert not is_default_index(pd.Index([0, 1, 2]))
    assert list(shown_labels(pd.Index([0, 4]), numbered=True)) == [1, 5]
    assert list(shown_labels(pd.Index(["a"]), numbered=True)) == ["a"]
    assert list(shown_labels(pd.Index([0, 4]), numbered=False)) == [0, 4]


def test_id_labels_rows_and_leaves_the_dot():
    data = pd.DataFrame(
        {"car": ["u", "v", "w", "x", "y"], "x": [1.0, 2.0, 3.0, 4.0, 6.0], "y": [1, 2, 2, 5, 5.5]}
    )
    res = linmod.ols("y ~ .", data=data, id="car")
    assert list(res.names) == ["Intercept", "x"]  # not one dummy per car
    assert list(res.design.shown_row_labels) == ["u", "v", "w", "x", "y"]
    assert list(res.influence().index) == ["u", "v", "w", "x", "y"]
    assert res.residuals.index.name == "car"


@pytest.mark.parametrize(
    ("car", "message"),
    [
        (["u", "v", "u"], r"id column 'car' repeats 'u' \(rows 1, 3\)"),
        (["u", None, "w"], r"id column 'car' has 1 missing value\(s\) \(row 2\)"),
    ],
)
def test_bad_id_columns_are_refused(car, message):
    data = pd.DataFrame({"car": car, "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 4.0]})
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x", data=data, id="car")


def test_id_must_be_a_column_of_in_memory_formula_data():
    data = pd.DataFrame({"car": ["u", "v", "w"], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 4.0]})
    with pytest.raises(InputError, match=r"id column 'cars' is not a column .* did you mean 'car'"):
        linmod.ols("y ~ x", data=data, id="cars")
    with pytest.raises(InputError, match="id= labels the rows of a formula fit"):
        linmod.ols(data[["x"]], data["y"], id="car")
    with pytest.raises(InputError, match="id column"):
        set_id_column(data, "nope")
