"""Gradient descent for least squares: batch, mini-batch and stochastic.

The cost is the lessons' mean squared error ``J(b) = mean((X b + b0 - y)**2)`` with gradient
``(2/n) X'(X b + b0 - y)``.  Its Lipschitz constant ``L`` is the largest eigenvalue of
``2 X_1'X_1 / n`` (``X_1`` = X with a column of ones when an intercept is fitted): any
constant step below ``2/L`` converges for batch descent, ``1/L`` is the ``"auto"`` choice.
For mini-batches of size ``m`` the auto step is ``1/L_m`` with
``L_m = L + (L_row - L) / m`` and ``L_row = 2 max_i (|x_i|**2 + 1)``, which is stable
for every batch.

Stopping:

- batch: the gradient norm falls below ``tol`` times its starting value (converged); a run
  whose cost is flat to rounding while the gradient stops improving, for ``patience``
  iterations, stops as stalled (reported, not called convergence);
- mini-batch / SGD: the coefficients moved by less than ``tol`` (relative) over an epoch.
  With a constant rate they keep hovering at a noise level proportional to the rate and
  may never meet a small ``tol``; a decaying ``schedule`` lets them settle.

The cost rising for ``patience`` consecutive steps, or turning non-finite, is divergence
and raises :class:`~linmod.exceptions.ConvergenceError`; running out of epochs warns with
:class:`~linmod.exceptions.ConvergenceWarning`.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.linalg import lapack

from linmod import exceptions
from linmod._stack import user_stacklevel
from linmod.exceptions import ConvergenceError, InputError
from linmod.linalg.gram import gram
from linmod.linalg.rank import condition_of_triangular
from linmod.linalg.scaling import power_of_two_scales
from linmod.linalg.standardize import Standardization
from linmod.progress import Progress
from linmod.solvers.base import LeastSquaresProblem, SolverResult
from linmod.solvers.gd_kernels import minibatch_epoch

__all__ = [
    "METHODS",
    "SCHEDULES",
    "STOCHASTIC_ACCURACY",
    "GDOptions",
    "GDResult",
    "distance_to_solution",
    "diverged",
    "gradient_descent",
    "learning_rate_at",
    "lipschitz_constant",
    "solve_gd",
    "validate_options",
]

Float = NDArray[np.float64]
METHODS = ("batch", "minibatch", "sgd")
SCHEDULES = ("constant", "invscaling", "step")
#: A relative cost change this small is rounding: the cost can no longer tell progress.
_STALL = 4.0 * float(np.finfo(float).eps)
_STALL_NOTE = (
    "stalled at rounding level: neither the cost nor the gradient (still {:.3g} of its "
    "start) improves any more; use solver='qr' (or a direct solver), or standardize=True"
)
_DEFAULT_TOL = {"batch": 1e-10, "minibatch": 1e-5, "sgd": 1e-5}


@dataclass(frozen=True)
class GDOptions:
    """Settings of a gradient-descent run (see :class:`linmod.GDRegressor` for meanings)."""

    method: str = "batch"
    learning_rate: float | str = "auto"
    schedule: str = "constant"
    batch_size: int = 32
    max_epochs: int = 1000
    tol: float | None = None
    momentum: float = 0.0
    power_t: float = 0.5
    step_every: int = 10
    step_factor: float = 0.5
    patience: int = 5
    random_state: int | None = None
    progress: bool | None = False

    @property
    def effective_tol(self) -> float:
        """``tol``, or the method's default (1e-10 for batch, 1e-5 for stochastic)."""
        return _DEFAULT_TOL[self.method] if self.tol is None else float(self.tol)


@dataclass(frozen=True)
class GDResult:
    """Outcome of :func:`gradient_descent`.

    Attributes
    ----------
    coef : ndarray of shape (p,)
    intercept : float
    cost_history : ndarray
        Cost per iteration (batch) or running loss per epoch (stochastic).
    n_iter : int
        Iterations (batch) or epochs (stochastic) run.
    converged : bool
    learning_rate : float
        The initial step used.
    lipschitz : float
        ``L`` of the full-batch cost (``2/L`` is the largest stable batch step).
    gradient_norm : float
        Relative gradient norm at the end, ``|grad| / |grad at start|``.
    """

    coef: Float
    intercept: float
    cost_history: Float
    n_iter: int
    converged: bool
    learning_rate: float
    lipschitz: float
    gradient_norm: float
    notes: tuple[str, ...] = field(default=())


def _positive_finite(name: str, value: object, upper: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise InputError(f"{name}={value!r} must be a number in (0, {upper:g})")
    number = float(value)
    if not (math.isfinite(number) and 0.0 < number < upper):
        raise InputError(f"{name}={value!r} must be finite and in (0, {upper:g})")
    return number


def _check_int(name: str, value: object, low: int, high: float = math.inf) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, np.integer))
        or not low <= value <= high
    ):
        bound = "∞" if math.isinf(high) else f"{int(high)}"
        raise InputError(f"{name}={value!r} must be an integer in [{low}, {bound}]")
    return int(value)


