"""BLAS thread count for work that shares the cores with a reader thread."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from functools import cache
from itertools import product
from typing import Any

__all__ = [
    "SMALL_WORK",
    "loaded_blas",
    "one_blas_thread",
    "small_work_blas",
    "small_work_blas_thread",
]


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


#: ``openblas_{get,set}_num_threads`` carry one of these prefixes and suffixes (numpy
#: ships ``scipy_openblas_..._64_``, scipy ``scipy_openblas_...``): threadpoolctl's lists.
_OPENBLAS_AFFIXES = tuple(product(("", "scipy_"), ("", "64_", "_64")))


def _openblas_switch(library: Any) -> tuple[Callable[[], int], Callable[[int], None]] | None:
    """OpenBLAS's own get/set functions of a pthreads build (None otherwise).

    Called directly through ctypes they cost ~0.1 µs each, against ~1 µs through
    threadpoolctl's controller; and threadpoolctl's ``set_num_threads`` makes the calling
    thread the *controlling thread* of OpenBLAS for good, after which a
    ``threadpool_limits`` in any other Python thread silently did nothing (found on
    h6-threads: one fit in the main thread was enough).
    """
    if library.internal_api != "openblas" or library.threading_layer != "pthreads":
        return None  # the OpenMP layer's limits are per thread: threadpoolctl's API
    dynlib = library.dynlib
    for prefix, suffix in _OPENBLAS_AFFIXES:
        get_name = f"{prefix}openblas_get_num_threads{suffix}"
        set_name = f"{prefix}openblas_set_num_threads{suffix}"
        if hasattr(dynlib, get_name) and hasattr(dynlib, set_name):
            get, set_ = dynlib[get_name], dynlib[set_name]  # new function objects: ours
            get.restype, set_.restype = ctypes.c_int, None  # (int) -> void; declared
            # argtypes would cost 0.13 µs a call, and a Python int is passed as a C int
            return get, set_
    return None  # pragma: no cover - every OpenBLAS since 0.2 exports them


@cache
def loaded_blas() -> tuple[Any, ...]:
    """threadpoolctl's controller of every BLAS library numpy and scipy use, found at first
    use (threadpoolctl's scan takes ~0.2 ms).

    scipy's LAPACK brings its own OpenBLAS: it is loaded before the scan (threadpoolctl
    only sees loaded libraries, and the result is cached).
    """
    import scipy.linalg  # noqa: F401 - a dependency; loads scipy's OpenBLAS
    from threadpoolctl import ThreadpoolController  # a dependency of scikit-learn

    return tuple(
        library for library in ThreadpoolController().lib_controllers if library.user_api == "blas"
    )


@cache
def _blas_switches() -> tuple[tuple[Callable[[], int], Callable[[int], Any]], ...]:
    """A ``(get_num_threads, set_num_threads)`` pair per BLAS library, found at first use."""
    switches: list[tuple[Callable[[], int], Callable[[int], Any]]] = []
    for library in loaded_blas():
        fast = _openblas_switch(library)
        switches.append(fast or (library.get_num_threads, library.set_num_threads))
    return tuple(switches)


class _OneThread:
    """Set every BLAS library to one thread; restore each one's count on exit."""

    __slots__ = ("_restore",)

    def __enter__(self) -> _OneThread:
        restore = []
        for get, set_ in _blas_switches():
            threads = get()
            if threads != 1:  # already one thread (e.g. under threadpool_limits): no call
                set_(1)
                restore.append((set_, threads))
        self._restore = restore
        return self

    def __exit__(self, *exc: object) -> None:
        for set_, threads in self._restore:
            set_(threads)


def small_work_blas_thread() -> Any:
    """:func:`one_blas_thread` for many small BLAS calls, at ~1.4 µs instead of 0.2 ms.

    A small fit makes dozens of tiny BLAS and LAPACK calls through two OpenBLAS builds
    (numpy's and scipy's, two threads each).  A second thread does not speed any of them
    up, but waking the other pool's threads did: a woken OpenBLAS thread spins for 2**28
    cycles (~0.1 s of CPU) before it sleeps, and on this 2-core machine under load 11 x 11
    triangular solves took 4-14 ms instead of 10 µs.  The libraries are found once
    (threadpoolctl's scan takes 0.2 ms); on entry only those running more than one thread
    are changed (one ``get_num_threads`` call each otherwise), and restored on exit.

    **Why every small fit needs it** (measured on h6-threads, ``bench/blas_threads.py``;
    scipy's OpenBLAS 0.3.30 and numpy's 0.3.31, pthreads, SkylakeX, 2 threads each).
    ``dtrtrs``, which the certified solver calls twice for ``(X'X)^-1``, hands work to
    the second thread at every size from 2 x 2 in both builds (the ``m < 64`` cut-off of
    OpenBLAS's ``interface/lapack/trtrs.c`` is not in them), so no shape bound lets a
    fit skip the context.  The other calls of a certified fit ran on one thread at the
    sizes measured: ``dsyrk`` of ``X'X`` up to ``p = 64``, ``dgemv`` up to 1e5 values
    (1e3 x 100, 1e4 x 10; 5e3 x 100 used two), ``dpotrf`` to ``p = 100``, ``dpotrs``
    always, ``dgesdd`` of ``p x p`` to ``p = 33`` (two from 63).  Without the
    context a 1e3 x 5 fit wakes scipy's thread every time: in a loop of fits it burnt
    6-8 ms of CPU per fit on the idle machine, and took 32 ms instead of 0.5 ms with two
    processes spinning.  The context itself costs 1.4 µs (4-13 µs through threadpoolctl's
    controllers, which it used before).

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
