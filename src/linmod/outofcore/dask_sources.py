"""Dask DataFrames and arrays as block sources (``pip install 'linmod[dask]'``).

A block function runs on the workers, one partition (or row block of the arrays) a task,
and the partial results are merged pairwise in partition order, a tree of depth
``log2(partitions)``; only the results (R factors, O(p²) each; residual sums) travel to
the client.  The model spec is built on the client from the first rows, so every
partition is encoded alike.  Dask is imported only here, and only when used; the same
code runs on a multi-node cluster once a ``dask.distributed.Client`` is connected.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from numpy.typing import NDArray

from linmod.data.arrays import ArraySpec
from linmod.data.blocks import BlockBuilder, has_intercept, row_namer, stream_design
from linmod.data.chunk_encoding import bool_columns, categorical_columns, levels_seen
from linmod.data.chunk_weights import StreamWeights, check_weights_column, without_weights
from linmod.data.chunks import Chunk
from linmod.data.column_screening import factor_columns, screen_levels
from linmod.data.column_types import check_response_not_predictor, formula_frame
from linmod.data.column_values import has_intercept as has_intercept_term
from linmod.data.column_values import refuse_single_levels, single_levels
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import check_right_hand_side, coded_variables, expand_dot, formula_error
from linmod.data.formula_hints import r_function_hint
from linmod.data.missing import check_policy
from linmod.data.numeric_text import TextTally, is_text
from linmod.data.row_identifiers import IdentifierTally
from linmod.data.source_screening import identifier_tallies, late_dot_exclusions
from linmod.data.term_names import right_side
from linmod.exceptions import InputError, LinmodError
from linmod.outofcore.cluster import check_timeout, compute
from linmod.outofcore.dask_input import check_formula_columns, read_table
from linmod.outofcore.sources import BlockSource, BlockView, Merge, merge_skipping_none

__all__ = ["DaskArraySource", "DaskFrameSource", "dask_module", "open_dask_frame", "read_parquet"]

Float = NDArray[np.float64]
T = TypeVar("T")

_HINT = "pip install 'linmod[dask]'"


def dask_module() -> Any:
    """Import dask, or say how to install it."""
    try:
        import dask
    except ImportError as error:  # pragma: no cover - dask is a test dependency
        raise LinmodError(f"Dask support needs dask: {_HINT}") from error
    return dask


def read_parquet(path: Any) -> Any:
    """Open a path as a Dask DataFrame (``engine="dask"``): Parquet, or CSV/TSV by suffix.

    See :func:`linmod.outofcore.dask_input.read_table`.
    """
    dask_module()
    return read_table(path)


#: Values (rows x design columns) in one row block of a partition: a partition is read
#: in blocks of about 4 MB of design, so the temporaries of every statistic (the
#: residual sums above all) stay a small multiple of that, not of the partition.
ROW_BLOCK_VALUES = 1 << 19


def block_rows(width: int) -> int:
    """Rows of a row block ``width`` values wide (at least 4 widths: merges stay cheap)."""
    return max(4 * width, ROW_BLOCK_VALUES // width)


#: Salts of the merges of row blocks within a task, apart from those of the tree.
_ROW_SALT = 1 << 40


def tree_reduce(items: list[Any], combine: Merge) -> Any:
    """Pairwise, order-preserving reduction of delayed items (depth log2(len))."""
    dask = dask_module()
    level = 0
    while len(items) > 1:
        paired = [
            dask.delayed(combine)(items[i], items[i + 1], level * 100_003 + i)
            if i + 1 < len(items)
            else items[i]
            for i in range(0, len(items), 2)
        ]
        items, level = paired, level + 1
    return items[0]


class _DaskSource(BlockSource):
    """Shared map-reduce of the Dask sources: a task per part, a tree of merges.

    The task is a module-level function of the part, its index, a small picklable
    context (the block builder, or whether to add an intercept) and the block function,
    so nothing but those travels to the workers.
    """

    parallel = True
    reiterable = True
    parts: list[Any]
    context: Any
    timeout: float

    @staticmethod
    def views(part: Any, index: int, context: Any) -> Iterator[BlockView]:
        """The row blocks of one part (run on a worker)."""
        raise NotImplementedError

    @classmethod
    def task(
        cls,
        part: Any,
        index: int,
        context: Any,
        per_block: Callable[[BlockView], Any],
        merge: Merge,
    ) -> Any:
        """Apply ``per_block`` to each row block of a part and merge them in order."""
        total = None
        for piece, view in enumerate(cls.views(part, index, context)):
            total = merge(total, per_block(view), _ROW_SALT + (index << 20) + piece)
        return total

    def map_reduce(
        self, per_block: Callable[[BlockView], T | None], merge: Merge, *, what: str
    ) -> T | None:
        dask = dask_module()
        merged = merge_skipping_none(merge)
        task = dask.delayed(type(self).task)
        mapped = [
            task(part, index, self.context, per_block, merged)
            for index, part in enumerate(self.parts)
        ]
        if not mapped:
            return None
        result: T | None = compute(tree_reduce(mapped, merged), timeout=self.timeout)[0]
        return result


# --------------------------------------------------------------------------- frames
def _part_tallies(frame: pd.DataFrame, columns: list[str]) -> dict[str, IdentifierTally]:
    """The identifier statistics of one partition's columns (run on a worker)."""
    return {c: IdentifierTally.of(frame[c]) for c in columns}


