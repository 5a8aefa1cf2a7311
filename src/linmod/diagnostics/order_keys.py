"""Sort keys for ``order_by`` given as text: numbers and dates in time order, not by letter.

Independence tests (Durbin-Watson, Breusch-Godfrey) and the ordered linearity tests look
at the residuals in the order of ``order_by``.  Read from a CSV, a time column is often
text: sorted character by character, ``"10"`` comes before ``"9"`` and ``"01/02/2024"``
(January) before ``"12/01/2023"`` (December 2023), and the tests then see a shuffled
series (a Durbin-Watson statistic near 2 for strongly autocorrelated errors).  Here text
that is all numbers is sorted as numbers and text that is all dates of one format as
dates; a date format that reads two ways (day or month first, every day at most 12) and
other text are refused, with the fix.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from linmod.exceptions import InputError

__all__ = ["order_note_of", "text_order_key"]

#: Date and time formats tried, in this order (ISO 8601 first: it reads one way only).
_DATE_FORMATS = (
    "ISO8601",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%Y",
    "%d.%m.%y",
    "%Y/%m/%d",
    "%m-%d-%Y",
    "%d-%m-%Y",
    "%d %b %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%B %d %Y",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
)


def _parsed_dates(text: pd.Series) -> dict[str, pd.Series]:
    """Every format of :data:`_DATE_FORMATS` that reads all of ``text``, with its dates."""
    readings: dict[str, pd.Series] = {}
    for date_format in _DATE_FORMATS:
        try:  # in UTC: times with different offsets compare as instants
            dates = pd.to_datetime(text, format=date_format, errors="raise", utc=True)
        except (ValueError, TypeError, OverflowError):
            continue
        if dates.notna().all():
            readings[date_format] = dates.dt.tz_localize(None)
    return readings


def _spans(dates: pd.Series) -> bool:
    """Whether two-digit years were read more than 50 years apart: across strptime's
    pivot ('68' is 2068, '69' is 1969), where their order is a guess."""
    years = dates.dt.year
    return bool(years.max() - years.min() > 50)


def _examples(text: pd.Series) -> str:
    return ", ".join(repr(v) for v in text.unique()[:3])


def text_order_key(values: Any, parameter: str = "order_by") -> np.ndarray | None:
    """The sort key for text ``values``, or None when they are not text.

    Parameters
    ----------
    values : array-like of shape (n,)
    parameter : str
        The argument's name, for messages.

    Returns
    -------
    ndarray or None
        float64 for numbers written as text, datetime64 for dates; None for values that
        are not text (the caller sorts them as they are).

    Raises
    ------
    InputError
        For dates that read two ways and for text that is neither numbers nor dates.
    """
    series = pd.Series(np.asarray(values, dtype=object))
    if not series.map(lambda v: isinstance(v, str)).all():
        return None
    text = series.str.strip()
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all():
        return numbers.to_numpy(dtype=np.float64)
    readings = _parsed_dates(text)
    centuries = [name for name, dates in readings.items() if "%y" in name and _spans(dates)]
    if centuries and len(centuries) == len(readings):
        raise InputError(
            f"{parameter} holds two-digit years that read across a century (e.g. "
            f"{_examples(text)}: '68' is 2068 but '69' is 1969): write four-digit years"
        )
    for name in centuries:
        del readings[name]
    distinct = {tuple(dates.to_numpy()): name for name, dates in readings.items()}
    if len(distinct) == 1:
        return next(iter(readings.values())).to_numpy()
    if len(distinct) > 1:
        first, second = list(distinct.values())[:2]
        raise InputError(
            f"{parameter} holds dates that read two ways (e.g. {_examples(text)}: "
            f"{first!r} or {second!r}, every day being at most 12): write them as "
            "YYYY-MM-DD, or convert them with pd.to_datetime(..., format=...) and pass those"
        )
    raise InputError(
        f"{parameter} holds text that is neither numbers nor dates (e.g. {_examples(text)}): "
        "sorted as text it is not an order in time; give numbers or dates instead (the "
        "observation times, or a running number in time order)"
    )


def order_note_of(order_by: Any) -> str:
    """The note saying in which order the independence tests take the residuals.

    Parameters
    ----------
    order_by : None, str, array-like or pandas Series
        ``order_by`` as the user gave it (a Series is described by its name).
    """
    if order_by is None:
        return "tests the residuals in row order; meaningful only when that order is time or space"
    name = order_by if isinstance(order_by, str) else getattr(order_by, "name", None)
    if isinstance(name, str):
        return f"tests the residuals ordered by {name!r}"
    return "tests the residuals in the order order_by gives"
