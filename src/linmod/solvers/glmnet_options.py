"""glmnet's per-feature options: penalty factors and box constraints on the coefficients.

With penalty factors ``v_j`` and bounds ``l_j ≤ β_j ≤ u_j`` the elastic net minimises

    (1/2n)‖y − b − Xβ‖² + α Σ_j v_j [l1_ratio·|β_j| + (1 − l1_ratio)/2·β_j²]

subject to ``l_j ≤ β_j ≤ u_j``, exactly as glmnet's ``penalty.factor``,
``lower.limits`` and ``upper.limits``:

* the factors multiply the whole elastic-net penalty of a feature (L1 and L2 parts);
  glmnet **rescales them to sum to the number of features** (``v ← v·p/Σv``), and so
  does linmod, so ``penalty_factor=[2, 2, 2]`` is the same fit as no factors at all and
  ``α`` keeps its meaning;
* a factor of 0 leaves the feature unpenalised (it enters at every penalty); an infinite
  factor excludes it (its coefficient stays 0; glmnet's ``exclude``), and counts as 1 in
  the rescaling, as glmnet's does;
* negative factors, NaN, the wrong number of factors and all-zero factors are refused
  (glmnet stops on all-zero factors and silently treats a negative one as 0);
* the bounds are on the coefficients **on the original scale** of the columns, also with
  ``standardize=True`` (glmnet multiplies them by each column's standard deviation before
  its internal fit); they must satisfy ``l_j ≤ 0 ≤ u_j`` (glmnet's requirement: 0 is
  then feasible, so the null model is a solution at a large penalty);
* ``positive=True`` is ``lower=0``.

:func:`check_options` validates and normalises the user's values once;
:meth:`GlmnetOptions.internal` maps them onto the centred, scaled problem a solver
works on; :func:`options_grid` gives the automatic penalty grid, whose largest penalty is
computed over the penalised features only, after fitting the unpenalised ones (glmnet's
``lambda.max``; features kept at zero by their bounds do not count).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from linmod.exceptions import InputError
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.penalized_problem import EnetProblem
from linmod.solvers.penalty_grid import enet_grid

__all__ = [
    "GlmnetOptions",
    "InternalOptions",
    "automatic_grid",
    "bounded_least_squares",
    "check_options",
    "options_grid",
    "path_options",
    "unpenalized_gradient",
]

Float = NDArray[np.float64]

_RESOLUTION = float(np.finfo(np.float64).resolution)


@dataclass(frozen=True)
class InternalOptions:
    """Penalty factors and bounds of the centred, scaled problem a kernel solves.

    Attributes
    ----------
    factor : ndarray of shape (p,)
        Normalised penalty factors (0 for excluded features, whose bounds are 0).
    lower, upper : ndarray of shape (p,)
        Bounds on the coefficients of the scaled problem (``±inf`` when unbounded).
    """

    factor: Float
    lower: Float
    upper: Float

    @property
    def bounded(self) -> bool:
        """Whether any bound is finite."""
        return bool(np.isfinite(self.lower).any() or np.isfinite(self.upper).any())


@dataclass(frozen=True)
class GlmnetOptions:
    """Validated penalty factors and bounds on the original scale.

    Attributes
    ----------
    factor : ndarray of shape (p,)
        Penalty factors rescaled to sum to ``p`` (glmnet's), ``inf`` for excluded
        features.
    lower, upper : ndarray of shape (p,)
        Bounds on the original-scale coefficients (``-inf``/``inf`` when absent).
    magnitude : Magnitude
        How the data were rescaled by :func:`~linmod.solvers.penalized_magnitude.rescale`
        (bounds follow the coefficients through it).
    """

    factor: Float
    lower: Float
    upper: Float
    magnitude: Magnitude = field(default_factory=Magnitude)

    @property
    def excluded(self) -> NDArray[np.bool_]:
        """Features kept at zero (infinite factor)."""
        return np.asarray(np.isinf(self.factor))

    def with_magnitude(self, magnitude: Magnitude) -> GlmnetOptions:
        """The same options for data rescaled as ``magnitude`` says."""
        return replace(self, magnitude=magnitude)

    def internal(self, problem: EnetProblem) -> InternalOptions:
        """Factors and bounds of ``problem`` (centred, scaled, perhaps rescaled data).

        A coefficient ``w_j`` of the scaled problem is ``β_j / f_j`` on the original
        scale, with ``f_j`` from the problem's scaling and the magnitude's powers of two,
        so a bound ``l_j`` on ``β_j`` is ``l_j / f_j`` on ``w_j``.
        """
        p = problem.p
        per_unit, _ = self.magnitude.coefficients(*problem.scaling.to_original(np.ones(p)))
        with np.errstate(invalid="ignore"):
            lower = np.where(np.isinf(self.lower), self.lower, self.lower / per_unit)
            upper = np.where(np.isinf(self.upper), self.upper, self.upper / per_unit)
        excluded = self.excluded
        factor = np.where(excluded, 0.0, self.factor)
        lower[excluded] = 0.0
        upper[excluded] = 0.0
        return InternalOptions(factor=factor, lower=lower + 0.0, upper=upper + 0.0)


def _label(names: Any, j: int) -> str:
    return repr(str(names[j])) if names is not None else f"{j} (0-based)"


def _vector(value: Any, p: int, what: str, default: float) -> Float:
    if value is None:
        return np.full(p, default)
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{what} must be a number or one number per feature; got {value!r}"
        ) from None
    if arr.ndim == 0:
        return np.full(p, float(arr))
    if arr.ndim != 1 or arr.shape[0] != p:
        raise InputError(
            f"{what} has {arr.size} values but X has {p} features: give one value per "
            "feature, in column order (or one number for all)"
        )
    return arr.copy()


def _check_factor(penalty_factor: Any, p: int, names: Any) -> Float:
    if penalty_factor is None:
        return np.ones(p)
    try:
        factor = np.asarray(penalty_factor, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"penalty_factor must be numbers, one per feature; got {penalty_factor!r}"
        ) from None
    if factor.ndim != 1 or factor.shape[0] != p:
        raise InputError(
            f"penalty_factor has {factor.size} values but X has {p} features: give one "
            "factor per feature, in column order"
        )
    for bad, what in ((np.isnan(factor), "NaN"), (factor < 0, "negative")):
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            raise InputError(
                f"penalty_factor of feature {_label(names, j)} is {what} ({float(factor[j])!r}): "
                "give a factor ≥ 0 (0 leaves the feature unpenalised, inf excludes it)"
            )
    counted = np.where(np.isinf(factor), 1.0, factor)  # glmnet: excluded count as 1
    if p and not (factor > 0).any():
        raise InputError(
            "penalty_factor is 0 for every feature, so nothing is penalised (glmnet refuses "
            "it too): give at least one positive factor, or fit least squares (alpha=0)"
        )
    if p == 0:
        return factor
    return np.where(np.isinf(factor), np.inf, counted * (p / counted.sum()))


def _check_bound(value: Any, p: int, names: Any, which: str) -> Float:
    default = -np.inf if which == "lower" else np.inf
    bound = _vector(value, p, which, default)
    if np.isnan(bound).any():
        j = int(np.flatnonzero(np.isnan(bound))[0])
        raise InputError(
            f"{which} bound of feature {_label(names, j)} is NaN: give a number (or "
            f"{'-inf' if which == 'lower' else 'inf'} for no bound)"
        )
    wrong = bound > 0 if which == "lower" else bound < 0
    if wrong.any():
        j = int(np.flatnonzero(wrong)[0])
        sign, fix = ("> 0", "≤ 0") if which == "lower" else ("< 0", "≥ 0")
        raise InputError(
            f"{which} bound of feature {_label(names, j)} is {float(bound[j])!r} {sign}: the "
            f"bounds must satisfy lower ≤ 0 ≤ upper (glmnet's {which}.limits); give a {which} "
            f"bound {fix}"
        )
    return bound


def check_options(
    penalty_factor: Any,
    lower: Any,
    upper: Any,
    positive: bool,
    p: int,
    names: Any = None,
) -> GlmnetOptions | None:
    """Validate penalty factors and bounds; None when they change nothing.

    Parameters
    ----------
    penalty_factor : array-like of shape (p,) or None
        Non-negative factors (``inf`` excludes a feature), not all zero.
    lower, upper : float, array-like of shape (p,) or None
        Bounds on the original-scale coefficients, ``lower ≤ 0 ≤ upper``.
    positive : bool
        ``lower = 0`` (combined with ``lower`` by the larger of the two).
    p : int
        Number of features.
    names : sequence of str, optional
        Feature names for the messages.

    Returns
    -------
    GlmnetOptions or None
        None when the factors are all equal and no bound is given (the plain elastic net,
        solved by the usual kernels; ``positive`` alone is handled there too).

    Raises
    ------
    InputError
        For the wrong number of values, NaN, a negative factor, all-zero factors, a
        positive lower bound or a negative upper bound (the message names the feature).
    """
    factor = _check_factor(penalty_factor, p, names)
    lo = _check_bound(lower, p, names, "lower")
    hi = _check_bound(upper, p, names, "upper")
    if lower is None and upper is None and np.all(factor == 1.0):
        return None
    if positive:
        lo = np.maximum(lo, 0.0)
    return GlmnetOptions(factor=factor, lower=lo, upper=hi)


def bounded_least_squares(
    problem: EnetProblem, columns: NDArray[np.intp], lower: Float, upper: Float
) -> Float:
    """Least squares on ``columns`` of the scaled problem within the bounds.

    Minimum-norm ``lstsq`` without finite bounds, else scipy's bounded-variable least
    squares (``lsq_linear(method="bvls")``, an exact active-set method).  On the Gram
    layout the design is replaced by the square root of its Gram matrix (the same
    least-squares problem).  Returns the coefficients of ``columns``.
    """
    import scipy.linalg as sla
    from scipy.optimize import lsq_linear

    if columns.size == 0:
        return np.zeros(0)
    if problem.gram is not None:
        vals, vecs = np.linalg.eigh(problem.gram[np.ix_(columns, columns)])
        keep = vals > vals.max(initial=0.0) * columns.size * np.finfo(float).eps
        root = np.sqrt(vals[keep])
        a = root[:, None] * vecs[:, keep].T
        b = (vecs[:, keep].T @ problem.xty[columns]) / root
    else:
        assert problem.xt is not None
        assert problem.y is not None
        a, b = problem.xt[columns].T, problem.y
    lo, hi = lower[columns], upper[columns]
    if a.shape[0] == 0:
        return np.zeros(columns.size)
    if not (np.isfinite(lo).any() or np.isfinite(hi).any()):
        return np.asarray(sla.lstsq(a, b)[0], dtype=float)
    fit = lsq_linear(a, b, bounds=(lo, hi), method="bvls", tol=1e-15, max_iter=10_000)
    return np.clip(np.asarray(fit.x, dtype=float), lo, hi)


def unpenalized_gradient(problem: EnetProblem, opts: InternalOptions) -> tuple[Float, Float]:
    """``Xᵀr`` at the fit of the unpenalised features alone, and that fit (length p)."""
    free = np.flatnonzero((opts.factor == 0.0) & (problem.norm2 > 0.0) & (opts.upper > opts.lower))
    w = np.zeros(problem.p)
    if free.size == 0:
        return problem.xty.copy(), w
    w[free] = bounded_least_squares(problem, free, opts.lower, opts.upper)
    if problem.gram is not None:
        return problem.xty - problem.gram[:, free] @ w[free], w
    assert problem.xt is not None
    assert problem.y is not None
    return problem.xt @ (problem.y - problem.xt[free].T @ w[free]), w


def options_grid(
    problem: EnetProblem,
    options: GlmnetOptions,
    l1_ratio: float,
    n_alphas: int,
    eps: float,
) -> Float:
    """The automatic grid ``geomspace(α_max, eps·α_max, n_alphas)`` under the options.

    ``α_max = max_j g_j / (n·l1_ratio·v_j)`` over the penalised features, with ``g`` the
    correlations with the residual of the unpenalised fit (glmnet's ``lambda.max``),
    counting only the directions the bounds allow (``g_j > 0`` needs ``u_j > 0``,
    ``g_j < 0`` needs ``l_j < 0``).  The grid is in the units of the rescaled data, as
    :func:`~linmod.solvers.penalty_grid.enet_grid`'s.
    """
    if l1_ratio <= 0:
        raise InputError(
            "l1_ratio=0 has no automatic penalty grid (the ridge penalty never zeroes a "
            "coefficient); pass the penalties with alphas=[...]"
        )
    opts = options.internal(problem)
    grad, _ = unpenalized_gradient(problem, opts)
    movable = np.where(grad > 0, opts.upper > 0, opts.lower < 0)
    use = (opts.factor > 0) & movable
    top = float(np.max(np.abs(grad[use]) / opts.factor[use], initial=0.0))
    top /= problem.n * l1_ratio
    if top <= _RESOLUTION:
        return np.full(n_alphas, _RESOLUTION)
    return np.geomspace(top, top * eps, num=n_alphas)


def path_options(
    penalty_factor: Any,
    lower: Any,
    upper: Any,
    positive: bool,
    names: Any,
    magnitude: Magnitude,
) -> GlmnetOptions | None:
    """:func:`check_options` for ``len(names)`` features, with the data's magnitude."""
    options = check_options(penalty_factor, lower, upper, positive, len(names), names)
    return None if options is None else options.with_magnitude(magnitude)


def automatic_grid(
    problem: EnetProblem,
    options: GlmnetOptions | None,
    l1_ratio: float,
    n_alphas: int,
    eps: float,
    positive: bool,
) -> Float:
    """The automatic grid of the rescaled data: scikit-learn's without options
    (:func:`~linmod.solvers.penalty_grid.enet_grid`), :func:`options_grid` with them."""
    if options is None:
        return enet_grid(problem.xty, problem.n, l1_ratio, n_alphas, eps, positive)
    return options_grid(problem, options, l1_ratio, n_alphas, eps)
