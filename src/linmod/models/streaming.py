"""Exact OLS for data larger than memory: one pass folding chunks into an R factor.

``linmod.ols(formula, data="big.parquet" | "big.csv" | [files] | iterator of frames,
chunksize=...)`` reads the data chunk by chunk, builds each chunk's design with the model
spec of the first chunk (categorical levels declared with ``levels=`` or found by a cheap
first pass over those columns only), folds ``[X | y]`` into a mergeable R factor and
solves it: the coefficients, standard errors, R², F, AIC and BIC equal the in-memory fit's
to rounding.  Peak memory is one chunk plus O(p²).

Parquet files whose model is the intercept and numeric columns (``y ~ x1 + ... + x20``)
take a fast path: record batches are read on a background thread and their columns
copied straight into a reused, cache-sized float64 block (no pandas frame, no formula
machinery; :mod:`linmod.data.column_block`), with BLAS on one thread beside the reader.
Other designs and sources go through pandas and formulaic.

When the data can be read again, it is read once to three times more to refine the
coefficients by the corrected semi-normal equations with double-double residuals
(:func:`linmod.solvers.factor.refine_factor_solution`) if ``refine=True``, or by default
when the data is small enough for the passes to cost little (at most 1e6 values) or the
estimated relative error of some one-pass coefficient exceeds 1e-10.  The one-pass
solution is good to about ``eps · κ · (1 + κ tan θ)`` normwise, and a small coefficient
beside a large one proportionally worse; the refined one reaches the float64 limit of the
data (NIST's Wampler5 goes from 6 to 15 correct digits, Longley from 11 to 14.6).

``second_pass=True`` reads the data once more for the statistics that need residuals:
HC0-HC3 and HAC covariances (the last ``lags`` score rows carried across chunks),
Durbin-Watson (the last residual carried), Breusch-Pagan (its auxiliary regression folded
into a second R factor), Jarque-Bera from the residual moments, the largest Cook's
distances, and Shapiro-Wilk on a seeded uniform sample of the residuals (the only
sample-based number).  The second-pass sums are mergeable and order-aware
(:mod:`linmod.distributed.residual_sums`), so the Dask backend reuses them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from numpy.typing import NDArray

from linmod.data.chunks import (
    Batch,
    Chunk,
    iter_batches,
    iter_chunks,
    numeric_parquet_columns,
    parquet_files,
    parquet_head,
    prefetch,
)
from linmod.data.column_block import ColumnBlock
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import FormulaSpec, coded_variables, expand_dot, formula_error
from linmod.data.missing import check_policy
from linmod.data.row_folds import fold_of_rows
from linmod.distributed.residual_sums import ResidualSums, StreamDiagnostics
from linmod.exceptions import InputError
from linmod.inference.covariance import default_hac_lags
from linmod.inference.results import FitTotals, OLSResults
from linmod.linalg.seminormal import ResidualProducts
from linmod.linalg.threads import one_blas_thread
from linmod.linalg.tsqr import RFactor
from linmod.models.conditioning import report_conditioning
from linmod.progress import Progress
from linmod.solvers.base import SolverResult, embed
from linmod.solvers.factor import one_pass_error, refine_factor_solution, solve_factor

__all__ = [
    "REFINE_ABOVE_ERROR",
    "REFINE_SMALL_DATA",
    "BlockBuilder",
    "ResidualReader",
    "ResidualState",
    "StreamedOLSResults",
    "block_shift",
    "block_sums",
    "categorical_columns",
    "check_hac_lags",
    "check_refine",
    "fit_streaming",
    "fold_batches",
    "fold_stream",
    "fold_stream_in_folds",
    "has_intercept",
    "residual_products_reader",
    "residual_state",
    "results_from_factor",
    "row_namer",
    "stream_design",
    "with_second_pass",
]

Float = NDArray[np.float64]


def categorical_columns(spec: Any, frame: pd.DataFrame, variables: set[str]) -> set[str]:
    coded = coded_variables(spec)
    return {
        v
        for v in variables
        if v in coded
        or not pd.api.types.is_numeric_dtype(frame[v])
        or pd.api.types.is_bool_dtype(frame[v])
    }


def _collect_levels(
    data: Any, chunksize: int, columns: list[str], declared: Mapping[str, Sequence[Any]]
) -> dict[str, list[Any]]:
    found: dict[str, set[Any]] = {c: set() for c in columns if c not in declared}
    if found:
        for chunk in iter_chunks(data, chunksize, columns=sorted(found)):
            for column, seen in found.items():
                seen.update(chunk.frame[column].dropna().unique().tolist())
    levels = {c: list(v) for c, v in declared.items()}
    levels.update({c: sorted(v, key=str) for c, v in found.items()})
    return levels


def _encode_levels(chunk: Chunk, levels: Mapping[str, list[Any]]) -> pd.DataFrame:
    if not levels:
        return chunk.frame
    frame = chunk.frame.copy()
    for column, known in levels.items():
        if column not in frame.columns:
            continue
        values = frame[column]
        unknown = values.notna() & ~values.isin(known)
        if unknown.any():
            position = int(np.flatnonzero(unknown.to_numpy())[0])
            raise InputError(
                f"{chunk.describe_row(position)}, column {column!r}: level "
                f"{values.iloc[position]!r} is not among the levels "
                f"{known[:10]}{' …' if len(known) > 10 else ''}; declare it in levels="
            )
        frame[column] = pd.Categorical(values, categories=known)
    return frame


_Block = tuple[Chunk, Float, NDArray[np.bool_]]


def _plain_columns(spec: Any, lhs_spec: Any, frame: pd.DataFrame) -> list[str | None] | None:
    """Columns of ``[X | y]`` when every term is the intercept or a numeric data column.

    Such designs (``y ~ x1 + ... + x20``, the usual big-data model) are copied straight
    from the chunk into the block, skipping formulaic's intermediate frames.  None means
    "use formulaic".
    """
    columns: list[str | None] = []
    for model in (spec, lhs_spec):
        for term in model.terms:
            factors = list(term.factors)
            if str(term) == "1":
                columns.append(None)
                continue
            if len(factors) != 1 or str(factors[0].eval_method.value) != "lookup":
                return None
            name = str(factors[0].expr)
            series = frame.get(name)
            if (
                series is None
                or not pd.api.types.is_numeric_dtype(series)
                or pd.api.types.is_bool_dtype(series)
            ):
                return None
            columns.append(name)
    if len(columns) != len(spec.column_names) + 1:
        return None
    return columns


@dataclass
class BlockBuilder:
    """Turns chunks into ``[X | y]`` blocks with one model spec and the missing policy."""

    formula: Formula
    text: str
    missing: str
    levels: dict[str, list[Any]]
    spec: Any = None
    lhs_spec: Any = None
    used: list[str] = field(default_factory=list)
    n_dropped: int = 0
    plain: list[str | None] | None = None

    def adopt_plain(self, probe: Any, head: pd.DataFrame) -> None:
        """Take the model spec from a probe of the first rows when the design is plain.

        A design of the intercept and numeric data columns has no data-dependent state, so
        the spec of a few rows is the spec of any chunk: the first chunk need not go
        through formulaic.  Other designs keep building their spec on the first chunk.
        """
        spec, lhs_spec = probe.rhs.model_spec, probe.lhs.model_spec
        plain = _plain_columns(spec, lhs_spec, head)
        if plain is None:
            return
        self.spec, self.lhs_spec, self.plain = spec, lhs_spec, plain
        self.used = sorted({c for c in plain if c is not None})

    def blocks(self, chunks: Iterator[Chunk]) -> Iterator[_Block]:
        for chunk in chunks:
            frame = _encode_levels(chunk, self.levels)
            if self.spec is None:
                try:
                    matrices = model_matrix(
                        self.formula, frame, na_action="ignore", context=FORMULA_CONTEXT
                    )
                except FormulaicError as error:
                    raise InputError(f"cannot use formula {self.text!r}: {error}") from None
                self.spec, self.lhs_spec = matrices.rhs.model_spec, matrices.lhs.model_spec
                data_vars = set(self.spec.variables_by_source.get("data", set()))
                data_vars |= set(self.lhs_spec.variables_by_source.get("data", set()))
                self.used = sorted(data_vars)
                self.plain = _plain_columns(self.spec, self.lhs_spec, frame)
            incomplete = np.zeros(len(frame), dtype=bool)
            for column in self.used:  # column by column: no copy of the frame
                incomplete |= frame[column].isna().to_numpy()
            if incomplete.any() and self.missing == "raise":
                column = next(c for c in self.used if frame[c].isna().to_numpy().any())
                position = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
                raise InputError(
                    f"{chunk.describe_row(position)}: column {column!r} is missing; "
                    "pass missing='drop' to drop incomplete rows"
                )
            keep = ~incomplete
            block = self._block(frame, keep)
            finite = np.isfinite(block).all(axis=1)
            if not finite.all():
                position = int(np.flatnonzero(keep)[np.flatnonzero(~finite)[0]])
                raise InputError(
                    f"{chunk.describe_row(position)}: a term or the response is not finite "
                    "(infinite data, or e.g. log of zero)"
                )
            self.n_dropped += int(incomplete.sum())
            yield chunk, block, keep

    def _block(self, frame: pd.DataFrame, keep: NDArray[np.bool_]) -> Float:
        """The ``[X | y]`` block of the complete rows (Fortran order: columns are copied whole)."""
        width = len(self.spec.column_names) + 1
        block = np.empty((int(keep.sum()), width), order="F")
        everything = bool(keep.all())
        if self.plain is not None:
            for j, column in enumerate(self.plain):
                if column is None:
                    block[:, j] = 1.0
                else:
                    values = frame[column].to_numpy(dtype=float)
                    block[:, j] = values if everything else values[keep]
            return block
        with np.errstate(all="ignore"):
            x = self.spec.get_model_matrix(
                frame, context=FORMULA_CONTEXT, na_action="ignore", output="numpy"
            )
            y = self.lhs_spec.get_model_matrix(
                frame, context=FORMULA_CONTEXT, na_action="ignore", output="numpy"
            )
        block[:, :-1] = np.asarray(x, dtype=float)[keep]
        block[:, -1] = np.asarray(y, dtype=float)[keep, 0]
        return block


@dataclass(frozen=True)
class StreamedOLSResults(OLSResults):
    """An OLS fit of streamed data; ``diagnostics`` holds the second pass when requested."""

    diagnostics: StreamDiagnostics | None = None


def _reiterable(data: Any) -> bool:
    return (
        isinstance(data, (str, bytes)) or hasattr(data, "__fspath__") or isinstance(data, Sequence)
    )


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

    Returns
    -------
    StreamedOLSResults
    """
    reiterable = _reiterable(data)
    check_refine(refine, reiterable)
    if second_pass and not reiterable:
        raise InputError(
            "second_pass=True reads the data twice, which a one-shot iterator cannot do; "
            "pass file paths (or a list of frames) instead"
        )
    factor, stream, design = fold_stream(
        formula, data, chunksize=chunksize, missing=missing, levels=levels, progress=progress
    )
    reader = residual_products_reader(stream, data, chunksize, progress) if reiterable else None
    results = results_from_factor(
        factor, design, f"streamed in chunks of {chunksize} rows", refine, reader
    )
    if not second_pass:
        return results
    lags = check_hac_lags(hac_lags, results.n_obs)
    rng = np.random.default_rng(seed)
    state = residual_state(results, lags)
    again = replace(stream, n_dropped=0)
    sums: ResidualSums | None = None
    meter = Progress("rows in the second pass", enabled=progress)
    with one_blas_thread():
        chunks = iter_chunks(data, chunksize, columns=again.used or None)
        for chunk, block, keep in again.blocks(prefetch(chunks)):
            meter.update(len(chunk.frame))
            if not block.shape[0]:  # every row of the chunk dropped as incomplete
                continue
            part = block_sums(block, row_namer(chunk, np.flatnonzero(keep)), state, rng)
            sums = part if sums is None else sums.merge(part, lags, rng)
    meter.close()
    assert sums is not None
    return with_second_pass(results, sums, lags, seed)


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

