"""Refuse a rank-deficient design in the fits that cannot drop aliased columns.

Least squares drops an aliased column and reports it (R's ``lm``: a NA coefficient);
robust (M-estimation) and quantile regression need linearly independent columns, so they
refuse the design.  The message names the dependency as ``OLSResults.dependencies`` does
(:class:`linmod.linalg.rank.Dependency`, R's rule for which column is aliased: the later
one), e.g. ``x2 = 2·x1``, so the user knows which term to drop.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.data.design import Term
from linmod.exceptions import InputError
from linmod.linalg.rank import analyse_rank
from linmod.linalg.scaling import power_of_two_scales

__all__ = ["check_full_rank", "describe_aliasing"]

#: Columns whose loading on the weakest direction is at least this share of the largest
#: are named as the near-dependency when no exact one is found.
_WEAK_LOADING = 0.1


def describe_aliasing(x: NDArray[np.float64], names: Sequence[str]) -> tuple[str, list[int]]:
    """The linear dependencies among the columns of ``x``, and the columns R would drop.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        The design.
    names : sequence of str
        One name per column.

    Returns
    -------
    description : str
        Each aliased column in terms of the columns kept before it (``"x2 = 2·x1"``),
        joined by ``"; "``; for a design that is singular only to the working precision
        of a rank-revealing solver, the columns of its weakest direction.
    aliased : list of int
        The aliased columns (those ``lm`` would give a NA coefficient); empty for a
        near-dependency.
    """
    scales = power_of_two_scales(np.linalg.norm(x, axis=0))
    analysis = analyse_rank(x * scales, scales)
    names = [str(name) for name in names]
    if analysis.dependencies:
        described = "; ".join(d.describe(names) for d in analysis.dependencies)
        return described, [d.column for d in analysis.dependencies]
    loadings = np.abs(analysis.weakest_direction)
    involved = [names[j] for j in np.flatnonzero(loadings >= _WEAK_LOADING * loadings.max())]
    return f"a near-dependency among {', '.join(involved)}", []


def check_full_rank(
    x: NDArray[np.float64],
    names: Sequence[str] | None,
    fit: str,
    terms: Sequence[Term] | None = None,
) -> None:
    """Refuse a design whose columns are linearly dependent, naming the dependency.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        The design (its intercept column included).
    names : sequence of str or None
        The column names (``x0, x1, ...`` when None).
    fit : str
        What needs independent columns, e.g. ``"quantile regression"``.
    terms : sequence of Term, optional
        The model's terms, to say which term to drop (``C(h)`` for the level columns
        ``C(h)[T.v]``, ``C(h)[T.w]``); without them the columns are named.

    Raises
    ------
    InputError
        For fewer rows than columns, or a rank-deficient ``x`` (rank as LAPACK's
        ``gelsy`` decides it), e.g. "the design is rank deficient: x2 = 2·x1; quantile
        regression needs linearly independent columns: drop one of the terms of each
        dependency (e.g. x2)".
    """
    n, p = x.shape
    if n < p:
        raise InputError(
            f"{n} rows but {p} parameters: {fit} needs at least as many rows as parameters; "
            "drop terms"
        )
    if not p or sla.lstsq(x, np.zeros(n), lapack_driver="gelsy", check_finite=False)[2] >= p:
        return
    labels = list(names) if names is not None else [f"x{j}" for j in range(p)]
    described, aliased = describe_aliasing(x, labels)
    owner = {j: term.name for term in terms or () for j in term.columns}
    droppable = dict.fromkeys(owner.get(j, labels[j]) for j in aliased)
    example = f" (e.g. {', '.join(droppable)})" if droppable else ""
    raise InputError(
        f"the design is rank deficient (some columns are linear combinations of others): "
        f"{described}; {fit} needs linearly independent columns: drop one of the terms of "
        f"each dependency{example}"
    )
