"""linmod.linalg.rank.analyse_rank: aliased columns dropped one at a time, factors updated.

After an aliased column is dropped, the thin QR factors of a tall design are updated by
``scipy.linalg.qr_delete`` instead of refactored; the reference here refactors the kept
columns from scratch after every drop (the rule R's ``lm`` follows: columns in order,
each judged against the columns kept before it).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla
from numpy.testing import assert_allclose, assert_array_equal

from linmod.linalg.rank import RANK_TOL, analyse_rank


def _refactored_kept(xs: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(xs, axis=0)
    kept = norms > 0
    while True:
        idx = np.flatnonzero(kept)
        r = sla.qr(xs[:, idx], mode="r")[0]
        bad = np.flatnonzero(np.abs(np.diag(r)) / norms[idx] <= RANK_TOL)
        if bad.size == 0:
            return kept
        kept[idx[bad[0]]] = False


def _design(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, 6))
    return np.column_stack([
        np.ones(n), x[:, :2], x[:, 0] - 2.0 * x[:, 1],  # aliased third
        x[:, 2:4], np.zeros(n), x[:, 2] + x[:, 3] + x[:, 0],  # a zero column, an aliased sum
        x[:, 4:], 3.0 * x[:, 5],  # aliased last
    ])  # fmt: skip


@pytest.mark.parametrize("n", [12, 40, 500])
def test_dropping_and_updating_keeps_what_refactoring_keeps(n):
    xs = _design(np.random.default_rng(n), n)
    analysis = analyse_rank(xs, np.ones(xs.shape[1]))
    assert_array_equal(analysis.kept, _refactored_kept(xs))
    assert_array_equal(np.flatnonzero(~analysis.kept), [3, 6, 7, 10])
    kept = xs[:, analysis.kept]
    q, r = analysis.q, analysis.r
    assert q.shape == kept.shape
    assert_allclose(q.T @ q, np.eye(kept.shape[1]), rtol=0, atol=1e-14)
    assert_allclose(q @ r, kept, rtol=0, atol=1e-13 * np.abs(kept).max())
    assert_allclose(np.tril(r, -1), 0.0, rtol=0, atol=0)
    described = [d.describe([f"x{j}" for j in range(xs.shape[1])]) for d in analysis.dependencies]
    assert described == ["x3 = x1 - 2·x2", "x6 = 0", "x7 = x1 + x4 + x5", "x10 = 3·x9"]


def test_a_square_design_is_refactored():
    # An R factor (p x p), as the TSQR path passes: no thin factors to update.
    xs = np.triu(np.random.default_rng(1).standard_normal((5, 5))) + 3.0 * np.eye(5)
    xs[:, 3] = xs[:, 0] + xs[:, 1]
    analysis = analyse_rank(xs, np.ones(5))
    assert_array_equal(analysis.kept, [True, True, True, False, True])
    assert_allclose(analysis.q @ analysis.r, xs[:, analysis.kept], rtol=0, atol=1e-13)
