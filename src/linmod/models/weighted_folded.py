"""Weighted OLS out of core: ``ols(formula, data=file | dask_frame, weights="w")``.

The keywords of :func:`linmod.ols` for a file, an iterator or a Dask frame with weights
are checked here and passed to :func:`linmod.models.ols_folded.fit_streaming` or
:func:`~linmod.models.ols_folded.fit_dask_frame` with ``weights=``, where the module's
notes say how each weight meaning is honoured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from linmod.data.chunk_weights import StreamWeights
from linmod.exceptions import InputError
from linmod.inference.streamed_results import StreamedOLSResults
from linmod.models.ols_folded import fit_dask_frame, fit_streaming

__all__ = ["fit_weighted_out_of_core"]


def fit_weighted_out_of_core(
    formula: Any,
    y: Any,
    data: Any,
    weights: Any,
    weights_type: str,
    *,
    engine: str = "auto",
    solver: str = "auto",
    options: Mapping[str, Any],
) -> StreamedOLSResults:
    """``linmod.ols(formula, data=<file, iterator or Dask frame>, weights="w")``.

    ``options`` holds ``ols``'s out-of-core keywords (``chunksize``, ``missing``,
    ``levels``, ``second_pass``, ``hac_lags``, ``progress``, ``refine``, ``timeout``,
    ``read_options``).
    """
    from linmod.data.frames import is_dask_collection

    if not isinstance(formula, str) or y is not None:
        raise InputError(
            "weights= with Dask arrays is not available: use a Dask DataFrame with the "
            "weights as a column, ols('y ~ x', data=ddf, weights='w')"
        )
    stream_weights = StreamWeights.of(weights, weights_type)
    assert stream_weights is not None
    if solver not in ("auto", "tsqr"):
        raise InputError(
            f"solver={solver!r} is not available for streamed or Dask data, which is always "
            "fitted by merging R factors (TSQR); leave solver='auto'"
        )
    common = {k: options[k] for k in ("missing", "levels", "second_pass", "hac_lags", "refine")}
    if engine == "dask" or is_dask_collection(data):
        if options.get("read_options"):
            raise InputError("read_options= is not available with Dask; use chunksize= streaming")
        from linmod.outofcore.dask_sources import read_parquet

        frame = data if is_dask_collection(data) else read_parquet(data)
        return fit_dask_frame(
            formula, frame, weights=stream_weights, timeout=options["timeout"], **common
        )
    if options["timeout"] is not None:
        raise InputError(f"timeout={options['timeout']!r} is for Dask data; leave it None here")
    return fit_streaming(
        formula, data, weights=stream_weights, chunksize=options["chunksize"],
        progress=options["progress"], read_options=options["read_options"], **common,
    )  # fmt: skip
