"""``sample_weight`` in the penalised estimators: checked, zero weights dropped, folds kept.

Every ``fit(X, y, sample_weight=None)`` of the penalised family checks the weights with
:func:`linmod.data.weights.check_weights` (negative, NaN or infinite weights and an
all-zero vector are refused naming the rows) and drops the rows of weight zero, as R
does: a fit with zero weights is the fit of the other rows.  Cross-validation splits the
kept rows; folds given explicitly (an iterable of ``(train, test)`` index arrays, as
scikit-learn's checks pass) refer to the rows given and are renumbered to the kept ones.
The objectives the weights enter are described in
:mod:`linmod.solvers.weighted_problem`.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError
from linmod.solvers.weighted_problem import kept_rows as _kept_rows

__all__ = [
    "broadcast_weight",
    "cv_folds",
    "explicit_folds",
    "fold_groups",
    "kept_rows",
    "renumber_folds",
]

Float = NDArray[np.float64]
Index = NDArray[np.intp]


def broadcast_weight(sample_weight: Any, n_rows: int) -> Any:
    """A number as ``sample_weight`` is that weight on every row (scikit-learn's
    convention); anything else is returned as given (to be checked by the caller)."""
    if isinstance(sample_weight, Real) and not isinstance(sample_weight, bool):
        return np.full(n_rows, float(sample_weight))
    return sample_weight


def kept_rows(
    x: Float, y: Float, sample_weight: Any
) -> tuple[Float, Float, Float | None, Index | None]:
    """:func:`linmod.solvers.weighted_problem.kept_rows`, with a number as ``sample_weight``
    meaning that weight for every row (:func:`broadcast_weight`)."""
    return _kept_rows(x, y, broadcast_weight(sample_weight, x.shape[0]))


def explicit_folds(cv: Any) -> bool:
    """Whether ``cv`` is an iterable of ``(train, test)`` index pairs (not a splitter)."""
    return cv is not None and not isinstance(cv, Integral) and not hasattr(cv, "split")


def renumber_folds(
    folds: list[tuple[Index, Index]], keep: Index, n_rows: int
) -> list[tuple[Index, Index]]:
    """Folds over all ``n_rows`` rows as folds over the kept rows (zero-weight rows out).

    Raises
    ------
    InputError
        If a fold has no held-out (or no training) row of positive weight.
    """
    position = np.full(n_rows, -1, dtype=np.intp)
    position[keep] = np.arange(keep.size)
    out = []
    for k, (train, test) in enumerate(folds, start=1):
        tr, te = position[train], position[test]
        tr, te = tr[tr >= 0], te[te >= 0]
        if te.size == 0 or tr.size == 0:
            what = "held-out" if te.size == 0 else "training"
            raise InputError(
                f"fold {k} of cv has no {what} row with a positive sample_weight; give every "
                "fold rows of positive weight (weight 0 drops a row)"
            )
        out.append((tr, te))
    return out


def fold_groups(groups: Any, keep: Index | None, n_rows: int) -> Any:
    """The group labels of the kept rows (``fit(..., groups=...)``), checked.

    Raises
    ------
    InputError
        If ``groups`` is not one label per row given, or holds missing values.
    """
    if groups is None:
        return None
    labels = np.asarray(groups)
    if labels.ndim != 1 or labels.shape[0] != n_rows:
        raise InputError(
            f"groups has shape {labels.shape}, X has {n_rows} rows: pass one group label per row"
        )
    if labels.dtype.kind in "fc" and np.isnan(labels).any():
        row = int(np.flatnonzero(np.isnan(labels))[0]) + 1
        raise InputError(f"groups is missing (NaN) at row {row}: give every row a group label")
    return labels if keep is None else labels[keep]


def cv_folds(cv: Any, x: Float, y: Float, kept: Any = None) -> list[tuple[Index, Index]]:
    """The (train, test) index pairs of a splitter, as InputError when it cannot split.

    ``kept``: ``(positions of the rows kept, rows given)`` when zero-weight rows were
    dropped; folds given explicitly are then renumbered to the kept rows.  A third item,
    the ``groups`` given to ``fit``, is passed to the splitter (``GroupKFold``,
    ``LeaveOneGroupOut``, ...) for the kept rows; splitters without groups ignore it.
    """
    from sklearn.model_selection import check_cv  # only when a splitter is used

    groups = fold_groups(kept[2], kept[0], kept[1]) if kept is not None and len(kept) > 2 else None
    try:
        splits = check_cv(cv).split(x, y, groups)
        folds = [(np.asarray(tr), np.asarray(te)) for tr, te in splits]
    except ValueError as error:
        raise InputError(f"cv={cv!r} cannot split these data: {error}") from None
    if kept is not None and kept[0] is not None and explicit_folds(cv):
        return renumber_folds(folds, kept[0], kept[1])
    return folds
