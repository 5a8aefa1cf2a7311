"""The Cholesky-QR leaf of a TSQR stream: one pass when well conditioned, else a fallback.

The reference R factors come from numpy's Householder QR (LAPACK ``dgeqrf``) of the
same block, made unique by a non-negative diagonal; blocks of a chosen condition number
are built from their singular value decomposition.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from linmod.linalg.tsqr import RFactor, _cholesky_qr

from ..conftest import NIST_DIR
from ..models.nist import read_nist

EPS = np.finfo(float).eps


def _block(condition: float, n: int = 4000, k: int = 8, seed: int = 0) -> np.ndarray:
    """An n x k Fortran-ordered block with 2-norm condition number ``condition``.

    Columns of very different sizes, so that the leaf's power-of-two scaling has work.
    """
    rng = np.random.default_rng(seed)
    u, _ = np.linalg.qr(rng.normal(size=(n, k)))
    v, _ = np.linalg.qr(rng.normal(size=(k, k)))
    singular = np.geomspace(1.0, 1.0 / condition, k)
    column_sizes = 2.0 ** rng.integers(-20, 20, size=k)
    return np.asfortranarray((u * singular) @ v.T * column_sizes)


def _householder(block: np.ndarray) -> np.ndarray:
    r = np.linalg.qr(block, mode="r")
    return r * np.where(np.diag(r) < 0, -1.0, 1.0)[:, None]


def _scaled_condition(block: np.ndarray) -> float:
    return float(np.linalg.cond(block / np.linalg.norm(block, axis=0)))


def _positive(r: np.ndarray) -> np.ndarray:
    return r * np.where(np.diag(r) < 0, -1.0, 1.0)[:, None]


def _columnwise_error(r: np.ndarray, reference: np.ndarray) -> float:
    """Largest error of a column of R relative to that column's norm (the column's scale)."""
    return float(np.max(np.linalg.norm(r - reference, axis=0) / np.linalg.norm(reference, axis=0)))


def test_a_well_conditioned_block_takes_one_pass_and_matches_householder():
    block = _block(condition=8.0)
    assert _scaled_condition(block) < 16
    untouched = block.copy()
    r = _cholesky_qr(block)
    assert r is not None
    # one Gram matrix and a Cholesky factorisation: the block is not overwritten
    assert np.array_equal(block, untouched)
    # the forward error of a one-pass R is about cond^2 u: here within 64 u of Householder
    assert _columnwise_error(_positive(r), _householder(untouched)) <= 64 * 8.0 * EPS


@pytest.mark.parametrize("condition", [1e2, 1e4, 1e5])
def test_a_moderately_ill_conditioned_block_takes_the_second_pass(condition):
    block = _block(condition=condition)
    untouched = block.copy()
    r = _cholesky_qr(block)
    assert r is not None
    assert not np.array_equal(block, untouched), "CholeskyQR2 overwrites the block with Q1"
    # CholeskyQR2 is as accurate as Householder: errors of order cond * u for both
    assert _columnwise_error(_positive(r), _householder(untouched)) <= 16 * condition * EPS


def test_one_pass_would_not_be_good_enough_where_the_second_pass_is_taken():
    # The reason for the threshold, measured independently of the leaf: at cond 1e5 the
    # Cholesky factor of the Gram matrix is far from Householder's R.
    block = _block(condition=1e5)
    scales = 1.0 / np.linalg.norm(block, axis=0)
    one_pass = np.linalg.cholesky((block * scales).T @ (block * scales)).T / scales
    reference = _householder(block)
    one_pass_error = _columnwise_error(one_pass, reference)
    second_pass_error = _columnwise_error(_positive(_cholesky_qr(block.copy())), reference)
    assert one_pass_error > 100 * second_pass_error


def test_a_severely_ill_conditioned_block_is_left_to_householder():
    block = _block(condition=1e9)
    untouched = block.copy()
    assert _cholesky_qr(block) is None
    assert np.array_equal(block, untouched)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_block_with_non_finite_values_is_refused(bad):
    block = _block(condition=4.0)
    block[17, 2] = bad
    assert _cholesky_qr(block) is None


def test_a_given_gram_matrix_is_used_as_is():
    block = _block(condition=4.0)
    g = block.T @ block
    assert np.array_equal(_cholesky_qr(block, g), _cholesky_qr(block))


def test_a_small_residual_makes_the_augmented_block_ill_conditioned():
    # The check is on [X | y]: with y almost in the span of X the normal equations would
    # lose the residual, and the leaf does not take one pass (the tan(theta) term).
    rng = np.random.default_rng(3)
    x = rng.normal(size=(3000, 4))
    y = x @ [1.0, 2.0, 3.0, 4.0] + 1e-9 * rng.normal(size=3000)
    block = np.asfortranarray(np.column_stack([x, y]))
    untouched = block.copy()
    factor = RFactor.from_augmented(block)
    assert not np.array_equal(block, untouched)  # not the one-pass leaf
    residual = y - x @ np.linalg.lstsq(x, y, rcond=None)[0]
    assert_allclose(factor.ssr_full_rank, residual @ residual, rtol=1e-6)


@pytest.mark.parametrize(("name", "kind"), [("Longley", "second pass"), ("Filip", "householder")])
def test_nist_blocks_take_the_expected_leaf(name, kind):
    problem = read_nist(NIST_DIR / f"{name}.dat")
    x, y = problem.design()
    block = np.asfortranarray(np.tile(np.column_stack([np.ones(len(y)), x, y]), (40, 1)))
    untouched = block.copy()
    r = _cholesky_qr(block)
    if kind == "householder":
        assert r is None
        assert np.array_equal(block, untouched)
    else:
        assert r is not None
        condition = _scaled_condition(untouched)
        assert _columnwise_error(_positive(r), _householder(untouched)) <= condition * 1e-14