ResidualReader = Callable[[NDArray[np.bool_], Float, Float], ResidualProducts]


def check_refine(refine: bool | None, reiterable: bool) -> None:
    """Refuse ``refine=`` values that cannot be honoured (before any data is read)."""
    if refine is not None and not isinstance(refine, (bool, np.bool_)):
        raise InputError(f"refine={refine!r} must be True, False or None (automatic)")
    if refine and not reiterable:
        raise InputError(
            "refine=True reads the data again, which a one-shot iterator cannot do; "
            "pass file paths (or a list of frames) instead"
        )


def residual_products_reader(
    stream: BlockBuilder, data: Any, chunksize: int, progress: bool | None
) -> ResidualReader:
    """A function that reads ``data`` once more and sums ``X'r`` and ``r'r`` in double-double."""

    def read(kept: NDArray[np.bool_], coef_hi: Float, coef_lo: Float) -> ResidualProducts:
        again = replace(stream, n_dropped=0)
        total = ResidualProducts.empty(int(kept.sum()))
        meter = Progress("rows in a refinement pass", enabled=progress)
        chunks = iter_chunks(data, chunksize, columns=again.used or None)
        for chunk, block, _ in again.blocks(prefetch(chunks)):
            x = np.ascontiguousarray(block[:, :-1][:, kept])
            total = total.merge(ResidualProducts.of_block(x, block[:, -1], coef_hi, coef_lo))
            meter.update(len(chunk.frame))
        meter.close()
        return total

    return read


