"""The folded statistics that decide an integer row identifier over a whole source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from linmod.data.row_identifiers import IdentifierTally, integer_identifier


def folded(values, chunk: int = 7) -> IdentifierTally:
    series = pd.Series(values)
    tally = IdentifierTally()
    for start in range(0, len(series), chunk):
        tally.add(series.iloc[start : start + chunk])
    return tally


@pytest.mark.parametrize("start", [0, 1])
def test_a_shuffled_range_is_an_identifier_and_a_chunk_of_it_is_not(start):
    values = np.random.default_rng(3).permutation(200) + start
    assert folded(values).is_identifier()
    assert not IdentifierTally.of(pd.Series(values[:40])).is_identifier()


def test_the_power_sums_are_those_of_the_range():
    # Faulhaber's sums against Python's own, for a range whose fourth powers wrap 2**64
    high = 70_000
    expected = tuple(sum(i**k for i in range(1, high + 1)) % 2**64 for k in range(1, 5))
    assert folded(np.arange(1, high + 1), chunk=9_999).sums == expected


@pytest.mark.parametrize(
    "change",
    [
        lambda v: np.where(v == 50, 51, v),  # a repeat: count, smallest and largest kept
        lambda v: np.where(v == 50, 51, np.where(v == 120, 119, v)),  # two, sum kept too
        lambda v: np.concatenate([v[v != 7], [7.5]]),  # a fraction
        lambda v: np.concatenate([v, [np.nan] * 5]),  # missing values are not counted...
    ],
)
def test_what_is_not_each_integer_once_is_no_identifier(change):
    values = np.random.default_rng(4).permutation(200) + 1.0
    changed = change(values)
    expected = integer_identifier("id", pd.Series(changed))  # the in-memory rule
    assert folded(changed).is_identifier() == expected
    assert expected == bool(np.isnan(changed).any())  # ... so only that one is still an ID


def test_text_in_a_chunk_and_too_few_rows_are_no_identifier():
    assert not folded([*range(1, 20), "x"]).is_identifier()
    assert not folded(list(range(1, 10))).is_identifier()  # 9 rows: fewer than MIN_ROWS


def test_tallies_merge_in_any_order():
    values = pd.Series(np.random.default_rng(5).permutation(90))
    parts = [IdentifierTally.of(values.iloc[i : i + 30]) for i in (0, 30, 60)]
    one = parts[0].merge(parts[1]).merge(parts[2])
    other = parts[2].merge(parts[0].merge(parts[1]))
    assert one == other
    assert one.is_identifier()
