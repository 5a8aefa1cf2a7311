"""Groups of features that a group-penalised fit selects or drops together.

A group is named by an id (any hashable value: a term name, an integer); every feature
belongs to exactly one group.  :func:`feature_groups` checks the ids against the number
of features and lays the groups out for the compiled kernel of
:mod:`linmod.solvers.group_lasso`: the features sorted by group (in order of first
appearance, stably), the start of each group in that order, and the group weights
``√|g|`` (the usual weighting of Yuan & Lin 2006, which keeps large groups from being
favoured: under the null each ``‖X_gᵀε‖`` grows like ``√|g|``).  A group of one feature
is an ordinary Lasso term.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError

__all__ = ["FeatureGroups", "feature_groups"]


@dataclass(frozen=True)
class FeatureGroups:
    """Features grouped for the group penalty.

    Attributes
    ----------
    labels : tuple
        The group ids, in order of first appearance.
    group_of : ndarray of int, shape (p,)
        Index (into ``labels``) of each feature's group.
    order : ndarray of int64, shape (p,)
        Features sorted by group (stable).
    starts : ndarray of int64, shape (n_groups + 1,)
        Group ``g`` is ``order[starts[g]:starts[g + 1]]``.
    weights : ndarray of float, shape (n_groups,)
        ``√|g|``.
    """

    labels: tuple[Any, ...]
    group_of: NDArray[np.int64]
    order: NDArray[np.int64]
    starts: NDArray[np.int64]
    weights: NDArray[np.float64]

    @property
    def n_groups(self) -> int:
        """Number of groups."""
        return len(self.labels)

    def members(self, g: int) -> NDArray[np.int64]:
        """The features of group ``g``."""
        return self.order[self.starts[g] : self.starts[g + 1]]


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Real) and not isinstance(value, bool) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def feature_groups(ids: Any, p: int, names: Sequence[str] | None = None) -> FeatureGroups:
    """Check group ids (one per feature) and lay the groups out.

    Parameters
    ----------
    ids : array-like of shape (p,)
        The group of each feature: any hashable values (strings, integers).
    p : int
        Number of features.
    names : sequence of str, optional
        Feature names, for messages.

    Returns
    -------
    FeatureGroups

    Raises
    ------
    InputError
        ``ids`` is not one-dimensional, its length is not ``p``, or an id is missing
        (None, NaN or an empty string).
    """
    values = np.asarray(ids, dtype=object)
    if values.ndim != 1:
        raise InputError(
            f"feature_groups must be one group id per feature (a 1-D sequence of length "
            f"{p}); got an array of shape {values.shape}"
        )
    if values.shape[0] != p:
        raise InputError(
            f"feature_groups has {values.shape[0]} ids but X has {p} feature"
            f"{'s' * (p != 1)}: give one group id per feature"
        )
    for j, value in enumerate(values.tolist()):
        if _is_missing(value):
            label = repr(str(names[j])) if names is not None else f"{j + 1}"
            raise InputError(
                f"feature_groups[{j}] (feature {label}) is {value!r}: every feature needs "
                "a group id (a string or an integer; a group of one feature is an "
                "ordinary Lasso term)"
            )
    labels: dict[Any, int] = {}
    group_of = np.empty(p, dtype=np.int64)
    for j, value in enumerate(values.tolist()):
        key = value.item() if isinstance(value, np.generic) else value
        try:
            group_of[j] = labels.setdefault(key, len(labels))
        except TypeError:
            raise InputError(
                f"feature_groups[{j}] = {value!r} is not a valid group id: use strings or integers"
            ) from None
    order = np.argsort(group_of, kind="stable").astype(np.int64)
    sizes = np.bincount(group_of, minlength=len(labels)).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    return FeatureGroups(
        labels=tuple(labels),
        group_of=group_of,
        order=order,
        starts=starts,
        weights=np.sqrt(sizes.astype(float)),
    )