@dataclass(frozen=True)
class ResidualState:
    """What every block of the second pass needs from the first-pass fit."""

    kept: NDArray[np.bool_]
    coef: Float
    bread: Float
    sigma2: float
    lags: int


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


def row_namer(chunk: Chunk, rows: NDArray[np.intp]) -> Callable[[int], str]:
    """Name row ``i`` of a block of complete rows by its file and row."""

    def name(i: int) -> str:
        return chunk.describe_row(int(rows[i]))

    return name


def block_sums(
    block: Float, label: Callable[[int], str], state: ResidualState, rng: np.random.Generator
) -> ResidualSums:
    """Second-pass sums of one ``[X | y]`` block."""
    x = block[:, :-1][:, state.kept]
    e = block[:, -1] - x @ state.coef
    return ResidualSums.from_block(x, e, state.bread, state.sigma2, state.lags, label, rng)


def with_second_pass(
    results: StreamedOLSResults, sums: ResidualSums, lags: int, seed: int
) -> StreamedOLSResults:
    """Attach the second pass (robust meats, MAE, residual diagnostics) to a fit."""
    meats, diagnostics = sums.finish(results.rank, results.design.intercept, lags, seed)
    assert results.totals is not None
    totals = FitTotals(results.n_obs, results.totals.ssr, results.totals.tss, sums.abs_sum, meats)
    return replace(results, totals=totals, diagnostics=diagnostics)


