"""The sums that stand for the rows of a fit that does not hold them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

__all__ = ["FitTotals"]

Float = NDArray[np.float64]


@dataclass(frozen=True)
class FitTotals:
    """The sums that define a fit whose rows are not held (streamed or distributed data).

    Attributes
    ----------
    n_obs : int
    ssr : float
        Residual sum of squares.
    tss : float
        Total sum of squares (centred with an intercept, uncentred without).
    abs_residual_sum : float or None
        ``sum(|residual|)`` when a second pass computed it.
    meats : mapping of str to ndarray
        Sandwich meats from a second pass, keyed ``"HC0"``…``"HC3"`` and ``"HAC(L)"``.
    """

    n_obs: int
    ssr: float
    tss: float
    abs_residual_sum: float | None = None
    meats: Mapping[str, Float] = field(default_factory=dict)
