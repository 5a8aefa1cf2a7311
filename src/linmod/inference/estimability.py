"""Which predictions a rank-deficient fit can make: estimability of ``x'β``.

When columns of the design are aliased (``wt2 = 2·wt``), the coefficients are not unique,
but ``x'β`` is for every new row ``x`` orthogonal to the null space of ``X`` (every row
that respects the same dependencies, such as ``wt2 == 2·wt``).  Any other row gets a value
that depends on which of the equivalent coefficient vectors the solver returned: R's
``predict.lm`` returns such a number silently by default and, since R 4.3, flags it with
``rankdeficient = "non-estim"`` (``"NA"`` makes it ``NA``).  linmod makes it NaN and warns,
naming the rows.

The test is R's (``predict.lm`` in R >= 4.3): with ``N`` an orthonormal basis of the null
space of ``X`` (in the design's own units), a row is non-estimable when
``||x' N|| >= tol · ||x||`` with ``tol = 1e-6``.  The basis comes from the fit's
dependencies (each aliased column written in terms of the kept ones, found from the
fit's R factor), so it exists for fits of streamed data and is saved in model files.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod._stack import user_stacklevel
from linmod.exceptions import LinmodWarning
from linmod.linalg.rank import Dependency

__all__ = [
    "ESTIMABILITY_TOL",
    "NonEstimableWarning",
    "non_estimable_rows",
    "null_basis",
    "warn_non_estimable",
    "warn_unchecked",
    "warn_unpredicted",
]

Float = NDArray[np.float64]

#: R's ``predict.lm(tol = 1e-6)``: the share of a row's norm that may lie in the null space.
ESTIMABILITY_TOL = 1e-6


class NonEstimableWarning(LinmodWarning):
    """A prediction of a rank-deficient fit was not estimable and was set to NaN."""


def null_basis(dependencies: Sequence[Dependency], p: int) -> Float:
    """An orthonormal basis of the null space of a design from its dependencies.

    Parameters
    ----------
    dependencies : sequence of Dependency
        One per aliased column: ``x[:, j] == sum(c * x[:, k])``.
    p : int
        Number of columns of the design.

    Returns
    -------
    ndarray of shape (p, len(dependencies))
        Orthonormal columns spanning ``{v : X v = 0}`` (no columns for a full-rank fit).
    """
    vectors = np.zeros((p, len(dependencies)))
    for i, dependency in enumerate(dependencies):
        vectors[dependency.column, i] = 1.0
        for k, c in dependency.coefficients.items():
            vectors[k, i] = -c
    if not dependencies:
        return vectors
    q, _ = sla.qr(vectors, mode="economic", check_finite=False)
    return np.asarray(q, dtype=np.float64)


def non_estimable_rows(x: Float, basis: Float, tol: float = ESTIMABILITY_TOL) -> NDArray[np.bool_]:
    """Rows ``x_i`` with ``||x_i' N|| >= tol · ||x_i||`` (R's ``predict.lm`` test).

    Parameters
    ----------
    x : ndarray of shape (n, p)
        New rows of the design (all columns, aliased ones included).
    basis : ndarray of shape (p, d)
        Orthonormal basis of the fit's null space, :func:`null_basis`.
    tol : float
        R's ``tol``.

    Returns
    -------
    ndarray of bool, shape (n,)
        False everywhere when ``d == 0`` (a full-rank fit); rows holding NaN are not flagged
        (they are missing, not non-estimable).
    """
    if basis.shape[1] == 0 or x.shape[0] == 0:
        return np.zeros(x.shape[0], dtype=bool)
    # Each row divided by its largest magnitude first: norms of rows beyond 1e154 stay finite.
    with np.errstate(invalid="ignore", divide="ignore"):
        biggest = np.max(np.abs(x), axis=1, keepdims=True)
        rows = np.where(biggest > 0, x / np.where(biggest > 0, biggest, 1.0), 0.0)
    in_null = np.linalg.norm(rows @ basis, axis=1)
    whole = np.linalg.norm(rows, axis=1)
    flagged = (in_null >= tol * whole) & (whole > 0)
    return np.asarray(flagged & np.isfinite(in_null), dtype=bool)


def _row_names(index: pd.Index, rows: NDArray[np.int_]) -> str:
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    shown = [f"{i + 1}" if default else f"{i + 1} ({index[i]!r})" for i in rows[:5].tolist()]
    more = f" and {rows.size - 5} more" if rows.size > 5 else ""
    return ", ".join(shown) + more


def warn_non_estimable(
    flagged: NDArray[np.bool_], index: pd.Index, dependencies: Sequence[str]
) -> None:
    """Warn that the flagged rows were predicted as NaN, naming them (1-based) and why."""
    rows = np.flatnonzero(flagged)
    if rows.size == 0:
        return
    word = "row {} is" if rows.size == 1 else "rows {} are"
    because = "; ".join(dependencies) or "aliased columns"
    warnings.warn(
        f"prediction from a rank-deficient fit: new {word.format(_row_names(index, rows))} "
        f"not estimable (breaking the fit's dependencies: {because}), so the "
        "prediction is NaN, as R's predict(..., rankdeficient = 'NA'); give rows that "
        "respect the dependencies, or drop the aliased columns and refit",
        NonEstimableWarning,
        stacklevel=user_stacklevel(),
    )


def warn_unpredicted(
    x: NDArray[np.float64], incomplete: NDArray[np.bool_], index: pd.Index, names: Sequence[str]
) -> None:
    """Warn that rows of new data get no prediction (NaN), naming the terms that are
    missing or not finite there (log of zero, of a negative number) and the rows.

    ``linmod predict`` says so: a prediction file with blank cells and exit status 0 is
    easy to take for a complete one.  (``predict`` in Python returns NaN for them, as R's
    gives NA, without a warning: the NaN is in plain sight.)
    """
    rows = np.flatnonzero(incomplete)
    if rows.size == 0:
        return
    bad = ~np.isfinite(x)

    def in_rows(rows: NDArray[np.int_]) -> str:
        return f"in {'row' if rows.size == 1 else 'rows'} {_row_names(index, rows)}"

    parts = [
        f"{names[j]!r} {in_rows(np.flatnonzero(bad[:, j]))}"
        for j in np.flatnonzero(bad.any(axis=0))[:3]
        if j < len(names)
    ]
    other = np.flatnonzero(incomplete & ~bad.any(axis=1))
    if other.size:
        parts.append(f"missing values {in_rows(other)}")
    warnings.warn(
        f"{rows.size} of {x.shape[0]} new rows get no prediction (NaN): not finite or "
        f"missing: {'; '.join(parts)}; fill or filter those rows (a log or square root "
        "needs positive values)",
        LinmodWarning,
        stacklevel=user_stacklevel(),
    )


def warn_unchecked() -> None:
    """Warn that a rank-deficient saved model holds no null-space basis to check rows with."""
    warnings.warn(
        "prediction from a rank-deficient model file written without a null-space basis "
        "(by an older linmod): rows that break the fit's dependencies cannot be detected and "
        "get a number that depends on the solver; save the model again with this linmod",
        NonEstimableWarning,
        stacklevel=user_stacklevel(),
    )