def stream_design(
    stream: BlockBuilder, variables: set[str], levels: Mapping[str, list[Any]], formula: str
) -> Design:
    """The data-free design of a streamed formula fit (names, terms, spec for predict)."""
    assert stream.spec is not None
    names = tuple(str(c) for c in stream.spec.column_names)
    terms = tuple(
        Term(str(t), tuple(int(i) for i in idx)) for t, idx in stream.spec.term_indices.items()
    )
    return Design(
        x=np.zeros((0, len(names))),
        y=np.zeros(0),
        column_names=names,
        response_name=str(stream.lhs_spec.column_names[0]),
        intercept=has_intercept(stream),
        terms=terms,
        spec=FormulaSpec(
            stream.spec, tuple(sorted(variables)), {k: set(v) for k, v in levels.items()}
        ),
        dropped_count=stream.n_dropped,
        formula=formula,
    )


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


@dataclass
class _Prepared:
    """A chunked source opened for folding: the block builder and where the rows come from."""

    stream: BlockBuilder
    files: list[Path] | None
    chunks: Iterator[Chunk] | None
    variables: set[str]
    levels: dict[str, list[Any]]
    formula: str
    columns: list[str]

    def design(self) -> Design:
        return stream_design(self.stream, self.variables, self.levels, self.formula)


