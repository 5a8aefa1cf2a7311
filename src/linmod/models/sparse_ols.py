"""``linmod.ols(X, y)`` with a scipy.sparse ``X``: never densified.

Up to :data:`~linmod.solvers.sparse_least_squares.SPARSE_OLS_GRAM_MAX` parameters the
fit is the R factor of ``[1 | X | y]`` from its exact Gram matrix, refined by the
corrected semi-normal equations with double-double residuals from the sparse columns
(:mod:`linmod.solvers.sparse_least_squares`): the coefficients reach the accuracy of a
dense QR fit with refinement, and the result is the same
:class:`~linmod.inference.streamed_results.StreamedOLSResults` a streamed fit returns
(standard errors, t and p values, intervals, R², F, AIC/BIC, prediction; no per-row
residuals are held).  Above that bound, LSQR gives the coefficients only, in a
:class:`SparseLSQRResults` that states the residual norm reached.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg as sla

from linmod._stack import user_stacklevel
from linmod.data.arrays import ArraySpec
from linmod.data.design import Design, Term
from linmod.data.sparse_input import sparse_xy
from linmod.exceptions import InputError, NearSingularWarning
from linmod.inference.streamed_results import StreamedOLSResults
from linmod.linalg.sparse_dd import sparse_residual_products
from linmod.linalg.threads import small_work_blas
from linmod.models.ols_folded import results_from_factor
from linmod.solvers.base import SolverResult, embed_square
from linmod.solvers.sparse_least_squares import (
    LSQR_TOL,
    REFINE_COVARIANCE_WORK,
    SPARSE_OLS_GRAM_MAX,
    gram_factor,
    refine_inverse,
    sparse_lsqr,
)

__all__ = ["SparseLSQRResults", "fit_sparse_ols", "refuse_sparse_options"]

#: ``cond(A)²·eps`` above which the refinement cannot converge: a warning says so.
_UNREACHABLE = 0.1


@dataclass(frozen=True)
class SparseLSQRResults:
    """OLS coefficients of a sparse ``X`` with too many columns for the Gram matrix (LSQR).

    No covariance is formed, so there are no standard errors: the coefficients are
    accurate to about ``1e-14·cond([1 | X])`` relative (LSQR's stopping rule
    ``‖Aᵀr‖ ≤ 1e-14·‖A‖·‖r‖``); ``gradient_norm`` is the ``‖Aᵀr‖`` reached.

    Attributes
    ----------
    coef : pandas.Series
        Intercept (when fitted) and coefficients, by column name.
    method : str
        ``"lsqr"``.
    residual_norm : float
        ``‖y − Ab‖``.
    gradient_norm : float
        ``‖Aᵀr‖``.
    n_iter : int
    converged : bool
        False when LSQR stopped at its iteration limit.
    n_obs : int
    """

    coef: pd.Series
    method: str
    residual_norm: float
    gradient_norm: float
    n_iter: int
    converged: bool
    n_obs: int

    @property
    def ssr(self) -> float:
        """Residual sum of squares."""
        return self.residual_norm**2

    def __repr__(self) -> str:
        state = "converged" if self.converged else "NOT converged (iteration limit)"
        return (
            f"<SparseLSQRResults n={self.n_obs}, {self.coef.size} coefficients, LSQR {state} "
            f"after {self.n_iter} iterations (atol=btol={LSQR_TOL:g}), "
            f"‖r‖={self.residual_norm:.6g}, ‖Aᵀr‖={self.gradient_norm:.3g}>"
        )


def refuse_sparse_options(
    y: Any, data: Any, solver: str, second_pass: bool, refine: Any, others: tuple[Any, ...]
) -> None:
    """Refuse the options of :func:`linmod.ols` that a sparse fit cannot honour
    (``others``: ``levels``, ``weights`` and ``timeout``, which must be None)."""
    if y is None:
        raise InputError("ols(X, y) with a sparse X needs y")
    if data is not None:
        raise InputError("data= is for formulas; with a sparse X call ols(X, y)")
    if solver != "auto":
        raise InputError(
            f"solver={solver!r} is not available for a sparse X, which is fitted from its Gram "
            "matrix's R factor with refinement (or LSQR beyond 5000 columns); leave solver='auto'"
        )
    if second_pass or refine is not None or any(v is not None for v in others):
        raise InputError(
            "second_pass=, refine=, levels=, weights= and timeout= are not available with a "
            "sparse X (it is always refined; weights: scale the rows of X and y by sqrt(w))"
        )


def _design(p: int, intercept: bool) -> Design:
    """A data-free design naming the columns ``Intercept, x0, x1, …``."""
    features = tuple(f"x{j}" for j in range(p))
    names = (("Intercept",) if intercept else ()) + features
    return Design(
        x=np.zeros((0, len(names))),
        y=np.zeros(0),
        column_names=names,
        response_name="y",
        intercept=intercept,
        terms=tuple(Term(name, (j,)) for j, name in enumerate(names)),
        spec=ArraySpec(features, intercept, from_frame=False),
        dropped_count=0,
    )


def _warn_if_unreachable(condition_number: float) -> None:
    """Warn when ``cond(A)²·eps`` is too large for the semi-normal refinement to converge."""
    squared = float(np.finfo(float).eps) * condition_number**2
    if squared > _UNREACHABLE:
        warnings.warn(
            f"the sparse least-squares fit cannot reach the float64 limit: cond(X)² · eps = "
            f"{squared:.1e} (condition number {condition_number:.3g}), so the Gram matrix "
            "loses every digit of some coefficients; fit X.toarray() (QR loses only "
            "cond · eps) or centre and rescale the columns",
            NearSingularWarning,
            stacklevel=user_stacklevel(),
        )


@dataclass(frozen=True)
class _Scaled:
    """The kept columns' power-of-two scales and an R factor of ``A S`` (for the refinement)."""

    kept: Any
    scales: Any
    r_scaled: Any
    condition_number: float

    @classmethod
    def of(cls, factor: Any, solution: SolverResult) -> _Scaled:
        kept = ~solution.aliased
        assert solution.column_scales is not None
        scales = solution.column_scales[kept]
        r = sla.qr(factor.r_xx[:, kept] * scales, mode="r", check_finite=False)[0]
        k = int(kept.sum())
        return cls(kept, scales, np.ascontiguousarray(r[:k, :k]), solution.condition_number)