def validate_options(options: GDOptions) -> None:
    """Raise :class:`InputError` naming the parameter, value and valid range."""
    if options.method not in METHODS:
        raise InputError(f"method={options.method!r} must be one of {', '.join(METHODS)}")
    if options.schedule not in SCHEDULES:
        raise InputError(f"schedule={options.schedule!r} must be one of {', '.join(SCHEDULES)}")
    if options.learning_rate != "auto":
        _positive_finite("learning_rate", options.learning_rate)
    if options.method == "minibatch":
        _check_int("batch_size", options.batch_size, 1)
    _check_int("max_epochs", options.max_epochs, 1)
    if options.tol is not None:
        _positive_finite("tol", options.tol, 1.0)
    momentum = options.momentum
    if (
        isinstance(momentum, bool)
        or not isinstance(momentum, (int, float))
        or not 0 <= momentum < 1
    ):
        raise InputError(f"momentum={momentum!r} must be a number in [0, 1)")
    _positive_finite("power_t", options.power_t)
    _check_int("step_every", options.step_every, 1)
    _positive_finite("step_factor", options.step_factor, 1.0)
    _check_int("patience", options.patience, 1)


def lipschitz_constant(x: Float, fit_intercept: bool) -> tuple[float, float]:
    """Return ``(L, L_row)``: the full-batch and the worst single-row Lipschitz constants."""
    n, p = x.shape
    if n < p:
        # Fewer rows than columns (a small batch of partial_fit): the n x n matrix A A'
        # has the same largest eigenvalue as A'A, at O(n^2 p) instead of O(n p^2 + p^3).
        g = x @ x.T + (1.0 if fit_intercept else 0.0)
    else:
        g = gram(np.ascontiguousarray(x))
        if fit_intercept:
            sums = x.sum(axis=0)
            g = np.block([[g, sums[:, None]], [sums[None, :], np.array([[float(n)]])]])
    largest = float(np.linalg.eigvalsh(g)[-1]) if g.size else 0.0
    row = float(np.max(np.einsum("ij,ij->i", x, x))) + float(fit_intercept)
    return 2.0 * largest / n, 2.0 * row


#: Mini-batch and stochastic descent count as converged when their steps have stopped
#: moving and the coefficients are within this relative distance of the least-squares
#: solution (the documented accuracy of those methods).
STOCHASTIC_ACCURACY = 1e-2


def distance_to_solution(x: Float, y: Float, params: Float, fit_intercept: bool) -> float:
    """Relative distance ``‖params − β*‖ / ‖β*‖`` to the least-squares solution ``β*``.

    ``params`` holds the coefficients and, last, the intercept (as the kernels keep
    them); the objective is quadratic, so ``β*`` is one small least-squares solve.
    """
    n, p = x.shape
    design = np.column_stack([x, np.ones(n)]) if fit_intercept else x
    best = np.linalg.lstsq(design, y, rcond=None)[0]
    current = params if fit_intercept else params[:p]
    scale = max(float(np.linalg.norm(best)), np.finfo(float).tiny)
    return float(np.linalg.norm(current - best)) / scale


