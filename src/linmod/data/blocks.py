"""Chunks of a table turned into ``[X | y]`` blocks under one model spec.

The data half of out-of-core fitting: a chunk (a slice of a file, a frame from an
iterator, a Dask partition) becomes the block of its complete rows, built with the model
spec of the whole source, so every block has the same columns.  Categorical levels are
declared (``levels=``) or found by a cheap first pass over those columns only; designs of
the intercept and numeric columns skip formulaic (:func:`_plain_columns`).  What is done
with the blocks (folded into R factors, residual sums) is :mod:`linmod.outofcore`'s.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from numpy.typing import NDArray

from linmod.data.chunk_encoding import (
    bool_columns,
    categorical_columns,
    collect_levels,
    encode_columns,
)
from linmod.data.chunk_weights import (
    StreamWeights,
    check_weights_column,
    chunk_weights,
    without_weights,
)
from linmod.data.chunks import Chunk, iter_chunks, parquet_files, parquet_head, untyped_columns
from linmod.data.column_screening import factor_columns, screen_levels
from linmod.data.column_types import check_response_not_predictor, formula_frame
from linmod.data.column_values import has_intercept as has_intercept_term
from linmod.data.column_values import refuse_single_levels, single_levels
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import (
    FormulaSpec,
    check_right_hand_side,
    coded_variables,
    expand_dot,
    formula_error,
)
from linmod.data.formula import _materialize as materialize
from linmod.data.formula_hints import r_function_hint
from linmod.data.missing import check_policy
from linmod.data.numeric_text import StrayWords, TextTally
from linmod.data.polynomial import r_column_names
from linmod.data.source_screening import identifier_tallies, late_dot_exclusions, typed_as_text
from linmod.data.term_names import right_side
from linmod.exceptions import InputError

__all__ = [
    "BlockBuilder",
    "PreparedSource",
    "block_shift",
    "categorical_columns",
    "has_intercept",
    "is_reiterable",
    "prepare_source",
    "row_namer",
    "stream_design",
]

Float = NDArray[np.float64]


_Block = tuple[Chunk, Float, NDArray[np.bool_]]
_WeightedBlock = tuple[Chunk, Float, NDArray[np.bool_], Float | None, int]


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
    flags: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    weights: StreamWeights | None = None
    words: dict[str, tuple[list[Any], int]] = field(default_factory=dict)

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
        """Each chunk with the ``[X | y]`` block of its rows in the fit and which they are."""
        for chunk, block, keep, _, _ in self.weighted_blocks(chunks):
            yield chunk, block, keep

    def weighted_blocks(self, chunks: Iterator[Chunk]) -> Iterator[_WeightedBlock]:
        """As :meth:`blocks`, with the weights of the block's rows (None without weights)
        and the number of the chunk's rows dropped for a zero weight."""
        for chunk in chunks:
            try:
                frame = encode_columns(
                    chunk.frame, chunk.describe_row, self.levels, self.flags, self.numbers,
                    self.words,
                )  # fmt: skip
            except StrayWords as error:  # the advice lists the words of every chunk
                raise error.survey.read_on(chunks).error() from None
            frame = formula_frame(frame, self.formula)
            if self.spec is None:
                try:
                    matrices = model_matrix(
                        self.formula, frame, na_action="ignore", context=FORMULA_CONTEXT
                    )
                except FormulaicError as error:
                    raise InputError(
                        f"cannot use formula {self.text!r}: {error}{r_function_hint(self.text)}"
                    ) from None
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
            zero = np.zeros(len(frame), dtype=bool)
            values: Float | None = None
            if self.weights is not None:  # read from the chunk: not a column of the model
                values = chunk_weights(chunk.frame, self.weights, self.missing, chunk.describe_row)
                incomplete |= np.isnan(values)  # missing="drop" (else refused just above)
                zero = ~incomplete & (values == 0)
            keep = ~incomplete & ~zero
            block = self._block(frame, keep)
            finite = np.isfinite(block).all(axis=1)
            if not finite.all():
                position = int(np.flatnonzero(keep)[np.flatnonzero(~finite)[0]])
                raise InputError(
                    f"{chunk.describe_row(position)}: a term or the response is not finite "
                    "(infinite data, or e.g. log of zero)"
                )
            self.n_dropped += int(incomplete.sum())
            weights = None if values is None else np.ascontiguousarray(values[keep])
            yield chunk, block, keep, weights, int(zero.sum())

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
        with np.errstate(all="ignore"), warnings.catch_warnings():
            # a missing category (the rows are left out by ``keep``) is not a new level:
            # those are refused by the encoding, with their row
            warnings.filterwarnings("ignore", r"(?s).*not seen in original dataset\): \{nan\}")
            x = self.spec.get_model_matrix(
                frame, context=FORMULA_CONTEXT, na_action="ignore", output="numpy"
            )
            y = self.lhs_spec.get_model_matrix(
                frame, context=FORMULA_CONTEXT, na_action="ignore", output="numpy"
            )
        block[:, :-1] = np.asarray(x, dtype=float)[keep]
        block[:, -1] = np.asarray(y, dtype=float)[keep, 0]
        return block


