"""The conversion a date, time or duration column's refusal suggests must run and give a
column the fit can use, for every way pandas holds such values (before, the code given for
Python timedelta and time objects, and for Arrow dates, failed when pasted)."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import linmod
from linmod.exceptions import InputError

N = 12
_START = pd.Timestamp("2026-01-05 06:30")
_STAMPS = pd.Series([_START + pd.Timedelta(hours=7 * i + i * i) for i in range(N)])


def _column(kind: str) -> pd.Series:
    spans = _STAMPS - _START
    if kind == "datetime64":
        return _STAMPS
    if kind == "datetime64 tz":
        return _STAMPS.dt.tz_localize("Europe/Paris")
    if kind == "python dates":
        return pd.Series([t.date() for t in _STAMPS], dtype=object)
    if kind == "arrow date32":
        return pd.Series([t.date() for t in _STAMPS], dtype=pd.ArrowDtype(pa.date32()))
    if kind == "arrow timestamp":
        return _STAMPS.astype(pd.ArrowDtype(pa.timestamp("us")))
    if kind == "timedelta64":
        return spans
    if kind == "python timedeltas":
        return pd.Series([s.to_pytimedelta() for s in spans], dtype=object)
    if kind == "arrow duration":
        return spans.astype(pd.ArrowDtype(pa.duration("us")))
    if kind == "python times":
        return pd.Series([t.time() for t in _STAMPS], dtype=object)
    if kind == "arrow time64":
        return pd.Series([t.time() for t in _STAMPS], dtype=pd.ArrowDtype(pa.time64("us")))
    raise AssertionError(kind)


KINDS = [
    "datetime64", "datetime64 tz", "python dates", "arrow date32", "arrow timestamp",
    "timedelta64", "python timedeltas", "arrow duration", "python times", "arrow time64",
]  # fmt: skip


def _frame(kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    x = rng.standard_normal(N)
    return pd.DataFrame({"x": x, "when": _column(kind), "y": 1 + x + rng.standard_normal(N)})


def _run_suggestion(message: str, df: pd.DataFrame) -> pd.DataFrame:
    """Execute the ``df['when'] = ...`` the message suggests, as a user would paste it."""
    match = re.search(r"(df\['when'\] = .*?)(?:, and add it|$)", message)
    assert match, message
    df = df.copy()
    exec(match.group(1), {"pd": pd, "np": np, "df": df})
    return df


@pytest.mark.parametrize("kind", KINDS)
def test_named_column_refusal_gives_working_conversion(kind: str) -> None:
    df = _frame(kind)
    with pytest.raises(InputError, match=r"column 'when' holds .*which a regression") as info:
        linmod.ols("y ~ x + when", data=df)
    converted = _run_suggestion(str(info.value), df)
    assert pd.api.types.is_numeric_dtype(converted["when"]), converted["when"].dtype
    res = linmod.ols("y ~ x + when", data=converted)
    assert np.all(np.isfinite(res.coef.to_numpy()))
    if kind in ("python times", "arrow time64"):  # hours after midnight, exactly
        hours = [t.hour + t.minute / 60 for t in _STAMPS]
        np.testing.assert_allclose(converted["when"].to_numpy(float), hours, rtol=1e-15)


@pytest.mark.parametrize("kind", KINDS)
def test_dot_warning_gives_working_conversion(kind: str) -> None:
    df = _frame(kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = linmod.ols("y ~ .", data=df)
    assert res.names.tolist() == ["Intercept", "x"]
    said = [str(w.message) for w in caught if "'when'" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in caught]
    converted = _run_suggestion(said[0], df)
    assert linmod.ols("y ~ .", data=converted).names.tolist() == ["Intercept", "x", "when"]


def test_python_times_are_called_times_of_day() -> None:
    df = _frame("python times")
    with pytest.raises(InputError, match=r"holds times of day \(Python objects\)"):
        linmod.ols("y ~ x + when", data=df)


def test_python_time_values_are_not_confused_with_dates() -> None:
    df = _frame("python dates")
    with pytest.raises(InputError, match=r"holds dates or times \(Python objects\)"):
        linmod.ols("y ~ x + when", data=df)
