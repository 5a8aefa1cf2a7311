"""Quantile regression: the exact solution of Koenker and Bassett's linear program.

``minimise  sum_i rho_q(y_i - x_i' b)``,  ``rho_q(r) = r (q - [r < 0])``.

The fit runs in two stages:

1. A primal-dual interior-point method with Mehrotra's predictor-corrector on the dual
   problem ``max y'a  s.t.  X'a = (1 - q) X'1,  0 <= a <= 1`` (the Frisch-Newton method of
   Portnoy and Koenker, 1997, quantreg's ``method="fn"``): each step solves one p x p
   system ``X' D X``, so the cost is O(n p^2) per iteration and about 20-40 iterations.
2. A crossover to an exact vertex: p rows with the smallest residuals that span the
   design give ``b = X_h^-1 y_h`` (as the simplex, quantreg's ``method="br"``, returns),
   and the optimality conditions of Koenker's Theorem 2.1 certify it: the subgradient
   weights ``v = -X_h'^-1 sum_{i not in h} psi_q(r_i) x_i`` must lie in ``[q - 1, q]``.
   When the certificate fails (a degenerate or badly scaled problem), the linear program
   is solved by HiGHS (scipy) instead.

When some ``v_j`` sits on the boundary of that interval the minimiser need not be
unique (quantreg warns "Solution may be nonunique"): the result says so, and any other
solution has the same objective value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.data.design import Term
from linmod.exceptions import InputError, LinmodError
from linmod.solvers.full_rank import check_full_rank

__all__ = ["QuantileSolution", "check_loss", "check_quantile", "fit_quantile"]

Float = NDArray[np.float64]

_MAX_ITERATIONS = 100
_GAP_TOLERANCE = 1e-11
_STEP_FRACTION = 0.99995
_EPS = float(np.finfo(np.float64).eps)


@dataclass(frozen=True)
class QuantileSolution:
    """What the quantile-regression solver found.

    Attributes
    ----------
    coef : ndarray of shape (p,)
        The coefficients (an exact vertex of the linear program).
    residuals : ndarray of shape (n,)
        ``y - X coef``.
    objective : float
        ``sum rho_q(residuals)``.
    basis : ndarray of int, shape (p,)
        The rows the solution interpolates (zero residuals).
    nonunique : bool
        The optimality conditions hold with equality somewhere: other minimisers exist.
    iterations : int
        Interior-point iterations (0 when HiGHS solved it).
    method : str
        ``"fn"`` (interior point and crossover) or ``"highs"``.
    """

    coef: Float
    residuals: Float
    objective: float
    basis: NDArray[np.intp]
    nonunique: bool
    iterations: int
    method: str


def check_quantile(q: float) -> float:
    """Return ``q`` as a float if it lies strictly between 0 and 1, else raise."""
    try:
        value = float(q)
    except (TypeError, ValueError):
        raise InputError(f"q={q!r} must be a number between 0 and 1, e.g. q=0.5") from None
    if not 0.0 < value < 1.0:
        raise InputError(
            f"q={q!r} is outside (0, 1): a quantile level is strictly between 0 and 1 "
            "(q=0.5 is the median, least absolute deviations)"
        )
    return value


def check_loss(
    x: Float, names: Sequence[str] | None = None, terms: Sequence[Term] | None = None
) -> None:
    """Refuse designs a quantile regression cannot fit (fewer rows than columns, or
    linearly dependent columns: the dependency is named, in terms of ``names``, and the
    terms to drop among ``terms``)."""
    check_full_rank(x, names, "quantile regression", terms)


def _objective(residuals: Float, q: float) -> float:
    return float(np.sum(residuals * (q - (residuals < 0))))


def _newton_direction(
    x: Float, factor: Any, state: tuple[Float, ...], r1: Float, r2: Float
) -> tuple[Float, Float, Float, Float]:
    """The Newton step of the interior-point method for complementarity targets r1, r2.

    Solves ``X'da = primal``, ``X db - dz + dw = dual``, ``z da + a dz = r1`` and
    ``-w da + s dw = r2`` (``ds = -da``) through the p x p system ``X' D X``.
    """
    a, s, z, w, d, dual, primal = state
    t = d * (dual + r1 / a - r2 / s)
    db = sla.cho_solve(factor, x.T @ t - primal, check_finite=False)
    da = t - d * (x @ db)
    dz = (r1 - z * da) / a
    dw = (r2 + w * da) / s
    return da, db, dz, dw


def _step(v: Float, dv: Float) -> float:
    """The longest step in [0, 1] keeping ``v + step * dv`` non-negative."""
    negative = dv < 0
    if not negative.any():
        return 1.0
    return float(min(1.0, np.min(-v[negative] / dv[negative])))


def _interior_point(x: Float, y: Float, q: float) -> tuple[Float, Float, int]:
    """Approximate minimiser by the Frisch-Newton primal-dual interior-point method."""
    n, p = x.shape
    a = np.full(n, 1.0 - q)  # dual variables, feasible: X'a = (1 - q) X'1
    s = 1.0 - a  # upper-bound slacks
    rhs = x.T @ a
    b = sla.lstsq(x, y, check_finite=False)[0]  # start at least squares
    r = y - x @ b
    shift = max(1e-3 * float(np.mean(np.abs(r))), 1e-300)
    # Dual slacks: y - X b = w - z at the optimum; w (the positive part) pairs with the
    # upper-bound slack s (a = 1 above the quantile), z with a (a = 0 below it).
    z = np.maximum(-r, 0.0) + shift
    w = np.maximum(r, 0.0) + shift
    scale = max(float(np.sum(np.abs(r))), 1e-300)  # the objective's order of magnitude
    y_max = float(np.max(np.abs(y), initial=0.0))
    for iteration in range(1, _MAX_ITERATIONS + 1):
        primal = rhs - x.T @ a
        dual = y - x @ b + z - w
        gap = float(a @ z + s @ w)
        if (
            gap <= _GAP_TOLERANCE * scale
            and np.max(np.abs(primal), initial=0.0) <= 1e-9 * (1.0 + np.max(np.abs(rhs)))
            and np.max(np.abs(dual), initial=0.0) <= 1e-9 * (1.0 + y_max)
        ):
            return b, a, iteration
        d = 1.0 / (z / a + w / s)
        gram = (x.T * d) @ x
        try:
            factor = sla.cho_factor(gram, check_finite=False)
        except np.linalg.LinAlgError:
            # Near the optimum d spans many orders of magnitude: a tiny ridge keeps the
            # Newton direction defined (the crossover makes the final answer exact).
            gram[np.diag_indices_from(gram)] += 1e-13 * np.trace(gram) / p
            try:
                factor = sla.cho_factor(gram, check_finite=False)
            except np.linalg.LinAlgError:
                return b, a, iteration

        state = (a, s, z, w, d, dual, primal)
        da, db, dz, dw = _newton_direction(x, factor, state, -a * z, -s * w)
        alpha_p = min(_step(a, da), _step(s, -da))
        alpha_d = min(_step(z, dz), _step(w, dw))
        mu = gap / (2 * n)
        affine = float(
            (a + alpha_p * da) @ (z + alpha_d * dz) + (s - alpha_p * da) @ (w + alpha_d * dw)
        )
        sigma = (affine / gap) ** 3 if gap > 0 else 0.0
        target = sigma * mu
        da, db, dz, dw = _newton_direction(
            x, factor, state, target - a * z - da * dz, target - s * w + da * dw
        )
        alpha_p = _STEP_FRACTION * min(_step(a, da), _step(s, -da))
        alpha_d = _STEP_FRACTION * min(_step(z, dz), _step(w, dw))
        a = a + alpha_p * da
        s = 1.0 - a
        b = b + alpha_d * db
        z = z + alpha_d * dz
        w = w + alpha_d * dw
        np.clip(a, 1e-300, None, out=a)
        np.clip(s, 1e-300, None, out=s)
    return b, a, _MAX_ITERATIONS


def _closest_spanning_rows(x: Float, order: NDArray[np.intp]) -> NDArray[np.intp] | None:
    """The first p rows in ``order`` that are linearly independent (greedy Gram-Schmidt)."""
    p = x.shape[1]
    chosen: list[int] = []
    basis = np.zeros((p, p))
    for row in order:
        v = x[row] / max(float(np.linalg.norm(x[row])), 1e-300)
        k = len(chosen)
        for _ in range(2):  # twice is enough (Kahan-Parlett)
            v = v - basis[:k].T @ (basis[:k] @ v)
        norm = float(np.linalg.norm(v))
        if norm > 1e-8:
            basis[k] = v / norm
            chosen.append(int(row))
            if len(chosen) == p:
                return np.sort(np.asarray(chosen, dtype=np.intp))
    return None


def _certificate(
    x: Float, y: Float, q: float, basis: NDArray[np.intp]
) -> tuple[Float, Float, Float, Any] | None:
    """Coefficients, residuals and subgradient weights ``v`` of the vertex on ``basis``."""
    try:
        lu = sla.lu_factor(x[basis], check_finite=False)
    except (np.linalg.LinAlgError, ValueError):
        return None
    if not np.all(np.isfinite(lu[0])) or np.min(np.abs(np.diag(lu[0]))) == 0.0:
        return None
    coef = sla.lu_solve(lu, y[basis], check_finite=False)
    residuals = y - x @ coef
    residuals[basis] = 0.0
    psi = q - (residuals < 0)
    psi[basis] = 0.0
    v = -sla.lu_solve(lu, x.T @ psi, trans=1, check_finite=False)
    return coef, residuals, v, lu


def _descend(
    x: Float, residuals: Float, q: float, basis: NDArray[np.intp], lu: Any, j: int, sign: float
) -> int | None:
    """One exact line search along the edge that frees basic row ``basis[j]``.

    Moving the coefficients by ``t d``, ``d = sign X_h^-1 e_j``, keeps the other basic rows
    interpolated; the objective is convex and piecewise linear in ``t``, its slope at 0 is
    negative, and it grows by ``|c_i|`` at each row's crossing ``t_i = r_i / c_i``: the
    minimiser is the crossing where the slope turns non-negative. Returns the entering row.
    """
    e = np.zeros(x.shape[1])
    e[j] = sign
    c = x @ sla.lu_solve(lu, e, check_finite=False)
    c[basis] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        t = residuals / c
    crossing = (c != 0) & ((t > 0) | ((residuals == 0) & (c > 0)))
    crossing[basis] = False
    rows = np.flatnonzero(crossing)
    if rows.size == 0:
        return None
    psi = q - (residuals < 0)
    psi[basis] = 0.0
    slope = -float(psi @ c) + ((1.0 - q) if sign > 0 else q)
    order = rows[np.argsort(t[rows], kind="stable")]
    cumulative = slope + np.cumsum(np.abs(c[order]))
    stop = int(np.searchsorted(cumulative, 0.0, side="left"))
    return int(order[min(stop, order.size - 1)])


def _optimal_with_ties(
    x: Float, q: float, residuals: Float, basis: NDArray[np.intp], tied: NDArray[np.bool_]
) -> bool:
    """Whether a degenerate vertex (non-basic rows with zero residual) is optimal.

    Those rows' subgradients are free in ``[q - 1, q]`` too, so optimality is the
    feasibility of a small linear program in them and the basic rows' weights.
    """
    from scipy.optimize import linprog

    free = np.zeros(x.shape[0], dtype=bool)
    free[basis] = True
    free |= tied
    psi = q - (residuals < 0)
    psi[free] = 0.0
    result = linprog(
        np.zeros(int(free.sum())),
        A_eq=x[free].T,
        b_eq=-(x.T @ psi),
        bounds=(q - 1.0, q),
        method="highs",
    )
    return bool(result.status == 0)


def _has_flat_direction(
    x: Float, q: float, residuals: Float, basis: NDArray[np.intp], tied: NDArray[np.bool_]
) -> bool:
    """Whether the optimal set has more than one point: some direction ``d != 0`` along
    which the (convex, piecewise-linear) objective has zero derivative.

    The derivative is ``g'd + sum_{r_i = 0} max(-q x_i'd, (1 - q) x_i'd)`` with
    ``g = -sum_{r_i != 0} psi_q(r_i) x_i``; it is minimised over ``d`` in the unit box
    with one coordinate pinned to +-1 (a small linear program per coordinate and sign).
    """
    from scipy.optimize import linprog

    p = x.shape[1]
    zero = np.zeros(x.shape[0], dtype=bool)
    zero[basis] = True
    zero |= tied
    psi = q - (residuals < 0)
    psi[zero] = 0.0
    g = -(x.T @ psi)
    xz = x[zero]
    m = xz.shape[0]
    # variables [d (p), t (m)]: t_i >= -q x_i'd and t_i >= (1 - q) x_i'd
    cost = np.concatenate([g, np.ones(m)])
    upper = np.block([[-q * xz, -np.eye(m)], [(1 - q) * xz, -np.eye(m)]])
    scale = float(np.sum(np.abs(cost)) + np.sum(np.abs(xz)) + 1.0)
    for j in range(p):
        for sign in (1.0, -1.0):
            bounds = [(-1.0, 1.0)] * p + [(None, None)] * m
            bounds[j] = (sign, sign)
            result = linprog(cost, A_ub=upper, b_ub=np.zeros(2 * m), bounds=bounds, method="highs")
            if result.status == 0 and result.fun <= 1e-9 * scale:
                return True
    return False


def _vertex(
    x: Float, y: Float, q: float, order: NDArray[np.intp]
) -> tuple[Float, NDArray[np.intp], bool] | None:
    """An exact optimal vertex, certified, starting from the rows first in ``order``.

    Simplex steps (exact line searches along edges) repair a start that is not optimal.
    """
    p = x.shape[1]
    basis = _closest_spanning_rows(x, order)
    if basis is None:
        return None
    for _ in range(100 + 10 * p):
        found = _certificate(x, y, q, basis)
        if found is None:
            return None
        coef, residuals, v, lu = found
        tolerance = 1e-10 * (1.0 + np.max(np.abs(v), initial=0.0))
        excess = np.maximum(v - q, (q - 1.0) - v)
        j = int(np.argmax(excess))
        # A non-basic row ties (lies on the fit) when its residual is within the rounding
        # of computing it, y_i - x_i'b.
        rounding = 8 * _EPS * (np.abs(y) + np.abs(x) @ np.abs(coef))
        tied = np.abs(residuals) <= rounding
        tied[basis] = False
        if excess[j] <= tolerance or (
            tied.any() and _optimal_with_ties(x, q, residuals, basis, tied)
        ):
            if not tied.any():  # a simple vertex: unique unless some v_j is on the boundary
                return coef, basis, bool(np.any(np.abs(excess) <= tolerance))
            return coef, basis, _has_flat_direction(x, q, residuals, basis, tied)
        entering = _descend(x, residuals, q, basis, lu, j, -1.0 if v[j] > q else 1.0)
        if entering is None:
            return None
        basis = basis.copy()
        basis[j] = entering
    return None


def _highs(x: Float, y: Float, q: float) -> Float:
    """Solve the dual linear program with HiGHS (the fallback); return its dual solution."""
    from scipy.optimize import linprog

    result = linprog(
        -y,
        A_eq=x.T,
        b_eq=(1.0 - q) * x.sum(axis=0),
        bounds=(0.0, 1.0),
        method="highs",
    )
    if result.status != 0:
        raise LinmodError(f"the quantile-regression linear program failed: {result.message}")
    return np.asarray(result.x, dtype=np.float64)


def _basic_first(dual: Float) -> NDArray[np.intp]:
    """Rows ordered by how far their dual variable is from its bounds 0 and 1: at the
    optimum, exactly the interpolated (basic) rows are strictly inside."""
    return np.argsort(-np.minimum(dual, 1.0 - dual), kind="stable")


def fit_quantile(
    x: Float,
    y: Float,
    q: float,
    names: Sequence[str] | None = None,
    terms: Sequence[Term] | None = None,
) -> QuantileSolution:
    """Fit the ``q``-th regression quantile of ``y`` on ``x`` exactly.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        The design (with its intercept column), full column rank.
    y : ndarray of shape (n,)
        The response.
    q : float
        The quantile level, strictly between 0 and 1.
    names : sequence of str, optional
        The column names, for the message that refuses a rank-deficient ``x``.
    terms : sequence of Term, optional
        The model's terms, for that message (which term to drop).

    Returns
    -------
    QuantileSolution
    """
    q = check_quantile(q)
    check_loss(x, names, terms)
    # Work on power-of-two scaled columns and response (exact), undo at the end.
    col_scale = np.exp2(-np.floor(np.log2(np.maximum(np.max(np.abs(x), axis=0), 1e-300))))
    y_scale = float(np.exp2(-np.floor(np.log2(max(float(np.max(np.abs(y))), 1e-300)))))
    xs, ys = x * col_scale, y * y_scale
    _, dual, iterations = _interior_point(xs, ys, q)
    found = _vertex(xs, ys, q, _basic_first(dual))
    method = "fn"
    if found is None:
        dual = _highs(xs, ys, q)
        iterations, method = 0, "highs"
        found = _vertex(xs, ys, q, _basic_first(dual))
        if found is None:
            raise LinmodError(
                "the quantile-regression solution could not be certified optimal; the design "
                "may be nearly singular"
            )
    coef_scaled, basis, nonunique = found
    coef = coef_scaled * col_scale / y_scale
    residuals = y - x @ coef
    residuals[basis] = 0.0
    return QuantileSolution(
        coef=coef,
        residuals=residuals,
        objective=_objective(residuals, q),
        basis=basis,
        nonunique=nonunique,
        iterations=iterations,
        method=method,
    )
