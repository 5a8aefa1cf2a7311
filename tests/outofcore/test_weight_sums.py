"""Mergeable weight sums of a weighted out-of-core fit (issue 15)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from numpy.testing import assert_allclose

from linmod.outofcore.weight_sums import WeightSums, scaled_rows


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


def test_scaled_rows_are_the_rows_times_the_root_of_their_weight():
    block = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_allclose(scaled_rows(block, np.array([4.0, 0.25])), [[2.0, 4.0], [1.5, 2.0]])