def _refined_covariance(
    csc: Any, intercept: bool, solved: _Scaled, solution: SolverResult
) -> tuple[SolverResult, str]:
    """The solution with ``(AᵀA)⁻¹`` refined (when affordable) and a note saying so."""
    kept = solved.kept
    n = csc.shape[0]
    work = int(kept.sum()) * (n + csc.nnz)
    if work > REFINE_COVARIANCE_WORK:
        error = np.finfo(float).eps * solved.condition_number**2
        return solution, (
            f"covariance from the Gram matrix's factor, not refined ({work:.1e} > "
            f"{REFINE_COVARIANCE_WORK:.0e} operations): relative error up to about {error:.0e}"
        )
    zeros = np.zeros(n)

    def products(mask: Any, coef_hi: Any, coef_lo: Any) -> Any:
        return sparse_residual_products(csc, zeros, intercept, mask, coef_hi, coef_lo)

    start = solution.cov_unscaled[np.ix_(kept, kept)]
    cov, steps = refine_inverse(products, kept, solved.r_scaled, solved.scales, start)
    scaled = cov / np.outer(solved.scales, solved.scales)
    refined = replace(
        solution, cov_unscaled=embed_square(cov, kept), cov_scaled=embed_square(scaled, kept)
    )
    return refined, (
        f"covariance (X'X)⁻¹ refined column by column ({steps} sparse passes at most; "
        "double-double residuals)"
    )


def fit_sparse_ols(
    x: Any, y: Any, *, fit_intercept: bool = True, gram_max: int = SPARSE_OLS_GRAM_MAX
) -> StreamedOLSResults | SparseLSQRResults:
    """Fit OLS to a sparse ``X`` (see the module text).

    Parameters
    ----------
    x : scipy.sparse matrix or array of shape (n, p)
    y : array-like of shape (n,)
    fit_intercept : bool
    gram_max : int
        Largest number of parameters fitted through the Gram matrix.

    Returns
    -------
    StreamedOLSResults or SparseLSQRResults

    Raises
    ------
    InputError
        For fewer rows than parameters, a constant response, or bad data.
    """
    intercept = bool(fit_intercept)
    csc, yv = sparse_xy(x, y)
    n, p = csc.shape
    q = p + int(intercept)
    if n < q:
        raise InputError(
            f"{n} rows but {q} parameters: least squares needs at least as many rows as "
            "parameters; drop columns or use a regularised fit (Ridge or Lasso)"
        )
    if n > 1 and np.all(yv == yv[0]):
        raise InputError(
            f"the response is constant (every value is {yv[0]:g}); there is no variation to "
            "explain and R² is undefined"
        )
    design = _design(p, intercept)
    if q > gram_max:
        lsqr = sparse_lsqr(csc, yv, intercept)
        return SparseLSQRResults(
            coef=pd.Series(lsqr.coef, index=list(design.column_names)),
            method="lsqr",
            residual_norm=lsqr.residual_norm,
            gradient_norm=lsqr.gradient_norm,
            n_iter=lsqr.n_iter,
            converged=lsqr.converged,
            n_obs=n,
        )
    with small_work_blas((q, q)):  # small factorisations: OpenBLAS's spinning threads cost
        return _fit_gram(csc, yv, intercept, design)


def _fit_gram(csc: Any, yv: Any, intercept: bool, design: Design) -> StreamedOLSResults:
    """The Gram-matrix fit, refined (coefficients and covariance)."""
    factor = gram_factor(csc, yv, intercept)

    def reader(kept: Any, coef_hi: Any, coef_lo: Any) -> Any:
        return sparse_residual_products(csc, yv, intercept, kept, coef_hi, coef_lo)

    results = results_from_factor(factor, design, "sparse X", refine=True, reader=reader)
    solved = _Scaled.of(factor, results.solution)
    _warn_if_unreachable(solved.condition_number)
    solution, cov_note = _refined_covariance(csc, intercept, solved, results.solution)
    notes = [
        "sparse X: R factor of [X | y] from its exact Gram matrix (Cholesky), never densified"
        if note.startswith("sparse X:")
        else note.replace("passes over the data", "sparse passes").replace(
            "pass over the data", "sparse pass"
        )
        for note in results.solution.notes
    ]
    notes.append(cov_note)
    solution = replace(solution, method="sparse-gram", notes=tuple(notes))
    return replace(results, solution=solution, solver="sparse-gram")
