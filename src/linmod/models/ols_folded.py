"""OLS from folded statistics: the out-of-core fit for any :class:`BlockSource`.

``linmod.ols(formula, data="big.parquet" | "big.csv" | [files] | iterator of frames,
chunksize=...)``, ``linmod.ols(formula, data=dask_dataframe)`` and ``linmod.ols(X, y)``
with Dask arrays all come here.  The model declares the statistics it needs from
:mod:`linmod.outofcore.statistics` and gets every source alike:

- the R factor of ``[X | y]`` (one pass): coefficients, standard errors, R², F, AIC and
  BIC equal to the in-memory fit's to rounding, in memory of one chunk plus O(p²);
- when the data can be read again, residual products in double-double for one to three
  refinement passes (:func:`linmod.solvers.factor.refine_factor_solution`) if
  ``refine=True``, or by default when the data is small enough for the passes to cost
  little (at most 1e6 values) or the estimated relative error of some one-pass
  coefficient exceeds 1e-10.  The one-pass solution is good to about
  ``eps · κ · (1 + κ tan θ)`` normwise; the refined one reaches the float64 limit of the
  data (NIST's Wampler5 goes from 6 to 15 correct digits, Longley from 11 to 14.6);
- with ``second_pass=True``, the residual sums: HC0-HC3 and HAC covariances,
  Durbin-Watson, Breusch-Pagan, Jarque-Bera, the largest Cook's distances and
  Shapiro-Wilk on a seeded uniform sample of the residuals (the only sample-based number).

A source with a weights column (``weights=StreamWeights(...)``, read with every chunk or
partition, :mod:`linmod.data.chunk_weights`) is fitted by weighted least squares: every
block's rows are scaled by ``sqrt(w)`` before they are folded into the R factor and
before the refinement passes (:mod:`linmod.outofcore.weighted_statistics`), so the
coefficients, σ and ``(X'WX)^-1`` are those of the in-memory weighted fit
(:mod:`linmod.models.weighted_ols`).  The totals follow the declared meaning as in
memory (:mod:`linmod.inference.weighted`):

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

import numpy as np

from linmod.data.blocks import is_reiterable
from linmod.data.chunk_weights import StreamWeights
from linmod.data.design import Design
from linmod.data.file_reading import read_options as read_options_in_force
from linmod.data.read_advice import streaming_text_files
from linmod.data.weights import check_weights_type
from linmod.exceptions import InputError
from linmod.inference.covariance import default_hac_lags
from linmod.inference.results import FitTotals, OLSResults
from linmod.inference.streamed_results import StreamedOLSResults, StreamedWeights
from linmod.inference.weighted import refuse_frequency_hac
from linmod.linalg.tsqr import RFactor
from linmod.models.conditioning import report_conditioning
from linmod.outofcore.residual_sums import ResidualSums
from linmod.outofcore.sources import BlockSource, open_stream
from linmod.outofcore.statistics import (
    ResidualReader,
    ResidualState,
    fold_factor,
    residual_products_reader,
    residual_sums,
)
from linmod.outofcore.weighted_statistics import fold_weighted_factor
from linmod.solvers.base import SolverResult, embed
from linmod.solvers.factor import one_pass_error, refine_factor_solution, solve_factor

__all__ = [
    "REFINE_ABOVE_ERROR",
    "REFINE_SMALL_DATA",
    "StreamedOLSResults",
    "check_hac_lags",
    "check_refine",
    "check_weighted_passes",
    "fit_dask_arrays",
    "fit_dask_frame",
    "fit_folded",
    "fit_streaming",
    "fit_weighted_folded",
    "residual_state",
    "results_from_factor",
    "with_second_pass",
]


def fit_folded(
    source: BlockSource,
    *,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    refine: bool | None = None,
) -> StreamedOLSResults:
    """Fit OLS to any block source from its R factor (and its residual sums if asked).

    Parameters
    ----------
    source : BlockSource
        Files, an iterator of frames, a Dask DataFrame or Dask arrays; a source with
        ``weights`` is fitted by weighted least squares (:func:`fit_weighted_folded`).
    second_pass, hac_lags, seed, refine
        As for :func:`fit_streaming`.

    Returns
    -------
    StreamedOLSResults
    """
    check_passes(refine, second_pass, source.reiterable)
    if source.weights is not None:
        return fit_weighted_folded(
            source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine
        )
    factor, dropped = fold_factor(source)
    design = source.design(dropped)
    check_response_magnitude(factor, design)
    reader = residual_products_reader(source) if source.reiterable else None
    results = results_from_factor(factor, design, source.description, refine, reader)
    if not second_pass:
        return results
    lags = check_hac_lags(hac_lags, results.n_obs)
    sums = residual_sums(source, residual_state(results, lags), seed)
    return with_second_pass(results, sums, lags, seed)


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


def fit_streaming(
    formula: str,
    data: Any,
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
    weights: StreamWeights | None = None,
) -> StreamedOLSResults:
    """Fit OLS to a file, a list of files or an iterator of frames, chunk by chunk.

    Parameters
    ----------
    formula : str
        As for :func:`linmod.ols`.
    data : path, list of paths, or iterable of DataFrames
        Parquet, CSV or TSV files (read with pyarrow/pandas), or frames.
    chunksize : int
        Rows per chunk read from files.
    missing : {"raise", "drop"}
        Applied chunk by chunk; dropped rows are counted.
    levels : mapping of column to list of levels, optional
        Levels of categorical variables.  Undeclared ones are found by a first pass over
        those columns only (files), or must be declared (a one-shot iterator).
    second_pass : bool
        Read the data again for robust covariances and residual diagnostics.
    hac_lags : int, optional
        HAC truncation lag for the second pass (default ``floor(4 (n/100)^(2/9))``).
    seed : int
        Seed of the reservoir sample used for Shapiro-Wilk.
    progress : bool, optional
        Show a progress line on standard error; default: only when it is a terminal.
    refine : bool, optional
        Refine the coefficients with more passes over the data.  None (default): when
        the data can be read again and either has at most :data:`REFINE_SMALL_DATA`
        values or the one-pass error estimate exceeds :data:`REFINE_ABOVE_ERROR`.
    read_options : mapping, optional
        How CSV files are read: ``{"thousands": ","}`` reads ``"43,609"`` as a number,
        ``{"decimal": ","}`` reads ``"3,14"``, ``{"na_values": ["-", "n/a"]}`` adds
        strings read as missing (see :func:`linmod.data.file_reading.read_table`).
    weights : StreamWeights, optional
        A weights column of the data and its meaning: weighted least squares (see the
        module's notes).

    Returns
    -------
    StreamedOLSResults
    """
    reiterable = is_reiterable(data)
    check_passes(refine, second_pass, reiterable)  # before any data is read
    if weights is not None:
        check_weighted_passes(weights, reiterable, hac_lags)
    with read_options_in_force(read_options), streaming_text_files(data):
        source = open_stream(
            formula, data, chunksize=chunksize, missing=missing, levels=levels,
            progress=progress, weights=weights,
        )  # fmt: skip
        return fit_folded(
            source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine
        )


def fit_dask_frame(
    formula: str,
    ddf: Any,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    refine: bool | None = None,
    timeout: float | None = None,
    weights: StreamWeights | None = None,
) -> StreamedOLSResults:
    """Fit OLS to a Dask DataFrame by a tree reduction of partition R factors.

    Parameters are those of :func:`fit_streaming` (``weights`` a column of ``ddf``);
    categorical levels not declared are found with one ``value_counts()`` pass over those
    columns.  ``timeout`` is the number
    of seconds to wait while a ``dask.distributed`` cluster has no workers before raising
    :class:`~linmod.exceptions.LinmodError` (None: 60 s, see
    :mod:`linmod.outofcore.cluster`); it does not limit a fit that is making progress.
    """
    from linmod.outofcore.dask_sources import open_dask_frame

    check_refine(refine, reiterable=True)
    if weights is not None:
        check_weighted_passes(weights, True, hac_lags)
    source = open_dask_frame(
        formula, ddf, missing=missing, levels=levels, timeout=timeout, weights=weights
    )
    return fit_folded(source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine)


def fit_dask_arrays(
    x: Any,
    y: Any,
    *,
    fit_intercept: bool = True,
    second_pass: bool = False,
    hac_lags: int | None = None,
    seed: int = 0,
    refine: bool | None = None,
    timeout: float | None = None,
) -> StreamedOLSResults:
    """Fit OLS to Dask arrays ``X`` (n, p) and ``y`` (n,), chunked along rows only.

    ``timeout`` is as for :func:`fit_dask_frame`.
    """
    from linmod.outofcore.dask_sources import DaskArraySource, dask_module

    dask_module()
    check_refine(refine, reiterable=True)
    source = DaskArraySource(x, y, fit_intercept, timeout)
    return fit_folded(source, second_pass=second_pass, hac_lags=hac_lags, seed=seed, refine=refine)


#: ``refine=None`` refines a streamed fit when the data has at most this many values
#: (rows × columns): the passes then cost little, and they bring every coefficient to
#: its own rounding level ...
REFINE_SMALL_DATA = 1_000_000

#: ... and, for larger data, when the estimated relative error of some one-pass
#: coefficient (:func:`linmod.solvers.factor.one_pass_error`) exceeds this: it could then
#: show in ten significant digits.
REFINE_ABOVE_ERROR = 1e-10

#: Largest number of refinement passes over the data.
_REFINE_PASSES = 3


def check_refine(refine: bool | None, reiterable: bool) -> None:
    """Refuse ``refine=`` values that cannot be honoured (before any data is read)."""
    if refine is not None and not isinstance(refine, (bool, np.bool_)):
        raise InputError(f"refine={refine!r} must be True, False or None (automatic)")
    if refine and not reiterable:
        raise InputError(
            "refine=True reads the data again, which a one-shot iterator cannot do; "
            "pass file paths (or a list of frames) instead"
        )


#: A folded response whose sum of squares is below this (every value below ~2**-480)
#: has squares near float64's underflow, where they lose digits: it is refused.
_SMALLEST_RESPONSE_SS = 2.0**-960


def check_response_magnitude(factor: RFactor, design: Design) -> None:
    """Refuse a response whose sum of squares the factor cannot hold in float64."""
    if not (np.isfinite(factor.y_ss) and np.isfinite(factor.y_centred_ss)):
        raise InputError(
            f"the response {design.response_name!r} has values so large (beyond ~1e154) "
            "that its sum of squares exceeds float64 in a streamed fit; rescale it in the "
            "formula (e.g. I(y / 1e150)) or fit the data in memory, which scales it exactly"
        )
    if factor.y_ss < _SMALLEST_RESPONSE_SS and np.any(factor.r[:, -1] != 0):
        raise InputError(
            f"the response {design.response_name!r} has values so small (all below ~1e-144) "
            "that their squares underflow float64 in a streamed fit; rescale it in the "
            "formula (e.g. I(y * 1e150)) or fit the data in memory, which scales it exactly"
        )


def check_passes(refine: bool | None, second_pass: bool, reiterable: bool) -> None:
    """Refuse passes over the data that a one-shot iterator cannot give."""
    check_refine(refine, reiterable)
    if second_pass and not reiterable:
        raise InputError(
            "second_pass=True reads the data twice, which a one-shot iterator cannot do; "
            "pass file paths (or a list of frames) instead"
        )


def check_hac_lags(hac_lags: int | None, n: int) -> int:
    lags = default_hac_lags(n) if hac_lags is None else hac_lags
    if isinstance(lags, bool) or not isinstance(lags, (int, np.integer)) or not 0 <= lags < n:
        raise InputError(f"hac_lags={hac_lags!r} must be an integer in [0, {n - 1}]")
    return int(lags)


def residual_state(results: OLSResults, lags: int) -> ResidualState:
    solution = results.solution
    kept = ~solution.aliased
    return ResidualState(
        kept=kept,
        coef=solution.coef[kept],
        bread=solution.cov_unscaled[np.ix_(kept, kept)],
        sigma2=results.ssr / results.df_resid,
        lags=lags,
    )


def with_second_pass(
    results: StreamedOLSResults, sums: ResidualSums, lags: int, seed: int
) -> StreamedOLSResults:
    """Attach the second pass (robust meats, MAE, residual diagnostics) to a fit."""
    meats, diagnostics = sums.finish(results.rank, results.design.intercept, lags, seed)
    assert results.totals is not None
    totals = FitTotals(results.n_obs, results.totals.ssr, results.totals.tss, sums.abs_sum, meats)
    return replace(results, totals=totals, diagnostics=diagnostics)


def results_from_factor(
    factor: RFactor,
    design: Design,
    how: str,
    refine: bool | None = False,
    reader: ResidualReader | None = None,
) -> StreamedOLSResults:
    """Solve a folded factor, refine it if asked, and wrap it as results (no second pass).

    Parameters
    ----------
    factor : RFactor
        The merged factor of all complete rows.
    design : Design
        A data-free design (``x`` with no rows) naming the columns and rebuilding rows
        for prediction.
    how : str
        How the data was read, for the summary's note.
    refine : bool or None
        Refine with ``reader`` (True), never (False), or (None) when the data is small
        (:data:`REFINE_SMALL_DATA`) or the estimated error exceeds
        :data:`REFINE_ABOVE_ERROR`.
    reader : callable, optional
        Reads the data once more for the residual products; None when it cannot.
    """
    names = design.column_names
    n, p = factor.n, len(names)
    if n < p:
        raise InputError(
            f"{n} complete rows but {p} parameters: least squares needs at least as many "
            "rows as parameters; drop terms or use a regularised fit (Ridge or Lasso)"
        )
    if factor.y_centred_ss == 0.0:
        raise InputError(f"the response {design.response_name!r} is constant; R² is undefined")
    solved = solve_factor(factor)
    notes = [f"{how}: one R factor of [X | y] (TSQR)"]
    passes = 0
    error = one_pass_error(solved, factor.y_ss)
    if refine is None:
        wanted = error > REFINE_ABOVE_ERROR or n * (p + 1) <= REFINE_SMALL_DATA
    else:
        wanted = refine
    if wanted and reader is not None:
        solved, refinement = refine_factor_solution(solved, reader, _REFINE_PASSES)
        notes.append(refinement.describe())
        passes = refinement.passes
    elif error > REFINE_ABOVE_ERROR and reader is None:
        notes.append(
            f"not refined: a one-shot iterator is read once; a coefficient may be off by "
            f"about {error:.0e} relative (pass files or a list of frames to refine)"
        )
    solution = SolverResult(
        coef=solved.coef,
        cov_unscaled=solved.cov_unscaled,
        residuals=np.zeros(0),
        rank=solved.rank,
        aliased=solved.aliased,
        dependencies=solved.dependencies,
        condition_number=solved.condition_number,
        weakest_direction=solved.weakest_direction,
        method="tsqr",
        n_iter=passes,
        notes=tuple(notes),
        column_scales=embed(solved.scales, ~solved.aliased),
        cov_scaled=solved.cov_scaled,
    )
    report_conditioning(design, solution, "drop")
    tss = factor.y_centred_ss if design.intercept else factor.y_ss
    return StreamedOLSResults(
        design=design,
        solution=solution,
        solver="tsqr",
        totals=FitTotals(n_obs=n, ssr=solved.ssr, tss=tss),
    )