def _levels(
    ddf: Any,
    columns: list[str],
    declared: Mapping[str, Sequence[Any]],
    tally: TextTally,
    timeout: float,
    incomplete: set[str],
    identifiers: dict[str, IdentifierTally],
) -> dict:
    """The levels of the undeclared categorical columns (one pass over them), counting
    words and numbers; columns with a missing value are added to ``incomplete``.  The
    same pass folds every partition's ``identifiers`` columns into their tallies."""
    missing = [c for c in columns if c not in declared]
    counts = [ddf[c].value_counts(dropna=True) for c in missing]
    holes = [ddf[c].isna().any() for c in missing]
    names = sorted(identifiers)
    task = dask_module().delayed(_part_tallies)
    parts = [task(part, names) for part in ddf[names].to_delayed()] if names else []
    computed = compute(*counts, *holes, *parts, timeout=timeout) if missing or parts else ()
    found, gaps = computed[: len(missing)], computed[len(missing) : 2 * len(missing)]
    for part in computed[2 * len(missing) :]:
        for column, part_tally in part.items():
            identifiers[column] = identifiers[column].merge(part_tally)
    incomplete.update(c for c, gap in zip(missing, gaps, strict=True) if gap)
    levels = {c: list(v) for c, v in declared.items()}
    for column, counted in zip(missing, found, strict=True):
        levels[column] = levels_seen([counted])
        if is_text(ddf[column].head(0)):
            tally.add_counts(column, counted)
    return levels


def _head(ddf: Any, timeout: float) -> pd.DataFrame:
    """The first 50 rows (from as many partitions as needed)."""
    head: pd.DataFrame = compute(ddf.head(50, npartitions=-1, compute=False), timeout=timeout)[0]
    return head


def _first_partition(ddf: Any, formula: str, timeout: float) -> pd.DataFrame | None:
    """The first partition, computed only for a formula with a ``.`` to screen."""
    if "." not in right_side(formula) or ddf.npartitions == 0:
        return None
    first: pd.DataFrame = compute(ddf.get_partition(0), timeout=timeout)[0]
    return first


