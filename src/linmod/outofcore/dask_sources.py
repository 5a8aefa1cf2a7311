"""Dask DataFrames and arrays as block sources (``pip install 'linmod[dask]'``).

A block function runs on the workers, one partition (or row block of the arrays) a task,
and the partial results are merged pairwise in partition order, a tree of depth
``log2(partitions)``; only the results (R factors, O(p²) each; residual sums) travel to
the client.  The model spec is built on the client from the first rows, so every
partition is encoded alike.  Dask is imported only here, and only when used; the same
code runs on a multi-node cluster once a ``dask.distributed.Client`` is connected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

import numpy as np
import pandas as pd
from formulaic import Formula, model_matrix
from formulaic.errors import FormulaicError
from numpy.typing import NDArray

from linmod.data.arrays import ArraySpec
from linmod.data.blocks import (
    BlockBuilder,
    categorical_columns,
    has_intercept,
    row_namer,
    stream_design,
)
from linmod.data.chunks import Chunk
from linmod.data.design import Design, Term
from linmod.data.encoding import FORMULA_CONTEXT
from linmod.data.formula import expand_dot, formula_error
from linmod.data.missing import check_policy
from linmod.exceptions import InputError, LinmodError
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
    """Open Parquet file(s) as a Dask DataFrame (``engine="dask"`` of :func:`linmod.ols`)."""
    dask_module()
    import dask.dataframe as dd

    return dd.read_parquet(path)


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
    task: Callable[..., Any]
    context: Any

    def map_reduce(
        self, per_block: Callable[[BlockView], T | None], merge: Merge, *, what: str
    ) -> T | None:
        dask = dask_module()
        task = dask.delayed(type(self).task)
        mapped = [
            task(part, index, self.context, per_block) for index, part in enumerate(self.parts)
        ]
        if not mapped:
            return None
        result: T | None = tree_reduce(mapped, merge_skipping_none(merge)).compute()
        return result


# --------------------------------------------------------------------------- frames
def _levels(ddf: Any, columns: list[str], declared: Mapping[str, Sequence[Any]]) -> dict:
    dask = dask_module()
    missing = [c for c in columns if c not in declared]
    found = dask.compute(*[ddf[c].dropna().unique() for c in missing]) if missing else ()
    levels = {c: list(v) for c, v in declared.items()}
    levels.update(
        {c: sorted(pd.Series(v).tolist(), key=str) for c, v in zip(missing, found, strict=True)}
    )
    return levels


class DaskFrameSource(_DaskSource):
    """A Dask DataFrame, a formula's blocks built partition by partition on the workers."""

    def __init__(
        self,
        ddf: Any,
        stream: BlockBuilder,
        variables: set[str],
        levels: dict[str, list[Any]],
        formula: str,
    ) -> None:
        self.ddf = ddf
        self.stream = stream
        self.variables = variables
        self.levels = levels
        self.formula = formula
        self.parts = list(ddf.to_delayed())
        self.context = stream
        self.description = f"Dask: {len(self.parts)} partitions"

    @property
    def intercept(self) -> bool:
        return has_intercept(self.stream)

    @staticmethod
    def task(
        frame: pd.DataFrame, index: int, stream: BlockBuilder, per_block: Callable[[BlockView], Any]
    ) -> Any:
        """Build partition ``index``'s block and apply ``per_block`` to it (on a worker)."""
        local = replace(stream, n_dropped=0)
        chunk = Chunk(frame.reset_index(drop=True), f"partition {index}", 0)
        result = None
        for _, block, keep in local.blocks(iter([chunk])):
            rows = np.flatnonzero(keep)
            view = BlockView(block, keep, index, rows, index + 1, row_namer(chunk, rows))
            result = per_block(view)
        return result

    def design(self, n_dropped: int) -> Design:
        stream = replace(self.stream, n_dropped=n_dropped)
        return stream_design(stream, self.variables, self.levels, self.formula)

    def head_block(self) -> Float | None:
        head = self.ddf.head(50, npartitions=-1)
        for _, block, _ in replace(self.stream, n_dropped=0).blocks(iter([Chunk(head, "head", 0)])):
            return block
        return None


def open_dask_frame(
    formula: str,
    ddf: Any,
    *,
    missing: str = "raise",
    levels: Mapping[str, Sequence[Any]] | None = None,
) -> DaskFrameSource:
    """Build the model spec on the client and open ``ddf`` as a :class:`DaskFrameSource`.

    Categorical levels not declared in ``levels`` are found with one ``unique()`` pass
    over those columns.
    """
    check_policy(missing)
    formula = expand_dot(formula, ddf.columns)  # R's "y ~ .": every other column
    try:
        parsed = Formula(formula)
    except FormulaicError as error:
        raise formula_error(formula, error) from None
    head = ddf.head(50, npartitions=-1)
    if len(head) == 0:
        raise InputError("the Dask DataFrame has no rows")
    probe = model_matrix(parsed, head, na_action="ignore", context=FORMULA_CONTEXT)
    variables = set(probe.rhs.model_spec.variables_by_source.get("data", set()))
    categorical = sorted(categorical_columns(probe.rhs.model_spec, head, variables))
    found = _levels(ddf, categorical, dict(levels or {})) if categorical else {}
    stream = BlockBuilder(parsed, formula, missing, found)
    for _ in stream.blocks(iter([Chunk(head, "head", 0)])):
        break  # builds the model spec once, on the client
    return DaskFrameSource(ddf, replace(stream, n_dropped=0), variables, found, formula)


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

    def __init__(self, x: Any, y: Any, fit_intercept: bool) -> None:
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
    def task(
        pair: tuple[Any, Any], index: int, intercept: bool, per_block: Callable[[BlockView], Any]
    ) -> Any:
        """Build row block ``index`` of the arrays and apply ``per_block`` to it (on a worker)."""
        block = _array_block(pair[0], pair[1], intercept, index)
        rows = np.arange(block.shape[0])
        keep = np.ones(block.shape[0], dtype=bool)
        chunk = Chunk(pd.DataFrame(), f"block {index}", 0)
        return per_block(BlockView(block, keep, index, rows, index + 1, row_namer(chunk, rows)))

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
