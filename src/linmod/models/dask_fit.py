"""OLS on Dask: map partitions to R factors, tree-reduce, solve (``pip install 'linmod[dask]'``).

``linmod.ols(formula, data=dask_dataframe)``, ``linmod.ols(X, y)`` with Dask arrays, and
``linmod.ols(formula, data="big.parquet", engine="dask")`` fold every partition into the
R factor of its ``[X | y]`` rows on the workers, merge the factors pairwise in partition
order (a tree of depth ``log2(partitions)``) and solve on the client: the numbers equal
the in-memory fit's to rounding, with full inference.  An ill-conditioned fit (or
``refine=True``) is refined by reducing double-double residual products the same way, one
map-reduce a step (see :mod:`linmod.linalg.seminormal`).  ``second_pass=True`` reduces the
residual sums the same way (robust covariances, Durbin-Watson, Breusch-Pagan, …).

Dask is imported only here, and only when used.  The same code runs on a multi-node
cluster: connect a ``dask.distributed.Client`` to its scheduler first (or pass
``--dask tcp://scheduler:8786`` to the CLI); only R factors (O(p²) each) travel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError

from linmod.data.arrays import ArraySpec
from linmod.data.chunk_encoding import bool_columns
from linmod.data.chunks import Chunk
from linmod.data.column_types import check_response_not_predictor, formula_frame
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import check_right_hand_side, coded_variables, expand_dot, formula_error
from linmod.data.missing import check_policy
from linmod.data.numeric_text import TextTally, is_text
from linmod.data.row_folds import fold_of_rows
from linmod.distributed.cluster import DEFAULT_TIMEOUT, check_timeout, compute
from linmod.distributed.dask_input import check_formula_columns, read_table
from linmod.distributed.residual_sums import ResidualSums
from linmod.exceptions import InputError, LinmodError
from linmod.linalg.seminormal import ResidualProducts
from linmod.linalg.tsqr import RFactor
from linmod.models.streaming import (
    BlockBuilder,
    ResidualReader,
    ResidualState,
    StreamedOLSResults,
    block_shift,
    block_sums,
    categorical_columns,
    check_hac_lags,
    check_refine,
    has_intercept,
    residual_state,
    results_from_factor,
    row_namer,
    stream_design,
    with_second_pass,
)

__all__ = [
    "fit_dask_arrays",
    "fit_dask_frame",
    "fold_dask_frame",
    "fold_dask_frame_in_folds",
    "partial_fit_partitions",
    "read_parquet",
]

_HINT = "pip install 'linmod[dask]'"


def _dask() -> Any:
    try:
        import dask
    except ImportError as error:
        raise LinmodError(f"fitting Dask collections needs dask: {_HINT}") from error
    return dask


def read_parquet(path: Any) -> Any:
    """Open a path as a Dask DataFrame (``engine="dask"``): Parquet, or CSV/TSV by suffix.

    See :func:`linmod.distributed.dask_input.read_table`.
    """
    _dask()
    return read_table(path)


#: Values (rows x design columns) in one row block of a partition's second pass and
#: refinement: a partition is read in blocks of about 4 MB of design, so the temporaries
#: of the residual sums stay a small multiple of that, not of the partition.
ROW_BLOCK_VALUES = 1 << 19


def _block_rows(width: int) -> int:
    """Rows of a row block ``width`` values wide (at least 4 widths: merges stay cheap)."""
    return max(4 * width, ROW_BLOCK_VALUES // width)


def _row_chunks(frame: pd.DataFrame, index: int, stream: BlockBuilder) -> Iterator[Chunk]:
    """The partition's rows as consecutive chunks of at most ``ROW_BLOCK_VALUES`` values."""
    rows = _block_rows(len(stream.spec.column_names) + 1)
    for start in range(0, max(len(frame), 1), rows):
        part = frame.iloc[start : start + rows].reset_index(drop=True)
        yield Chunk(part, f"partition {index}", start)


def _tree(items: list[Any], combine: Callable[[Any, Any, int], Any]) -> Any:
    """Pairwise, order-preserving reduction of delayed items (depth log2(len))."""
    _dask()
    import dask

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


# --------------------------------------------------------------------------- frames
def _fold_partition(frame: pd.DataFrame, index: int, stream: BlockBuilder) -> tuple[RFactor, int]:
    local = replace(stream, n_dropped=0)
    chunk = Chunk(frame.reset_index(drop=True), f"partition {index}", 0)
    factor = RFactor.empty(len(stream.spec.column_names))
    for _, block, _ in local.blocks(iter([chunk])):
        factor = RFactor.from_augmented(block)
    return factor, local.n_dropped


def _merge_products(left: ResidualProducts, right: ResidualProducts, _: int) -> Any:
    return left.merge(right)


