"""Double-double kernels against exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linmod.linalg.dd import dd_centred, dd_power, dd_residual, dd_rmatvec, dd_sum_of_squares
from linmod.linalg.scaling import power_of_two_scales

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _exact(hi, lo):
    return Fraction(float(hi)) + Fraction(float(lo))


@settings(max_examples=50, deadline=None)
@given(
    x=arrays(np.float64, (6, 3), elements=finite),
    y=arrays(np.float64, 6, elements=finite),
    b=arrays(np.float64, 3, elements=finite),
)
def test_residual_and_cross_product_are_accurate_to_double_double(x, y, b):
    hi, lo = dd_residual(x, None, y, None, b)
    for i in range(6):
        exact = Fraction(y[i]) - sum(Fraction(x[i, j]) * Fraction(b[j]) for j in range(3))
        size = abs(Fraction(y[i])) + sum(abs(Fraction(x[i, j]) * Fraction(b[j])) for j in range(3))
        assert abs(_exact(hi[i], lo[i]) - exact) <= Fraction(1, 10**28) * (size + 1)
    g_hi, g_lo = dd_rmatvec(x, None, y)
    for j in range(3):
        exact = sum(Fraction(x[i, j]) * Fraction(y[i]) for i in range(6))
        size = sum(abs(Fraction(x[i, j]) * Fraction(y[i])) for i in range(6))
        assert abs(_exact(g_hi[j], g_lo[j]) - exact) <= Fraction(1, 10**28) * (size + 1)


@pytest.mark.parametrize("k", [0, 1, 2, 5, 10])
def test_power_is_exact_to_thirty_digits(k):
    x = np.array([-8.781, -3.0012345, 1.5, 0.0])
    hi, lo = dd_power(x, k)
    for i, value in enumerate(x):
        exact = Fraction(value) ** k
        err = abs(_exact(hi[i], lo[i]) - exact)
        assert err <= abs(exact) * Fraction(1, 10**30)
    with pytest.raises(ValueError, match="non-negative"):
        dd_power(x, -1)


def test_sum_of_squares_and_centring():
    y = np.array([1e8 + 0.1, 1e8 + 0.2, 1e8 + 0.3])
    c_hi, c_lo = dd_centred(y)
    mean = sum(Fraction(v) for v in y) / 3
    for i in range(3):
        assert abs(_exact(c_hi[i], c_lo[i]) - (Fraction(y[i]) - mean)) < Fraction(1, 10**20)
    s_hi, s_lo = dd_sum_of_squares(c_hi, c_lo)
    exact = sum((Fraction(v) - mean) ** 2 for v in y)
    assert abs(_exact(s_hi, s_lo) - exact) < exact * Fraction(1, 10**25)


def test_power_of_two_scales_are_exact_and_equilibrate():
    norms = np.array([3.0e-7, 1.0, 5.0e12, 0.0])
    scales = power_of_two_scales(norms)
    assert np.all(np.frexp(scales[:3])[0] == 0.5)  # powers of two
    scaled = norms[:3] * scales[:3]
    assert np.all((scaled >= 2**-0.5) & (scaled < 2**0.5))
    assert scales[3] == 1.0


def test_power_of_two_scales_round_log2_exactly():
    """``2**-round(log2(norm))`` decided in exact arithmetic: at the float64 neighbours of
    ``2**(k + 1/2)``, where a rounded logarithm could fall on either side."""
    from fractions import Fraction

    for k in (-40, -1, 0, 3, 100):
        middle = np.ldexp(np.sqrt(2.0), k)  # within an ulp of 2**(k + 1/2)
        norms = np.array([np.nextafter(middle, 0), middle, np.nextafter(middle, np.inf)])
        for norm, scale in zip(norms, power_of_two_scales(norms), strict=True):
            # round(log2 v) = k + 1 iff v**2 > 2**(2k + 1), else k (v**2 is never equal).
            above = Fraction(float(norm)) ** 2 > Fraction(2) ** (2 * k + 1)
            assert scale == 2.0 ** -(k + 1 if above else k)


@pytest.mark.parametrize("n", [2, 8, 32, 128, 512])
def test_column_scales_agree_with_power_of_two_scales_at_ties(n):
    """A column of n = 2**(2k+1) ones has norm fl(sqrt(n)), just above 2**(k+1/2): both
    functions must pick the same scale (column_scales once rounded a rounded log2)."""
    from linmod.linalg.scaling import column_scales

    x = np.column_stack([np.ones(n), np.arange(n, dtype=float) + 0.5])
    assert np.array_equal(column_scales(x), power_of_two_scales(np.linalg.norm(x, axis=0)))