def learning_rate_at(options: GDOptions, base: float, epoch: int) -> float:
    """The scheduled step for ``epoch`` (0-based) from the initial step ``base``."""
    if options.schedule == "invscaling":
        return base / (1.0 + epoch) ** options.power_t
    if options.schedule == "step":
        return base * options.step_factor ** (epoch // options.step_every)
    return base


def diverged(rate: float, lipschitz: float, history: list[float], why: str) -> ConvergenceError:
    error = ConvergenceError(
        f"gradient descent diverged with learning_rate={rate:.4g}: {why}. The largest stable "
        f"rate for this data is 2/L = {2.0 / lipschitz:.4g} (L = {lipschitz:.4g}); use "
        f"learning_rate='auto' ({1.0 / lipschitz:.4g}) or a smaller rate, and keep "
        "standardize=True"
    )
    error.cost_history = np.asarray(history)  # type: ignore[attr-defined]
    return error


def _full_gradient(x: Float, y: Float, coef: Float, intercept: float, fit_intercept: bool) -> Float:
    residual = x @ coef + intercept - y
    grad = (2.0 / x.shape[0]) * (x.T @ residual)
    if fit_intercept:
        grad = np.append(grad, 2.0 * residual.mean())
    return grad


def _batch(
    x: Float,
    y: Float,
    options: GDOptions,
    fit_intercept: bool,
    rate: float,
    lipschitz: float,
    bar: Progress,
) -> GDResult:
    n, p = x.shape
    tol = options.effective_tol
    coef = np.zeros(p)
    intercept = 0.0
    velocity = np.zeros(p + 1)
    history: list[float] = []
    start_norm = relative = math.nan
    rising = flat = 0
    best_relative = math.inf
    # Heavy-ball momentum makes the gradient norm oscillate for about 1/(1 - momentum)
    # steps, so "not improving" is judged over that many times the patience.
    stall_patience = options.patience * max(1, math.ceil(1.0 / (1.0 - options.momentum)))
    converged = stalled = False
    iteration = 0
    for iteration in range(options.max_epochs):
        bar.update(1)
        residual = x @ coef + intercept - y
        cost = float(np.mean(residual**2))
        history.append(cost)
        if not math.isfinite(cost):
            raise diverged(rate, lipschitz, history, "the cost became non-finite")
        if len(history) > 1 and cost > history[-2] * (1.0 + _STALL):
            rising += 1
            if rising >= options.patience:
                raise diverged(
                    rate, lipschitz, history, f"the cost rose for {rising} consecutive iterations"
                )
        else:
            rising = 0
        grad = (2.0 / n) * (x.T @ residual)
        grad0 = 2.0 * float(residual.mean()) if fit_intercept else 0.0
        norm = math.hypot(float(np.linalg.norm(grad)), grad0)
        start_norm = norm if iteration == 0 else start_norm
        relative = norm / start_norm if start_norm > 0 else 0.0
        if relative <= tol:
            converged = True
            break
        # Stalled: the cost is flat to rounding and the gradient has stopped improving.
        change = abs(history[-2] - cost) if len(history) > 1 else math.inf
        improving = relative < best_relative
        best_relative = min(best_relative, relative)
        flat_cost = change <= _STALL * max(cost, np.finfo(float).tiny)
        flat = flat + 1 if flat_cost and not improving else 0
        if flat >= stall_patience:
            stalled = True
            break
        step = learning_rate_at(options, rate, iteration)
        velocity[:p] = options.momentum * velocity[:p] - step * grad
        velocity[p] = options.momentum * velocity[p] - step * grad0
        coef += velocity[:p]
        intercept += float(velocity[p])
    n_iter = iteration + 1 if converged or stalled else options.max_epochs
    notes = (_STALL_NOTE.format(relative),) if stalled else ()
    return GDResult(
        coef, intercept, np.asarray(history), n_iter, converged, rate, lipschitz, relative, notes
    )


def _stochastic(
    x: Float,
    y: Float,
    options: GDOptions,
    fit_intercept: bool,
    rate: float,
    lipschitz: float,
    batch_size: int,
    bar: Progress,
) -> GDResult:
    n, p = x.shape
    tol = options.effective_tol
    rng = np.random.default_rng(options.random_state)
    params = np.zeros(p + 1)
    velocity = np.zeros(p + 1)
    history: list[float] = []
    xc = np.ascontiguousarray(x)
    start = _full_gradient(xc, y, params[:p], 0.0, fit_intercept)
    start_norm = float(np.linalg.norm(start))
    rising = 0
    converged = False
    notes: tuple[str, ...] = ()
    epoch = 0
    for epoch in range(options.max_epochs):
        bar.update(1)
        before = params.copy()
        order = rng.permutation(n).astype(np.int64)
        loss = minibatch_epoch(
            xc,
            y,
            params,
            velocity,
            order,
            batch_size,
            learning_rate_at(options, rate, epoch),
            options.momentum,
            fit_intercept,
        )
        history.append(float(loss))
        if not math.isfinite(loss):
            raise diverged(rate, lipschitz, history, "the loss became non-finite")
        rising = rising + 1 if len(history) > 1 and loss > history[-2] else 0
        if rising >= options.patience and loss > 10.0 * history[0]:
            raise diverged(rate, lipschitz, history, f"the loss rose for {rising} epochs")
        moved = float(np.linalg.norm(params - before))
        if moved <= tol * max(float(np.linalg.norm(params)), np.finfo(float).tiny):
            # The steps have stopped moving, which a decaying schedule also brings about
            # far from the solution: converged only if the solution is near.
            distance = distance_to_solution(xc, y, params, fit_intercept)
            converged = distance <= STOCHASTIC_ACCURACY
            if not converged:
                notes = (
                    f"stopped moving after {epoch + 1} epochs (the {options.schedule} "
                    f"schedule shrank the steps) while still {distance:.1%} from the "
                    "least-squares solution; use schedule='invscaling' or 'constant' with "
                    "more epochs, a larger learning_rate, or method='batch'",
                )
            break
    final = _full_gradient(xc, y, params[:p], float(params[p]), fit_intercept)
    relative = float(np.linalg.norm(final)) / start_norm if start_norm > 0 else 0.0
    n_iter = epoch + 1
    return GDResult(
        params[:p].copy(),
        float(params[p]),
        np.asarray(history),
        n_iter,
        converged,
        rate,
        lipschitz,
        relative,
        notes=notes,
    )


def gradient_descent(
    x: Float, y: Float, options: GDOptions, fit_intercept: bool = True, warn: bool = True
) -> GDResult:
    """Minimise the mean squared error by gradient descent.

    Parameters
    ----------
    x : ndarray of shape (n, p)
        Features (already standardised if the caller wants that).
    y : ndarray of shape (n,)
    options : GDOptions
    fit_intercept : bool
        Fit an unpenalised intercept as a separate parameter.
    warn : bool
        Emit :class:`ConvergenceWarning` when ``max_epochs`` is reached unconverged.

    Returns
    -------
    GDResult
    """
    n = x.shape[0]
    validate_options(options)
    lipschitz, row = lipschitz_constant(x, fit_intercept)
    if lipschitz == 0.0:
        lipschitz = row = 1.0
    batch_size = {"batch": n, "sgd": 1}.get(options.method, min(options.batch_size, n))
    # A mini-batch of m rows has a Lipschitz constant of at most L + (L_row − L)/m; the
    # full batch has exactly L.
    if options.method == "batch":
        batch_lipschitz = lipschitz
    else:
        batch_lipschitz = lipschitz + (row - lipschitz) / batch_size
    if options.learning_rate == "auto":
        rate = 1.0 / batch_lipschitz
    else:
        rate = float(options.learning_rate)
    unit = "iterations" if options.method == "batch" else "epochs"
    with Progress(unit, enabled=options.progress, total=options.max_epochs) as bar:
        if options.method == "batch":
            result = _batch(x, y, options, fit_intercept, rate, lipschitz, bar)
        else:
            result = _stochastic(
                x, y, options, fit_intercept, rate, batch_lipschitz, batch_size, bar
            )
    if warn and result.notes:
        warnings.warn(
            f"gradient descent ({options.method}) {result.notes[0]}",
            exceptions.ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    elif warn and not result.converged:
        warnings.warn(
            f"gradient descent ({options.method}) stopped after max_epochs={options.max_epochs} "
            f"{unit} without converging: the gradient norm is {result.gradient_norm:.3g} of its "
            f"starting value (tol={options.effective_tol:g}). Increase max_epochs, use "
            f"learning_rate='auto' (largest stable batch rate 2/L = {2.0 / lipschitz:.4g}), "
            "keep standardize=True, or use a direct solver",
            exceptions.ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    return result


def solve_gd(problem: LeastSquaresProblem) -> SolverResult:
    """``solver="gd"``: batch gradient descent on standardised columns, then OLS inference.

    The coefficients are the gradient-descent solution (accurate to its tolerance, not to
    rounding); ``(X'X)^-1`` for the standard errors comes from a Cholesky factor of the
    scaled Gram matrix evaluated at that solution's design.
    """
    x = problem.x if problem.x_lo is None else problem.x + problem.x_lo
    features = x[:, 1:] if problem.intercept else x
    scaling = Standardization.fit(features, problem.y, center=problem.intercept)
    result = gradient_descent(
        scaling.transform(features),
        problem.y - scaling.y_mean,
        GDOptions(method="batch", progress=problem.progress),
        fit_intercept=problem.intercept,
    )
    slopes, intercept = scaling.to_original(result.coef, result.intercept)
    coef = np.concatenate([[intercept], slopes]) if problem.intercept else slopes
    g = gram(np.ascontiguousarray(x))
    scales = power_of_two_scales(np.sqrt(np.diag(g)))
    factor, info = lapack.dpotrf(g * np.outer(scales, scales), lower=0, clean=1)
    if info != 0:
        raise InputError(
            "solver='gd' needs a full-rank design to report standard errors; "
            "use solver='qr' to find and name the aliased columns"
        )
    inverse, _ = lapack.dpotri(factor, lower=0)
    cov = (np.triu(inverse) + np.triu(inverse, 1).T) * np.outer(scales, scales)
    cond, weakest = condition_of_triangular(factor)
    state = "converged" if result.converged else "did NOT converge"
    extra = result.notes
    return SolverResult(
        coef=coef,
        cov_unscaled=cov,
        residuals=problem.y - x @ coef,
        rank=problem.p,
        aliased=np.zeros(problem.p, dtype=bool),
        dependencies=(),
        condition_number=cond,
        weakest_direction=weakest,
        method="gd",
        n_iter=result.n_iter,
        notes=(
            f"coefficients from batch gradient descent ({result.n_iter} iterations, {state}): "
            "iterative, accurate to its tolerance rather than to rounding; inference is "
            "evaluated at that solution",
            *extra,
        ),
    )