def _reduced_products(
    parts: list[Any], products_of: Callable[..., Any], timeout: float
) -> ResidualReader:
    """A reader that maps ``products_of(part, index, kept, hi, lo)`` and tree-reduces."""
    dask = _dask()

    def read(kept: np.ndarray, coef_hi: np.ndarray, coef_lo: np.ndarray) -> ResidualProducts:
        mapped = [
            dask.delayed(products_of)(part, i, kept, coef_hi, coef_lo)
            for i, part in enumerate(parts)
        ]
        return compute(_tree(mapped, _merge_products), timeout=timeout)[0]

    return read


def _merge_factors(left: tuple[RFactor, int], right: tuple[RFactor, int], _: int) -> Any:
    return left[0].merge(right[0]), left[1] + right[1]


def _products_partition(
    frame: pd.DataFrame,
    index: int,
    stream: BlockBuilder,
    kept: np.ndarray,
    coef_hi: np.ndarray,
    coef_lo: np.ndarray,
) -> ResidualProducts:
    local = replace(stream, n_dropped=0)
    total = ResidualProducts.empty(int(kept.sum()))
    for _, block, _ in local.blocks(_row_chunks(frame, index, stream)):
        x = np.ascontiguousarray(block[:, :-1][:, kept])
        total = total.merge(ResidualProducts.of_block(x, block[:, -1], coef_hi, coef_lo))
    return total


def _sums_partition(
    frame: pd.DataFrame, index: int, stream: BlockBuilder, state: ResidualState, seed: int
) -> ResidualSums | None:
    local = replace(stream, n_dropped=0)
    rng = np.random.default_rng([seed, index])
    total: ResidualSums | None = None
    for chunk, block, keep in local.blocks(_row_chunks(frame, index, stream)):
        if block.shape[0]:
            sums = block_sums(block, row_namer(chunk, np.flatnonzero(keep)), state, rng)
            total = sums if total is None else total.merge(sums, state.lags, rng)
    return total


def _merge_sums(lags: int, seed: int) -> Callable[[Any, Any, int], Any]:
    def merge(left: ResidualSums | None, right: ResidualSums | None, salt: int) -> Any:
        if left is None or right is None:
            return left if right is None else right
        return left.merge(right, lags, np.random.default_rng([seed, 7, salt]))

    return merge


def _levels(
    ddf: Any,
    columns: list[str],
    declared: Mapping[str, Sequence[Any]],
    tally: TextTally,
    timeout: float,
) -> dict:
    missing = [c for c in columns if c not in declared]
    counts = [ddf[c].value_counts(dropna=True) for c in missing]
    found = compute(*counts, timeout=timeout) if missing else ()
    levels = {c: list(v) for c, v in declared.items()}
    for column, counts in zip(missing, found, strict=True):
        levels[column] = sorted(counts.index.tolist(), key=str)
        if is_text(ddf[column].head(0)):
            tally.add_counts(column, counts)
    return levels


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
) -> StreamedOLSResults:
    """Fit OLS to a Dask DataFrame by a tree reduction of partition R factors.

    Parameters are those of :func:`linmod.models.streaming.fit_streaming`; categorical
    levels not declared are found with one ``unique()`` pass over those columns.
    ``timeout`` is the number of seconds to wait while a ``dask.distributed`` cluster has
    no workers before raising :class:`~linmod.exceptions.LinmodError` (None: 60 s, see
    :mod:`linmod.distributed.cluster`); it does not limit a fit that is making progress.
    """
    dask = _dask()
    check_refine(refine, reiterable=True)
    seconds = check_timeout(timeout)
    factor, stream, design, parts = fold_dask_frame(
        formula, ddf, missing=missing, levels=levels, timeout=seconds
    )
    reader = _reduced_products(
        parts, lambda part, i, *state: _products_partition(part, i, stream, *state), seconds
    )
    results = results_from_factor(factor, design, f"Dask: {len(parts)} partitions", refine, reader)
    if not second_pass:
        return results
    lags = check_hac_lags(hac_lags, results.n_obs)
    state = residual_state(results, lags)
    sums = [dask.delayed(_sums_partition)(p, i, stream, state, seed) for i, p in enumerate(parts)]
    total = compute(_tree(sums, _merge_sums(lags, seed)), timeout=seconds)[0]
    return with_second_pass(results, total, lags, seed)


# --------------------------------------------------------------------------- arrays
def _array_block(xb: np.ndarray, yb: np.ndarray, intercept: bool, index: int) -> np.ndarray:
    x = np.asarray(xb, dtype=float)
    y = np.asarray(yb, dtype=float).ravel()
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError(
            f"block {index} of the Dask arrays has NaN or infinite values; "
            "clean the data (the Dask array path has no missing='drop')"
        )
    columns = [np.ones(x.shape[0])] if intercept else []
    return np.column_stack([*columns, x, y])


