"""A float ``pandas.Series`` on a known index, without the general constructor's checks.

``pd.Series(values, index=names, name="coef")`` infers a dtype, sanitises the values,
checks the index's length and validates the name: about 900 Python bytecodes, so 15-20 µs
each.  A small fit's ``coef`` and ``std_err`` are two such Series; together they were a
third of the Python work of ``ols(X, y)`` on 1000 x 5 (``bench/small_fit_cost.py``).  For
a 1-D float64 array and an index of its length there is nothing to infer or check: this
builds the Series from a single-block manager, as pandas' own operations build theirs
(``Series._from_mgr``).

That is pandas' internal layer, not its public API.  Whether it is available is probed
once, by building a Series both ways and comparing them (values, index, name, dtype and
the flags a user can see); if anything differs or is missing (another pandas version),
:func:`labelled_series` uses the public constructor, so the results are the same either
way, only slower.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

__all__ = ["labelled_series"]

Float = NDArray[np.float64]


def _public(values: Float, index: pd.Index, name: Hashable) -> pd.Series:
    return pd.Series(values, index=index, name=name, copy=False)


try:  # pandas' internal layer, imported with pandas itself
    from pandas._libs.internals import BlockPlacement
    from pandas.core.internals import SingleBlockManager
    from pandas.core.internals.blocks import get_block_type

    #: The block class pandas gives float64 values (what ``new_block`` looks up each time).
    _FLOAT_BLOCK: Any = get_block_type(np.dtype(np.float64))
except ImportError:  # pragma: no cover - another pandas: the probe picks the constructor
    SingleBlockManager = None


def _from_manager(values: Float, index: pd.Index, name: Hashable) -> pd.Series:
    # SingleBlockManager.from_array without its dtype dispatch (maybe_coerce_values,
    # get_block_type, new_block): the values are float64, so the block class is known.
    # (labelled_series checked that the index has len(values) labels)
    block = _FLOAT_BLOCK(values, ndim=1, placement=BlockPlacement(slice(0, values.shape[0])))
    manager = SingleBlockManager(block, index)
    series = pd.Series._from_mgr(manager, manager.axes)  # type: ignore[attr-defined]
    # What pandas' own constructors set (the name is hashable).  Set on the object itself:
    # NDFrame.__setattr__ first looks the attribute up, which for a new Series raises and
    # catches an AttributeError (~2.5 µs of a ~5 µs Series).
    object.__setattr__(series, "_name", name)
    return series


def _same(fast: pd.Series, public: pd.Series) -> bool:
    return (
        type(fast) is type(public)
        and fast.name == public.name
        and fast.dtype == public.dtype
        and fast.index is public.index
        and fast.flags.allows_duplicate_labels == public.flags.allows_duplicate_labels
        and fast.attrs == public.attrs
        and fast.equals(public)
        and np.shares_memory(fast.to_numpy(), public.to_numpy())
    )


def _probe() -> Callable[[Float, pd.Index, Hashable], pd.Series]:
    """:func:`_from_manager` if it builds what the public constructor builds, else that."""
    values = np.array([1.5, -2.0, np.nan])
    index = pd.Index(["Intercept", "x", "x:z"], name="term")
    try:
        fast = _from_manager(values, index, "coef")
        if _same(fast, _public(values, index, "coef")):
            return _from_manager
    except Exception:  # any failure of the internal path: use the public one
        pass
    return _public


#: The builder :func:`_probe` chose, on first use.
_BUILD: list[Callable[[Float, pd.Index, Hashable], pd.Series]] = []


def labelled_series(values: Float, index: pd.Index, name: Hashable) -> pd.Series:
    """``pd.Series(values, index=index, name=name, copy=False)``, built directly.

    Parameters
    ----------
    values : ndarray of shape (n,)
        1-D float64 values; the Series shares them (pass a copy of an array kept
        elsewhere: a user may write into the Series).
    index : pandas.Index
        Of length ``n``; the Series uses this object.
    name : hashable
        The Series' name.

    Returns
    -------
    pandas.Series
    """
    if not _BUILD:
        _BUILD.append(_probe())  # once; two threads may both probe (same answer)
    if values.dtype != np.float64 or values.ndim != 1 or values.shape[0] != len(index):
        return _public(values, index, name)  # anything but the case probed
    return _BUILD[0](values, index, name)
