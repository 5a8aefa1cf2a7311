"""Batched frequency-weighted refits against one weighted least-squares fit each."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from linmod.solvers import bootstrap_refits
from linmod.solvers.bootstrap_refits import (
    coefficients_from_basis,
    delete_one_changes,
    frequency_weighted_refits,
    outer_products,
)


def _problem(seed: int = 0, n: int = 40, k: int = 4):
    rng = np.random.default_rng(seed)
    x = np.column_stack([np.ones(n), rng.normal(size=(n, k - 1)) * [1.0, 1e3, 1e-3][: k - 1]])
    y = x @ np.arange(1.0, k + 1) + rng.normal(size=n)
    scales = 2.0 ** -np.round(np.log2(np.linalg.norm(x, axis=0)))
    q, r = sla.qr(x * scales, mode="economic")
    return x, y, q, r, scales


def _weighted(x, y, c):
    w = np.sqrt(c)
    return np.linalg.lstsq(x * w[:, None], y * w, rcond=None)[0]


def test_refits_equal_weighted_least_squares_with_and_without_stored_products():
    x, y, q, r, scales = _problem()
    counts = np.random.default_rng(1).multinomial(40, np.full(40, 1 / 40), size=25).astype(float)
    expected = np.array([_weighted(x, y, c) for c in counts])
    for products in (outer_products(q), None):
        gamma, ok = frequency_weighted_refits(q, y, counts, products)
        assert ok.all()
        np.testing.assert_allclose(coefficients_from_basis(r, scales, gamma), expected, rtol=1e-9)


def test_a_rank_deficient_resample_is_nan_and_the_others_are_not():
    x, y, q, r, scales = _problem()
    counts = np.ones((3, 40))
    counts[1] = 0.0
    counts[1, :3] = 40 / 3  # three distinct rows for four coefficients
    gamma, ok = frequency_weighted_refits(q, y, counts, outer_products(q))
    assert ok.tolist() == [True, False, True]
    assert np.isnan(gamma[1]).all()
    np.testing.assert_allclose(
        coefficients_from_basis(r, scales, gamma[[0]])[0], _weighted(x, y, counts[0]), rtol=1e-9
    )


def test_wide_designs_do_not_store_the_outer_products(monkeypatch):
    _, _, q, _, _ = _problem()
    monkeypatch.setattr(bootstrap_refits, "_OUTER_PRODUCT_BYTES", 100)
    assert outer_products(q) is None


def test_delete_one_changes_are_leave_one_out_refits():
    x, y, q, r, scales = _problem(n=15)
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    e = y - x @ beta
    h = np.einsum("ij,ij->i", q, q)
    changes = delete_one_changes(q, r, scales, e, h)
    for i in range(15):
        expected = np.linalg.lstsq(np.delete(x, i, 0), np.delete(y, i), rcond=None)[0]
        np.testing.assert_allclose(beta - changes[i], expected, rtol=1e-8)
    leverage_one = h.copy()
    leverage_one[2] = 1.0
    assert np.isnan(delete_one_changes(q, r, scales, e, leverage_one)[2]).all()
