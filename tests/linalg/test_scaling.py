"""linmod.linalg.scaling.scaled_roots: standard errors from power-of-two scaled variances."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

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


@settings(max_examples=80, deadline=None)
@given(
    arrays(np.float64, st.integers(0, 40), elements=st.floats(allow_nan=True)),
    st.one_of(st.just(0), st.integers(-1100, 1100)),
)
def test_roots_with_one_exponent_are_numpys_bit_for_bit(values, exponent):
    # Up to 32 values take math.sqrt and math.ldexp one by one: the same bits as numpy
    # (NaN for a negative or NaN value, -0.0 for -0.0, inf beyond the range, subnormals
    # rounded alike), quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = scaled_roots(values, exponent)
        with np.errstate(invalid="ignore", over="ignore"):
            expected = np.ldexp(np.sqrt(values), exponent)
    assert out.dtype == np.float64
    assert out.shape == values.shape
    np.testing.assert_array_equal(np.isnan(out), np.isnan(expected))
    finite = ~np.isnan(expected)
    np.testing.assert_array_equal(out[finite].view(np.int64), expected[finite].view(np.int64))
