"""Exact OLS for data larger than memory: one pass folding chunks into an R factor.

``linmod.ols(formula, data="big.parquet" | "big.csv" | [files] | iterator of frames,
chunksize=...)`` reads the data chunk by chunk, builds each chunk's design with the model
spec of the first chunk (categorical levels declared with ``levels=`` or found by a cheap
first pass over those columns only), folds ``[X | y]`` into a mergeable R factor and
solves it: the coefficients, standard errors, R², F, AIC and BIC equal the in-memory fit's
to rounding.  Peak memory is one chunk plus O(p²).

``second_pass=True`` reads the data once more for the statistics that need residuals:
HC0-HC3 and HAC covariances (the last ``lags`` score rows carried across chunks),
Durbin-Watson (the last residual carried), Breusch-Pagan (its auxiliary regression folded
into a second R factor), Jarque-Bera from the residual moments, the largest Cook's
distances, and Shapiro-Wilk on a seeded reservoir sample (the only sample-based number).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from numpy.typing import NDArray
from scipy import stats

from linmod.data.chunks import Chunk, iter_chunks, prefetch
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import FormulaSpec, coded_variables
from linmod.data.missing import check_policy
from linmod.exceptions import InputError
from linmod.inference.covariance import default_hac_lags
from linmod.inference.results import FitTotals, OLSResults
from linmod.linalg.tsqr import RFactor
from linmod.models.conditioning import report_conditioning
from linmod.solvers.base import SolverResult
from linmod.solvers.factor import solve_factor

__all__ = ["SHAPIRO_SAMPLE_SIZE", "StreamDiagnostics", "fit_streaming"]

Float = NDArray[np.float64]

#: Residuals kept (uniformly at random, seeded) for the Shapiro-Wilk test of a streamed fit.
SHAPIRO_SAMPLE_SIZE = 5000
_TOP_COOKS = 10


@dataclass(frozen=True)
class StreamDiagnostics:
    """Residual-based statistics from the second pass of a streamed fit.

    Attributes
    ----------
    durbin_watson : float
        ``sum((e_t - e_{t-1})**2) / sum(e_t**2)`` over the whole stream, in file order.
    breusch_pagan : tuple of (statistic, df, p_value)
        Koenker's studentized form: ``n R²`` of ``e²`` regressed on the design.
    jarque_bera : tuple of (statistic, p_value, skewness, excess_kurtosis)
    shapiro_wilk : tuple of (statistic, p_value, sample_size, seed)
        On a uniform reservoir sample of the residuals (sample-based: not exact).
    largest_cooks : DataFrame
        The largest Cook's distances with their source row, leverage and residual.
    """

    durbin_watson: float
    breusch_pagan: tuple[float, int, float]
    jarque_bera: tuple[float, float, float, float]
    shapiro_wilk: tuple[float, float, int, int]
    largest_cooks: pd.DataFrame = field(repr=False)


def _categorical_columns(spec: Any, frame: pd.DataFrame, variables: set[str]) -> set[str]:
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
class _Stream:
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


class _SecondPass:
    """Accumulates residual-based statistics chunk by chunk."""

    def __init__(self, coef: Float, bread: Float, sigma2: float, lags: int, seed: int) -> None:
        k = coef.shape[0]
        self.coef, self.bread, self.sigma2, self.lags = coef, bread, sigma2, lags
        self.meats = {kind: np.zeros((k, k)) for kind in ("HC0", "HC2", "HC3")}
        self.hac = np.zeros((k, k))
        self.carry = np.zeros((0, k))
        self.last_residual: float | None = None
        self.dw_numerator = 0.0
        self.moments = np.zeros(5)  # count, sum e, e², e³, e⁴ (raw)
        self.abs_sum = 0.0
        self.auxiliary: RFactor | None = None
        self.rng = np.random.default_rng(seed)
        self.seed = seed
        self.sample: list[float] = []
        self.seen = 0
        self.cooks: list[tuple[float, str, float, float]] = []

    def add(self, chunk: Chunk, x: Float, y: Float, rows: NDArray[np.intp]) -> None:
        e = y - x @ self.coef
        h = np.einsum("ij,jk,ik->i", x, self.bread, x)
        scores = x * e[:, None]
        for kind, weight in (("HC0", 1.0), ("HC2", 1.0 / (1.0 - h)), ("HC3", 1.0 / (1.0 - h) ** 2)):
            self.meats[kind] += (x * (e**2 * weight)[:, None]).T @ x
        window = np.vstack([self.carry, scores])
        c = self.carry.shape[0]
        self.hac += scores.T @ scores
        for lag in range(1, self.lags + 1):
            start = max(c, lag)
            if start < window.shape[0]:
                cross = window[start:].T @ window[start - lag : window.shape[0] - lag]
                self.hac += (1.0 - lag / (self.lags + 1.0)) * (cross + cross.T)
        self.carry = window[-self.lags :] if self.lags else self.carry
        previous = [] if self.last_residual is None else [self.last_residual]
        self.dw_numerator += float(np.sum(np.diff(np.concatenate([previous, e])) ** 2))
        if e.size:
            self.last_residual = float(e[-1])
        self.moments += [e.size, e.sum(), (e**2).sum(), (e**3).sum(), (e**4).sum()]
        self.abs_sum += float(np.abs(e).sum())
        block = RFactor.from_block(x, e**2)
        self.auxiliary = block if self.auxiliary is None else self.auxiliary.merge(block)
        self._reservoir(e)
        cooks = e**2 * h / (x.shape[1] * self.sigma2 * (1.0 - h) ** 2)
        for i in np.argsort(cooks)[-_TOP_COOKS:]:
            item = (float(cooks[i]), chunk.describe_row(int(rows[i])), float(h[i]), float(e[i]))
            heapq.heappush(self.cooks, item)
            if len(self.cooks) > _TOP_COOKS:
                heapq.heappop(self.cooks)

    def _reservoir(self, e: Float) -> None:
        """Algorithm R, vectorised over the chunk (later rows win a shared slot, as in order)."""
        room = SHAPIRO_SAMPLE_SIZE - len(self.sample)
        if room > 0:
            self.sample.extend(e[:room].tolist())
            self.seen += min(room, e.size)
            e = e[room:]
        if e.size == 0:
            return
        positions = self.seen + 1 + np.arange(e.size)
        slots = self.rng.integers(0, positions)
        chosen = slots < SHAPIRO_SAMPLE_SIZE
        sample = np.asarray(self.sample)
        sample[slots[chosen]] = e[chosen]
        self.sample = sample.tolist()
        self.seen += e.size

    def finish(self, n: int, k: int, intercept: bool) -> tuple[dict[str, Float], StreamDiagnostics]:
        meats = dict(self.meats)
        meats["HC1"] = self.meats["HC0"] * n / (n - k)
        meats[f"HAC({self.lags})"] = self.hac
        count, s1, s2, s3, s4 = self.moments
        mean = s1 / count
        m2 = s2 / count - mean**2
        m3 = s3 / count - 3 * mean * s2 / count + 2 * mean**3
        m4 = s4 / count - 4 * mean * s3 / count + 6 * mean**2 * s2 / count - 3 * mean**4
        skew, kurt = m3 / m2**1.5, m4 / m2**2
        jb = n / 6.0 * (skew**2 + (kurt - 3.0) ** 2 / 4.0)
        assert self.auxiliary is not None
        aux = solve_factor(self.auxiliary)
        aux_tss = self.auxiliary.y_centred_ss
        bp = n * (1.0 - aux.ssr / aux_tss) if aux_tss > 0 else 0.0
        bp_df = aux.rank - int(intercept)
        sw = stats.shapiro(np.asarray(self.sample)) if len(self.sample) >= 3 else (np.nan, np.nan)
        cooks = pd.DataFrame(
            sorted(self.cooks, reverse=True),
            columns=["cooks_distance", "row", "leverage", "residual"],
        ).set_index("row")
        return meats, StreamDiagnostics(
            durbin_watson=self.dw_numerator / s2,
            breusch_pagan=(float(bp), bp_df, float(stats.chi2.sf(bp, bp_df))),
            jarque_bera=(float(jb), float(stats.chi2.sf(jb, 2)), float(skew), float(kurt - 3.0)),
            shapiro_wilk=(float(sw[0]), float(sw[1]), len(self.sample), self.seed),
            largest_cooks=cooks,
        )


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

    Returns
    -------
    StreamedOLSResults
    """
    check_policy(missing)
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise InputError(f"formula {formula!r} cannot be parsed: {error}") from None
    reusable = _reiterable(data)
    if second_pass and not reusable:
        raise InputError(
            "second_pass=True reads the data twice, which a one-shot iterator cannot do; "
            "pass file paths (or a list of frames) instead"
        )
    declared = dict(levels or {})
    chunks = iter_chunks(data, chunksize)
    first = next(chunks, None)
    if first is None:
        raise InputError("the data has no rows")
    probe = model_matrix(parsed, first.frame.head(50), na_action="ignore", context=FORMULA_CONTEXT)
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    categorical = _categorical_columns(probe.rhs.model_spec, first.frame, variables)
    undeclared = sorted(categorical - set(declared))
    if undeclared and not reusable:
        raise InputError(
            f"categorical column(s) {', '.join(map(repr, undeclared))} need their levels "
            f"declared, e.g. levels={{{undeclared[0]!r}: [...]}}, because a one-shot iterator "
            "cannot be read twice"
        )
    found = _collect_levels(data, chunksize, sorted(categorical), declared) if categorical else {}
    stream = _Stream(parsed, formula, missing, found)
    chunk_source = prefetch(itertools.chain([first], chunks))
    factor: RFactor | None = None
    for _, block, _ in stream.blocks(chunk_source):
        folded = RFactor.from_augmented(block)
        factor = folded if factor is None else factor.merge(folded)
    assert factor is not None
    assert stream.spec is not None
    names = tuple(str(c) for c in stream.spec.column_names)
    n, p = factor.n, len(names)
    intercept = bool(names and names[0] == "Intercept")
    if n < p:
        raise InputError(
            f"{n} complete rows but {p} parameters: least squares needs at least as many "
            "rows as parameters; drop terms or use a regularised fit (Ridge or Lasso)"
        )
    tss = factor.y_centred_ss if intercept else factor.y_ss
    if factor.y_centred_ss == 0.0:
        raise InputError(f"the response {str(parsed.lhs)!r} is constant; R² is undefined")
    solved = solve_factor(factor)
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
        notes=(f"streamed in chunks of {chunksize} rows: one R factor of [X | y] (TSQR)",),
    )
    terms = tuple(
        Term(str(t), tuple(int(i) for i in idx)) for t, idx in stream.spec.term_indices.items()
    )
    design = Design(
        x=np.zeros((0, p)),
        y=np.zeros(0),
        column_names=names,
        response_name=str(stream.lhs_spec.column_names[0]),
        intercept=intercept,
        terms=terms,
        spec=FormulaSpec(
            stream.spec, tuple(sorted(variables)), {k: set(v) for k, v in found.items()}
        ),
        dropped_count=stream.n_dropped,
        formula=formula,
    )
    report_conditioning(design, solution, "drop")
    totals = FitTotals(n_obs=n, ssr=solved.ssr, tss=tss)
    diagnostics = None
    if second_pass:
        kept = ~solved.aliased
        df_resid = n - solved.rank
        lags = default_hac_lags(n) if hac_lags is None else hac_lags
        if not isinstance(lags, (int, np.integer)) or not 0 <= lags < n:
            raise InputError(f"hac_lags={hac_lags!r} must be an integer in [0, {n - 1}]")
        accumulator = _SecondPass(
            solved.coef[kept],
            solved.cov_unscaled[np.ix_(kept, kept)],
            solved.ssr / df_resid,
            int(lags),
            seed,
        )
        again = _Stream(
            parsed,
            formula,
            missing,
            found,
            stream.spec,
            stream.lhs_spec,
            stream.used,
            plain=stream.plain,
        )
        for chunk, block, keep in again.blocks(prefetch(iter_chunks(data, chunksize))):
            accumulator.add(chunk, block[:, :-1][:, kept], block[:, -1], np.flatnonzero(keep))
        meats, diagnostics = accumulator.finish(n, solved.rank, intercept)
        totals = FitTotals(n, solved.ssr, tss, accumulator.abs_sum, meats)
    return StreamedOLSResults(
        design=design, solution=solution, solver="tsqr", totals=totals, diagnostics=diagnostics
    )
