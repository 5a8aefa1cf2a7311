"""Gradient descent on Dask: partitions streamed through ``partial_fit``.

Exact least-squares fits of Dask data (``linmod.ols(formula, data=dask_dataframe)``,
Dask arrays, ``engine="dask"``) fold partitions into R factors on the workers; see
:mod:`linmod.outofcore.dask_sources` and :mod:`linmod.models.ols_folded`.  This module
keeps the iterative route: :func:`partial_fit_partitions` feeds each partition to an
estimator's ``partial_fit`` in order (``pip install 'linmod[dask]'``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from linmod.exceptions import InputError
from linmod.outofcore.cluster import DEFAULT_TIMEOUT, compute
from linmod.outofcore.dask_sources import dask_module

__all__ = ["partial_fit_partitions"]


def partial_fit_partitions(estimator: Any, x: Any, y: Any, epochs: int = 1) -> Any:
    """Stream Dask partitions (or array blocks) through ``estimator.partial_fit``.

    Each partition is computed on the cluster and passed to ``partial_fit`` on the client,
    in order, ``epochs`` times: :class:`~linmod.GDRegressor` learns from data that never
    sits in memory at once.

    Parameters
    ----------
    estimator : estimator with ``partial_fit``
    x : Dask DataFrame or Array
        Features, partitioned by rows.
    y : Dask Series or Array
        Response, partitioned like ``x``.
    epochs : int
        Passes over the data.

    Returns
    -------
    estimator
    """
    dask_module()
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise InputError(f"epochs={epochs!r} must be a positive integer")
    if hasattr(x, "rechunk"):  # arrays: align the row chunks
        x = x.rechunk({1: -1})
        y = y.rechunk({0: x.chunks[0]})
    x_parts, y_parts = np.ravel(x.to_delayed()), np.ravel(y.to_delayed())
    if len(x_parts) != len(y_parts):
        raise InputError(
            f"X has {len(x_parts)} partitions but y has {len(y_parts)}; partition them alike"
        )
    for _ in range(epochs):
        for xb, yb in zip(x_parts, y_parts, strict=True):
            features, target = compute(xb, yb, timeout=DEFAULT_TIMEOUT)
            estimator.partial_fit(features, np.asarray(target).ravel())
    return estimator
