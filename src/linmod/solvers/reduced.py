"""A rank-deficient design fitted on its estimable columns by the fast certified paths.

A design with aliased columns (a duplicated column, dummies of nested factors, a column
that is the sum of others) cannot be factored by Cholesky, so ``solver="auto"`` used to
refine the whole fit by QR, and ``(X'X)^-1`` by QR refinement with ``p`` right-hand sides:
0.76 s at 1e5 x 21 against 0.09 s for statsmodels and 0.03 s for scikit-learn
(``bench/speed.py --aliased 1``).  Once the scaled QR rank analysis
(:func:`~linmod.solvers.qr.scaled_rank_analysis`, R's rule) has decided which columns are
estimable, those columns form a full-rank design; this fits them with the solver ``auto``
would take for a full-rank design of that size (the certified Cholesky fit, or the plain
Cholesky fit when its scaled condition number is small), and places the
result in the full design's coordinates: NaN coefficients and covariance for the aliased
columns, the rank analysis' dependencies and conditioning, as the QR path reports them.
When the estimable columns cannot be certified either, the caller refines them by QR.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from linmod.linalg.rank import RankAnalysis
from linmod.solvers.base import LeastSquaresProblem, SolverResult, embed, embed_square

__all__ = ["fit_estimable_columns"]


def fit_estimable_columns(
    problem: LeastSquaresProblem,
    analysis: RankAnalysis,
    solver: Callable[[LeastSquaresProblem], SolverResult | None],
) -> SolverResult | None:
    """Fit the estimable columns of ``problem`` with ``solver``, in the full coordinates.

    Parameters
    ----------
    problem : LeastSquaresProblem
        A design without low parts (``x_lo`` None), in the safe range of
        :mod:`linmod.solvers.scaled`.
    analysis : RankAnalysis
        Its scaled rank analysis; ``analysis.kept`` marks the estimable columns.
    solver : callable
        A full-rank solver that may decline (return None), e.g.
        :func:`~linmod.solvers.certified.solve_certified`.

    Returns
    -------
    SolverResult or None
        None when ``solver`` declines the estimable columns (or the design has none).
    """
    kept = analysis.kept
    if problem.x_lo is not None or not kept.any():
        return None
    names = tuple(name for name, keep in zip(problem.names, kept, strict=True) if keep)
    reduced = LeastSquaresProblem(
        x=np.ascontiguousarray(problem.x[:, kept]),
        y=problem.y,
        names=names,
        intercept=problem.intercept and bool(kept[0]),
        progress=problem.progress,
    )
    result = solver(reduced)
    if result is None:
        return None
    return replace(
        result,
        coef=embed(result.coef, kept),
        cov_unscaled=embed_square(result.cov_unscaled, kept),
        rank=analysis.rank,
        aliased=~kept,
        dependencies=analysis.dependencies,
        condition_number=analysis.condition_number,
        weakest_direction=analysis.weakest_direction,
        column_scales=None,  # of the estimable columns: solve_scaled sets the design's
        cov_scaled=None,
    )
