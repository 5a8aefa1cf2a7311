"""scipy.sparse feature matrices: recognised, converted to CSC and checked, never densified.

Every sparse format scipy offers (CSR, CSC, COO, LIL, DOK, BSR, DIA, as ``*_matrix`` or
``*_array``) is accepted by the sparse fits; they work on the compressed-column form
(each column's row indices and values contiguous), built here once:

* float64 values (integer and boolean matrices are converted; complex ones refused),
  int64 index arrays (one compiled kernel for 32- and 64-bit scipy indices), duplicate
  entries summed and indices sorted (scipy's canonical form);
* explicitly stored zeros are kept (they change no sum);
* a NaN or infinity among the stored values is refused, naming its column and 1-based
  row (:class:`~linmod.exceptions.InputError`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = [
    "as_csc",
    "check_sparse_finite",
    "is_sparse",
    "sparse_rows",
    "sparse_xy",
    "weighted_rows",
]

Float = NDArray[np.float64]


def is_sparse(x: Any) -> bool:
    """Whether ``x`` is a scipy.sparse matrix or array (without importing scipy.sparse
    when it was never imported: then nothing can be sparse)."""
    import sys

    module = sys.modules.get("scipy.sparse")
    return module is not None and bool(module.issparse(x))


def check_sparse_finite(data: Float, indices: Any, indptr: Any, names: Sequence[str]) -> None:
    """Refuse NaN or infinity among the stored values of a CSC matrix, naming the column.

    Raises
    ------
    InputError
        With the number of such values, the first one's column name and 1-based row.
    """
    bad = ~np.isfinite(data)
    if not bad.any():
        return
    first = int(np.flatnonzero(bad)[0])
    column = int(np.searchsorted(indptr, first, side="right") - 1)
    row = int(indices[first]) + 1
    kind = "NaN" if np.isnan(data[first]) else "infinity"
    raise InputError(
        f"the sparse X contains NaN or infinity ({int(bad.sum())} stored values; e.g. {kind} "
        f"in column {names[column]!r}, row {row}); remove or impute them before fitting"
    )


def as_csc(x: Any, names: Sequence[str] | None = None) -> Any:
    """``x`` as a canonical float64 ``scipy.sparse.csc_array`` with int64 indices.

    Parameters
    ----------
    x : scipy.sparse matrix or array of shape (n, p)
    names : sequence of str, optional
        Column names for messages (default ``x0, x1, …``).

    Raises
    ------
    InputError
        For a complex or non-numeric matrix, or one with NaN or infinite values.
    """
    import scipy.sparse as sp

    if x.ndim != 2:
        raise InputError(f"the sparse X must be 2-D (got shape {x.shape})")
    if np.issubdtype(x.dtype, np.complexfloating) or not (
        np.issubdtype(x.dtype, np.number) or x.dtype == np.bool_
    ):
        raise InputError(f"the sparse X must hold real numbers (got dtype {x.dtype})")
    csc = sp.csc_array(x, dtype=np.float64, copy=True)
    csc.sum_duplicates()  # also sorts the indices
    csc.indices = csc.indices.astype(np.int64, copy=False)
    csc.indptr = csc.indptr.astype(np.int64, copy=False)
    labels = list(names) if names is not None else [f"x{j}" for j in range(csc.shape[1])]
    check_sparse_finite(csc.data, csc.indices, csc.indptr, labels)
    return csc


def sparse_rows(x: Any, rows: NDArray[np.intp]) -> Any:
    """The rows ``rows`` of a CSC matrix, as a canonical CSC matrix (int64 indices)."""
    import scipy.sparse as sp

    sub = sp.csc_array(sp.csr_array(x)[rows])
    sub.sum_duplicates()
    sub.indices = sub.indices.astype(np.int64, copy=False)
    sub.indptr = sub.indptr.astype(np.int64, copy=False)
    return sub


#: Stored values and responses within ``2^±MAGNITUDE_LIMIT`` keep their squares (and sums
#: of them) inside float64's normal range; sparse fits refuse data beyond.
MAGNITUDE_LIMIT = 400


def _check_magnitude(values: Float, what: str) -> None:
    big = float(np.max(np.abs(values), initial=0.0))
    nonzero = np.abs(values[values != 0])
    small = float(np.min(nonzero, initial=np.inf))
    if big > 2.0**MAGNITUDE_LIMIT or small < 2.0**-MAGNITUDE_LIMIT:
        raise InputError(
            f"{what} has values of magnitude {big if big > 1 else small:.3g}, whose squares "
            "leave float64's range in a sparse fit; rescale it (e.g. by a power of ten)"
        )


def sparse_xy(x: Any, y: Any, names: Sequence[str] | None = None) -> tuple[Any, Float]:
    """A checked CSC design (:func:`as_csc`) and float64 response of the same length.

    Raises
    ------
    InputError
        For a response that is not 1-D, of another length, non-numeric or non-finite,
        for an empty design, or values beyond ``2^±400``.
    """
    csc = as_csc(x, names)
    try:
        yv = np.asarray(y, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError("y must be numeric (a 1-D array of numbers)") from None
    if yv.ndim == 2 and yv.shape[1] == 1:
        yv = yv[:, 0]
    if yv.ndim != 1:
        raise InputError(f"y must be 1-D with a sparse X (got shape {yv.shape})")
    if yv.shape[0] != csc.shape[0]:
        raise InputError(
            f"the sparse X has {csc.shape[0]} rows but y has {yv.shape[0]} values; give one "
            "response per row"
        )
    if csc.shape[0] == 0:
        raise InputError("the sparse X has no rows; fit needs at least one sample")
    if not np.isfinite(yv).all():
        rows = np.flatnonzero(~np.isfinite(yv)) + 1
        raise InputError(
            f"y contains NaN or infinity ({rows.size} values, row(s) "
            f"{', '.join(map(str, rows[:5]))}); remove them before fitting"
        )
    _check_magnitude(csc.data, "the sparse X")
    _check_magnitude(yv, "y")
    return csc, np.ascontiguousarray(yv)


def weighted_rows(
    x: Any, y: Float, sample_weight: Any
) -> tuple[Any, Float, Float | None, NDArray[np.intp] | None]:
    """Check ``sample_weight`` and drop the rows of weight zero from a CSC design.

    Returns the design, the response, the positive weights (None without weights) and
    the positions of the kept rows (None when every row is kept).
    """
    if sample_weight is None:
        return x, y, None, None
    from linmod.data.weights import check_weights

    weights = np.array(check_weights(sample_weight, x.shape[0], name="sample_weight"))
    positive = weights > 0
    if positive.all():
        return x, y, weights, None
    keep = np.flatnonzero(positive)
    return sparse_rows(x, keep), y[keep], weights[keep], keep
