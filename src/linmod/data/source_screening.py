"""What ``y ~ .`` leaves out of a streamed or Dask source, decided on counts of all of it.

A fit in memory screens every column on all the data (:mod:`linmod.data.column_screening`).
A streamed fit (files, lists of frames) and a Dask fit expand ``.`` on their first chunk
or partition, but that chunk decides only what it can: a column whose counts over the
whole source decide (an integer row identifier, text whose levels become too many or too
distinct, text with one value) stays in ``.`` until the pass that finds the levels of the
text columns has seen every chunk; then :func:`late_dot_exclusions` leaves it out, with
the in-memory warning and the whole source's counts, and ``.`` is expanded again without
it.  A one-shot iterator is read once, so its first chunk decides everything.

The same pass gives a type to a column with no value in the first chunk (which pandas
reads as float64 whatever follows): text if a later chunk holds text
(:func:`typed_as_text`), as the in-memory fit of the same file reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from linmod.data.column_screening import dot_exclusions_by_levels, dot_single_levels
from linmod.data.numeric_text import TextTally
from linmod.data.row_identifiers import (
    IdentifierTally,
    dot_row_identifiers,
    identifier_candidates,
)

__all__ = ["identifier_tallies", "late_dot_exclusions", "typed_as_text"]


def identifier_tallies(head: pd.DataFrame, dotted: Iterable[str]) -> dict[str, IdentifierTally]:
    """Empty tallies for the columns ``.`` put in that may be integer row identifiers
    (named like one, numbers in the first rows ``head``)."""
    return {c: IdentifierTally() for c in identifier_candidates(head, sorted(dotted))}


def typed_as_text(untyped: Iterable[str], tally: TextTally) -> set[str]:
    """The ``untyped`` columns (no value in the first chunk) that a later chunk showed to
    hold text: ``tally`` counted the text chunks of every column of the levels pass."""
    return {c for c in untyped if c in tally.words}


def late_dot_exclusions(
    levels: Mapping[str, list[Any]],
    counts: Mapping[str, int],
    singles: Mapping[str, str],
    identifiers: Mapping[str, IdentifierTally],
    dotted: Iterable[str],
    *,
    intercept: bool,
) -> list[str]:
    """The columns ``.`` put in that the whole source shows ``.`` must leave out, each
    with the warning the in-memory fit gives, on the whole source's counts.

    Parameters
    ----------
    levels, counts : mapping
        The levels of the text columns and their numbers of values, over all the source.
    singles : mapping
        Text columns with one value over all of it (column → value).
    identifiers : mapping
        Tallies of the numeric columns that may be row identifiers.
    dotted : iterable of str
        The columns ``.`` put in.
    intercept : bool
        Whether the formula keeps its intercept (a one-value column is left out only then).
    """
    dotted = list(dotted)
    late = dot_exclusions_by_levels(levels, counts, dotted)
    if intercept:
        late += dot_single_levels(singles, dotted)
    return late + dot_row_identifiers(identifiers, dotted)
