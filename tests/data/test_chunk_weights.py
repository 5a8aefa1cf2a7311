"""The weights column of a chunk: read, checked and named by file row (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal

from linmod.data.chunk_weights import (
    StreamWeights,
    check_weights_column,
    chunk_weights,
    without_weights,
)
from linmod.data.chunks import Chunk
from linmod.exceptions import InputError


def _name(position: int) -> str:
    return Chunk(pd.DataFrame(), "big.csv", 200).describe_row(position)


def test_weights_are_read_as_numbers_with_missing_kept():
    frame = pd.DataFrame({"w": [1, 0, 2.5, None]})
    values = chunk_weights(frame, StreamWeights("w"), "drop", _name)
    assert_array_equal(values, [1.0, 0.0, 2.5, np.nan])
    assert_array_equal(
        chunk_weights(pd.DataFrame({"w": ["1", "2.5"]}), StreamWeights("w"), "raise", _name),
        [1.0, 2.5],
    )  # numbers read as text by a chunk reader


@pytest.mark.parametrize(
    ("values", "kind", "missing", "message"),
    [
        ([1.0, -2.0], "precision", "raise", r"big.csv row 202: weights column 'w' is negative"),
        ([1.0, np.inf], "sampling", "drop", r"big.csv row 202: weights column 'w' is infinite"),
        ([np.nan, 1.0], "precision", "raise", r"big.csv row 201: weights column 'w' is missing"),
        ([1.0, "two"], "precision", "drop", r"big.csv row 202: weights column 'w' holds 'two'"),
        ([1.0, 1.5], "frequency", "drop", r"big.csv row 202: .* frequency weights must be whole"),
    ],
)
def test_bad_weights_name_the_file_row(values, kind, missing, message):
    frame = pd.DataFrame({"w": pd.Series(values, dtype=object)})
    with pytest.raises(InputError, match=message):
        chunk_weights(frame, StreamWeights("w", kind), missing, _name)


def test_a_chunk_without_the_column_is_named():
    with pytest.raises(InputError, match=r"big.csv row 201: the chunk has no weights column 'w'"):
        chunk_weights(pd.DataFrame({"x": [1.0]}), StreamWeights("w"), "raise", _name)


def test_stream_weights_are_a_column_and_a_known_meaning():
    assert StreamWeights.of(None, "precision") is None
    assert StreamWeights.of("w", "frequency") == StreamWeights("w", "frequency")
    with pytest.raises(InputError, match="an array of weights cannot follow the chunks"):
        StreamWeights.of([1.0, 2.0], "precision")
    with pytest.raises(InputError, match="weights_type='counts' is not known"):
        StreamWeights.of("w", "counts")


def test_the_weights_column_is_checked_and_left_out_of_dot():
    with pytest.raises(InputError, match=r"weights column 'v' is not a column of f.csv"):
        check_weights_column(StreamWeights("v"), ["y", "x", "w"], "f.csv")
    check_weights_column(None, ["y"], "f.csv")
    assert without_weights(["y", "x", "w"], StreamWeights("w")) == ["y", "x"]
    assert without_weights(["y", "w"], None) == ["y", "w"]
