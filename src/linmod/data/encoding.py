"""Encodings for categorical features that formulas can call.

Treatment (one-hot with a reference level) coding comes from formulaic's ``C(x)``
(``C(x, contr.treatment("b"))`` picks the reference).  :func:`ordinal` maps an ordered
category to its rank, ``ordinal(size, ["S", "M", "L"])`` giving 1, 2, 3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from linmod.exceptions import InputError

__all__ = ["FORMULA_CONTEXT", "ordinal"]


def ordinal(values: Any, levels: Sequence[Any]) -> np.ndarray:
    """Encode an ordered categorical variable as the 1-based rank of its level.

    Parameters
    ----------
    values : array-like
        The categorical values.
    levels : sequence
        Every level, in increasing order.

    Returns
    -------
    ndarray of float
        Ranks ``1..len(levels)``; NaN where the value is missing.

    Raises
    ------
    InputError
        If a value is not one of ``levels``.
    """
    series = pd.Series(values)
    order = {level: rank for rank, level in enumerate(levels, start=1)}
    if len(order) != len(levels):
        raise InputError(f"ordinal levels must be distinct, got {list(levels)}")
    codes = series.map(order)
    unknown = series.notna() & codes.isna()
    if unknown.any():
        bad = sorted({str(v) for v in series[unknown]})
        raise InputError(
            f"ordinal(): value(s) {', '.join(map(repr, bad))} are not among the levels "
            f"{list(levels)}; add them to the level list in the order they rank"
        )
    return codes.to_numpy(dtype=float)


#: Names available inside every linmod formula besides the data columns, numpy (``np``) and
#: formulaic's transforms (``log``, ``exp``, ``poly``, ``bs``, ...): R's ``sqrt`` and ``abs``.
FORMULA_CONTEXT: dict[str, Any] = {"ordinal": ordinal, "np": np, "sqrt": np.sqrt, "abs": np.abs}
