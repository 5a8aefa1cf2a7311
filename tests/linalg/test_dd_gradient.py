"""The fused refinement kernels and the compiled column maxima, against exact arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linmod.linalg import dd_gradient
from linmod.linalg.dd import dd_add, dd_sum_of_squares
from linmod.linalg.dd_gradient import (
    dd_residual_gradient,
    dd_subtract_inplace,
    dd_subtract_squares,
)
from linmod.linalg.scaling import column_max_abs

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def _exact(hi, lo):
    return Fraction(float(hi)) + Fraction(float(lo))


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, (7, 3), elements=finite),
    y=arrays(np.float64, 7, elements=finite),
    b_hi=arrays(np.float64, 3, elements=finite),
    u=arrays(np.float64, 3, elements=st.floats(-0.5, 0.5)),
)
def test_residual_and_gradient_are_double_double_accurate(x, y, b_hi, u):
    b_lo = u * np.spacing(np.abs(b_hi))  # a double-double: |lo| <= ulp(hi) / 2
    r_hi, r_lo, g_hi, g_lo = dd_residual_gradient(x, y, b_hi, b_lo)
    b = [Fraction(b_hi[j]) + Fraction(b_lo[j]) for j in range(3)]
    residuals = []
    for i in range(7):
        exact = Fraction(y[i]) - sum(Fraction(x[i, j]) * b[j] for j in range(3))
        size = abs(Fraction(y[i])) + sum(abs(Fraction(x[i, j]) * b[j]) for j in range(3))
        got = _exact(r_hi[i], r_lo[i])
        assert abs(got - exact) <= Fraction(1, 10**28) * (size + 1)
        assert abs(r_lo[i]) <= np.spacing(abs(r_hi[i])) / 2  # renormalised
        residuals.append(got)
    for j in range(3):  # X' r of the returned residuals, to double-double accuracy
        exact = sum(Fraction(x[i, j]) * residuals[i] for i in range(7))
        size = sum(abs(Fraction(x[i, j]) * residuals[i]) for i in range(7))
        assert abs(_exact(g_hi[j], g_lo[j]) - exact) <= Fraction(1, 10**28) * (size + 1)


@settings(max_examples=15, deadline=None)
@given(
    x=arrays(np.float64, (150, 3), elements=finite),
    y=arrays(np.float64, 150, elements=finite),
    b_hi=arrays(np.float64, 3, elements=finite),
)
def test_the_gradient_lanes_add_up_to_the_exact_gradient(x, y, b_hi):
    # 150 rows: two full blocks of the kernel's 64 lanes and a tail of 22, the lanes
    # added at the end.  Residuals that nearly cancel make the sum's rounding matter.
    y = x @ b_hi + y * 1e-9
    r_hi, r_lo, g_hi, g_lo = dd_residual_gradient(x, y, b_hi, np.zeros(3))
    residuals = [_exact(r_hi[i], r_lo[i]) for i in range(150)]
    for j in range(3):
        exact = sum(Fraction(x[i, j]) * residuals[i] for i in range(150))
        size = sum(abs(Fraction(x[i, j]) * residuals[i]) for i in range(150))
        assert abs(_exact(g_hi[j], g_lo[j]) - exact) <= Fraction(1, 10**28) * (size + 1)


def test_residual_of_a_near_perfect_fit_keeps_its_digits():
    # y = X b rounded to float64: the residuals are only that rounding (~1e-16), which a
    # float64 y - X b would bury in errors of the same size.
    rng = np.random.default_rng(5)
    x = rng.standard_normal((50, 4))
    b = rng.standard_normal(4)
    exact_y = [sum(Fraction(x[i, j]) * Fraction(b[j]) for j in range(4)) for i in range(50)]
    y = np.array([float(v) for v in exact_y])
    r_hi, r_lo, _, _ = dd_residual_gradient(x, y, b, np.zeros(4))
    for i in range(50):
        exact = Fraction(y[i]) - exact_y[i]
        size = sum(abs(Fraction(x[i, j]) * Fraction(b[j])) for j in range(4))
        assert abs(_exact(r_hi[i], r_lo[i]) - exact) <= Fraction(1, 10**28) * size


@settings(max_examples=60, deadline=None)
@given(
    hi=arrays(np.float64, 9, elements=finite),
    u=arrays(np.float64, 9, elements=st.floats(-0.5, 0.5)),
    b=arrays(np.float64, 9, elements=finite),
)
def test_subtract_in_place_matches_dd_add_bit_for_bit(hi, u, b):
    lo = u * np.spacing(np.abs(hi))  # a double-double: |lo| <= ulp(hi) / 2
    want_hi, want_lo = dd_add(hi, lo, -b)
    got_hi, got_lo = hi.copy(), lo.copy()
    dd_subtract_inplace(got_hi, got_lo, b)
    np.testing.assert_array_equal(got_hi, want_hi)
    np.testing.assert_array_equal(got_lo, want_lo)
    for i in range(9):
        exact = Fraction(hi[i]) + Fraction(lo[i]) - Fraction(b[i])
        size = abs(Fraction(hi[i])) + abs(Fraction(b[i]))
        assert abs(_exact(got_hi[i], got_lo[i]) - exact) <= Fraction(1, 10**30) * (size + 1)


@pytest.mark.parametrize("compiled", [True, False])
@settings(max_examples=60, deadline=None)
@given(
    hi=arrays(np.float64, 9, elements=finite),
    u=arrays(np.float64, 9, elements=st.floats(-0.5, 0.5)),
    b=arrays(np.float64, 9, elements=finite),
    exponent=st.integers(-60, 60),
)
def test_subtract_squares_gives_the_bits_of_subtract_then_sum_of_squares(
    hi, u, b, exponent, compiled
):
    # The fused pass replaces dd_subtract_inplace followed by dd_sum_of_squares of the
    # result divided by 2**exponent (what the fit statistics formed): same bits, both in
    # the compiled kernel and in the numpy path a process takes before numba loads.
    lo = u * np.spacing(np.abs(hi))
    want_hi, want_lo = hi.copy(), lo.copy()
    dd_subtract_inplace(want_hi, want_lo, b)
    want = dd_sum_of_squares(np.ldexp(want_hi, -exponent), np.ldexp(want_lo, -exponent))
    got_hi, got_lo = hi.copy(), lo.copy()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dd_gradient, "interpreted", lambda *shape: not compiled)
        got = dd_subtract_squares(got_hi, got_lo, b, exponent)
    np.testing.assert_array_equal(got_hi, want_hi)
    np.testing.assert_array_equal(got_lo, want_lo)
    assert got == want
    # and it is the sum of squares of the updated values, to double-double accuracy
    exact = sum((_exact(got_hi[i], got_lo[i]) * Fraction(2) ** -exponent) ** 2 for i in range(9))
    assert abs(_exact(*got) - exact) <= Fraction(1, 10**28) * exact + Fraction(1, 10**300)


def test_subtract_squares_refuses_an_exponent_whose_power_is_not_normal():
    with pytest.raises(ValueError, match="exponent 1001 is out of range"):
        dd_subtract_squares(np.ones(3), np.zeros(3), np.zeros(3), 1001)


@pytest.mark.parametrize("order", ["C", "F"])
def test_column_max_abs_matches_numpy(order):
    rng = np.random.default_rng(1)
    x = np.asarray(rng.standard_normal((40, 5)) * np.array([1e-300, 1.0, 1e300, 0.0, 3.0]))
    x[7, 4] = -np.inf
    x = np.array(x, order=order)
    np.testing.assert_array_equal(column_max_abs(x), np.max(np.abs(x), axis=0))
    assert column_max_abs(x)[4] == np.inf
    assert column_max_abs(x)[3] == 0.0


@pytest.mark.parametrize("row", [0, 12, 39])
def test_column_max_abs_keeps_nan_wherever_it_is(row):
    x = np.ones((40, 3))
    x[row, 1] = np.nan
    x[(row + 1) % 40, 1] = 5.0  # a larger value after the NaN must not hide it
    got = column_max_abs(x)
    assert np.isnan(got[1])
    np.testing.assert_array_equal(got[[0, 2]], [1.0, 1.0])


def test_column_max_abs_of_no_rows_is_zero():
    np.testing.assert_array_equal(column_max_abs(np.empty((0, 3))), np.zeros(3))
