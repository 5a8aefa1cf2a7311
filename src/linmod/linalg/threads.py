"""BLAS thread count for work that shares the cores with a reader thread."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from functools import cache
from typing import Any

__all__ = ["SMALL_WORK", "one_blas_thread", "small_work_blas", "small_work_blas_thread"]


def one_blas_thread() -> Any:
    """A context in which BLAS runs on one thread (the previous limits restored on exit).

    A stream keeps a reader thread busy decoding the next chunk while the current one is
    folded, so a second BLAS thread only competes with it for the cores; and OpenBLAS's
    idle threads spin while they wait, which on a shared or busy machine made the small
    ``syrk`` of a chunk ten times slower (measured: 0.03 s on one thread, 0.3-0.5 s on
    two, with other processes running).

    Returns
    -------
    threadpoolctl.threadpool_limits
        Use it in a ``with`` statement.
    """
    from threadpoolctl import threadpool_limits  # a dependency of scikit-learn

    return threadpool_limits(limits=1, user_api="blas")


@cache
def _blas_libraries() -> tuple[Any, ...]:
    from threadpoolctl import ThreadpoolController

    return tuple(c for c in ThreadpoolController().lib_controllers if c.user_api == "blas")


class _OneThread:
    """Set every BLAS library found at first use to one thread; restore on exit."""

    __slots__ = ("_restore",)

    def __enter__(self) -> _OneThread:
        restore = []
        for library in _blas_libraries():
            threads = library.num_threads
            if threads != 1:  # already one thread (e.g. under threadpool_limits): no call
                library.set_num_threads(1)
                restore.append((library, threads))
        self._restore = restore
        return self

    def __exit__(self, *exc: object) -> None:
        for library, threads in self._restore:
            library.set_num_threads(threads)


def small_work_blas_thread() -> Any:
    """:func:`one_blas_thread` for many small BLAS calls, at a few µs instead of 0.2 ms.

    A small fit makes dozens of tiny BLAS and LAPACK calls through two OpenBLAS builds
    (numpy's and scipy's, two threads each).  A second thread does not speed any of them
    up, but waking the other pool's spinning threads did: on this 2-core machine under
    load, 11 x 11 triangular solves took 4-14 ms instead of 10 µs.  The libraries are
    found once (threadpoolctl's scan takes 0.2 ms); on entry only those running more than
    one thread are changed (one ``get_num_threads`` call each otherwise), and restored on
    exit.

    Returns
    -------
    context manager
    """
    return _OneThread()


#: Below this many flops (``n·p·min(n, p)``, an SVD or a Gram matrix) a fit's BLAS and
#: LAPACK calls run on one thread: a second one does not speed small calls up, and waking
#: spinning OpenBLAS threads on a loaded machine made a 2000 x 20 RidgeCV 12x slower in
#: CPU time (74 ms against 6 ms).  The same bound as ``solver="auto"``'s small fits.
SMALL_WORK = 5e7


def small_work_blas(shape: tuple[int, ...]) -> AbstractContextManager[Any]:
    """One BLAS thread for a small design (see :data:`SMALL_WORK`), else no change."""
    n, p = shape[0], shape[1]
    if n * p * min(n, p) <= SMALL_WORK:
        return small_work_blas_thread()
    return nullcontext()
