"""The design matrix a model is fitted on, and the recipe to rebuild it for new data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod._frozen import quick_init
from linmod.data.row_names import shown_labels
from linmod.exceptions import InputError

__all__ = ["DataSource", "Design", "DesignSpec", "Term"]

Float = NDArray[np.float64]


class DesignSpec(Protocol):
    """Rebuilds design rows for new data (used by ``predict``)."""

    def new_rows(self, data: Any) -> tuple[Float, NDArray[np.bool_], pd.Index]:
        """Return the design for ``data``, a mask of rows with missing predictors, and labels."""
        ...  # pragma: no cover - protocol


@dataclass(frozen=True)
class Term:
    """A model term and the design columns it owns (a factor owns several)."""

    name: str
    columns: tuple[int, ...]


@dataclass(frozen=True)
class DataSource:
    """Where the rows of a design came from: for columns the model does not use (cluster
    groups named by column) and for labels given one per row of the original data.

    Attributes
    ----------
    frame : pandas or polars DataFrame, dict of columns, or None
        The data the formula was evaluated on, as given (a reference, not a copy); None
        for arrays.
    rows : ndarray of int or None
        0-based positions, in that data, of the rows used; None when every row was used.
    n_rows : int
        Rows of the original data (used and dropped).
    """

    frame: Any
    rows: NDArray[np.intp] | None
    n_rows: int


class _DefaultLabels:
    """A :class:`Design` field of row labels that may be given as None: the default
    labels (``0 .. n-1`` for the rows used, none for the dropped rows) are then made when
    the field is first read.

    An array fit made two pandas Index objects (a ``RangeIndex`` and an empty one) that
    most fits never read; together with the lock-free cached values they were 7 % of a
    1000 x 5 fit's Python bytecodes (``bench/small_fit_cost.py``).  A data descriptor, as
    the dataclasses documentation describes for fields: ``__init__`` (and
    ``dataclasses.replace``) store through :meth:`__set__`; each design gets its own
    Index, so renaming one leaves the others alone.
    """

    def __init__(self, *, dropped: bool) -> None:
        self._dropped = dropped
        self._attribute = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = f"_{name}"

    def __get__(self, design: Design | None, owner: type | None = None) -> pd.Index | None:
        if design is None:
            return None  # the field's default
        labels: pd.Index | None = design.__dict__[self._attribute]
        if labels is None:
            labels = pd.RangeIndex(0 if self._dropped else design.x.shape[0])
            design.__dict__[self._attribute] = labels
        return labels

    def __set__(self, design: Design, labels: pd.Index | None) -> None:
        design.__dict__[self._attribute] = labels


@quick_init
@dataclass(frozen=True)
class Design:
    """A numeric design matrix with everything needed to report and predict from it.

    Attributes
    ----------
    x : ndarray of shape (n, p)
        Float64 design, C-contiguous, intercept column first when present.
    y : ndarray of shape (n,)
        Response.
    column_names : tuple of str
        One name per column of ``x``.
    response_name : str
        Name of the response.
    intercept : bool
        Whether column 0 is the intercept.
    terms : tuple of Term
        Model terms in formula order.
    spec : DesignSpec
        Recipe to rebuild the design for new data.
    x_lo : ndarray or None
        Low-order double-double part for columns computed exactly (polynomial powers).
    row_labels : pandas.Index
        Labels of the rows used (given as None: ``0 .. n-1``, made when first read).
    dropped_labels : pandas.Index
        Labels of rows dropped for missing values (``missing="drop"``; given as None:
        none).
    formula : str or None
        The formula, when the design came from one.
    dropped_count : int or None
        Rows dropped, when their labels are not kept (streamed data).
    numbered_rows : bool
        The data had no row labels of its own (arrays, or a frame with the default
        index): rows are shown by their 1-based numbers (see :mod:`linmod.data.row_names`).
    source : DataSource or None
        The original data and the positions of the rows used (not compared, not shown).
    """

    x: Float
    y: Float
    column_names: tuple[str, ...]
    response_name: str
    intercept: bool
    terms: tuple[Term, ...]
    spec: DesignSpec
    x_lo: Float | None = None
    row_labels: pd.Index = _DefaultLabels(dropped=False)  # type: ignore[assignment]
    dropped_labels: pd.Index = _DefaultLabels(dropped=True)  # type: ignore[assignment]
    formula: str | None = None
    dropped_count: int | None = None
    numbered_rows: bool = False
    source: DataSource | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.x.ndim == 2 and self.x.shape[1] == 0:
            raise InputError(
                "the design has no columns (no intercept and no predictor): there is no "
                "model to fit; keep the intercept or give at least one predictor"
            )

    @property
    def shown_row_labels(self) -> pd.Index:
        """Labels of the rows used, as shown to users (1-based numbers or the frame's own)."""
        return shown_labels(self.row_labels, self.numbered_rows)

    @property
    def shown_dropped_labels(self) -> pd.Index:
        """Labels of the dropped rows, as shown to users."""
        return shown_labels(self.dropped_labels, self.numbered_rows)

    @property
    def n_dropped(self) -> int:
        """Number of rows dropped for missing values."""
        return len(self.dropped_labels) if self.dropped_count is None else self.dropped_count
