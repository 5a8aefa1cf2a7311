"""X'X in double-double and its products: exact-rational references, kernel/twin bits."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from linmod.linalg.dd_gram import (
    _gram_kernel,
    _gram_times_kernel,
    _gram_times_twin,
    _gram_twin,
    dd_gram,
    dd_gram_times,
)

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
#: Zero, or of a magnitude whose products TwoProduct forms exactly (as scaled data are):
#: entries of X'X too (squares above 1e-120) stay in products_exact's range (2**-450 and up).
in_range = finite.filter(lambda v: v == 0.0 or abs(v) > 1e-60)


def _value(hi, lo):
    return Fraction(float(hi)) + Fraction(float(lo))


@settings(max_examples=40, deadline=None)
@given(
    x=st.one_of(
        arrays(np.float64, (9, 3), elements=finite), arrays(np.float64, (150, 3), elements=finite)
    )
)
def test_gram_is_double_double_accurate_and_symmetric(x):
    # 150 rows: two full blocks of the kernel's 64 lanes and a tail, the lanes added last.
    n = x.shape[0]
    g_hi, g_lo = dd_gram(x)
    assert np.array_equal(g_hi, g_hi.T)
    assert np.array_equal(g_lo, g_lo.T)
    for j in range(3):
        for k in range(3):
            terms = [Fraction(x[i, j]) * Fraction(x[i, k]) for i in range(n)]
            size = sum(abs(t) for t in terms)
            assert abs(_value(g_hi[j, k], g_lo[j, k]) - sum(terms)) <= Fraction(1, 10**28) * (
                size + 1
            )


@settings(max_examples=20, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 80),
    p=st.integers(1, 7),
    exponent=st.integers(-200, 200),
)
def test_compiled_gram_has_the_twins_bits(seed, n, p, exponent):
    x = np.random.default_rng(seed).standard_normal((n, p)) * 2.0**exponent
    compiled = np.empty((p, p)), np.empty((p, p))
    twin = np.empty((p, p)), np.empty((p, p))
    _gram_kernel(x, *compiled)
    _gram_twin(x, *twin)
    assert np.array_equal(compiled[0], twin[0])
    assert np.array_equal(compiled[1], twin[1])


@settings(max_examples=40, deadline=None)
@given(
    x=arrays(np.float64, (6, 3), elements=in_range),
    c_hi=arrays(np.float64, (2, 3), elements=in_range),
    u=arrays(np.float64, (2, 3), elements=st.floats(-0.5, 0.5)),
)
def test_gram_times_is_minus_xtx_c_to_double_double_accuracy(x, c_hi, u):
    c_lo = u * np.spacing(np.abs(c_hi))
    g_hi, g_lo = dd_gram(x)
    product = dd_gram_times(g_hi, g_lo, c_hi, c_lo)
    assert product is not None
    out_hi, out_lo = product
    for m in range(2):
        c = [Fraction(c_hi[m, j]) + Fraction(c_lo[m, j]) for j in range(3)]
        xc = [sum(Fraction(x[i, k]) * c[k] for k in range(3)) for i in range(6)]
        for j in range(3):
            exact = -sum(Fraction(x[i, j]) * xc[i] for i in range(6))
            size = sum(
                abs(Fraction(x[i, j])) * abs(Fraction(x[i, k])) * abs(c[k])
                for i in range(6)
                for k in range(3)
            )
            got = _value(out_hi[m, j], out_lo[m, j])
            assert abs(got - exact) <= Fraction(1, 10**28) * (size + 1)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.integers(1, 6), p=st.integers(1, 6))
def test_compiled_gram_times_has_the_twins_bits(seed, k, p):
    rng = np.random.default_rng(seed)
    g_hi, g_lo = dd_gram(rng.standard_normal((30, p)))
    c_hi = rng.standard_normal((k, p))
    c_lo = c_hi * 2.0**-60 * rng.uniform(-1, 1, (k, p))
    compiled = np.empty((k, p)), np.empty((k, p))
    twin = np.empty((k, p)), np.empty((k, p))
    _gram_times_kernel(g_hi, g_lo, c_hi, c_lo, *compiled)
    _gram_times_twin(g_hi, g_lo, c_hi, c_lo, *twin)
    assert np.array_equal(compiled[0], twin[0])
    assert np.array_equal(compiled[1], twin[1])


def test_gram_times_refuses_values_where_twoproduct_is_not_exact():
    g = np.array([[2.0**500, 0.0], [0.0, 1.0]])
    assert dd_gram_times(g, np.zeros((2, 2)), np.ones((1, 2)), np.zeros((1, 2))) is None