def _describe(data: Any) -> str:
    """The data's name in messages: its file(s), or "the data"."""
    if isinstance(data, (str, bytes)) or hasattr(data, "__fspath__"):
        return str(data)
    if (
        isinstance(data, Sequence)
        and data
        and all(hasattr(p, "__fspath__") or isinstance(p, str) for p in data)
    ):
        return ", ".join(map(str, data))
    return "the data"


def row_namer(chunk: Chunk, rows: NDArray[np.intp]) -> Callable[[int], str]:
    """Name row ``i`` of a block of complete rows by its file and row."""

    def name(i: int) -> str:
        return chunk.describe_row(int(rows[i]))

    return name


def stream_design(
    stream: BlockBuilder, variables: set[str], levels: Mapping[str, list[Any]], formula: str
) -> Design:
    """The data-free design of a streamed formula fit (names, terms, spec for predict)."""
    assert stream.spec is not None
    names = r_column_names(
        tuple(str(c) for c in stream.spec.column_names), stream.spec.term_indices
    )
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
        spec=FormulaSpec(  # True/False columns are checked at predict as in memory
            stream.spec,
            tuple(sorted(variables)),
            {c: {False, True} for c in stream.flags} | {k: set(v) for k, v in levels.items()},
        ),
        dropped_count=stream.n_dropped,
        formula=formula,
    )


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


def is_reiterable(data: Any) -> bool:
    """Whether ``data`` can be read more than once (paths and sequences; not iterators)."""
    return (
        isinstance(data, (str, bytes)) or hasattr(data, "__fspath__") or isinstance(data, Sequence)
    )


@dataclass
class PreparedSource:
    """A chunked source opened for folding: the block builder and where the rows come from."""

    stream: BlockBuilder
    files: Sequence[Path] | None
    chunks: Iterator[Chunk] | None
    variables: set[str]
    levels: dict[str, list[Any]]
    formula: str
    columns: list[str]

    def design(self) -> Design:
        return stream_design(self.stream, self.variables, self.levels, self.formula)


def _parquet_first_chunk(
    files: Sequence[Path] | None, formula: str, chunksize: int
) -> pd.DataFrame | None:
    """The first ``chunksize`` rows of the first Parquet file, read only for a ``.``."""
    if files is None or "." not in right_side(formula):
        return None
    return parquet_head(files[0], chunksize)


#: The levels a levels pass found, its word and number counts, and the columns it found
#: a missing value in.
_Counted = tuple[dict[str, list[Any]], TextTally, set[str]]