def _prepare(
    formula: str,
    data: Any,
    chunksize: int,
    missing: str,
    levels: Mapping[str, Sequence[Any]] | None,
) -> _Prepared:
    """Parse the formula on the first rows, find categorical levels, build the block builder."""
    check_policy(missing)
    declared = dict(levels or {})
    files = parquet_files(data)
    chunks: Iterator[Chunk] | None = None
    head = parquet_head(files[0], 50) if files is not None else None
    if head is None or head.empty:
        files = None  # through pandas: an empty first file is skipped as before
        chunks = iter_chunks(data, chunksize)
        first = next(chunks, None)
        if first is None:
            raise InputError("the data has no rows")
        head = first.frame.head(50)
        chunks = itertools.chain([first], chunks)
    formula = expand_dot(formula, head.columns)  # R's "y ~ .": every other column
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise formula_error(formula, error) from None
    probe = model_matrix(parsed, head, na_action="ignore", context=FORMULA_CONTEXT)
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    categorical = categorical_columns(probe.rhs.model_spec, head, variables)
    undeclared = sorted(categorical - set(declared))
    if undeclared and not _reiterable(data):
        raise InputError(
            f"categorical column(s) {', '.join(map(repr, undeclared))} need their levels "
            f"declared, e.g. levels={{{undeclared[0]!r}: [...]}}, because a one-shot iterator "
            "cannot be read twice"
        )
    found = _collect_levels(data, chunksize, sorted(categorical), declared) if categorical else {}
    stream = BlockBuilder(parsed, formula, missing, found)
    if not found:
        stream.adopt_plain(probe, head)
    response = set(probe.lhs.model_spec.variables_by_source.get("data", set()))
    columns = sorted(variables | response)
    return _Prepared(stream, files, chunks, variables, found, formula, columns)


#: A streamed response whose sum of squares is below this (every value below ~2**-480)
#: has squares near float64's underflow, where they lose digits: it is refused.
_SMALLEST_RESPONSE_SS = 2.0**-960


def fold_stream(
    formula: str,
    data: Any,
    *,
    chunksize: int = 100_000,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    progress: bool | None = None,
) -> tuple[RFactor, BlockBuilder, Design]:
    """Fold a chunked source into the R factor of ``[X | y]``.

    Returns the factor, the block builder (model spec, levels, dropped-row count) and the
    data-free design of the model; see :func:`fit_streaming` for the parameters.
    """
    prepared = _prepare(formula, data, chunksize, missing, levels)
    meter = Progress("rows folded", enabled=progress)
    with one_blas_thread():
        factor = _fold(
            prepared.stream, data, prepared.files, prepared.chunks, chunksize, meter,
            prepared.columns,
        )  # fmt: skip
    meter.close()
    if factor is None:
        raise InputError("the data has no rows")
    design = prepared.design()
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
    return factor, prepared.stream, design


def fold_stream_in_folds(
    formula: str,
    data: Any,
    k: int,
    seed: int,
    *,
    chunksize: int = 100_000,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    progress: bool | None = None,
) -> tuple[list[RFactor], Float, Design]:
    """Fold a chunked source into ``k`` R factors, a row's fold a seeded hash of its position.

    The position counts every row of the source in order (dropped ones too), so the folds
    do not depend on ``chunksize``; see :func:`linmod.data.row_folds.fold_of_rows`.  With
    an intercept, every column but the intercept is shifted by its mean over the first
    non-empty block before folding: the factors then hold the centred cross-products to
    the accuracy of the data's spread, not of its offset.

    Returns
    -------
    (list of RFactor, ndarray, Design)
        One factor per fold (possibly of no rows), the shift subtracted from each column
        of ``[X | y]`` (zeros without an intercept) and the data-free design.
    """
    prepared = _prepare(formula, data, chunksize, missing, levels)
    chunks = prepared.chunks
    if chunks is None:  # a Parquet source: read only the columns the formula uses
        chunks = iter_chunks(data, chunksize, columns=prepared.columns)
    factors: list[RFactor] | None = None
    shift: Float | None = None
    offset = 0
    meter = Progress("rows folded", enabled=progress)
    with one_blas_thread():
        for chunk, block, keep in prepared.stream.blocks(prefetch(chunks)):
            if factors is None:
                factors = [RFactor.empty(block.shape[1] - 1) for _ in range(k)]
            if shift is None and block.shape[0]:
                shift = block_shift(block, has_intercept(prepared.stream))
            if shift is not None:
                block -= shift
            positions = offset + np.flatnonzero(keep)
            fold = fold_of_rows(positions, k, seed)
            for j in range(k):
                rows = block[fold == j]
                if rows.shape[0]:
                    factors[j] = factors[j].merge(RFactor.from_augmented(rows))
            offset += len(chunk.frame)
            meter.update(len(chunk.frame))
    meter.close()
    if factors is None or not offset:
        raise InputError("the data has no rows")
    if shift is None:  # every row dropped
        shift = np.zeros(factors[0].p + 1)
    return factors, shift, prepared.design()


