"""Mergeable weight sums and the weighted second pass (issue 15)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_allclose

from linmod.outofcore.weighted_statistics import WeightSums, _copies_sample


def _exact(y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    ys, ws = [Fraction(v) for v in y], [Fraction(v) for v in w]
    total = sum(ws)
    mean = sum(a * b for a, b in zip(ws, ys, strict=True)) / total
    centred = sum(b * (a - mean) ** 2 for a, b in zip(ys, ws, strict=True))
    return float(mean), float(centred)


@pytest.mark.parametrize("cuts", [(0, 40), (0, 1, 2, 40), (0, 13, 13, 27, 40)])
def test_merged_weighted_moments_are_exact_in_any_split(cuts):
    rng = np.random.default_rng(0)
    y = 1e6 + rng.normal(size=40)  # an offset that a one-pass sum of squares would lose
    w = rng.uniform(0.1, 5.0, size=40)
    parts = [WeightSums.of_block(y[a:b], w[a:b], zero=1) for a, b in itertools.pairwise(cuts)]
    left = parts[0]
    for part in parts[1:]:
        left = left.merge(part)
    mean, centred = _exact(y, w)
    assert left.rows == 40
    assert left.zero == len(parts)
    assert_allclose(left.total, float(sum(Fraction(v) for v in w)), rtol=1e-15)
    assert_allclose(left.y_mean, mean, rtol=1e-15)
    assert_allclose(left.y_centred_ss, centred, rtol=1e-12)
    assert_allclose(left.log_sum, np.sum(np.log(w)), rtol=1e-14)


def test_the_sample_of_the_repeated_rows_is_every_copy_or_a_uniform_sample():
    rng = np.random.default_rng(1)
    e = np.array([1.0, 2.0, 3.0])
    counts = np.array([2, 0, 3])
    assert list(_copies_sample(e, counts, rng)) == [1.0, 1.0, 3.0, 3.0, 3.0]
    big = _copies_sample(e, np.array([3000, 0, 9000]), rng)
    assert big.size == 5000
    assert 0.2 < np.mean(big == 1.0) < 0.3  # a quarter of the copies
