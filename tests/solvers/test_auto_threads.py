"""``solver="auto"`` runs small fits on one BLAS thread and leaves the user's counts alone."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg  # noqa: F401 - both OpenBLAS builds loaded before the first reading
from threadpoolctl import threadpool_info, threadpool_limits

import linmod
import linmod.solvers.auto as auto


def _blas_threads() -> list[int]:
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def _data(n: int, p: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng([seed, n, p])
    x = rng.standard_normal((n, p))
    return x, x @ rng.uniform(0.5, 2.0, p) + 1.5 + 0.5 * rng.standard_normal(n)


def _recording(monkeypatch: pytest.MonkeyPatch, name: str) -> list[list[int]]:
    """Record the BLAS thread counts while ``auto.<name>`` runs."""
    seen: list[list[int]] = []
    solver = getattr(auto, name)

    def recorded(*arguments, **options):
        seen.append(_blas_threads())
        return solver(*arguments, **options)

    monkeypatch.setattr(auto, name, recorded)
    return seen


# The shapes of bench/blas_threads.py (p without the intercept): dtrtrs of the certified
# solver wakes scipy's second OpenBLAS thread at every size there.
@pytest.mark.parametrize(("n", "p"), [(1000, 5), (1000, 10), (10_000, 10), (2000, 20)])
def test_small_fits_run_on_one_blas_thread(monkeypatch, n, p):
    before = _blas_threads()
    seen = _recording(monkeypatch, "solve_certified")
    linmod.ols(*_data(n, p))
    assert seen == [[1] * len(before)]
    assert _blas_threads() == before


@pytest.mark.parametrize(
    ("tail", "fallback"),
    [
        # aliased: the certified solver declines, then fits the estimable columns
        (lambda x, noise: x[:, 0] + x[:, 1], "fit_estimable_columns"),
        # nearly aliased (full rank, too ill-conditioned to certify): the refined QR
        (lambda x, noise: x[:, 0] + x[:, 1] + 1e-5 * noise, "solve_qr"),
    ],
)
def test_the_fallbacks_of_a_small_fit_run_on_one_blas_thread(monkeypatch, tail, fallback):
    x, y = _data(200, 4)
    x = np.column_stack([x, tail(x, np.random.default_rng(3).standard_normal(200))])
    before = _blas_threads()
    seen = _recording(monkeypatch, fallback)
    linmod.ols(x, y)
    assert seen == [[1] * len(before)]
    assert _blas_threads() == before


def test_a_larger_fit_keeps_the_users_threads(monkeypatch):
    n, p = 5001, 99  # with the intercept n * p**2 = 5.001e7 > 5e7: the large path
    before = _blas_threads()
    seen = _recording(monkeypatch, "solve_cholesky")
    linmod.ols(*_data(n, p))
    assert seen == [before]
    assert _blas_threads() == before


@pytest.mark.parametrize(("n", "p"), [(1000, 5), (5001, 99)])
def test_the_users_limit_is_unchanged_by_a_fit(n, p):
    x, y = _data(n, p)
    before = _blas_threads()
    with threadpool_limits(limits=1, user_api="blas"):
        reference = linmod.ols(x, y)
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
    if n * (p + 1) ** 2 <= auto.AUTO_SMALL_DESIGN:  # a small fit runs on one thread anyway:
        res = linmod.ols(x, y)  # the user's thread count changes no bit of it
        assert np.asarray(res.coef).tobytes() == np.asarray(reference.coef).tobytes()
        assert np.asarray(res.std_err).tobytes() == np.asarray(reference.std_err).tobytes()
