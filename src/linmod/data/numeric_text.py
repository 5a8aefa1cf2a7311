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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.frames import stray_words_fix
from linmod.data.number_notation import notation_error
from linmod.exceptions import InputError

__all__ = [
    "KEPT_WORDS",
    "MOSTLY_NUMBERS",
    "StrayWords",
    "TextTally",
    "WordSurvey",
    "is_text",
    "numbers_of",
    "text_error",
]

#: A text column is "numbers with stray words" when at least this share of its
#: non-missing values are numbers (the in-memory fit's rule).
MOSTLY_NUMBERS = 0.8


def is_text(series: pd.Series) -> bool:
    """Whether a column holds text (object or string dtype, not a declared Categorical)."""
    dtype = series.dtype  # (an object column's dtype says text: no need to look at values)
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return bool(pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype))


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


#: Distinct words a :class:`WordSurvey` keeps: one past the eight the advice lists, so it
#: knows when there are more than it can list.
KEPT_WORDS = 9
#: Distinct words a message shows with their rows.
_SHOWN_WORDS = 3


@dataclass
class WordSurvey:
    """The words among a column's numbers, over every chunk read so far.

    A streamed fit meets the first word in one chunk; the advice (the ``na_values`` that
    make the words missing) needs all of them, so the rest of the source is read on for
    this column (:meth:`read_on`), keeping the first :data:`KEPT_WORDS` distinct words with
    the row of each and counting every word: memory stays bounded however many there are.

    Attributes
    ----------
    column : str
    where : str
        The row of the first word (the message starts with it).
    seen : dict
        Word → the row it was first seen in ("" when only its count is known).
    count : int
        Every word value found.
    more : bool
        More distinct words than :data:`KEPT_WORDS`.
    complete : bool
        Every chunk of the source was looked at.
    """

    column: str
    where: str
    seen: dict[Any, str] = field(default_factory=dict)
    count: int = 0
    more: bool = False
    complete: bool = False

    def add(self, series: pd.Series, describe_row: Callable[[int], str]) -> None:
        """Count the words of one chunk's column (``describe_row`` names its positions)."""
        if not is_text(series):
            return
        text = (series.notna() & _as_numbers(series).isna()).to_numpy()
        if not text.any():
            return
        self.count += int(text.sum())
        words = series[text]
        first = ~words.duplicated().to_numpy()
        positions = np.flatnonzero(text)[first]
        for value, position in zip(words[first].tolist(), positions.tolist(), strict=True):
            if value in self.seen:
                continue
            if len(self.seen) >= KEPT_WORDS:
                self.more = True
                break
            self.seen[value] = describe_row(int(position))

    def know(self, words: Iterable[Any], count: int) -> None:
        """Take the words and count found over the whole source by a pass that counted
        them (:class:`TextTally`): the survey is then complete."""
        for value in words:
            if len(self.seen) >= KEPT_WORDS:
                self.more = True
                break
            self.seen.setdefault(value, "")
        self.count = max(self.count, count)
        self.complete = True

    def read_on(self, chunks: Iterable[Any]) -> WordSurvey:
        """Count the words in the rest of the source: ``chunks`` yields objects with a
        ``frame`` and a ``describe_row`` (:class:`linmod.data.chunks.Chunk`).  A chunk that
        cannot be read ends the survey with what was found."""
        if self.complete:
            return self
        try:
            for chunk in chunks:
                if self.column not in chunk.frame.columns:
                    break
                self.add(chunk.frame[self.column], chunk.describe_row)
        except StrayWords as other:  # the reader met this column's words first: its survey
            if other.survey.column == self.column and other.survey.complete:
                return other.survey
        except InputError:
            pass
        self.complete = True
        return self

    def error(self) -> StrayWords:
        """The error naming the words, the first ones with their rows, and the read option."""
        listed = list(self.seen.items())
        source = self.where.rpartition(" row ")[0] + " "  # "data.csv row 5": "data.csv "
        shown = ", ".join(
            f"{word!r} at {row.removeprefix(source)}" if row else repr(word)
            for word, row in listed[:_SHOWN_WORDS]
        )
        more = ", …" if len(listed) > _SHOWN_WORDS or self.more else ""
        words = [word for word, _ in listed]
        message = (
            f"{self.where}: column {self.column!r} holds text where numbers are expected: "
            f"{self.count} value(s) such as {shown}{more}; {stray_words_fix(self.column, words)}"
        )
        return StrayWords(message, self)


class StrayWords(InputError):
    """Words in a column of numbers; ``survey`` holds them (:class:`WordSurvey`)."""

    def __init__(self, message: str, survey: WordSurvey) -> None:
        super().__init__(message)
        self.survey = survey


def _as_numbers(values: pd.Series) -> pd.Series:
    """Each value as a float (NaN where it is not a number); bools are not numbers here."""
    if pd.api.types.is_bool_dtype(values):
        return pd.Series(np.nan, index=values.index)
    kept = values.map(lambda v: np.nan if isinstance(v, (bool, np.bool_)) else v)
    return pd.to_numeric(kept.astype(object), errors="coerce")


def numbers_of(
    series: pd.Series,
    column: str,
    describe_row: Callable[[int], str],
    known: tuple[Sequence[Any], int] | None = None,
) -> pd.Series:
    """A chunk's column that must hold numbers, as floats; refuse the first word in it.

    Parameters
    ----------
    series : Series
        The column in one chunk (any dtype; a numeric one is returned unchanged).
    column : str
        Its name, for the message.
    describe_row : callable
        Names a 0-based position of the chunk (e.g. ``Chunk.describe_row``).
    known : (words, count), optional
        The column's distinct words (a few) and their count over the whole source, when a
        pass has counted them: the message names them all.

    Raises
    ------
    StrayWords
        Naming the column, the words (with the row of the first) and the read option.
        Without ``known`` its survey has this chunk's words only: a caller that can read
        on (:meth:`WordSurvey.read_on`) raises the survey of the whole source.
    """
    if not is_text(series):
        return series
    numbers = _as_numbers(series)
    text = (series.notna() & numbers.isna()).to_numpy()
    if text.any():
        notation = notation_error(column, series[text].unique(), formula=True)
        if notation is not None:  # e.g. "(1.23)" among "0.35": say how to read them
            raise notation
        survey = WordSurvey(column, describe_row(int(np.flatnonzero(text)[0])))
        survey.add(series, describe_row)
        if known is not None:
            survey.know(*known)
        raise survey.error()
    return numbers.astype(float)


@dataclass
class TextTally:
    """Counts of numbers and of words in text columns, summed over the chunks of a pass."""

    numbers: dict[str, int] = field(default_factory=dict)
    words: dict[str, int] = field(default_factory=dict)
    examples: dict[str, dict[Any, None]] = field(default_factory=dict)

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
        kept = self.examples.setdefault(column, {})
        for word in counts.index[~numeric]:
            if len(kept) > KEPT_WORDS:
                break
            kept.setdefault(word, None)

    def stray_words(self, column: str) -> tuple[list[Any], int]:
        """A column's distinct words (at most one past :data:`KEPT_WORDS`) and their count,
        for :func:`numbers_of`'s ``known``."""
        return list(self.examples.get(column, {})), self.words.get(column, 0)

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
