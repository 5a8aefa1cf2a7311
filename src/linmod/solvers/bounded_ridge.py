"""Ridge solvers behind scikit-learn's other ``solver=`` values, and ``positive=True``.

All minimise scikit-learn's ``‖y − Xβ‖² + α‖β‖²`` on the centred (scaled, weighted)
design that :class:`~linmod.Ridge` prepares, so the intercept is neither penalised nor
constrained.

``positive=True`` (``solver="auto"`` or ``"lbfgs"``, as scikit-learn allows)
    ``β ≥ 0`` by a bounded least-squares solve of the augmented system
    ``[X; √α·I] β ≈ [y; 0]`` (:func:`scipy.optimize.lsq_linear`: its ``"bvls"``
    active-set method, exact at its KKT point, up to 200 features; beyond, the
    trust-region reflective method to ``tol``, then the least-squares solution on the
    support it found when that satisfies the KKT conditions).
    ``‖[X; √α I]β − [y; 0]‖² = ‖y − Xβ‖² + α‖β‖²``, so this is the ridge objective exactly.
``"lsqr"``
    :func:`scipy.sparse.linalg.lsqr` with ``damp = √α`` (the same augmented system),
    stopping at relative tolerance ``tol``; ``max_iter`` caps its iterations.
``"sparse_cg"``
    Conjugate gradients (:func:`scipy.sparse.linalg.cg`) on ``(XᵀX + αI)β = Xᵀy``
    without forming ``XᵀX``, to relative residual ``tol``.
``"sag"``, ``"saga"``
    scikit-learn's stochastic average gradient methods approximate the same minimiser;
    linmod computes it exactly with ``"cholesky"`` (``tol`` then has nothing to stop).

The direct solvers (``"auto"``, ``"cholesky"``, ``"svd"``) are in
:mod:`linmod.solvers.ridge`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import lsq_linear
from scipy.sparse.linalg import LinearOperator, cg, lsqr

from linmod.exceptions import InputError
from linmod.solvers.ridge import RIDGE_SOLVERS, solve_ridge

__all__ = ["ITERATIVE_SOLVERS", "SKLEARN_RIDGE_SOLVERS", "solve_ridge_options"]

Float = NDArray[np.float64]

#: Iterative solvers: they stop at ``tol``.
ITERATIVE_SOLVERS = ("lsqr", "sparse_cg")
#: Every ``solver=`` value :class:`~linmod.Ridge` accepts (scikit-learn's set).
SKLEARN_RIDGE_SOLVERS = (*RIDGE_SOLVERS, *ITERATIVE_SOLVERS, "lbfgs", "sag", "saga")
#: Below this many unknowns the exact active-set method (BVLS) is used for ``positive``.
_BVLS_MAX_FEATURES = 200


def ridge_positive(xc: Float, yc: Float, alpha: float, tol: float, max_iter: int | None) -> Float:
    """Ridge coefficients constrained to be non-negative (``β ≥ 0``).

    Parameters
    ----------
    xc : ndarray of shape (n, p)
        Centred (scaled, weighted) design.
    yc : ndarray of shape (n,)
    alpha : float
        Penalty ≥ 0.
    tol : float
        Tolerance of the trust-region method (unused by the exact BVLS method).
    max_iter : int or None
        Iteration cap (None: scipy's default).
    """
    p = xc.shape[1]
    if p == 0:
        return np.zeros(0)
    if alpha > 0.0:
        a = np.vstack([xc, np.sqrt(alpha) * np.eye(p)])
        b = np.concatenate([yc, np.zeros(p)])
    else:
        a, b = xc, yc
    method = "bvls" if p <= _BVLS_MAX_FEATURES else "trf"
    result = lsq_linear(
        a, b, bounds=(0.0, np.inf), method=method, tol=max(tol, 1e-15), max_iter=max_iter
    )
    coef = np.maximum(np.asarray(result.x, dtype=float), 0.0)
    return coef if method == "bvls" else _polish(a, b, coef)


def _polish(a: Float, b: Float, coef: Float) -> Float:
    """The exact minimiser on the support the trust-region method found, when it is one.

    Least squares restricted to the clearly positive coefficients, with a few active-set
    corrections (a coefficient that turns negative leaves the support; the zero
    coefficient with the most positive gradient joins it); kept once the KKT conditions
    hold (positive on the support, gradient ``aᵀ(b − aβ)`` ≤ 0 off it), so the result is
    exact rather than accurate to ``tol``; otherwise the trust-region solution is kept.
    """
    free = coef > 1e-6 * coef.max(initial=0.0)
    slack = 1e-10 * np.abs(a.T @ b).max(initial=0.0)
    for _ in range(20):
        if not free.any():
            return coef
        exact = np.zeros_like(coef)
        exact[free] = np.linalg.lstsq(a[:, free], b, rcond=None)[0]
        if (exact[free] <= 0).any():
            free &= exact > 0
            continue
        gradient = a.T @ (b - a @ exact)
        gradient[free] = -np.inf
        worst = int(np.argmax(gradient))
        if gradient[worst] <= slack:
            return exact
        free[worst] = True
    return coef


def _ridge_lsqr(
    xc: Float, yc: Float, alpha: float, tol: float, max_iter: int | None
) -> tuple[Float, int]:
    result = lsqr(xc, yc, damp=np.sqrt(alpha), atol=tol, btol=tol, iter_lim=max_iter)
    return np.asarray(result[0], dtype=float), int(result[2])


def _ridge_cg(xc: Float, yc: Float, alpha: float, tol: float, max_iter: int | None) -> Float:
    p = xc.shape[1]
    operator = LinearOperator((p, p), matvec=lambda v: xc.T @ (xc @ v) + alpha * v, dtype=float)
    coef, _info = cg(operator, xc.T @ yc, rtol=tol, maxiter=max_iter)
    return np.asarray(coef, dtype=float)


def solve_ridge_options(
    xc: Float,
    yc: Float,
    alpha: float,
    *,
    solver: str = "auto",
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int | None = None,
) -> tuple[Float, int | None]:
    """Ridge coefficients with any of scikit-learn's ``solver=`` values.

    Parameters
    ----------
    xc, yc : ndarray
        Centred (scaled, weighted) design and response.
    alpha : float
        Penalty ≥ 0.
    solver : str
        One of :data:`SKLEARN_RIDGE_SOLVERS`.
    positive : bool
        Constrain the coefficients to be non-negative.
    tol : float
        Stopping tolerance of the iterative solvers.
    max_iter : int or None
        Iteration cap of the iterative solvers.

    Returns
    -------
    coef : ndarray of shape (p,)
    n_iter : int or None
        Iterations of ``"lsqr"``; None for the other solvers (as scikit-learn's
        ``n_iter_``, which only its ``"lsqr"``, ``"sag"`` and ``"saga"`` report).

    Raises
    ------
    InputError
        ``positive=True`` with a solver other than ``"auto"``/``"lbfgs"``, or
        ``"lbfgs"`` without ``positive`` (scikit-learn's rules).
    """
    if positive:
        if solver not in ("auto", "lbfgs"):
            raise InputError(
                f"Ridge(positive=True) cannot use solver={solver!r}: only 'auto' and 'lbfgs' "
                "solve the constrained problem (as in scikit-learn); pass solver='auto'"
            )
        return ridge_positive(xc, yc, alpha, tol, max_iter), None
    if solver == "lbfgs":
        raise InputError(
            "Ridge(solver='lbfgs') is only for positive=True (as in scikit-learn); pass "
            "positive=True or solver='auto'"
        )
    if solver == "lsqr" and xc.shape[1]:
        return _ridge_lsqr(xc, yc, alpha, tol, max_iter)
    if solver == "sparse_cg" and xc.shape[1]:
        return _ridge_cg(xc, yc, alpha, tol, max_iter), None
    # sag/saga approximate this minimiser; "cholesky" computes it (and so does "auto"
    # for the iterative solvers on a problem with no feature).
    exact = {"sag": "cholesky", "saga": "cholesky", "lsqr": "auto", "sparse_cg": "auto"}
    return solve_ridge(xc, yc, alpha, exact.get(solver, solver)), None
