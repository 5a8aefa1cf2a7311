"""BLAS thread count for work that shares the cores with a reader thread."""

from __future__ import annotations

from typing import Any

__all__ = ["one_blas_thread"]


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
