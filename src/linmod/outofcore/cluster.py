"""Computing Dask collections with a deadline for a cluster that has lost its workers.

A ``dask.distributed`` scheduler keeps tasks waiting for as long as it has no worker to run
them, so a fit on a cluster whose workers are all gone would wait forever.
:func:`compute` waits in short steps, asks the scheduler how many workers it has, and
gives up with a :class:`~linmod.exceptions.LinmodError` once there have been none for
``timeout`` seconds.  A worker that dies running a task (``KilledWorker``, often out of
memory) and a lost scheduler connection become one-line errors too.  Without a
distributed client (Dask's local schedulers) there are no workers to lose and the
collections are computed as usual.
"""

from __future__ import annotations

import math
import time
from typing import Any

from linmod.exceptions import InputError, LinmodError
from linmod.outofcore.dask_errors import dtype_mismatch_error

__all__ = ["DEFAULT_TIMEOUT", "check_timeout", "compute"]

#: Seconds a Dask fit waits while the cluster has no workers before it gives up.
DEFAULT_TIMEOUT = 60.0


def check_timeout(timeout: float | None) -> float:
    """``timeout`` as seconds (None: :data:`DEFAULT_TIMEOUT`); refuse anything else."""
    if timeout is None:
        return DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise InputError(f"timeout={timeout!r} must be a number of seconds")
    if not (math.isfinite(timeout) and timeout > 0):
        raise InputError(f"timeout={timeout!r} must be a positive, finite number of seconds")
    return float(timeout)


def _distributed_client() -> Any:
    """The ``dask.distributed`` client Dask would compute with, or None."""
    import dask.base

    scheduler = getattr(dask.base.get_scheduler(), "__self__", None)
    try:
        from distributed import Client
    except ImportError:
        return None
    return scheduler if isinstance(scheduler, Client) else None


def compute(*collections: Any, timeout: float) -> tuple[Any, ...]:
    """``dask.compute(*collections)``, failing clearly when the cluster has no workers.

    Parameters
    ----------
    *collections : Dask collections (delayed values, DataFrames, arrays)
    timeout : float
        Seconds to wait while the scheduler has no workers (see :func:`check_timeout`).

    Returns
    -------
    tuple
        The computed values, in order.

    Raises
    ------
    LinmodError
        The cluster had no workers for ``timeout`` seconds, a worker died running a task,
        or the scheduler could not be reached.
    InputError
        Dask's ``read_csv`` typed a column from the file's first rows and a later
        partition does not fit (:mod:`linmod.outofcore.dask_errors`).
    """
    try:
        return _compute(collections, timeout)
    except ValueError as error:  # Dask typed a CSV column from its first rows
        translated = dtype_mismatch_error(error)
        if translated is None:
            raise
        raise translated from None


def _compute(collections: tuple[Any, ...], timeout: float) -> tuple[Any, ...]:
    import dask

    client = _distributed_client()
    if client is None:
        return tuple(dask.compute(*collections))
    from distributed import KilledWorker, wait
    from distributed.comm.core import CommClosedError

    address = getattr(client.scheduler, "address", "the scheduler")
    step = min(1.0, timeout / 4)
    try:
        futures = client.compute(list(collections))
        idle_since: float | None = None
        while True:
            try:
                wait(futures, timeout=step)
                break
            except TimeoutError:
                pass
            if client.nthreads():
                idle_since = None
                continue
            now = time.monotonic()
            idle_since = now if idle_since is None else idle_since
            if now - idle_since >= timeout:
                client.cancel(futures)
                raise LinmodError(
                    f"the Dask cluster at {address} has had no workers for {timeout:g} s, "
                    "so the fit cannot finish; start workers (or pass a larger timeout=) "
                    "and fit again"
                )
        return tuple(client.gather(futures))
    except KilledWorker as error:
        raise LinmodError(
            f"a Dask worker died running {error.task!r} (often out of memory): give the "
            "workers more memory or split the data into smaller partitions "
            "(ddf.repartition(partition_size='100MB'))"
        ) from None
    except CommClosedError as error:
        raise LinmodError(f"lost the Dask scheduler at {address}: {error}") from None
