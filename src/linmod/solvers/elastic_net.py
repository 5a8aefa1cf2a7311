"""Elastic-net solutions along a grid of penalties, with warm starts.

The driver between a prepared :class:`~linmod.solvers.penalized_problem.EnetProblem`
and the compiled kernels of :mod:`linmod.solvers.coordinate_descent`: it converts
scikit-learn's ``(α, l1_ratio)`` into the kernels' ``λ₁ = n·α·l1_ratio`` and
``λ₂ = n·α·(1 − l1_ratio)``, carries the solution (and the residual or gradient) from
one penalty to the next, and reports penalties that did not reach the tolerance with one
:class:`~linmod.exceptions.ConvergenceWarning`.  ``α = 0`` (no penalty at all) is solved
directly: minimum-norm least squares, or non-negative least squares with
``positive=True``.  A pure ridge penalty (``l1_ratio = 0`` without ``positive``) is also
solved directly, to the accuracy of the data rather than of a tolerance: one SVD of the
design serves every penalty of the path (``(XᵀX + λ₂I)β = Xᵀy`` with ``λ₂ = n·α``), or an
eigendecomposition of ``XᵀX`` on the Gram layout (which has no design to decompose, so
callers that hold the design and want a pure ridge pass the residual layout).  On the
Gram layout formed from a design, the duality gap is certified against the design itself
where the rounding of the products could decide it (:func:`_gram_solve`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from linmod.progress import Progress
from linmod.solvers.convergence import stop_status, warn_unconverged
from linmod.solvers.coordinate_descent import ANDERSON_K, enet_gram, enet_residual
from linmod.solvers.drift import GramSource, data_gradient, gram_data_error
from linmod.solvers.glmnet_cd import options_path
from linmod.solvers.glmnet_options import GlmnetOptions
from linmod.solvers.penalized_magnitude import ldexp
from linmod.solvers.penalized_problem import EnetProblem
from linmod.solvers.ridge import RidgeSVD
from linmod.solvers.screening import duality_gap

__all__ = ["P0", "PathSolution", "solve_path"]

Float = NDArray[np.float64]

#: Smallest working-set size.
P0 = 10


@dataclass(frozen=True)
class PathSolution:
    """Coefficients of the centred, scaled problem at each penalty.

    Attributes
    ----------
    coefs : ndarray of shape (p, k)
    dual_gaps : ndarray of shape (k,)
        Duality gaps in scikit-learn's scaling (of the objective with ``1/(2n)``).
    n_iter : ndarray of shape (k,)
        Coordinate-descent epochs at each penalty.
    converged : ndarray of bool, shape (k,)
        The duality gap reached ``tol·‖y‖²``, or a fixed point was reached with a gap
        accepted by :func:`linmod.solvers.convergence.stop_status`.
    fixed_point : ndarray of bool, shape (k,)
        Coordinate descent stopped at a floating-point fixed point (a sweep changed no
        coefficient) before its tolerance; such a penalty is not converged when its gap
        is above :data:`linmod.solvers.convergence.FIXED_POINT_RTOL`.
    """

    coefs: Float
    dual_gaps: Float
    n_iter: NDArray[np.int64]
    converged: NDArray[np.bool_]
    fixed_point: NDArray[np.bool_]

    def stopped_early(self) -> tuple[int, int]:
        """The numbers of unconverged penalties that ran out of ``max_iter`` epochs and
        that stopped at a fixed point."""
        bad = ~self.converged
        return int((bad & ~self.fixed_point).sum()), int((bad & self.fixed_point).sum())


def _least_squares(problem: EnetProblem, positive: bool) -> Float:
    """The unpenalised solution (minimum norm; non-negative when ``positive``)."""
    from scipy.optimize import nnls  # 0.1 s to import, for positive fits only

    if problem.gram is not None:
        vals, vecs = np.linalg.eigh(problem.gram)
        keep = vals > vals.max(initial=0.0) * problem.p * np.finfo(float).eps
        if not positive:
            return vecs[:, keep] @ ((vecs[:, keep].T @ problem.xty) / vals[keep])
        root = np.sqrt(vals[keep])
        a = root[:, None] * vecs[:, keep].T
        b = (vecs[:, keep].T @ problem.xty) / root
        return np.asarray(nnls(a, b)[0], dtype=float)
    assert problem.xt is not None
    assert problem.y is not None
    if positive:
        return np.asarray(nnls(problem.xt.T, problem.y)[0], dtype=float)
    return np.asarray(sla.lstsq(problem.xt.T, problem.y)[0], dtype=float)


class _ExactRidge:
    """Exact solutions of ``min ½‖y − Xw‖² + (λ₂/2)‖w‖²`` for any ``λ₂ > 0``.

    The decomposition (SVD of the design, or eigendecomposition of the Gram matrix) is
    made on the first call and reused for every later penalty.
    """

    def __init__(self, problem: EnetProblem) -> None:
        self._problem = problem
        self._svd: RidgeSVD | None = None
        self._eig: tuple[Float, Float, Float] | None = None

    def __call__(self, l2: float) -> Float:
        problem = self._problem
        if problem.gram is None:
            assert problem.xt is not None
            assert problem.y is not None
            if self._svd is None:
                self._svd = RidgeSVD.of(problem.xt.T, problem.y, intercept=False)
            return self._svd.coefs(np.array([l2]))[:, 0]
        if self._eig is None:
            vals, vecs = np.linalg.eigh(problem.gram)
            self._eig = (np.maximum(vals, 0.0), vecs, vecs.T @ problem.xty)
        vals, vecs, vty = self._eig
        return np.asarray(vecs @ (vty / (vals + l2)))


#: The gap of an unconverged Gram-layout solve is taken from the data (:func:`_gram_solve`)
#: when the rounding of the products could move it by more than this fraction of itself.
_GAP_RTOL = 1e-3
#: At most this many further solves on a tighter tolerance when the data's gap is above
#: ``tol`` and the rounded products' is not.
_DATA_RETRIES = 8


def _gram_solve(
    problem: EnetProblem,
    w: Float,
    q: Float,
    l1: float,
    l2: float,
    positive: bool,
    tol: float,
    max_iter: int,
    warm: bool,
    diagonal: Float | None,
    track: Float,
) -> tuple[float, int]:
    """:func:`enet_gram`, with the gap certified against the data the Gram matrix came
    from (``problem.source``) when the rounding of the products could decide it.

    On a raw ill-conditioned design the centring folded into ``XᵀX`` cancels and the
    products are off by far more than the solve's own rounding (raw NIST Longley: 0.7% of
    the gap at ``tol=1e-9``).  :func:`~linmod.solvers.drift.gram_data_error` bounds the effect
    on the gap from the final gradient in ``O(p)``.  As the kernels do with the drift of
    their gradient, a solve stops on ``gap + bound ≤ tol``, and where the bound could
    decide the stop (or, for a solve that did not converge, move its gap by more than
    :data:`_GAP_RTOL`) the gap is evaluated from ``X`` instead (one double-double pass,
    :func:`~linmod.solvers.drift.data_gradient`) and reported; while it is above ``tol``
    and the rounded problem's is not, the solve goes on to a tighter tolerance.  On
    ordinary data the bound is far below ``tol`` and no pass is made.
    """
    gram, xty, y_norm2 = problem.gram, problem.xty, problem.y_norm2
    assert gram is not None
    tol_in = tol
    gap, epochs = enet_gram(
        gram, xty, y_norm2, w, q, l1, l2, positive, tol_in, max_iter, P0, ANDERSON_K, warm,
        diagonal, track,
    )  # fmt: skip
    source = problem.source
    if source is None or source.gram is not gram or source.xty is not xty:
        return gap, epochs
    for _ in range(_DATA_RETRIES):
        bound = gram_data_error(
            q, w, xty, y_norm2, source.rho, source.rho_c, source.eta, source.y_norm2_error,
            l1, l2, positive,
        )  # fmt: skip
        if gap + bound <= tol or (gap > tol and bound <= _GAP_RTOL * gap):
            return gap, epochs
        exact = _data_gap(source, w, l1, l2, positive)
        if exact <= tol or gap > tol_in or epochs >= max_iter:
            return exact, epochs
        # The rounded problem met its tolerance and the data do not: solve further.
        tol_in = max(min(tol - 2.0 * (exact - gap), 0.5 * gap), 0.1 * gap)
        gap, more = enet_gram(
            gram, xty, y_norm2, w, q, l1, l2, positive, tol_in, max_iter - epochs, P0,
            ANDERSON_K, True, diagonal, track,
        )  # fmt: skip
        epochs += more
    return _data_gap(source, w, l1, l2, positive), epochs


def _data_gap(source: GramSource, w: Float, l1: float, l2: float, positive: bool) -> float:
    """The duality gap of ``w`` computed from the data (see :func:`_gram_solve`)."""
    x = np.ascontiguousarray(source.x, dtype=float)
    y = np.ascontiguousarray(source.y, dtype=float)
    p = w.shape[0]
    grad = np.empty(p)
    beta = w / source.x_scale
    r_norm2 = data_gradient(x, y, source.x_offset, source.y_offset, beta, source.centred, grad)
    xta = grad / source.x_scale - l2 * w
    return float(duality_gap(xta, np.arange(p), p, w, r_norm2, l1, l2, positive)[0])


def solve_path(
    problem: EnetProblem,
    alphas: Float,
    l1_ratio: float,
    *,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    coef_init: Float | None = None,
    warn: bool = True,
    progress: bool | None = False,
    l1_exp: int = 0,
    l2_exp: int = 0,
    options: GlmnetOptions | None = None,
) -> PathSolution:
    """Solve the elastic net at each penalty in turn, each warm-started from the last.

    Parameters
    ----------
    problem : EnetProblem
        Centred, scaled data in the residual or Gram layout.
    alphas : ndarray of shape (k,)
        Penalties in scikit-learn's scaling, best given in decreasing order.
    l1_ratio : float
        Share of the L1 penalty, in [0, 1].
    positive : bool
        Constrain the coefficients to be non-negative.
    tol : float
        Duality-gap tolerance relative to ``‖y − ȳ‖²`` (scikit-learn's convention).
    max_iter : int
        Maximum coordinate-descent epochs per penalty.
    coef_init : ndarray of shape (p,), optional
        Starting coefficients (of the scaled problem).
    warn : bool
        Emit a :class:`ConvergenceWarning` for penalties that did not converge.
    progress : bool or None
        Show a progress bar over the penalties (None: only on a terminal).
    l1_exp, l2_exp : int
        Powers of two multiplying the L1 and L2 penalties (exactly): the data were
        rescaled by :func:`linmod.solvers.penalized_magnitude.rescale`, ``alphas`` were not.
    options : GlmnetOptions, optional
        Penalty factors and bounds (:mod:`linmod.solvers.glmnet_options`): solved by
        :func:`linmod.solvers.glmnet_cd.options_path` (``positive`` is in the options).

    Returns
    -------
    PathSolution
    """
    if options is not None:
        return PathSolution(*options_path(
            problem, alphas, l1_ratio, options, tol=tol, max_iter=max_iter, coef_init=coef_init,
            warn=warn, progress=progress, l1_exp=l1_exp, l2_exp=l2_exp,
        ))  # fmt: skip
    n, p = problem.n, problem.p
    k = alphas.shape[0]
    coefs = np.zeros((p, k))
    gaps = np.zeros(k)
    iters = np.zeros(k, dtype=np.int64)
    converged = np.ones(k, dtype=bool)
    fixed = np.zeros(k, dtype=bool)
    w = np.zeros(p) if coef_init is None else np.array(coef_init, dtype=float)
    tol_abs = tol * problem.y_norm2
    grad = np.empty(p)
    resid = np.empty(problem.n if problem.gram is None else 0)
    warm = False  # whether the residual / gradient buffers match w
    track = np.zeros(3)  # how far they may have drifted (linmod.solvers.drift)
    bar = Progress("penalties", enabled=progress, total=k)
    ridge = _ExactRidge(problem) if l1_ratio == 0.0 and not positive else None
    # The Gram diagonal once for the whole path (enet_gram would take it per penalty).
    diagonal = None if problem.gram is None else np.ascontiguousarray(np.diag(problem.gram))
    for i, alpha in enumerate(alphas.tolist()):
        bar.update(1)
        l1 = ldexp(float(alpha * l1_ratio * n), l1_exp)
        l2 = ldexp(float(alpha * (1.0 - l1_ratio) * n), l2_exp)
        if p == 0:
            iters[i] = 1
            continue
        if l1 == 0.0 and l2 == 0.0:
            w = _least_squares(problem, positive)
            coefs[:, i] = w
            iters[i] = 1
            warm = False
            continue
        if math.isinf(l1) or math.isinf(l2):
            # A penalty beyond float64 (on rescaled data) zeroes every coefficient.
            w = np.zeros(p)
            iters[i] = 1
            warm = False
            continue
        if ridge is not None:
            w = ridge(l2)
            coefs[:, i] = w
            iters[i] = 1
            warm = False
            continue
        if problem.gram is not None:
            gap, epochs = _gram_solve(
                problem, w, grad, l1, l2, bool(positive), tol_abs, int(max_iter), warm,
                diagonal, track,
            )  # fmt: skip
        else:
            assert problem.xt is not None
            assert problem.y is not None
            gap, epochs = enet_residual(
                problem.xt, problem.y, w, resid, grad, problem.norm2, l1, l2,
                bool(positive), tol_abs, int(max_iter), P0, ANDERSON_K, warm, track,
            )  # fmt: skip
        warm = True
        coefs[:, i] = w
        gaps[i] = gap / n
        iters[i] = epochs
        converged[i], fixed[i] = stop_status(gap <= tol_abs, gap, epochs, max_iter, problem.y_norm2)
    bar.close()
    if warn:
        warn_unconverged(
            alphas, gaps, converged, max_iter, tol, fixed=fixed, gap_scale=problem.y_norm2 / n
        )
    return PathSolution(coefs, gaps, iters, converged, fixed)
