"""Integer row identifiers: a column named like an ID holding ``1..n`` or ``0..n-1``, each once.

A fit in memory leaves such a column (``id``, ``row``, ``index``, ``*_id``, ``Unnamed: 0``)
out of ``y ~ .`` with a warning (:mod:`linmod.data.column_screening`); a formula that
names it uses it as a number.  A streamed or Dask fit sees a chunk (partition) at a
time, and its first one cannot tell: shuffled identifiers hold neither 0 nor 1 there,
and the ``id`` of a panel (``1..500`` in every chunk) looks like one in the first chunk
and is not one in all of them.  So those fits decide on the whole source, from
statistics folded chunk by chunk (:class:`IdentifierTally`): the count of values, their
smallest and largest, whether all are integers, and the power sums ``Σv``, ``Σv²``,
``Σv³``, ``Σv⁴`` modulo 2⁶⁴.  ``n`` integers between ``low`` and ``low + n - 1`` are each
of them once exactly when none repeats; a repeat changes a power sum unless at least
five values differ from ``low..low+n-1`` in a way that keeps four power sums equal (the
Prouhet–Tarry–Escott coincidence) and modulo 2⁶⁴ too, which no data set holds by chance.
Memory is O(1) per column, and the tallies of chunks or partitions merge in any order.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from linmod._stack import user_stacklevel
from linmod.data.term_names import call_on
from linmod.exceptions import LinmodWarning

__all__ = [
    "ID_NAME",
    "MIN_ROWS",
    "IdentifierTally",
    "dot_row_identifiers",
    "fold_identifiers",
    "identifier_candidates",
    "integer_identifier",
    "row_identifier_message",
]

#: Fewest non-missing values for a column to be judged identifier-like.
MIN_ROWS = 10
#: Names of identifier columns: ``id``, ``*_id``, ``row``, ``index``, ``key``, ``Unnamed: 0``.
ID_NAME = re.compile(r"(^|[_.\s])(id|idx|index|row|rownames?|key)$|^unnamed: ?0$", re.IGNORECASE)
_POWERS = 4
_MASK = (1 << 64) - 1
#: Largest magnitude whose integers float64 holds exactly.
_EXACT = 2.0**53


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def row_identifier_message(column: str, low: int, high: int, *, named: bool) -> str:
    """The in-memory message for an integer row identifier (``named``: in the formula)."""
    return (
        f"column {column!r} looks like a row identifier (the integers {low}..{high}, each "
        "once): "
        + (
            f"leave it out of the formula, or write {call_on('I', column)} to use it as a number"
            if named
            else f"'.' leaves it out: write '+ {call_on('I', column)}' to include it"
        )
    )


def integer_identifier(column: str, series: pd.Series) -> bool:
    """Whether ``series`` (all the data) is a row identifier: named like one, integers
    ``1..n`` or ``0..n-1`` each once, at least :data:`MIN_ROWS` of them."""
    if not ID_NAME.search(column.strip()) or not _numeric(series):
        return False
    values = series.dropna()
    n = len(values)
    if n < MIN_ROWS:
        return False
    if not pd.api.types.is_integer_dtype(series):  # integers a formula made float64
        numbers = values.to_numpy(dtype=float)
        if not (np.isfinite(numbers).all() and (numbers == np.round(numbers)).all()):
            return False
    low, high = int(values.min()), int(values.max())
    return low in (0, 1) and high - low == n - 1 and bool(values.is_unique)


def identifier_candidates(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The ``columns`` of ``frame`` (first rows) that a whole source may show to be row
    identifiers: named like one, and numbers."""
    return [
        c
        for c in columns
        if c in frame.columns
        and isinstance(frame[c], pd.Series)
        and ID_NAME.search(str(c).strip())
        and _numeric(frame[c])
    ]