class DaskFrameSource(_DaskSource):
    """A Dask DataFrame, a formula's blocks built partition by partition on the workers."""

    def __init__(
        self,
        ddf: Any,
        stream: BlockBuilder,
        variables: set[str],
        levels: dict[str, list[Any]],
        formula: str,
        timeout: float,
    ) -> None:
        self.ddf = ddf
        self.timeout = timeout
        self.stream = stream
        self.variables = variables
        self.levels = levels
        self.formula = formula
        self.parts = list(ddf.to_delayed())
        self.context = stream
        self.weights = stream.weights
        self.description = f"Dask: {len(self.parts)} partitions"

    @property
    def intercept(self) -> bool:
        return has_intercept(self.stream)

    @staticmethod
    def views(frame: pd.DataFrame, index: int, stream: BlockBuilder) -> Iterator[BlockView]:
        """Partition ``index``'s blocks, a row block at a time (on a worker)."""
        local = replace(stream, n_dropped=0)
        rows = block_rows(len(stream.spec.column_names) + 1)
        chunks = (
            Chunk(
                frame.iloc[start : start + rows].reset_index(drop=True), f"partition {index}", start
            )
            for start in range(0, max(len(frame), 1), rows)
        )
        for chunk, block, keep, weights, zero in local.weighted_blocks(chunks):
            kept = np.flatnonzero(keep)
            positions = chunk.first_row + kept  # within the partition, as the fold hash wants
            label = row_namer(chunk, kept)
            yield BlockView(block, keep, index, positions, index + 1, label, weights, zero)

    def design(self, n_dropped: int) -> Design:
        stream = replace(self.stream, n_dropped=n_dropped)
        return stream_design(stream, self.variables, self.levels, self.formula)

    def head_block(self) -> Float | None:
        first = Chunk(_head(self.ddf, self.timeout), "the Dask DataFrame", 0)
        for _, block, _ in replace(self.stream, n_dropped=0).blocks(iter([first])):
            return block
        return None


def open_dask_frame(
    formula: str,
    ddf: Any,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    timeout: float | None = None,
    weights: StreamWeights | None = None,
    counted: tuple[dict[str, list[Any]], TextTally, set[str]] | None = None,
) -> DaskFrameSource:
    """Build the model spec on the client and open ``ddf`` as a :class:`DaskFrameSource`.

    Categorical levels not declared in ``levels`` are found with one ``value_counts()``
    pass over those columns (which also finds words in numeric-looking columns).
    ``timeout`` is the number of seconds to wait while a ``dask.distributed`` cluster has
    no workers (None: 60 s, see :mod:`linmod.outofcore.cluster`).  ``weights`` names a
    weights column of ``ddf``, read with every partition (not a predictor: ``.`` omits it).
    ``counted`` (internal): the levels, word counts and incomplete columns a first try
    found, when ``.`` is expanded again without the columns they showed it must leave out.
    """
    seconds = check_timeout(timeout)
    check_policy(missing)
    check_weights_column(weights, ddf.columns, "the Dask DataFrame")
    # R's "y ~ .": every other column, less those the first partition shows for sure must
    # go; what the counts of every partition decide, they decide (data/source_screening.py)
    dot_columns = without_weights(ddf.columns, weights)
    first = _first_partition(ddf, formula, seconds)
    given, formula = formula, expand_dot(formula, dot_columns, first, whole=False, later=True)
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise formula_error(formula, error) from None
    check_right_hand_side(parsed, formula)
    check_formula_columns(parsed, ddf.columns)  # before anything is computed
    head = _head(ddf, seconds)
    if len(head) == 0:
        raise InputError("the Dask DataFrame has no rows")
    head = formula_frame(head, parsed)  # the dtypes every partition's design is built with
    try:
        probe = model_matrix(parsed, head, na_action="ignore", context=FORMULA_CONTEXT)
    except FormulaicError as error:
        raise InputError(
            f"cannot use formula {formula!r}: {error}{r_function_hint(formula)}"
        ) from None
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    response = set(probe.lhs.model_spec.variables_by_source.get("data", set()))
    check_response_not_predictor(response, variables)
    categorical = sorted(categorical_columns(probe.rhs.model_spec, head, variables))
    declared = dict(levels or {})
    exempt = coded_variables(probe.rhs.model_spec) | set(declared)
    plain, coded = factor_columns(parsed.rhs, head.columns)
    # the columns '.' put in: the counts of every partition decide what counts decide
    dotted = sorted(plain - exempt - response) if given != formula else []
    identifiers = identifier_tallies(head, set(dotted) - set(categorical))
    tally, incomplete = TextTally(), set[str]()
    found: dict[str, list[Any]] = {}
    if counted is not None:  # the columns were counted: '.' lost some of them since
        seen, tally, incomplete = counted
        found = {c: v for c, v in seen.items() if c in set(categorical) | set(declared)}
    elif categorical or identifiers:
        found = _levels(ddf, categorical, declared, tally, seconds, incomplete, identifiers)
    passed = (found, tally, incomplete)
    # Numbers with a stray word: refused, with the word's partition and row, when folded.
    stray = set(tally.mostly_numbers(exempt))
    found = {c: v for c, v in found.items() if c not in stray}
    # text with one value in every partition: '.' leaves it out, a named term is refused
    singles = single_levels({c: v for c, v in found.items() if c not in declared}, incomplete)
    intercept = has_intercept_term(parsed.rhs)
    counts = tally.counts()
    if dotted and (
        late := late_dot_exclusions(
            found, counts, singles, identifiers, dotted, intercept=intercept
        )
    ):
        kept = [str(c) for c in dot_columns if c in variables | response and c not in late]
        retry = expand_dot(given, kept)
        return open_dask_frame(
            retry, ddf, missing=missing, levels=levels, timeout=timeout, weights=weights,
            counted=passed,
        )  # fmt: skip
    refuse_single_levels(parsed.rhs, coded, singles)
    screen_levels(
        {c: v for c, v in found.items() if c not in declared}, tally.counts(), plain - exempt
    )
    flags = sorted(bool_columns(probe.rhs.model_spec, head, variables))
    numbers = sorted((variables | response) - set(found) - set(flags))
    stream = BlockBuilder(
        parsed, formula, missing, found, flags=flags, numbers=numbers, weights=weights,
        words={c: tally.stray_words(c) for c in stray},  # the advice names every word
    )  # fmt: skip
    for _ in stream.blocks(iter([Chunk(head, "the Dask DataFrame", 0)])):
        break  # builds the model spec once, on the client
    stream = replace(stream, n_dropped=0)
    return DaskFrameSource(ddf, stream, variables, found, formula, seconds)