def has_intercept(stream: BlockBuilder) -> bool:
    """Whether the stream's design starts with the intercept column."""
    names = stream.spec.column_names
    return bool(names) and names[0] == "Intercept"


def block_shift(block: Float, intercept: bool) -> Float:
    """Column means of an ``[X | y]`` block to subtract before folding (none for the
    intercept column, and none at all without an intercept, where a shift would change
    the model)."""
    if not intercept:
        return np.zeros(block.shape[1])
    shift = np.asarray(block.mean(axis=0), dtype=float)
    shift[0] = 0.0
    return shift


def _fold(
    stream: BlockBuilder,
    data: Any,
    files: list[Path] | None,
    chunks: Iterator[Chunk] | None,
    chunksize: int,
    meter: Progress,
    columns: list[str],
) -> RFactor | None:
    if (
        files is not None
        and stream.plain is not None
        and numeric_parquet_columns(files, stream.used)
    ):
        batches = prefetch(iter_batches(files, chunksize, columns=stream.used))
        return fold_batches(stream, batches, meter)
    if chunks is None:  # a Parquet source: read only the columns the formula uses
        chunks = iter_chunks(data, chunksize, columns=columns)
    factor = None
    for chunk, block, _ in stream.blocks(prefetch(chunks)):
        folded = RFactor.from_augmented(block)
        factor = folded if factor is None else factor.merge(folded)
        meter.update(len(chunk.frame))
    return factor


def fold_batches(
    stream: BlockBuilder, batches: Iterator[Batch], meter: Progress | None = None
) -> RFactor | None:
    """Fold Parquet record batches of a plain design into the R factor of ``[X | y]``.

    Each batch's columns are copied straight into one reusable block, a slice of
    :attr:`ColumnBlock.rows` rows at a time, and folded by :meth:`RFactor.from_blocks`
    (one Gram matrix per slice, which is also the finiteness check).  A batch with nulls
    or non-finite values goes through pandas and :meth:`BlockBuilder.blocks`, which
    applies the missing-value policy and names the row, so both paths drop, count and
    report the same rows.

    Parameters
    ----------
    stream : BlockBuilder
        With the plain spec adopted (``stream.plain`` set).
    batches : iterator of Batch
    meter : Progress, optional
        Counts the rows read.

    Returns
    -------
    RFactor or None
        None when there were no batches.
    """
    assert stream.plain is not None
    buffer = ColumnBlock(stream.plain)
    factor: RFactor | None = None
    for batch in batches:
        folded = _fold_batch(buffer, batch)
        if folded is None:  # nulls or non-finite values: pandas and the general path
            folded = RFactor.empty(len(stream.plain) - 1)
            for _, general, _ in stream.blocks(iter([batch.to_chunk()])):
                folded = RFactor.from_augmented(general)
        factor = folded if factor is None else factor.merge(folded)
        if meter is not None:
            meter.update(batch.batch.num_rows)
    return factor


def _fold_batch(buffer: ColumnBlock, batch: Batch) -> RFactor | None:
    """The R factor of one batch, slice by slice, or None if it needs the general path."""
    arrays = buffer.columns_of(batch.batch)
    if arrays is None:
        return None
    slices = (block for _, block in buffer.slices(arrays, batch.batch.num_rows))
    return RFactor.from_blocks(slices)
