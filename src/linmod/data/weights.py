"""Observation weights: their declared meaning and the checks every fit applies to them.

A weight vector means one of three things (``weights_type=``):

``"precision"`` (default)
    Weight = 1 / variance of the row, as R's ``lm(weights=)`` and statsmodels' ``WLS``:
    the fit minimises ``sum w_i r_i^2``; ``n`` and the degrees of freedom count rows.
``"frequency"``
    Weight = how many identical rows the row stands for (Stata's ``fweight``): the fit
    equals the fit of the repeated rows, ``n`` and the degrees of freedom count the weights.
``"sampling"``
    Inverse-probability (survey) weights: the coefficients are those of the precision fit,
    the standard errors sandwich-robust by default, as survey software does.

Rows with weight zero are dropped from the fit (and counted), as R does; negative, NaN or
infinite weights, and an all-zero vector, are refused naming the row.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.missing import describe_rows
from linmod.exceptions import InputError

__all__ = [
    "WEIGHT_TYPES",
    "DeclaredWeights",
    "WeightsType",
    "check_weights",
    "check_weights_type",
]

WeightsType = Literal["precision", "frequency", "sampling"]
WEIGHT_TYPES: tuple[str, ...] = ("precision", "frequency", "sampling")


class DeclaredWeights(Protocol):
    """What every weighted fit knows of its weights, whether it holds the rows or not.

    :class:`linmod.data.weighted_design.RowWeights` (in memory) and
    :class:`linmod.inference.streamed_results.StreamedWeights` (streamed, Dask) provide it.
    """

    @property
    def kind(self) -> WeightsType:
        """The declared meaning."""

    @property
    def column(self) -> str | None:
        """The data column the weights were read from, if any."""

    @property
    def n_zero(self) -> int:
        """Rows dropped from the fit for a zero weight."""

    @property
    def total(self) -> float:
        """``sum(w)`` over the rows in the fit."""

    @property
    def n_rows(self) -> int:
        """Rows in the fit (positive weight)."""

    @property
    def log_sum(self) -> float:
        """``sum(log w)`` over the rows in the fit."""


def check_weights_type(weights_type: str) -> WeightsType:
    """Return ``weights_type`` if it is a known meaning of weights, else raise.

    Raises
    ------
    InputError
        Naming the value and the three meanings.
    """
    if weights_type not in WEIGHT_TYPES:
        raise InputError(
            f"weights_type={weights_type!r} is not known; use 'precision' (1/variance, as R's "
            "lm and statsmodels' WLS; the default), 'frequency' (each row stands for w "
            "identical rows) or 'sampling' (inverse-probability weights)"
        )
    return weights_type  # type: ignore[return-value]


def check_weights(
    weights: Any,
    n_rows: int,
    *,
    name: str = "weights",
    labels: pd.Index | None = None,
    weights_type: str = "precision",
) -> NDArray[np.float64]:
    """Validate observation weights and return them as a float64 vector.

    Parameters
    ----------
    weights : array-like
        One weight per row (a list, array, or pandas Series).
    n_rows : int
        The number of rows of the data the weights belong to.
    name : str, default "weights"
        How to name the weights in messages (a column name, ``"sample_weight"``).
    labels : pandas.Index, optional
        Row labels for messages; with the default 0..n-1 index rows are shown 1-based.
    weights_type : str, default "precision"
        The declared meaning; frequency weights must be whole numbers.

    Returns
    -------
    ndarray of float64, shape (n_rows,)

    Raises
    ------
    InputError
        If the weights are not numbers, have the wrong length, are negative, NaN or
        infinite (naming the rows), all zero, or (frequency weights) not whole numbers.
    """
    check_weights_type(weights_type)
    if isinstance(weights, pd.Series):
        weights = weights.to_numpy()
    try:
        values = np.asarray(weights, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            f"{name} must be numbers; convert them first, e.g. pd.to_numeric(...)"
        ) from None
    if values.ndim != 1 or values.shape[0] != n_rows:
        raise InputError(
            f"{name} has shape {values.shape}, but the data has {n_rows} rows: give one "
            "weight per row"
        )
    numbered = labels is None
    where = pd.RangeIndex(n_rows) if labels is None else labels
    for bad, what in (
        (np.isnan(values), "missing (NaN)"),
        (np.isinf(values), "infinite"),
        (values < 0, "negative"),
    ):
        if bad.any():
            raise InputError(
                f"{name} has {int(bad.sum())} {what} values in "
                f"{describe_rows(where[bad], numbered)}; weights must be finite and >= 0 "
                "(weight 0 drops a row)"
            )
    if not (values > 0).any():
        raise InputError(f"{name} are all zero: there is no row left to fit")
    if weights_type == "frequency":
        fractional = values != np.round(values)
        if fractional.any():
            raise InputError(
                f"frequency weights must be whole numbers (each row stands for w identical "
                f"rows); {name} has fractions in {describe_rows(where[fractional], numbered)}; "
                "use weights_type='precision' or 'sampling' for other weights"
            )
    return values
