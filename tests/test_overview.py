"""The data overview's flags: each problem a column can show, and none on clean columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linmod.overview import FLAG_PROBLEMS, column_flags

N = 40


def _flags(frame: pd.DataFrame) -> dict[str, list[str]]:
    table = column_flags(frame)
    assert list(table.columns) == ["column", "problem", "detail"]
    assert set(table["problem"]) <= set(FLAG_PROBLEMS)
    out: dict[str, list[str]] = {}
    for _, row in table.iterrows():
        out.setdefault(row["column"], []).append(row["problem"])
    return out


def test_clean_columns_raise_no_flag():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "y": rng.normal(size=N),  # floats are all distinct: not an identifier
            "count": rng.integers(0, 5, size=N),
            "group": ["a", "b", "c", "d"] * (N // 4),
            "flag": [True, False] * (N // 2),
        }
    )
    assert column_flags(frame).empty


def test_identifier_like_text_and_row_numbers():
    frame = pd.DataFrame(
        {
            "name": [f"Car {i}" for i in range(N)],
            "row": np.arange(1, N + 1),
            "code": np.arange(N) * 7,  # distinct but not consecutive: a measurement could be
        }
    )
    flags = _flags(frame)
    assert flags == {"name": ["identifier"], "row": ["identifier"]}
    detail = column_flags(frame).set_index("column").loc["name", "detail"]
    assert f"{N} distinct values in {N} rows" in detail
    assert "'Car 0'" in detail


def test_short_columns_are_not_identifiers():
    frame = pd.DataFrame({"name": [f"x{i}" for i in range(5)]})
    assert column_flags(frame).empty


def test_dates_stored_as_dates_or_text():
    frame = pd.DataFrame(
        {
            "day": pd.date_range("2024-01-01", periods=N, freq="D"),
            "text_day": [f"{1 + i % 12}/{1 + i % 28}/2023" for i in range(N)],
            "stamp": [f"2024-03-{1 + i % 28:02d} 12:{i % 60:02d}" for i in range(N)],
        }
    )
    flags = _flags(frame)
    assert flags["day"][0] == "date"
    assert flags["text_day"] == ["date"]  # the date, not also "identifier"
    assert flags["stamp"] == ["date"]


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        (["43,609", "1,200", "980"] * 10, "thousands separators ('43,609', '1,200')"),
        ([str(i) for i in range(29)] + ["n/a"], "1 value(s) that are not numbers ('n/a')"),
        (["1.5", "2", "3"] * 10, "numbers stored as text"),
    ],
)
def test_text_in_number_columns(values, needle):
    table = column_flags(pd.DataFrame({"income": values}))
    assert list(table["problem"]) == ["text_in_numbers"]
    assert needle in table["detail"].iloc[0]


def test_constant_and_duplicated_columns():
    rng = np.random.default_rng(1)
    x = rng.normal(size=N)
    frame = pd.DataFrame({"x": x, "k": 3.0, "empty": np.nan, "x_again": x, "x_close": x + 1e-9})
    flags = _flags(frame)
    assert flags == {"k": ["constant"], "empty": ["constant"], "x_again": ["duplicate"]}
    detail = column_flags(frame).set_index("column").loc["x_again", "detail"]
    assert detail == "the same values as column 'x'"


def test_levels_differing_only_in_case_or_spaces():
    frame = pd.DataFrame({"region": ["North", "north ", "South", "East"] * 10})
    table = column_flags(frame)
    assert list(table["problem"]) == ["case_variants"]
    assert "'North' / 'north '" in table["detail"].iloc[0]
    assert table["detail"].iloc[0].startswith("1 level(s)")


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        (["1.234,5", "2.345,0", "980,25"] * 10, "read the file with thousands='.' and decimal=','"),
        (["3,14", "2,5", "1,75"] * 10, "a decimal comma ('3,14', '2,5', '1,75')"),
        (["1'234", "12'000", "980"] * 10, 'read the file with thousands="\'"'),
        (
            ["1\u00a0234,5", "2\u00a0000,0", "980,0"] * 10,
            "U+00A0 no-break spaces between thousands",
        ),
        (["1\u202f234", "12\u202f000", "980"] * 10, "U+202F narrow no-break spaces"),
        (["$1,200", "$980", "$12,000"] * 10, "the currency symbol '$'"),
    ],
)
def test_numbers_in_other_notations_are_flagged_as_fitting_recognises_them(values, needle):
    # The overview recognises what the fit's screening recognises (number_notation), not
    # only ',' between thousands.
    table = column_flags(pd.DataFrame({"income": values}))
    assert list(table["problem"]) == ["text_in_numbers"]
    detail = table["detail"].iloc[0]
    assert needle in detail
    assert detail.startswith("a number column read as text, because of ")
    if "e.g. df['income'] = " in detail:  # the conversion given converts
        df = pd.DataFrame({"income": values})
        expression = detail.split("e.g. df['income'] = ", 1)[1]
        converted = eval(expression, {"pd": pd, "df": df})
        assert pd.api.types.is_float_dtype(converted) or pd.api.types.is_integer_dtype(converted)
        assert converted.notna().all()