def _fold_array(xb: Any, yb: Any, intercept: bool, index: int) -> tuple[RFactor, int]:
    return RFactor.from_augmented(_array_block(xb, yb, intercept, index)), 0


def _products_array(
    blocks: tuple[Any, Any],
    index: int,
    intercept: bool,
    kept: np.ndarray,
    coef_hi: np.ndarray,
    coef_lo: np.ndarray,
) -> ResidualProducts:
    block = _array_block(blocks[0], blocks[1], intercept, index)
    x = np.ascontiguousarray(block[:, :-1][:, kept])
    return ResidualProducts.of_block(x, block[:, -1], coef_hi, coef_lo)


def _sums_array(
    xb: Any, yb: Any, intercept: bool, index: int, state: ResidualState, seed: int
) -> ResidualSums:
    chunk = Chunk(pd.DataFrame(), f"block {index}", 0)
    rng = np.random.default_rng([seed, index])
    rows = _block_rows(int(np.shape(xb)[1]) + int(intercept) + 1)
    total: ResidualSums | None = None
    for start in range(0, max(len(xb), 1), rows):  # row blocks: small temporaries
        block = _array_block(xb[start : start + rows], yb[start : start + rows], intercept, index)
        namer = row_namer(chunk, np.arange(start, start + block.shape[0]))
        sums = block_sums(block, namer, state, rng)
        total = sums if total is None else total.merge(sums, state.lags, rng)
    assert total is not None
    return total


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
    dask = _dask()
    check_refine(refine, reiterable=True)
    seconds = check_timeout(timeout)
    if x.ndim != 2 or y.ndim != 1 or x.shape[0] != y.shape[0]:
        raise InputError(
            f"X must be 2-D and y 1-D with as many rows; got shapes {x.shape} and {y.shape}"
        )
    x = x.rechunk({1: -1})
    y = y.rechunk({0: x.chunks[0]})
    x_parts, y_parts = x.to_delayed().ravel(), y.to_delayed().ravel()
    folded = [
        dask.delayed(_fold_array)(xb, yb, fit_intercept, i)
        for i, (xb, yb) in enumerate(zip(x_parts, y_parts, strict=True))
    ]
    factor, _ = compute(_tree(folded, _merge_factors), timeout=seconds)[0]
    features = tuple(f"x{j}" for j in range(x.shape[1]))
    names = (("Intercept",) if fit_intercept else ()) + features
    design = Design(
        x=np.zeros((0, len(names))),
        y=np.zeros(0),
        column_names=names,
        response_name="y",
        intercept=fit_intercept,
        terms=tuple(Term(name, (j,)) for j, name in enumerate(names)),
        spec=ArraySpec(features, fit_intercept, from_frame=False),
        dropped_count=0,
    )
    pairs = list(zip(x_parts, y_parts, strict=True))
    reader = _reduced_products(
        pairs, lambda pair, i, *state: _products_array(pair, i, fit_intercept, *state), seconds
    )
    results = results_from_factor(factor, design, f"Dask: {len(x_parts)} blocks", refine, reader)
    if not second_pass:
        return results
    lags = check_hac_lags(hac_lags, results.n_obs)
    state = residual_state(results, lags)
    sums = [
        dask.delayed(_sums_array)(xb, yb, fit_intercept, i, state, seed)
        for i, (xb, yb) in enumerate(zip(x_parts, y_parts, strict=True))
    ]
    total = compute(_tree(sums, _merge_sums(lags, seed)), timeout=seconds)[0]
    return with_second_pass(results, total, lags, seed)


# --------------------------------------------------------------------------- streaming fits
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
    _dask()
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


def _head(ddf: Any, timeout: float) -> pd.DataFrame:
    """The first 50 rows (from as many partitions as needed)."""
    return compute(ddf.head(50, npartitions=-1, compute=False), timeout=timeout)[0]


