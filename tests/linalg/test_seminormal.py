"""Residual products in double-double, merged in any order, and the semi-normal correction."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import scipy.linalg as sla
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose

from linmod.linalg.seminormal import ResidualProducts, seminormal_correction

from .test_dd import _exact

finite = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@settings(max_examples=40, deadline=None)
@given(
    x=arrays(np.float64, (9, 3), elements=finite),
    y=arrays(np.float64, 9, elements=finite),
    b=arrays(np.float64, 3, elements=finite),
    # A double-double's low part is at most half an ulp of its high part (a zero high
    # part has a zero low part): CI's Hypothesis run found an unnormalised pair.
    lo_share=arrays(np.float64, 3, elements=st.floats(-1.1e-16, 1.1e-16)),
    cuts=st.lists(st.integers(0, 9), max_size=3),
    reverse=st.booleans(),
)
def test_merged_products_equal_exact_rational_sums_whatever_the_blocks(
    x, y, b, lo_share, cuts, reverse
):
    b_lo = b * lo_share
    bounds = [0, *sorted(cuts), 9]
    parts = [
        ResidualProducts.of_block(x[a:z], y[a:z], b, b_lo) for a, z in itertools.pairwise(bounds)
    ]
    if reverse:
        parts.reverse()
    total = ResidualProducts.empty(3)
    for part in parts:
        total = total.merge(part)
    assert total.n == 9
    coef = [Fraction(float(b[j])) + Fraction(float(b_lo[j])) for j in range(3)]
    resid = [Fraction(y[i]) - sum(Fraction(x[i, j]) * coef[j] for j in range(3)) for i in range(9)]
    size = sum(
        abs(Fraction(y[i])) + sum(abs(Fraction(x[i, j]) * coef[j]) for j in range(3))
        for i in range(9)
    )
    for j in range(3):
        exact = sum(Fraction(x[i, j]) * resid[i] for i in range(9))
        bound = Fraction(1, 10**26) * (size * sum(abs(Fraction(x[i, j])) for i in range(9)) + 1)
        assert abs(_exact(total.xr_hi[j], total.xr_lo[j]) - exact) <= bound
    exact_rr = sum(r * r for r in resid)
    assert abs(_exact(total.rr_hi, total.rr_lo) - exact_rr) <= Fraction(1, 10**26) * (size**2 + 1)


def test_the_correction_solves_the_normal_equations_through_the_scaled_factor():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(40, 4)) * np.array([1e-3, 1.0, 1e3, 8.0])
    y = rng.normal(size=40)
    scales = np.array([1024.0, 1.0, 2.0**-10, 0.125])
    r = np.linalg.qr(x * scales, mode="r")
    b = np.zeros(4)
    delta = seminormal_correction(r, scales, ResidualProducts.of_block(x, y, b, b))
    # From b = 0 one exact step is the least-squares solution.
    assert_allclose(delta, sla.lstsq(x, y)[0], rtol=1e-10)
