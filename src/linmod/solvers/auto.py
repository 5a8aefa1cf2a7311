"""The one place where ``solver=`` names are resolved to solver functions.

``"auto"`` is accurate and fast.  Designs up to ``n * p**2 <= 5e7`` first try the certified
Cholesky solver (:mod:`linmod.solvers.certified`: one Gram pass, refinement in
double-double, accepted only when a-posteriori bounds certify float64-limit coefficients
and 14-digit standard errors; offset columns beside an intercept are factored in shifted
coordinates); what it cannot certify, and designs carried in
double-double, take the refined QR path.  Larger designs take the Cholesky path when the
scaled condition number is at most 1e3 (where its error is below 1e-12) and QR otherwise.
A rank-deficient design is fitted on its estimable columns (found by the scaled QR rank
analysis, R's rule) by the same fast path when that certifies them
(:mod:`linmod.solvers.reduced`), by the refined QR otherwise.
"""

from __future__ import annotations

from collections.abc import Callable

from linmod.exceptions import InputError
from linmod.linalg.threads import small_work_blas_thread
from linmod.solvers.base import LeastSquaresProblem, SolverResult
from linmod.solvers.certified import solve_certified
from linmod.solvers.cholesky import solve_cholesky
from linmod.solvers.gd import solve_gd
from linmod.solvers.normal import solve_normal
from linmod.solvers.qr import scaled_rank_analysis, solve_qr
from linmod.solvers.reduced import fit_estimable_columns
from linmod.solvers.scaled import solve_scaled
from linmod.solvers.simple import solve_simple
from linmod.solvers.svd import solve_svd

__all__ = ["AUTO_CHOLESKY_MAX_CONDITION", "SOLVERS", "solve"]

AUTO_SMALL_DESIGN = 5e7
AUTO_CHOLESKY_MAX_CONDITION = 1e3


def _solve_cholesky_strict(problem: LeastSquaresProblem) -> SolverResult:
    result = solve_cholesky(problem)
    assert result is not None  # without max_condition the Cholesky solver always answers
    return result


def _solve_auto(problem: LeastSquaresProblem) -> SolverResult:
    if problem.n * problem.p**2 > AUTO_SMALL_DESIGN:
        if problem.x_lo is None:
            result = _cholesky_if_conditioned(problem)
            if result is not None:
                return result
        return _estimable_columns_or_qr(problem, _cholesky_if_conditioned)
    with small_work_blas_thread():  # many tiny BLAS calls: a second thread only hurts
        if problem.x_lo is None:
            certified = solve_certified(problem)
            if certified is not None:
                return certified
        return _estimable_columns_or_qr(problem, solve_certified)


def _cholesky_if_conditioned(problem: LeastSquaresProblem) -> SolverResult | None:
    return solve_cholesky(problem, max_condition=AUTO_CHOLESKY_MAX_CONDITION)


def _estimable_columns_or_qr(
    problem: LeastSquaresProblem, solver: Callable[[LeastSquaresProblem], SolverResult | None]
) -> SolverResult:
    """After the fast path declined: a rank-deficient design's estimable columns by
    ``solver`` (:mod:`linmod.solvers.reduced`), else the refined QR fit (which reuses the
    rank analysis)."""
    analysed = scaled_rank_analysis(problem)
    if not analysed[2].kept.all():
        result = fit_estimable_columns(problem, analysed[2], solver)
        if result is not None:
            return result
    return solve_qr(problem, analysed)


SOLVERS: dict[str, Callable[[LeastSquaresProblem], SolverResult]] = {
    "auto": _solve_auto,
    "qr": solve_qr,
    "cholesky": _solve_cholesky_strict,
    "svd": solve_svd,
    "normal": solve_normal,
    "simple": solve_simple,
    "gd": solve_gd,
}


def solve(problem: LeastSquaresProblem, solver: str = "auto") -> SolverResult:
    """Fit ``problem`` with the named solver.

    Parameters
    ----------
    problem : LeastSquaresProblem
    solver : {"auto", "qr", "cholesky", "svd", "normal", "simple", "gd"}

    Returns
    -------
    SolverResult
        Every solver runs on power-of-two scaled data (see :mod:`linmod.solvers.scaled`),
        so data of any magnitude float64 holds is fitted, and scaling a column or the
        response by ``2**k`` scales the coefficients by exactly ``2**k``.
    """
    try:
        function = SOLVERS[solver]
    except KeyError:
        raise InputError(
            f"solver={solver!r} is not known; choose one of {', '.join(map(repr, SOLVERS))}"
        ) from None
    return solve_scaled(function, problem)
