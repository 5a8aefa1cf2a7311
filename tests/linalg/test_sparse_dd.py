"""Double-double residual products of a sparse design against exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import scipy.sparse as sp

from linmod.data.sparse_input import as_csc
from linmod.linalg.sparse_dd import sparse_residual_products


def _exact(x, y, intercept, kept, coef_hi, coef_lo):
    dense = x.toarray()
    a = np.column_stack([np.ones(dense.shape[0]), dense]) if intercept else dense
    a = a[:, kept]
    coef = [Fraction(h) + Fraction(lo) for h, lo in zip(coef_hi, coef_lo, strict=True)]
    r = [Fraction(float(yi)) - sum(Fraction(float(v)) * c for v, c in zip(row, coef, strict=True))
         for row, yi in zip(a, y, strict=True)]  # fmt: skip
    xr = [sum(Fraction(float(a[i, j])) * r[i] for i in range(len(r))) for j in range(a.shape[1])]
    return xr, sum(v * v for v in r)


@pytest.mark.parametrize("intercept", [True, False])
def test_products_are_the_exactly_rounded_rational_values(intercept):
    rng = np.random.default_rng(0)

    def values(k: int) -> np.ndarray:
        return rng.normal(size=k) * 10.0 ** rng.integers(-8, 8, k)  # eight decades each way

    x = as_csc(sp.random(30, 5, density=0.5, random_state=1, data_rvs=values))
    y = rng.normal(size=30) * 1e3
    q = 5 + int(intercept)
    kept = np.ones(q, dtype=bool)
    kept[2] = False  # an aliased column is left out
    coef_hi = rng.normal(size=int(kept.sum()))
    coef_lo = coef_hi * 1e-17 * rng.normal(size=coef_hi.size)
    got = sparse_residual_products(x, y, intercept, kept, coef_hi, coef_lo)
    xr, rr = _exact(x, y, intercept, kept, coef_hi, coef_lo)
    for j, exact in enumerate(xr):
        error = abs(Fraction(float(got.xr_hi[j])) + Fraction(float(got.xr_lo[j])) - exact)
        assert error <= abs(exact) * Fraction(2) ** -100 + Fraction(2) ** -1000
    error = abs(Fraction(float(got.rr_hi)) + Fraction(float(got.rr_lo)) - rr)
    assert error <= rr * Fraction(2) ** -100
