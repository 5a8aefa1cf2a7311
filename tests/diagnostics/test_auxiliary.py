"""Auxiliary regressions: CholeskyQR2 blocks as accurate as Householder, exact references."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from linmod.diagnostics import _auxiliary as aux


def _exact_rss_ess(z: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """Residual and fitted sums of squares of ``t`` on ``z`` in exact rational arithmetic."""
    k = z.shape[1]
    rows = [[Fraction(v) for v in row] for row in z.tolist()]
    target = [Fraction(v) for v in t.tolist()]
    normal = [
        [sum(r[a] * r[b] for r in rows) for b in range(k)]
        + [sum(r[a] * v for r, v in zip(rows, target, strict=True))]
        for a in range(k)
    ]
    for col in range(k):  # Gaussian elimination (the Gram matrix is positive definite)
        for row in range(col + 1, k):
            factor = normal[row][col] / normal[col][col]
            normal[row] = [a - factor * b for a, b in zip(normal[row], normal[col], strict=True)]
    beta = [Fraction(0)] * k
    for col in reversed(range(k)):
        rest = sum(normal[col][j] * beta[j] for j in range(col + 1, k))
        beta[col] = (normal[col][k] - rest) / normal[col][col]
    resid = [
        v - sum(a * b for a, b in zip(r, beta, strict=True))
        for r, v in zip(rows, target, strict=True)
    ]
    rss = sum(e * e for e in resid)
    return float(rss), float(sum(v * v for v in target) - rss)


def _problem(noise: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    z = np.column_stack([np.ones(300), rng.normal(size=(300, 4))])
    return z, z @ np.array([1.0, -2.0, 0.5, 3.0, 1.5]) + noise * rng.normal(size=300)


@pytest.mark.parametrize(("noise", "rtol"), [(1.0, 1e-14), (1e-1, 1e-14), (1e-3, 1e-12)])
def test_cholesky_qr2_blocks_match_exact_sums_of_squares(noise: float, rtol: float) -> None:
    z, t = _problem(noise)
    # The fast path is taken (scaled condition number of [z t] up to ~7e3 here) ...
    assert aux._cholesky_qr2(np.asfortranarray(np.column_stack([z, t]))) is not None
    fit = aux.project(z, t)
    rss, ess = _exact_rss_ess(z, t)
    # ... and the residual sum of squares, where normal equations would lose cond^2
    # digits, is as accurate as Householder's (relative error ~ cond * eps).
    assert fit.rank == 5
    np.testing.assert_allclose(fit.rss, rss, rtol=rtol)
    np.testing.assert_allclose(fit.ess, ess, rtol=1e-14)


def test_nearly_exact_fit_falls_back_to_householder() -> None:
    z, t = _problem(1e-6)  # scaled condition number ~ 7e6: one Cholesky pass is not enough
    assert aux._cholesky_qr2(np.asfortranarray(np.column_stack([z, t]))) is None
    fit = aux.project(z, t)
    rss, _ = _exact_rss_ess(z, t)
    np.testing.assert_allclose(fit.rss, rss, rtol=1e-9)


@pytest.mark.parametrize("bad", ["zero", "tiny", "duplicate"])
def test_blocks_cholesky_cannot_handle_take_householder(bad: str) -> None:
    z, t = _problem(1.0)
    z = z.copy()
    if bad == "zero":
        z[:, 2] = 0.0
    elif bad == "tiny":
        z[:, 2] *= 1e-160  # squares near underflow: the Gram matrix would lose digits
    else:
        z[:, 2] = z[:, 3]  # exactly rank deficient
    block = np.asfortranarray(np.column_stack([z, t]))
    assert aux._cholesky_qr2(block) is None
    expected = aux.project_blocks([(z, t)])  # one block of 300 rows: still the fast-path entry
    assert expected.rank == (5 if bad == "tiny" else 4)
    keep = [0, 1, 3, 4] if bad in ("zero", "duplicate") else [0, 1, 2, 3, 4]
    rss, _ = _exact_rss_ess(z[:, keep], t)
    np.testing.assert_allclose(expected.rss, rss, rtol=1e-13)
