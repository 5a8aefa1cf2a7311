"""scikit-learn's fitting options of ``Lasso`` and ``ElasticNet``.

``precompute``
    Which layout the coordinate-descent kernels work on
    (:mod:`linmod.solvers.penalized_problem`): ``False`` the design itself (residual
    layout), ``True`` the Gram matrix ``XᵀX``, ``"auto"`` the one that suits the shape
    (the Gram matrix when ``n ≥ p`` and ``p ≤ 4096``).  The solution is the same to
    ``tol`` in every layout.  A user-supplied Gram matrix (an array of shape ``(p, p)``)
    must be ``XᵀX`` of the data fitted, centred when ``fit_intercept`` (rows multiplied
    by ``sqrt(w_i)``, weights rescaled to sum ``n``, with ``sample_weight``), which is
    scikit-learn's contract: it is checked as scikit-learn checks it (here on the whole
    diagonal and one off-diagonal element, to ``rtol=1e-7``, or ``1e-4`` for a float32
    matrix), and when ``X`` is not centred but an intercept
    is fitted it is recomputed with scikit-learn's ``UserWarning``.
``warm_start``
    Refitting starts from the previous ``coef_`` (when it has the shape of the new
    problem) instead of zero, as scikit-learn does: fewer epochs near the old solution,
    the same solution to ``tol``.
``selection``, ``random_state``
    ``"cyclic"`` visits the features in their order; ``"random"`` in an order drawn
    from ``random_state``.  linmod's solver works on working sets ranked by their
    optimality violation (:mod:`linmod.solvers.coordinate_descent`), so the order is drawn
    once per fit (scikit-learn draws a feature at every update); the solution is the
    same to ``tol`` either way.
"""

from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils import check_random_state

from linmod._stack import user_stacklevel
from linmod.exceptions import InputError
from linmod.solvers.elastic_net import PathSolution, solve_path
from linmod.solvers.glmnet_options import GlmnetOptions
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.penalized_problem import EnetProblem, make_problem, problem_from_products
from linmod.solvers.weighted_problem import unit_mean, weighted_problem

__all__ = [
    "GRAM_RTOL",
    "PRECOMPUTE_OPTIONS",
    "check_gram",
    "enet_problem",
    "permuted",
    "random_order",
    "scaled_user_gram",
    "solve_with_options",
]

Float = NDArray[np.float64]

#: ``precompute`` values besides an array.
PRECOMPUTE_OPTIONS = ("auto",)
#: scikit-learn's tolerances when checking a user Gram matrix (numpy.allclose's rtol), for
#: a float64 and a float32 one.
GRAM_RTOL = {np.dtype(np.float32): 1e-4}


def _layout(precompute: Any, ridge: bool) -> bool | None:
    """The ``gram=`` argument of :func:`make_problem` for a non-array ``precompute``."""
    if isinstance(precompute, str):  # "auto": what suits the shape; a ridge: the design
        return False if ridge else None
    return bool(precompute)


def _user_gram(precompute: Any, p: int) -> Float:
    gram = np.asarray(precompute, dtype=np.float64)
    if gram.shape != (p, p):
        raise InputError(
            f"precompute: the Gram matrix has shape {gram.shape}, X has {p} features; pass "
            f"XᵀX of shape ({p}, {p}) or precompute=True"
        )
    if not np.isfinite(gram).all():
        raise InputError("precompute: the Gram matrix holds NaN or infinity; pass precompute=True")
    return gram


def check_gram(gram: Float, xs: Float, rtol: float) -> None:
    """Compare the diagonal and one off-diagonal element with those of ``xs``
    (scikit-learn checks element ``(p//2, p//2 + 1)``)."""
    p = xs.shape[1]
    diag = np.einsum("ij,ij->j", xs, xs)
    f1 = p // 2
    f2 = min(f1 + 1, p - 1)
    pairs = [(j, j, float(diag[j])) for j in range(p)]
    pairs.append((f1, f2, float(xs[:, f1] @ xs[:, f2])))
    for j, k, expected in pairs:
        bound = rtol * np.sqrt(diag[j] * diag[k]) + np.finfo(float).tiny
        if not abs(gram[j, k] - expected) <= bound:
            raise InputError(
                f"precompute: the Gram matrix did not pass validation: at element ({j}, {k}) "
                f"it holds {gram[j, k]:.17g}, X gives {expected:.17g}; pass XᵀX of the "
                "(centred) X fitted, or precompute=True"
            )


def scaled_user_gram(precompute: Any, p: int, magnitude: Magnitude) -> Float:
    """A user Gram matrix checked for shape and finiteness, rescaled as ``x`` was
    (:func:`~linmod.solvers.penalized_magnitude.rescale`)."""
    gram = _user_gram(precompute, p)
    if magnitude.rescaled:  # the Gram matrix of the rescaled columns, exactly
        exps = (
            magnitude.column_exp
            if magnitude.column_exp is not None
            else np.full(p, magnitude.x_exp)
        )
        gram = np.ldexp(gram, np.add.outer(exps, exps))
    return gram


