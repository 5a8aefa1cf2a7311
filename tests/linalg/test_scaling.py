"""linmod.linalg.scaling.scaled_roots: standard errors from power-of-two scaled variances."""

from __future__ import annotations

import warnings

import numpy as np

from linmod.linalg.scaling import scaled_roots


def test_scaled_roots_scale_exactly_and_quietly():
    values = np.array([4.0, 2.0, np.nan, -1.0, 1e300])
    np.testing.assert_array_equal(scaled_roots(values[:2], 3), [16.0, 8.0 * np.sqrt(2.0)])
    np.testing.assert_array_equal(scaled_roots(values[:2], 0), [2.0, np.sqrt(2.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # negative and overflowing values: no warning
        out = scaled_roots(values, np.array([0, 0, 0, 0, 900]))
    np.testing.assert_array_equal(np.isnan(out), [False, False, True, True, False])
    assert out[4] == np.inf
