"""The weighted second pass (issue 15)."""

from __future__ import annotations

import numpy as np

from linmod.outofcore.weighted_statistics import _copies_sample


def test_the_sample_of_the_repeated_rows_is_every_copy_or_a_uniform_sample():
    rng = np.random.default_rng(1)
    e = np.array([1.0, 2.0, 3.0])
    counts = np.array([2, 0, 3])
    assert list(_copies_sample(e, counts, rng)) == [1.0, 1.0, 3.0, 3.0, 3.0]
    big = _copies_sample(e, np.array([3000, 0, 9000]), rng)
    assert big.size == 5000
    assert 0.2 < np.mean(big == 1.0) < 0.3  # a quarter of the copies