def enet_problem(
    estimator: Any, x: Float, y: Float, w: Float | None, ridge: bool, magnitude: Magnitude
) -> EnetProblem:
    """The elastic-net problem in the layout ``estimator.precompute`` asks for.

    Parameters
    ----------
    estimator
        ``Lasso`` or ``ElasticNet`` (``precompute``, ``fit_intercept``, ``standardize``).
    x, y : ndarray
        Data rescaled by :func:`~linmod.solvers.penalized_magnitude.rescale`.
    w : ndarray or None
        Positive weights (zero-weight rows dropped) or None.
    ridge : bool
        Whether the penalty is a pure ridge (solved exactly from the design by default).
    magnitude : Magnitude
        How ``x`` and ``y`` were rescaled (a user Gram matrix is rescaled the same way).

    Raises
    ------
    InputError
        If a user Gram matrix has the wrong shape, is not finite or is not ``XᵀX``.
    """
    precompute, fit_intercept = estimator.precompute, estimator.fit_intercept
    standardize = estimator.standardize
    if not (hasattr(precompute, "__array__") or hasattr(precompute, "shape")):
        layout = _layout(precompute, ridge)
        if w is None:
            return make_problem(x, y, fit_intercept, standardize, layout)
        return weighted_problem(x, y, w, fit_intercept, standardize, layout)
    n, p = x.shape
    gram = scaled_user_gram(precompute, p, magnitude)
    root = None if w is None else np.sqrt(unit_mean(w))
    means = np.zeros(p)
    if fit_intercept:
        means = x.mean(axis=0) if w is None else (w @ x) / w.sum()
    if fit_intercept and not np.allclose(means, 0.0):
        warnings.warn(
            "Gram matrix was provided but X was centered to fit intercept: recomputing Gram "
            "matrix.",
            UserWarning,
            stacklevel=user_stacklevel(),
        )
    else:
        xs = x - means if root is None else (x - means) * root[:, None]
        rtol = GRAM_RTOL.get(np.asarray(precompute).dtype, 1e-7)
        check_gram(gram, xs, rtol)
        if w is None:
            yc = y - y.mean() if fit_intercept else y
            y_offset = float(y.mean()) if fit_intercept else 0.0
            # Σ yc = 0, so Xᵀyc is Xcᵀyc whatever the (tiny) means of X.
            return problem_from_products(
                n, gram.copy(), xs.T @ yc, float(yc @ yc), means, y_offset, standardize
            )
    if w is None:
        return make_problem(x, y, fit_intercept, standardize, True)
    return weighted_problem(x, y, w, fit_intercept, standardize, True)


def _start(estimator: Any, problem: EnetProblem, magnitude: Magnitude) -> Float | None:
    """The previous ``coef_`` as coefficients of the scaled problem (warm start)."""
    coef = getattr(estimator, "coef_", None)
    if not estimator.warm_start or coef is None:
        return None
    coef = np.asarray(coef, dtype=float)
    if coef.shape != (problem.p,) or not np.isfinite(coef).all():
        return None
    with np.errstate(over="ignore", under="ignore"):
        shift = magnitude.column_exp if magnitude.column_exp is not None else magnitude.x_exp
        start = np.ldexp(coef, magnitude.y_exp - np.asarray(shift)) * problem.scaling.x_scale
    return start if np.isfinite(start).all() else None


def random_order(
    estimator: Any, p: int, options: GlmnetOptions | None = None
) -> NDArray[np.intp] | None:
    """The order of the features drawn from ``estimator.random_state`` for
    ``selection="random"`` (once per fit), or None: features in order (``"cyclic"``, one
    feature, or glmnet's per-feature ``options``)."""
    if estimator.selection != "random" or p < 2 or options is not None:
        return None
    return np.asarray(check_random_state(estimator.random_state).permutation(p), dtype=np.intp)


def permuted(problem: EnetProblem, order: NDArray[np.intp]) -> EnetProblem:
    """The problem with its features in ``order`` (unpermute the solution with
    ``coefs[order] = solution``)."""
    return replace(
        problem,
        xty=np.ascontiguousarray(problem.xty[order]),
        norm2=np.ascontiguousarray(problem.norm2[order]),
        xt=None if problem.xt is None else np.ascontiguousarray(problem.xt[order]),
        gram=None
        if problem.gram is None
        else np.ascontiguousarray(problem.gram[np.ix_(order, order)]),
    )


def solve_with_options(
    estimator: Any,
    problem: EnetProblem,
    alpha: float,
    l1_ratio: float,
    magnitude: Magnitude,
    options: GlmnetOptions | None = None,
) -> PathSolution:
    """Solve at one penalty with the estimator's ``warm_start``, ``selection`` and
    ``random_state`` (and ``positive``, ``tol``, ``max_iter``, and glmnet's per-feature
    ``options``; with those the features are visited in order, which reaches the same
    solution to ``tol`` as a random order)."""
    start = _start(estimator, problem, magnitude)
    order = random_order(estimator, problem.p, options)
    if order is not None:
        problem = permuted(problem, order)
        start = None if start is None else start[order]
    solution = solve_path(
        problem,
        np.array([float(alpha)]),
        l1_ratio,
        positive=estimator.positive,
        tol=float(estimator.tol),
        max_iter=int(estimator.max_iter),
        coef_init=start,
        l1_exp=magnitude.l1_exp,
        l2_exp=magnitude.l2_exp,
        options=options,
    )
    if order is None:
        return solution
    coefs = np.empty_like(solution.coefs)
    coefs[order] = solution.coefs
    return replace(solution, coefs=coefs)
