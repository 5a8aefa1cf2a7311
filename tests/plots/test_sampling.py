"""Which points a panel draws and labels: the partition gives a full sort's answer."""

from __future__ import annotations

import numpy as np
import pytest

from linmod.plots.sampling import extreme_positions


@pytest.mark.parametrize("count", [0, 1, 3, 200, 999, 1000, 1500])
def test_extreme_positions_equal_a_stable_sort_of_every_value(count):
    rng = np.random.default_rng(9)
    values = np.round(rng.standard_t(2, size=1000), 1)  # many exact ties in |value|
    values[[5, 50, 500]] = [np.nan, np.inf, -np.inf]
    magnitude = np.where(np.isfinite(values), np.abs(values), -np.inf)
    expected = np.argsort(-magnitude, kind="stable")[:count]  # the definition, O(n log n)
    np.testing.assert_array_equal(extreme_positions(values, count), expected)