# --------------------------------------------------------------------------- arrays
def _array_block(xb: Any, yb: Any, intercept: bool, index: int) -> Float:
    x = np.asarray(xb, dtype=float)
    y = np.asarray(yb, dtype=float).ravel()
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError(
            f"block {index} of the Dask arrays has NaN or infinite values; "
            "clean the data (the Dask array path has no missing='drop')"
        )
    columns = [np.ones(x.shape[0])] if intercept else []
    return np.column_stack([*columns, x, y])


class DaskArraySource(_DaskSource):
    """Dask arrays ``X`` (n, p) and ``y`` (n,), chunked along rows only."""

    def __init__(self, x: Any, y: Any, fit_intercept: bool, timeout: float | None = None) -> None:
        self.timeout = check_timeout(timeout)
        if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.shape[0]:
            raise InputError(
                f"X must be 2-D and y 1-D with as many rows; got shapes {x.shape} and {y.shape}"
            )
        x = x.rechunk({1: -1})
        y = y.rechunk({0: x.chunks[0]})
        self.fit_intercept = fit_intercept
        self.context = fit_intercept
        self.n_features = x.shape[1]
        self.parts = list(zip(x.to_delayed().ravel(), y.to_delayed().ravel(), strict=True))
        self.description = f"Dask: {len(self.parts)} blocks"

    @property
    def intercept(self) -> bool:
        return self.fit_intercept

    @staticmethod
    def views(pair: tuple[Any, Any], index: int, intercept: bool) -> Iterator[BlockView]:
        """Block ``index`` of the arrays, a row block at a time (on a worker)."""
        xb, yb = pair
        chunk = Chunk(pd.DataFrame(), f"block {index}", 0)
        rows = block_rows(int(np.shape(xb)[1]) + int(intercept) + 1)
        for start in range(0, max(len(xb), 1), rows):
            block = _array_block(
                xb[start : start + rows], yb[start : start + rows], intercept, index
            )
            positions = np.arange(start, start + block.shape[0])
            keep = np.ones(block.shape[0], dtype=bool)
            yield BlockView(block, keep, index, positions, index + 1, row_namer(chunk, positions))

    def design(self, n_dropped: int) -> Design:
        features = tuple(f"x{j}" for j in range(self.n_features))
        names = (("Intercept",) if self.fit_intercept else ()) + features
        return Design(
            x=np.zeros((0, len(names))),
            y=np.zeros(0),
            column_names=names,
            response_name="y",
            intercept=self.fit_intercept,
            terms=tuple(Term(name, (j,)) for j, name in enumerate(names)),
            spec=ArraySpec(features, self.fit_intercept, from_frame=False),
            dropped_count=n_dropped,
        )
