"""Observation weights applied to a design: the rows scaled by sqrt(w), the rest kept aside.

A weighted least-squares fit minimises ``sum w_i (y_i - x_i'b)^2``, which is ordinary
least squares on the rows scaled by ``sqrt(w_i)``.  R's ``lm.wfit`` and statsmodels' ``WLS``
fit it that way, and so do we: :func:`weigh_design` returns that scaled design (which every
solver, covariance and diagnostic then uses unchanged, as R's influence measures and
``sandwich`` do on a weighted ``lm``) and a :class:`RowWeights` with what the scaling
loses: the weights, their declared meaning, the unscaled design (for fitted values,
residuals and prediction) and the zero-weight rows that were dropped.

The scaled design is rounded to float64; its low-order parts (``x_lo``, ``y_lo``: with
them ``sqrt(w) x`` and ``sqrt(w) y`` are exact to about 32 digits) come from
:func:`scaled_low_parts` when a fit needs them, so that a refined solver reaches the
float64 limit of the *weighted* problem rather than that of its rounded scaling (NIST
Longley with weights: 14+ digits instead of 12-13).  A well-conditioned fit does not need
them and costs one multiplication more than an unweighted one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._cached import cached_property
from linmod.data.design import DataSource, Design
from linmod.data.formula import expand_dot
from linmod.data.frames import check_numeric_text
from linmod.data.numeric_text import is_text
from linmod.data.row_names import is_default_index
from linmod.data.weights import WeightsType, check_weights
from linmod.exceptions import InputError

__all__ = [
    "RowWeights",
    "dd_scale_rows",
    "formula_without_weights",
    "names_column",
    "numeric_weights",
    "scaled_low_parts",
    "take_weights_column",
    "validated_weights",
    "weigh_design",
]

Float = NDArray[np.float64]

_SPLITTER = 134217729.0  # 2**27 + 1: Dekker's split of a float64 into two 26-bit halves


@dataclass(frozen=True)
class RowWeights:
    """What a weighted fit keeps about its weights.

    Attributes
    ----------
    kind : {"precision", "frequency", "sampling"}
        The declared meaning (see :mod:`linmod.data.weights`).
    values : ndarray of shape (n,)
        The weights of the rows in the fit (all positive; zero-weight rows are dropped).
    sqrt : ndarray of shape (n,)
        ``sqrt(values)`` rounded, the factor each row of the design and response was
        scaled by.
    unscaled : Design
        The design of the rows in the fit with the raw response; its ``x`` is the raw
        design unless ``in_place`` (use :attr:`raw`).
    zero_labels : pandas.Index
        Labels of the rows dropped because their weight is zero.
    column : str or None
        The data column the weights were read from (``weights="w"``), if any.
    in_place : bool
        The design matrix was scaled in place (no second copy of the data): :attr:`raw`
        rebuilds the raw matrix with ``rebuild`` (exactly), or divides by ``sqrt``.
    rebuild : callable or None
        Returns the raw design matrix of all the rows the design was built on.
    kept : ndarray of bool or None
        Which of those rows are in the fit (None: all).
    """

    kind: WeightsType
    values: Float
    sqrt: Float
    unscaled: Design
    zero_labels: pd.Index
    column: str | None = None
    in_place: bool = False
    rebuild: Callable[[], Float] | None = field(default=None, repr=False, compare=False)
    kept: NDArray[np.bool_] | None = None

    @cached_property
    def sqrt_lo(self) -> Float:
        """The low-order part of ``sqrt``: ``sqrt + sqrt_lo`` is ``sqrt(values)`` to about
        32 digits (computed when a fit needs it)."""
        return dd_sqrt_low(self.values, self.sqrt)

    @property
    def y(self) -> Float:
        """The raw response of the rows in the fit."""
        return self.unscaled.y

    @cached_property
    def raw(self) -> Design:
        """The unscaled design of the rows in the fit (raw response, raw predictors)."""
        if not self.in_place:
            return self.unscaled
        if self.rebuild is not None:
            x = self.rebuild()
            x = x if self.kept is None else np.ascontiguousarray(x[self.kept])
        else:
            x = self.unscaled.x / self.sqrt[:, None]
        return replace(self.unscaled, x=x)

    @property
    def n_zero(self) -> int:
        """Number of rows dropped for a zero weight."""
        return len(self.zero_labels)

    @property
    def total(self) -> float:
        """Sum of the weights (the number of observations for frequency weights)."""
        return float(np.sum(self.values))

    @property
    def n_rows(self) -> int:
        """Rows in the fit (those with a positive weight)."""
        return int(self.values.shape[0])

    @property
    def log_sum(self) -> float:
        """``sum(log w)`` (R's ``logLik.lm`` adds half of it for precision weights)."""
        return float(np.sum(np.log(self.values)))


def _split(a: Float) -> tuple[Float, Float]:
    c = _SPLITTER * a
    hi = c - (c - a)
    return hi, a - hi


def _two_prod(a: Float, b: Float) -> tuple[Float, Float]:
    """``a * b`` as an exact sum ``p + e`` (Dekker), elementwise."""
    p = a * b
    a_hi, a_lo = _split(a)
    b_hi, b_lo = _split(b)
    e = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    return p, e


def dd_sqrt_low(w: Float, s: Float) -> Float:
    """``s_lo`` with ``s + s_lo == sqrt(w)`` in double-double, for ``s = fl(sqrt(w))`` (one
    Newton step on the exact residual ``w - s*s``)."""
    p, e = _two_prod(s, s)
    low: Float = ((w - p) - e) / (2.0 * s)
    return low


def dd_scale_rows(
    s: Float, s_lo: Float, x: Float, x_lo: Float | None = None
) -> tuple[Float, Float]:
    """``(s + s_lo)[:, None] * (x + x_lo)`` in double-double: ``hi == s[:, None] * x``."""
    column = s[:, None]
    hi, lo = _two_prod(np.broadcast_to(column, x.shape), x)
    lo = lo + s_lo[:, None] * x
    if x_lo is not None:
        lo = lo + column * x_lo
    return np.ascontiguousarray(hi), np.ascontiguousarray(lo)


def scaled_low_parts(row_weights: RowWeights) -> tuple[Float, Float]:
    """The low-order parts ``x_lo, y_lo`` of the scaled design and response."""
    raw = row_weights.raw
    s = row_weights.sqrt
    s_lo = row_weights.sqrt_lo
    _, x_lo = dd_scale_rows(s, s_lo, raw.x, raw.x_lo)
    _, y_lo = dd_scale_rows(s, s_lo, raw.y[:, None])
    return x_lo, np.ascontiguousarray(y_lo[:, 0])


#: What to do about words in a weights column (``check_numeric_text`` names the
#: ``na_values`` read option in place of "(NaN)" when the words are few).
_WEIGHT_WORDS_FIX = (
    "weights must be numbers: fix them, or make them missing (NaN) and pass missing='drop' "
    "to leave those rows out"
)


def numeric_weights(values: Any, name: str) -> Float:
    """The weights as float64 (NaN kept), or a clear error for text."""
    if isinstance(values, pd.Series):
        if not (
            pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)
        ) or pd.api.types.is_complex_dtype(values):
            if is_text(values):  # words among numbers: name them, their rows and the fix
                label = values.name if values.name is not None else "weights"
                check_numeric_text(
                    values.to_frame(label), [label], mostly=0.5, fix=_WEIGHT_WORDS_FIX
                )
            raise InputError(
                f"{name} holds {values.dtype} values, not numbers; weights must be numeric: "
                "convert the column first, e.g. pd.to_numeric(df[col])"
            )
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(
            f"{name} must be numbers; convert them first, e.g. pd.to_numeric(...)"
        ) from None
    return array