def _prepare_frame(
    formula: str,
    ddf: Any,
    missing: str,
    levels: Mapping[str, Sequence[Any]] | None,
    timeout: float,
) -> tuple[BlockBuilder, set[str], dict[str, list[Any]], str, list[Any]]:
    """Build the model spec on the client: block builder, variables, levels, formula, parts."""
    check_policy(missing)
    formula = expand_dot(formula, ddf.columns)  # R's "y ~ .": every other column
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise formula_error(formula, error) from None
    check_right_hand_side(parsed, formula)
    check_formula_columns(parsed, ddf.columns)  # before anything is computed
    head = _head(ddf, timeout)
    if len(head) == 0:
        raise InputError("the Dask DataFrame has no rows")
    head = formula_frame(head, parsed)  # the dtypes every partition's design is built with
    try:
        probe = model_matrix(parsed, head, na_action="ignore", context=FORMULA_CONTEXT)
    except FormulaicError as error:
        raise InputError(f"cannot use formula {formula!r}: {error}") from None
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    check_response_not_predictor(
        probe.lhs.model_spec.variables_by_source.get("data", set()), variables
    )
    categorical = sorted(categorical_columns(probe.rhs.model_spec, head, variables))
    tally = TextTally()
    found = _levels(ddf, categorical, dict(levels or {}), tally, timeout) if categorical else {}
    # Numbers with a stray word: refused, with the word's partition and row, when folded.
    stray = set(tally.mostly_numbers(coded_variables(probe.rhs.model_spec) | set(levels or {})))
    found = {c: v for c, v in found.items() if c not in stray}
    flags = sorted(bool_columns(probe.rhs.model_spec, head, variables))
    response = set(probe.lhs.model_spec.variables_by_source.get("data", set()))
    numbers = sorted((variables | response) - set(found) - set(flags))
    stream = BlockBuilder(parsed, formula, missing, found, flags=flags, numbers=numbers)
    for _ in stream.blocks(iter([Chunk(head, "the Dask DataFrame", 0)])):
        break  # builds the model spec once, on the client
    return replace(stream, n_dropped=0), variables, found, formula, list(ddf.to_delayed())


def _head_shift(ddf: Any, stream: BlockBuilder, timeout: float) -> np.ndarray:
    """The shift of the out-of-core penalised fits: column means of the first rows."""
    head = _head(ddf, timeout)
    first = Chunk(head, "the Dask DataFrame", 0)
    for _, block, _ in replace(stream, n_dropped=0).blocks(iter([first])):
        if block.shape[0]:
            return block_shift(block, has_intercept(stream))
    return np.zeros(len(stream.spec.column_names) + 1)


def fold_dask_frame(
    formula: str,
    ddf: Any,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    timeout: float | None = None,
) -> tuple[RFactor, BlockBuilder, Design, list[Any]]:
    """Fold every partition into an R factor on the workers and tree-reduce them.

    Returns the factor, the block builder (model spec for the second pass), the data-free
    design and the delayed partitions.  ``timeout`` is as for :func:`fit_dask_frame`.
    """
    dask = _dask()
    seconds = check_timeout(timeout)
    stream, variables, found, formula, parts = _prepare_frame(
        formula, ddf, missing, levels, seconds
    )
    folded = [dask.delayed(_fold_partition)(part, i, stream) for i, part in enumerate(parts)]
    factor, dropped = compute(_tree(folded, _merge_factors), timeout=seconds)[0]
    design = stream_design(replace(stream, n_dropped=dropped), variables, found, formula)
    return factor, stream, design, parts


def _fold_partition_in_folds(
    frame: pd.DataFrame, index: int, stream: BlockBuilder, k: int, seed: int, shift: np.ndarray
) -> tuple[list[RFactor], int]:
    local = replace(stream, n_dropped=0)
    chunk = Chunk(frame.reset_index(drop=True), f"partition {index}", 0)
    factors = [RFactor.empty(len(stream.spec.column_names)) for _ in range(k)]
    for _, block, keep in local.blocks(iter([chunk])):
        block -= shift
        fold = fold_of_rows(np.flatnonzero(keep), k, seed, stream=index + 1)
        factors = [RFactor.from_augmented(block[fold == j]) for j in range(k)]
    return factors, local.n_dropped


def _merge_fold_factors(
    left: tuple[list[RFactor], int], right: tuple[list[RFactor], int], _: int
) -> Any:
    return [a.merge(b) for a, b in zip(left[0], right[0], strict=True)], left[1] + right[1]


def fold_dask_frame_in_folds(
    formula: str,
    ddf: Any,
    k: int,
    seed: int,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
    timeout: float | None = None,
) -> tuple[list[RFactor], np.ndarray, Design]:
    """Fold every partition into ``k`` R factors, one per fold, and tree-reduce them.

    A row's fold is a seeded hash of its partition and its position there
    (:func:`linmod.data.row_folds.fold_of_rows`), so the folds follow the partitioning.
    With an intercept the columns are shifted by their means over the first rows, as in
    :func:`linmod.models.streaming.fold_stream_in_folds`.

    Returns
    -------
    (list of RFactor, ndarray, Design)
        The factors, the shift subtracted from ``[X | y]`` and the data-free design.
    """
    dask = _dask()
    seconds = check_timeout(timeout)
    stream, variables, found, formula, parts = _prepare_frame(
        formula, ddf, missing, levels, seconds
    )
    shift = _head_shift(ddf, stream, seconds)
    folded = [
        dask.delayed(_fold_partition_in_folds)(part, i, stream, k, seed, shift)
        for i, part in enumerate(parts)
    ]
    factors, dropped = compute(_tree(folded, _merge_fold_factors), timeout=seconds)[0]
    design = stream_design(replace(stream, n_dropped=dropped), variables, found, formula)
    return factors, shift, design
