"""Weighted OLS out of core: ``ols(formula, data=file | dask_frame, weights="w")``.

The weights are a column of the data, read with every chunk or partition
(:mod:`linmod.data.chunk_weights`); every block's rows are scaled by ``sqrt(w)`` before
they are folded into the R factor and before the refinement passes
(:mod:`linmod.outofcore.weighted_statistics`), so the coefficients, σ and ``(X'WX)^-1``
are those of the in-memory weighted fit (:mod:`linmod.models.weighted_ols`).  The
totals follow the declared meaning as in memory (:mod:`linmod.inference.weighted`):

- ``n`` counts the rows with a positive weight (frequency weights: ``sum(w)``), and the
  rows dropped for a zero weight are counted in the summary;
- R² uses the weighted total sum of squares about the weighted mean (R's ``summary.lm``);
- the log-likelihood adds ``sum(log w)/2`` for precision weights (R's ``logLik.lm``),
  nothing for frequency weights, and is NaN for sampling weights;
- sampling weights get HC1 standard errors, so their fit always reads the data a second
  time; with ``second_pass=True`` every fit gets HC0-HC3 (and HAC, except for frequency
  weights), Durbin-Watson, Breusch-Pagan, Jarque-Bera, Shapiro-Wilk on a sample and the
  largest Cook's distances, each weighted as the in-memory fit weights it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from linmod.data.blocks import is_reiterable
from linmod.data.chunk_weights import StreamWeights
from linmod.data.file_reading import read_options as read_options_in_force
from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError
from linmod.inference.results import FitTotals
from linmod.inference.streamed_results import StreamedOLSResults, StreamedWeights
from linmod.inference.weighted import refuse_frequency_hac
from linmod.models.ols_folded import (
    check_hac_lags,
    check_passes,
    check_refine,
    check_response_magnitude,
    residual_state,
    results_from_factor,
    with_second_pass,
)
from linmod.outofcore.sources import BlockSource, open_stream
from linmod.outofcore.statistics import residual_products_reader, residual_sums
from linmod.outofcore.weighted_statistics import fold_weighted_factor

__all__ = [
    "check_weighted_passes",
    "fit_weighted_dask_frame",
    "fit_weighted_folded",
    "fit_weighted_streaming",
]


def check_weighted_passes(weights: StreamWeights, reiterable: bool, hac_lags: int | None) -> None:
    """Refuse what a weighted fit cannot do, before any data is read.

    Sampling weights need a second pass (their standard errors are HC1), which a one-shot
    iterator cannot give; frequency weights have no HAC covariance.
    """
    kind = check_weights_type(weights.kind)
    if kind == "sampling" and not reiterable:
        raise InputError(
            "sampling weights have robust (HC1) standard errors, which need a second pass "
            "over the data that a one-shot iterator cannot give; pass file paths (or a list "
            "of frames), or fit with weights_type='precision'"
        )
    if kind == "frequency" and hac_lags is not None:
        refuse_frequency_hac("HAC")


def fit_weighted_folded(
    source: BlockSource,
    *,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    refine: bool | None = None,
) -> StreamedOLSResults:
    """Fit weighted least squares to a block source whose ``weights`` name a column.

    Parameters are those of :func:`linmod.models.ols_folded.fit_folded`; sampling
    weights always read the data a second time (for their HC1 covariance).

    Returns
    -------
    StreamedOLSResults
        With ``stream_weights`` set, and ``cov_type="HC1"`` for sampling weights.
    """
    weights = source.weights
    assert weights is not None
    check_weighted_passes(weights, source.reiterable, hac_lags)
    kind = check_weights_type(weights.kind)
    second_pass = second_pass or kind == "sampling"
    factor, dropped, sums = fold_weighted_factor(source)
    design = source.design(dropped)
    check_response_magnitude(factor, design)
    if sums.rows > 1 and sums.y_centred_ss == 0.0:
        raise InputError(
            f"the response {design.response_name!r} is constant in the rows with a positive "
            "weight; there is no variation to explain and R² is undefined"
        )
    reader = residual_products_reader(source) if source.reiterable else None
    results = results_from_factor(factor, design, source.description, refine, reader)
    assert results.totals is not None
    n_obs = round(sums.total) if kind == "frequency" else sums.rows
    tss = sums.y_centred_ss if design.intercept else factor.y_ss
    info = StreamedWeights(kind, weights.column, sums.zero, sums.total, sums.rows, sums.log_sum)
    results = replace(
        results,
        totals=FitTotals(n_obs, results.totals.ssr, tss),
        stream_weights=info,
        cov_type="HC1" if kind == "sampling" else "nonrobust",
    )
    if not second_pass:
        return results
    lags = 0 if kind == "frequency" else check_hac_lags(hac_lags, n_obs)
    state = replace(residual_state(results, lags), weights_kind=kind, bp_sigma2=results.ssr / n_obs)
    totals = residual_sums(source, state, seed)
    finished = with_second_pass(results, totals, lags, seed)
    if kind == "frequency":  # no HAC: the rows have no time order
        assert finished.totals is not None
        meats = {k: v for k, v in finished.totals.meats.items() if not k.startswith("HAC")}
        finished = replace(finished, totals=replace(finished.totals, meats=meats))
    return finished


def fit_weighted_streaming(
    formula: str,
    data: Any,
    weights: StreamWeights,
    *,
    chunksize: int = 100_000,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    progress: bool | None = None,
    refine: bool | None = None,
    read_options: Mapping[str, Any] | None = None,
) -> StreamedOLSResults:
    """:func:`linmod.models.ols_folded.fit_streaming` with a weights column.

    ``weights`` names the column and its meaning; the other parameters are those of
    ``fit_streaming``.
    """
    reiterable = is_reiterable(data)
    check_passes(refine, second_pass, reiterable)  # before any data is read
    check_weighted_passes(weights, reiterable, hac_lags)
    with read_options_in_force(read_options):
        source = open_stream(
            formula, data, chunksize=chunksize, missing=missing, levels=levels,
            progress=progress, weights=weights,
        )  # fmt: skip
        return fit_weighted_folded(
            source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine
        )


def fit_weighted_dask_frame(
    formula: str,
    ddf: Any,
    weights: StreamWeights,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    refine: bool | None = None,
    timeout: float | None = None,
) -> StreamedOLSResults:
    """:func:`linmod.models.ols_folded.fit_dask_frame` with a weights column of ``ddf``."""
    from linmod.outofcore.dask_sources import open_dask_frame

    check_refine(refine, reiterable=True)
    check_weighted_passes(weights, True, hac_lags)
    source = open_dask_frame(
        formula, ddf, missing=missing, levels=levels, timeout=timeout, weights=weights
    )
    return fit_weighted_folded(
        source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine
    )


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
        return fit_weighted_dask_frame(
            formula, frame, stream_weights, timeout=options["timeout"], **common
        )
    if options["timeout"] is not None:
        raise InputError(f"timeout={options['timeout']!r} is for Dask data; leave it None here")
    return fit_weighted_streaming(
        formula, data, stream_weights, chunksize=options["chunksize"],
        progress=options["progress"], read_options=options["read_options"], **common,
    )  # fmt: skip
