"""Text in a numeric column of chunked data: the in-memory rule, applied chunk by chunk.

An in-memory formula fit refuses a column whose values are mostly numbers but hold a
stray word (``"unknown"``), which formulaic would otherwise make a factor of every
distinct number (:func:`linmod.data.frames.check_numeric_text`).  Streamed, penalised
out-of-core and Dask fits see a column a chunk at a time, so the same rule is applied in
two steps: :class:`TextTally` counts numbers and words over the pass that finds the
levels of the text columns, and :func:`numbers_of` turns the chunks of a column that
must hold numbers into floats, refusing the first word with its row.  A column that is
numeric in the first chunk and holds a word in a later one is refused by
:func:`numbers_of` too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.frames import stray_words_fix
from linmod.data.number_notation import notation_error
from linmod.exceptions import InputError

__all__ = ["MOSTLY_NUMBERS", "TextTally", "is_text", "numbers_of", "text_error"]

#: A text column is "numbers with stray words" when at least this share of its
#: non-missing values are numbers (the in-memory fit's rule).
MOSTLY_NUMBERS = 0.8


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (object or string dtype, not a declared Categorical)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return False
    return bool(pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series))


def text_error(
    column: str, value: Any, where: str, count: int | None = None, words: Iterable[Any] = ()
) -> InputError:
    """The error for a word in a column of numbers, naming the column, value and row, and
    the read option that makes ``words`` (the chunk's distinct words) missing."""
    how_many = f"{count} value(s) such as " if count is not None else ""
    return InputError(
        f"{where}: column {column!r} holds text where numbers are expected: {how_many}"
        f"{value!r}; {stray_words_fix(column, list(words) or [value])}"
    )


def _as_numbers(values: pd.Series) -> pd.Series:
    """Each value as a float (NaN where it is not a number); bools are not numbers here."""
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(np.nan, index=values.index)
    kept = values.map(lambda v: np.nan if isinstance(v, (bool, np.bool_)) else v)
    return pd.to_numeric(kept.astype(object), errors="coerce")


def numbers_of(series: pd.Series, column: str, describe_row: Callable[[int], str]) -> pd.Series:
    """A chunk's column that must hold numbers, as floats; refuse the first word in it.

    Parameters
    ----------
    series : Series
        The column in one chunk (any dtype; a numeric one is returned unchanged).
    column : str
        Its name, for the message.
    describe_row : callable
        Names a 0-based position of the chunk (e.g. ``Chunk.describe_row``).

    Raises
    ------
    InputError
        Naming the column, the first word and its row.
    """
    if not is_text(series):
        return series
    numbers = _as_numbers(series)
    text = (series.notna() & numbers.isna()).to_numpy()
    if text.any():
        notation = notation_error(column, series[text].unique(), formula=True)
        if notation is not None:  # e.g. "(1.23)" among "0.35": say how to read them
            raise notation
        position = int(np.flatnonzero(text)[0])
        words = series[text].unique().tolist()
        raise text_error(
            column, series.iloc[position], describe_row(position), int(text.sum()), words
        )
    return numbers.astype(float)


@dataclass
class TextTally:
    """Counts of numbers and of words in text columns, summed over the chunks of a pass."""

    numbers: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)

    def add(self, frame: pd.DataFrame, columns: Iterable[str]) -> None:
        """Count one chunk's values (by distinct value: one conversion per level)."""
        for column in columns:
            series = frame[column]
            if not is_text(series):
                continue
            self.add_counts(column, series.value_counts(dropna=True))

    def add_counts(self, column: str, counts: pd.Series) -> None:
        """Count values given as a ``value_counts()`` Series (value → count)."""
        numeric = _as_numbers(pd.Series(counts.index, dtype=object)).notna().to_numpy()
        tally = counts.to_numpy(dtype=np.int64)
        self.numbers[column] = self.numbers.get(column, 0) + int(tally[numeric].sum())
        self.words[column] = self.words.get(column, 0) + int(tally[~numeric].sum())

    def counts(self) -> dict[str, int]:
        """Non-missing values counted per column."""
        return {c: self.words[c] + self.numbers.get(c, 0) for c in self.words}

    def mostly_numbers(self, exempt: Iterable[str] = ()) -> list[str]:
        """Columns with a word among at least :data:`MOSTLY_NUMBERS` numbers, ``exempt``
        (those a formula wraps in ``C(...)``) left out."""
        skip = set(exempt)
        found = []
        for column, words in self.words.items():
            total = words + self.numbers.get(column, 0)
            if column not in skip and words and self.numbers[column] >= MOSTLY_NUMBERS * total:
                found.append(column)
        return sorted(found)