def formula_without_weights(formula: str, frame: pd.DataFrame, column: str) -> str:
    """``formula`` with R's ``.`` expanded over every column but the weights column.

    The weights column is not a predictor of ``y ~ .``; a formula may still name it (as
    ``lm(y ~ x + w, weights = w)`` may in R), and then it is used as written.
    """
    others = frame.drop(columns=[column]) if column in frame.columns else frame
    return expand_dot(formula, list(others.columns), others)


def names_column(formula: str, column: str) -> bool:
    """Whether ``formula`` names ``column`` (as a plain or backticked name)."""
    pattern = rf"(?<![\w.`]){re.escape(column)}(?![\w.`])"
    return f"`{column}`" in formula or re.search(pattern, formula) is not None


def take_weights_column(
    frame: pd.DataFrame, column: str, formula: str | None = None
) -> tuple[pd.DataFrame, Float]:
    """Split the weights column off ``frame`` (it is not a predictor: ``y ~ .`` omits it);
    it stays in the frame when ``formula`` (dot already expanded) names it."""
    if column not in frame.columns:
        raise InputError(
            f"weights column {column!r} is not a column of the data (columns: "
            f"{', '.join(map(str, frame.columns[:20]))}); pass weights='<column name>' or "
            "an array with one weight per row"
        )
    values = numeric_weights(frame[column], f"weights column {column!r}")
    if formula is not None and names_column(formula, column):
        return frame, values
    return frame.drop(columns=[column]), values