def prepare_source(
    formula: str,
    data: Any,
    chunksize: int,
    missing: str,
    levels: Mapping[str, Sequence[Any]] | None,
    weights: StreamWeights | None = None,
    counted: _Counted | None = None,
) -> PreparedSource:
    """Parse the formula on the first rows, find categorical levels, build the block builder.

    ``weights`` names the weights column: read with every chunk, left out of ``.``.
    ``counted``: what the levels pass of a first try found (its columns include this
    formula's), when ``.`` is expanded again without the columns that pass left out.
    """
    check_policy(missing)
    declared = dict(levels or {})
    files = parquet_files(data)
    chunks: Iterator[Chunk] | None = None
    first_rows: pd.DataFrame | None = None
    head = parquet_head(files[0], 50) if files is not None else None
    if head is None or head.empty:
        files = None  # through pandas: an empty first file is skipped as before
        chunks = iter_chunks(data, chunksize)
        first = next((chunk for chunk in chunks if len(chunk.frame)), None)
        if first is None:
            raise InputError(f"{_describe(data)} has no rows (at most a header)")
        head, first_rows = first.frame.head(50), first.frame
        chunks = itertools.chain([first], chunks)
    # R's "y ~ .": every other column, less those the first chunk shows for sure must go;
    # what the counts of the whole source decide, they decide (data/source_screening.py)
    if chunks is None:
        first_rows = _parquet_first_chunk(files, formula, chunksize)
    check_weights_column(weights, head.columns, _describe(data))
    dot_columns = without_weights(head.columns, weights)
    reiterable = is_reiterable(data)  # then the whole source decides what counts decide
    given = formula
    formula = expand_dot(formula, dot_columns, first_rows, whole=False, later=reiterable)
    all_columns = [str(c) for c in head.columns]
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise formula_error(formula, error) from None
    check_right_hand_side(parsed, formula)
    head = formula_frame(head, parsed)  # the dtypes every chunk's design is built with
    probe = materialize(parsed, formula, head)
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    response = set(probe.lhs.model_spec.variables_by_source.get("data", set()))
    check_response_not_predictor(response, variables)
    categorical = categorical_columns(probe.rhs.model_spec, head, variables)
    flags = sorted(bool_columns(probe.rhs.model_spec, head, variables))
    exempt = coded_variables(probe.rhs.model_spec) | set(declared)
    tally = TextTally()
    if not reiterable:  # read once: the first rows decide
        tally.add(head, categorical)
        categorical -= set(tally.mostly_numbers(exempt))
    undeclared = sorted(categorical - set(declared))
    if undeclared and not reiterable:
        raise InputError(
            f"categorical column(s) {', '.join(map(repr, undeclared))} need their levels "
            f"declared, e.g. levels={{{undeclared[0]!r}: [...]}}, because a one-shot iterator "
            "cannot be read twice"
        )
    plain, coded = factor_columns(parsed.rhs, head.columns)
    dotted = sorted(plain - exempt - response) if given != formula else []
    # a column with no value in the first chunk has no type yet: the levels pass gives it
    untyped: set[str] = set()
    if reiterable and files is None and first_rows is not None:  # pandas chose its type
        untyped = untyped_columns(first_rows[sorted(variables - categorical - set(flags))])
    identifiers = identifier_tallies(head, set(dotted) - categorical) if reiterable else {}
    incomplete: set[str] = set()
    found: dict[str, list[Any]] = {}
    if counted is not None:  # the columns were counted: '.' lost some of them since
        seen, tally, incomplete = counted
        found = {c: v for c, v in seen.items() if c in categorical | untyped | set(declared)}
    elif categorical or untyped or identifiers:
        read = sorted(categorical | untyped)
        found = collect_levels(data, chunksize, read, declared, tally, incomplete, identifiers)
    passed: _Counted = (found, tally, incomplete)
    text = typed_as_text(untyped, tally)  # text after the first chunk: a text column
    found = {c: v for c, v in found.items() if c not in untyped - text}
    # Numbers with a stray word are refused, with the word's row, as the data is folded.
    stray = set(tally.mostly_numbers(exempt))
    found = {c: v for c, v in found.items() if c not in stray}
    # text with one value over the whole source (not the first chunk: it may vary later)
    singles = single_levels({c: v for c, v in found.items() if c not in declared}, incomplete)
    if dotted:  # a column '.' put in that the whole source shows '.' must leave out
        late = late_dot_exclusions(
            found, tally.counts(), singles, identifiers, dotted,
            intercept=has_intercept_term(parsed.rhs),
        )  # fmt: skip
        if late:  # again, '.' expanded to the columns kept (no second warning for the rest)
            kept = [c for c in all_columns if c in variables | response and c not in late]
            retry = expand_dot(given, kept)
            return prepare_source(retry, data, chunksize, missing, levels, weights, passed)
    refuse_single_levels(parsed.rhs, coded, singles)
    screen_levels(
        {c: v for c, v in found.items() if c not in declared}, tally.counts(), plain - exempt
    )
    numbers = sorted((variables | response) - set(found) - set(flags))
    stream = BlockBuilder(
        parsed, formula, missing, found, flags=flags, numbers=numbers, weights=weights
    )
    if not found:
        stream.adopt_plain(probe, head)
    columns = sorted(variables | response | ({weights.column} if weights else set()))
    if chunks is not None and is_reiterable(data) and set(all_columns) - set(columns):
        # Read again with only the model's columns: a stray word in a column the model does
        # not use (checked chunk against chunk when every column is read) is not its concern,
        # and the columns it does not use are not read.
        chunks = None
    return PreparedSource(stream, files, chunks, variables, found, formula, columns)
