"""Column maxima (one compiled pass) and the one-BLAS-thread context of small fits."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from linmod.linalg.scaling import column_max_abs
from linmod.linalg.threads import _blas_libraries, small_work_blas_thread


@pytest.mark.parametrize(
    "x",
    [
        np.array([[1.0, np.nan], [np.inf, 2.0]]),
        np.array([[np.inf, np.nan], [np.nan, -np.inf]]),
        np.array([[-3.0, 2.0], [1.0, -5.0], [0.5, -0.0]]),
        np.zeros((0, 3)),
        np.random.default_rng(0).standard_normal((1000, 7)) * 1e300,
    ],
)
def test_column_max_abs_is_numpys_max_of_abs(x):
    # numpy as the reference: a NaN sticks, an infinity is the maximum, 0 for no rows.
    assert_array_equal(column_max_abs(x), np.max(np.abs(x), axis=0, initial=0.0))
    assert_array_equal(column_max_abs(np.asfortranarray(x)), np.max(np.abs(x), axis=0, initial=0.0))


def test_small_work_blas_thread_sets_one_thread_and_restores_the_limits():
    libraries = _blas_libraries()
    if not libraries:  # pragma: no cover - every supported numpy ships a BLAS
        pytest.skip("no BLAS library found by threadpoolctl")
    before = [lib.num_threads for lib in libraries]
    with small_work_blas_thread():
        assert [lib.num_threads for lib in libraries] == [1] * len(libraries)
    assert [lib.num_threads for lib in libraries] == before
    try:
        for lib in libraries:
            lib.set_num_threads(1)
        with small_work_blas_thread():
            assert [lib.num_threads for lib in libraries] == [1] * len(libraries)
        assert [lib.num_threads for lib in libraries] == [1] * len(libraries)
    finally:
        for lib, threads in zip(libraries, before, strict=True):
            lib.set_num_threads(threads)
