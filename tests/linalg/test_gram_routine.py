"""Which BLAS routine forms ``X'X``: the rule, and the same bits from kernel and twin."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from scipy.linalg import blas

from linmod.linalg import gram_routine
from linmod.linalg.blas_products import gram_of
from linmod.linalg.gram_routine import (
    SMALL_GEMM_CORES,
    SMALL_GEMM_VOLUME,
    gram_by_gemm,
    small_gemm_kernels,
)
from linmod.linalg.lapack_calls import gram_rows


def _library(api: str, architecture: str | None) -> SimpleNamespace:
    return SimpleNamespace(internal_api=api, architecture=architecture)


@pytest.fixture
def libraries(monkeypatch):
    """Set the BLAS libraries the rule sees; the cached answer is recomputed."""

    def use(*found: SimpleNamespace) -> None:
        monkeypatch.setattr(gram_routine, "loaded_blas", lambda: found)
        small_gemm_kernels.cache_clear()

    yield use
    small_gemm_kernels.cache_clear()


@pytest.mark.parametrize(
    ("found", "expected"),
    [
        ([("openblas", "SkylakeX"), ("openblas", "SkylakeX")], True),
        ([("openblas", "SapphireRapids")], True),
        ([("openblas", "Cooperlake"), ("openblas", "SkylakeX")], True),
        ([("openblas", "SkylakeX"), ("openblas", "Haswell")], False),  # either library
        ([("openblas", "Haswell")], False),
        ([("openblas", "Zen")], False),
        ([("mkl", None)], False),
        ([("openblas", None)], False),
        ([], False),
    ],
)
def test_small_gemm_kernels_only_when_every_blas_has_them(libraries, found, expected):
    libraries(*(_library(api, core) for api, core in found))
    assert small_gemm_kernels() is expected


def test_gemm_only_within_openblas_small_matrix_bound(libraries):
    libraries(_library("openblas", "SkylakeX"))
    assert gram_by_gemm(1000, 6)
    assert gram_by_gemm(1000, 31)  # 961,000
    assert not gram_by_gemm(1000, 32)  # 1,024,000
    assert gram_by_gemm(SMALL_GEMM_VOLUME, 1)
    assert not gram_by_gemm(SMALL_GEMM_VOLUME + 1, 1)
    assert not gram_by_gemm(0, 5)
    assert not gram_by_gemm(5, 0)
    libraries(_library("openblas", "Haswell"))
    assert not gram_by_gemm(1000, 6)


def test_this_process_decides_from_its_own_blas():
    """The answer for the libraries threadpoolctl's public report lists in this process."""
    import scipy.linalg  # noqa: F401 - loads scipy's BLAS, as the rule's scan does
    from threadpoolctl import threadpool_info

    blas = [info for info in threadpool_info() if info["user_api"] == "blas"]
    expected = bool(blas) and all(
        info["internal_api"] == "openblas" and info.get("architecture") in SMALL_GEMM_CORES
        for info in blas
    )
    assert small_gemm_kernels() is expected
    assert gram_by_gemm(1000, 6) is expected
    assert gram_by_gemm(1000, 32) is False


@pytest.mark.parametrize("kernels", [False, True])
@pytest.mark.parametrize(("n", "p"), [(1000, 6), (40, 3), (2000, 30), (10, 400)])
def test_twin_and_kernel_form_the_same_gram(monkeypatch, kernels, n, p):
    """``gram_of`` (interpreted) and ``gram_rows`` (compiled) call the same routine with
    the same arguments: the same bits, and each the routine the rule names."""
    monkeypatch.setattr(gram_routine, "small_gemm_kernels", lambda: kernels)
    x = np.random.default_rng(n + p).standard_normal((n, p)) * 3.0 + 1.0
    by_gemm = gram_by_gemm(n, p)
    assert by_gemm is (kernels and n * p * p <= SMALL_GEMM_VOLUME)
    compiled = np.zeros((p, p))
    gram_rows(x, compiled, by_gemm)
    twin = gram_of(x)
    np.testing.assert_array_equal(compiled, twin)
    assert np.array_equal(twin, twin.T)
    routine = blas.dgemm(1.0, x.T, x.T, trans_b=1) if by_gemm else blas.dsyrk(1.0, x.T)
    np.testing.assert_array_equal(np.triu(twin), np.triu(routine))
