"""Column maxima (one compiled pass) and the one-BLAS-thread context of small fits."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from threadpoolctl import threadpool_info, threadpool_limits

from linmod.linalg.scaling import column_max_abs
from linmod.linalg.threads import small_work_blas, small_work_blas_thread


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


def _blas_threads() -> list[int]:
    # threadpoolctl's own reading, independent of the context's ctypes calls
    return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]


def test_small_work_blas_thread_sets_one_thread_and_restores_the_limits():
    import scipy.linalg  # noqa: F401 - both OpenBLAS builds loaded

    before = _blas_threads()
    if not before:  # pragma: no cover - every supported numpy ships a BLAS
        pytest.skip("no BLAS library found by threadpoolctl")
    with small_work_blas_thread():
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
    with threadpool_limits(limits=1, user_api="blas"):  # the user's limit is kept
        with small_work_blas_thread():
            assert _blas_threads() == [1] * len(before)
        assert _blas_threads() == [1] * len(before)
    assert _blas_threads() == before
    with pytest.raises(ZeroDivisionError), small_work_blas_thread():
        1 / 0  # noqa: B018 - restored after an exception too
    assert _blas_threads() == before


def test_small_work_blas_thread_leaves_threadpoolctl_to_other_threads():
    # Through threadpoolctl's controllers, the context made the main thread OpenBLAS's
    # "controlling thread" for good: threadpool_limits in any other thread then did
    # nothing (OpenBLAS stayed at 2 threads inside it).
    with small_work_blas_thread():
        pass
    seen: list[list[int]] = []

    def limited() -> None:
        with threadpool_limits(limits=1, user_api="blas"):
            seen.append(_blas_threads())

    thread = threading.Thread(target=limited)
    thread.start()
    thread.join()
    assert seen == [[1] * len(_blas_threads())]


@pytest.mark.parametrize(
    ("shape", "one_thread"),
    [
        ((1000, 6), True),
        ((2000, 21), True),  # RidgeCV 2000 x 20: 12x the CPU time with two threads, loaded
        ((10000, 11), True),
        ((100_000, 22), True),  # 4.84e7 <= 5e7
        ((100_000, 23), False),  # 5.29e7
        ((50, 10_000), True),  # wide: n * p * n
        ((2_000, 1_000), False),
    ],
)
def test_small_work_blas_picks_one_thread_by_the_work_of_the_design(shape, one_thread):
    import scipy.linalg  # noqa: F401

    before = _blas_threads()
    with small_work_blas(shape):
        inside = _blas_threads()
    assert inside == ([1] * len(before) if one_thread else before)
    assert _blas_threads() == before
