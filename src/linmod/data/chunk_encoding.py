"""How the columns of a chunk are encoded before its design is built (chunked fits).

Streamed, penalised out-of-core and Dask fits build each chunk's (or partition's) design
with the model spec of the first one, so every chunk's columns must be given the types
the spec was built for, whatever pandas or pyarrow made of that chunk alone:

- a categorical column becomes a pandas Categorical with the levels of the whole data
  (an unseen level is refused with its row);
- a True/False column becomes 0.0/1.0, as the in-memory fit encodes it (a term ``b``
  with one coefficient, not a factor ``b[T.True]``), even in a chunk where a missing
  value made pandas read it as text;
- a column that must hold numbers is refused with its row when a chunk holds a word
  (:mod:`linmod.data.numeric_text`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.chunks import iter_chunks
from linmod.data.formula import coded_variables
from linmod.data.numeric_text import TextTally, is_text, numbers_of
from linmod.data.row_identifiers import IdentifierTally, fold_identifiers
from linmod.exceptions import InputError

__all__ = [
    "LevelTally",
    "bool_columns",
    "categorical_columns",
    "collect_levels",
    "encode_columns",
    "flags_of",
    "levels_seen",
]


def categorical_columns(spec: Any, frame: pd.DataFrame, variables: set[str]) -> set[str]:
    """Variables that a chunked fit encodes with levels: ``C(...)`` and text columns."""
    coded = coded_variables(spec)
    return {v for v in variables if v in coded or not pd.api.types.is_numeric_dtype(frame[v])}


def bool_columns(spec: Any, frame: pd.DataFrame, variables: set[str]) -> set[str]:
    """Variables holding True/False (not wrapped in ``C(...)``): encoded 0.0/1.0."""
    coded = coded_variables(spec)
    return {v for v in variables if v not in coded and pd.api.types.is_bool_dtype(frame[v])}


#: How pandas' CSV parser spells True and False (as text in a chunk it did not parse as bool).
_SPELLINGS = {"true": True, "false": False}


def flags_of(series: pd.Series, column: str, describe_row: Callable[[int], str]) -> pd.Series:
    """A True/False column of one chunk as 0.0/1.0 (NaN where missing).

    Raises
    ------
    InputError
        If the chunk holds a value other than True, False or missing, naming its row.
    """
    if pd.api.types.is_bool_dtype(series):
        flags = series.to_numpy(dtype=float, na_value=np.nan)
        return pd.Series(flags, index=series.index, name=series.name)
    if not pd.api.types.is_numeric_dtype(series):  # text: pandas met a hole or a stray word
        series = series.map(lambda v: _SPELLINGS.get(v.lower(), v) if isinstance(v, str) else v)
        odd = (series.notna() & ~series.map(lambda v: isinstance(v, (bool, np.bool_)))).to_numpy()
    else:
        odd = (series.notna() & ~series.isin([0, 1])).to_numpy()
    if odd.any():
        position = int(np.flatnonzero(odd)[0])
        raise InputError(
            f"{describe_row(position)}: column {column!r} holds {series.iloc[position]!r} where "
            "True or False is expected (it was True/False in the first rows)"
        )
    values = series.astype(object).where(series.notna(), np.nan).astype(float)
    return pd.Series(values.to_numpy(), index=series.index, name=series.name)


def _categories(
    series: pd.Series, column: str, known: Sequence[Any], describe_row: Callable[[int], str]
) -> pd.Categorical:
    unknown = series.notna() & ~series.isin(known)
    if unknown.any():
        position = int(np.flatnonzero(unknown.to_numpy())[0])
        raise InputError(
            f"{describe_row(position)}, column {column!r}: level "
            f"{series.iloc[position]!r} is not among the levels "
            f"{list(known[:10])}{' …' if len(known) > 10 else ''}; declare it in levels="
        )
    if isinstance(series.dtype, pd.CategoricalDtype):  # recoded, not rebuilt from values
        return series.cat.set_categories(list(known)).array
    return pd.Categorical(series, categories=known)


def encode_columns(
    frame: pd.DataFrame,
    describe_row: Callable[[int], str],
    levels: Mapping[str, Sequence[Any]],
    flags: Sequence[str] = (),
    numbers: Sequence[str] = (),
    words: Mapping[str, tuple[Sequence[Any], int]] | None = None,
) -> pd.DataFrame:
    """Give one chunk's columns the types the model spec was built for.

    Parameters
    ----------
    frame : DataFrame
        The chunk.
    describe_row : callable
        Names a 0-based position of the chunk for messages.
    levels : mapping
        Categorical columns and their levels.
    flags : sequence of str
        True/False columns, encoded 0.0/1.0.
    numbers : sequence of str
        Columns that must hold numbers: a word in one is refused with its row.
    words : mapping, optional
        Column → its words and their count over the whole source, where a pass counted
        them: the refusal names them all (:func:`linmod.data.numeric_text.numbers_of`).

    Returns
    -------
    DataFrame
        ``frame`` itself when nothing changes, else an encoded copy.
    """
    changes: dict[str, Any] = {}
    for column in numbers:
        if column in frame.columns:
            counted = (words or {}).get(column)
            converted = numbers_of(frame[column], column, describe_row, counted)
            if converted is not frame[column]:
                changes[column] = converted
    for column in flags:
        if column in frame.columns:
            changes[column] = flags_of(frame[column], column, describe_row)
    for column, known in levels.items():
        if column in frame.columns:
            changes[column] = _categories(frame[column], column, known, describe_row)
    return frame.assign(**changes) if changes else frame


def collect_levels(
    data: Any,
    chunksize: int,
    columns: list[str],
    declared: Mapping[str, Sequence[Any]],
    tally: TextTally,
    incomplete: set[str] | None = None,
    identifiers: Mapping[str, IdentifierTally] | None = None,
) -> dict[str, list[Any]]:
    """The levels of categorical columns (one pass over them), counting words and numbers;
    columns with a missing value are added to ``incomplete``.  The same pass folds the
    columns of ``identifiers`` into their tallies
    (:class:`linmod.data.row_identifiers.IdentifierTally`)."""
    found = {c: LevelTally() for c in columns if c not in declared}
    tallies = dict(identifiers or {})
    if found or tallies:
        read = sorted(set(found) | set(tallies))
        for chunk in iter_chunks(data, chunksize, columns=read):
            fold_identifiers(tallies, chunk.frame)
            for column, seen in found.items():
                series = chunk.frame[column]
                if incomplete is not None and series.isna().to_numpy().any():
                    incomplete.add(column)
                counts = series.value_counts(dropna=True)
                seen.add(counts)
                if is_text(series):
                    tally.add_counts(column, counts)
    levels = {c: list(v) for c, v in declared.items()}
    levels.update({c: seen.levels() for c, seen in found.items()})
    return levels


class LevelTally:
    """The levels a column's chunks hold, as an in-memory fit orders them: a
    Categorical's unused categories left out (R's ``drop.unused.levels``), its used ones
    in its own order, other values sorted."""

    def __init__(self) -> None:
        self._seen: dict[Any, None] = {}
        self._order: dict[Any, None] = {}

    def add(self, counts: pd.Series) -> None:
        """Add one chunk's ``value_counts()`` (a Categorical's has a ``CategoricalIndex``
        with its categories in order, and counts 0 for the unused ones)."""
        self._seen.update(dict.fromkeys(counts.index[counts.to_numpy() > 0].tolist()))
        if isinstance(counts.index, pd.CategoricalIndex):
            self._order.update(dict.fromkeys(counts.index.categories.tolist()))

    def levels(self) -> list[Any]:
        """The levels seen, in order."""
        first = [level for level in self._order if level in self._seen]
        return first + sorted(set(self._seen).difference(first), key=str)


def levels_seen(counts: Iterable[pd.Series]) -> list[Any]:
    """:meth:`LevelTally.levels` of the ``value_counts()`` of a column's chunks."""
    tally = LevelTally()
    for counted in counts:
        tally.add(counted)
    return tally.levels()