def _power_sums(values: np.ndarray) -> tuple[int, ...]:
    """``Σ v^k`` for k = 1..4, modulo 2⁶⁴ (integer ``values``)."""
    wrapped = values.astype(np.int64).view(np.uint64)
    sums = []
    power = np.ones_like(wrapped)
    for _ in range(_POWERS):
        power = power * wrapped  # uint64 arithmetic wraps: modulo 2**64
        sums.append(int(power.sum(dtype=np.uint64)))
    return tuple(sums)


def _range_sums(high: int) -> tuple[int, ...]:
    """``Σ_{i=1}^{high} i^k`` for k = 1..4 (Faulhaber), modulo 2⁶⁴; also the sums over
    ``0..high``, as 0^k is 0."""
    n = high
    exact = (
        n * (n + 1) // 2,
        n * (n + 1) * (2 * n + 1) // 6,
        (n * (n + 1) // 2) ** 2,
        n * (n + 1) * (2 * n + 1) * (3 * n * n + 3 * n - 1) // 30,
    )
    return tuple(s & _MASK for s in exact)


@dataclass
class IdentifierTally:
    """Statistics of a numeric column, folded chunk by chunk, that decide whether the
    whole column is a row identifier (see the module's notes)."""

    count: int = 0
    low: float = np.inf
    high: float = -np.inf
    integers: bool = True
    sums: tuple[int, ...] = field(default=(0,) * _POWERS)

    @classmethod
    def of(cls, series: pd.Series) -> IdentifierTally:
        """The statistics of one chunk's column."""
        if not _numeric(series):  # text in this chunk: not integers
            return cls(count=int(series.notna().sum()), integers=False)
        values = series.dropna().to_numpy(dtype=float, na_value=np.nan)
        if values.size == 0:
            return cls()
        whole = bool(
            np.isfinite(values).all()
            and (values == np.round(values)).all()
            and np.abs(values).max() <= _EXACT
        )
        low, high = float(values.min()), float(values.max())
        if not whole:
            return cls(count=values.size, low=low, high=high, integers=False)
        return cls(values.size, low, high, True, _power_sums(values))

    def merge(self, other: IdentifierTally) -> IdentifierTally:
        """The statistics of both chunks."""
        sums = tuple((a + b) & _MASK for a, b in zip(self.sums, other.sums, strict=True))
        return IdentifierTally(
            self.count + other.count,
            min(self.low, other.low),
            max(self.high, other.high),
            self.integers and other.integers,
            sums,
        )

    def add(self, series: pd.Series) -> None:
        """Fold one chunk's column in."""
        merged = self.merge(IdentifierTally.of(series))
        self.count, self.low, self.high = merged.count, merged.low, merged.high
        self.integers, self.sums = merged.integers, merged.sums

    def is_identifier(self) -> bool:
        """Whether the values are ``1..n`` or ``0..n-1``, each once (n ≥ :data:`MIN_ROWS`)."""
        if self.count < MIN_ROWS or not self.integers or self.low not in (0.0, 1.0):
            return False
        high = int(self.high)
        return high - int(self.low) == self.count - 1 and self.sums == _range_sums(high)


def dot_row_identifiers(
    tallies: Mapping[str, IdentifierTally], columns: Iterable[str]
) -> list[str]:
    """The ``columns`` that ``.`` put in whose tallies over a whole source make them row
    identifiers, each left out with the in-memory warning (its integers those of the
    whole source)."""
    left_out = []
    for column in columns:
        tally = tallies.get(column)
        if tally is None or not tally.is_identifier():
            continue
        left_out.append(column)
        message = row_identifier_message(column, int(tally.low), int(tally.high), named=False)
        warnings.warn(message, LinmodWarning, stacklevel=user_stacklevel())
    return left_out


def fold_identifiers(tallies: Mapping[str, IdentifierTally], frame: Any) -> None:
    """Fold a chunk's columns into their tallies (columns absent from it are skipped)."""
    for column, tally in tallies.items():
        if column in frame.columns:
            tally.add(frame[column])