def weigh_design(
    design: Design,
    weights: Float,
    kind: WeightsType,
    labels: pd.Index,
    *,
    name: str = "weights",
    column: str | None = None,
    in_place: bool = False,
    rebuild: Callable[[], Float] | None = None,
) -> tuple[Design, RowWeights]:
    """Scale the rows of ``design`` by ``sqrt(w)`` and drop the zero-weight rows.

    Parameters
    ----------
    design : Design
        Built on data whose rows are numbered by position (``row_labels`` are positions
        into ``weights`` and ``labels``).
    weights : ndarray of shape (n_data,)
        One weight per row of the data (NaN for rows to drop as missing).
    kind : {"precision", "frequency", "sampling"}
    labels : pandas.Index
        The data's own row labels (given back to the design).
    name, column : str
        How to name the weights in messages; the data column they came from.
    in_place : bool
        Scale ``design.x`` in place (the caller guarantees it is a private copy): one
        pass and no second copy of the data.  Ignored when rows are dropped (the kept
        rows are a copy anyway).
    rebuild : callable, optional
        Rebuilds ``design.x`` when the raw matrix is needed again after an in-place
        scaling (the refinement of an ill-conditioned fit, prediction on the fitted rows).

    Returns
    -------
    scaled : Design
        ``sqrt(w) x`` (double-double, ``x_lo`` set) and ``sqrt(w) y`` of the rows with a
        positive weight.
    row_weights : RowWeights
    """
    every_row = len(design.row_labels) == len(weights)  # no row dropped as missing
    positions = np.asarray(design.row_labels, dtype=np.intp)
    dropped = np.asarray(design.dropped_labels, dtype=np.intp)
    w = weights if every_row else weights[positions]
    missing = np.isnan(w)
    zero = w == 0
    keep = ~(missing | zero)
    if not keep.any():
        raise InputError(f"{name} are zero in every row left to fit: there is no row to fit")
    everything = every_row and bool(keep.all())
    dropped_all = np.sort(np.concatenate([dropped, positions[missing]]))
    raw = replace(
        design,
        x=design.x if everything else np.ascontiguousarray(design.x[keep]),
        y=design.y if everything else np.ascontiguousarray(design.y[keep]),
        x_lo=None if design.x_lo is None else np.ascontiguousarray(design.x_lo[keep]),
        row_labels=labels if everything else labels[positions[keep]],
        dropped_labels=labels[dropped_all],
        numbered_rows=is_default_index(labels),
        source=_kept_source(design.source, keep),
    )
    values = w.copy() if everything else np.ascontiguousarray(w[keep])  # not the caller's
    s = np.sqrt(values)
    x = np.multiply(raw.x, s[:, None], out=raw.x) if in_place else raw.x * s[:, None]
    scaled = replace(raw, x=x, x_lo=None, y=raw.y * s)
    row_weights = RowWeights(
        kind=kind,
        values=values,
        sqrt=s,
        unscaled=raw,
        zero_labels=labels[positions[zero]],
        column=column,
        in_place=in_place,
        rebuild=rebuild,
        kept=None if keep.all() else keep,
    )
    return scaled, row_weights


def _kept_source(source: DataSource | None, keep: NDArray[np.bool_]) -> DataSource | None:
    """The design's data source with its zero-weight rows left out, so that cluster
    labels and ``order_by`` columns given for every row of the data find the rows fitted."""
    if source is None or keep.all():
        return source
    rows = np.arange(source.n_rows) if source.rows is None else source.rows
    return replace(source, rows=rows[keep])


def validated_weights(
    values: Any, n_rows: int, *, name: str, labels: pd.Index, kind: str, missing: str
) -> Float:
    """Check the weights of every row; with ``missing="drop"`` a NaN weight drops its row."""
    numeric = numeric_weights(values, name)
    shown = None if is_default_index(labels) else labels  # None: 1-based row numbers
    if missing != "drop" or numeric.ndim != 1 or numeric.shape[0] != n_rows:
        return check_weights(numeric, n_rows, name=name, labels=shown, weights_type=kind)
    absent = np.isnan(numeric)
    checked = check_weights(
        np.where(absent, 1.0, numeric), n_rows, name=name, labels=shown, weights_type=kind
    )
    if not (checked[~absent] > 0).any():
        raise InputError(f"{name} are all zero or missing: there is no row left to fit")
    return np.where(absent, np.nan, checked)
