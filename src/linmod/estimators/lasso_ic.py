"""``Lasso(alpha="bic")`` and ``Lasso(alpha="aic")``: scikit-learn's ``LassoLarsIC``.

:meth:`linmod.Lasso.fit` hands a string ``alpha`` to :func:`fit_by_criterion`, which
follows the exact Lasso path knot by knot (:mod:`linmod.solvers.lasso_homotopy`) and
keeps the knot of smallest criterion (:mod:`linmod.solvers.lasso_ic` states the
formulas).  The chosen ``alpha_``, the knots ``alphas_``, the criterion at each knot
``criterion_`` and the noise variance ``noise_variance_`` are those of ``LassoLarsIC``
(same names, same meaning).

``standardize``
    ``LassoLarsIC`` does not standardise.  ``Lasso(alpha="bic")`` keeps the estimator's
    ``standardize=False`` default and then equals ``LassoLarsIC(criterion="bic")``; with
    ``standardize=True`` it equals ``LassoLarsIC`` fitted on the columns divided by their
    ``1/n`` standard deviations, the coefficients mapped back to the original scale and
    ``alpha_``/``alphas_`` on the standardised scale (as a numeric ``alpha`` with
    ``standardize=True``).  The noise variance does not depend on the columns' scales.
    ``linmod.lasso(formula, data, alpha="bic")`` standardises by default, as for
    ``alpha="cv"``.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from linmod._stack import user_stacklevel
from linmod.estimators.intercept_type import typed_intercept
from linmod.exceptions import ConvergenceWarning, InputError
from linmod.solvers.lasso_ic import information_criterion_path
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import make_problem, require_finite

__all__ = ["fit_by_criterion"]


def _duality_gap(problem: Any, coef: np.ndarray, alpha: float) -> float:
    """scikit-learn's Lasso duality gap (scaling ``1/n``) at ``coef`` of the scaled problem."""
    n = problem.n
    resid = problem.y - problem.xt.T @ coef
    l1 = alpha * n
    dual_norm = float(np.max(np.abs(problem.xt @ resid), initial=0.0))
    const = l1 / dual_norm if dual_norm > l1 else 1.0
    r2 = float(resid @ resid)
    gap = (
        0.5 * r2 * (1 + const**2)
        + l1 * float(np.abs(coef).sum())
        - const * float(resid @ problem.y)
    )
    return max(gap, 0.0) / n


def fit_by_criterion(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit ``estimator`` (a :class:`linmod.Lasso` with ``alpha`` "aic" or "bic").

    Parameters
    ----------
    estimator : Lasso
    X, y
        As for :meth:`linmod.Lasso.fit`.
    sample_weight : None
        Not available (``LassoLarsIC`` has none; the criterion's ``n`` and ``σ²`` would
        need a weighted definition).

    Returns
    -------
    estimator
        Fitted, with ``alpha_``, ``alphas_``, ``criterion_``, ``noise_variance_``,
        ``coef_``, ``intercept_``, ``dual_gap_`` and ``n_iter_`` (homotopy steps).

    Raises
    ------
    InputError
        With ``sample_weight``; with ``n ≤ p + fit_intercept`` and no ``noise_variance``.
    """
    if sample_weight is not None:
        raise InputError(
            f"alpha={estimator.alpha!r} does not take sample_weight (LassoLarsIC has no "
            "weighted criterion); use alpha='cv' or a numeric alpha with weights"
        )
    x, yv, _ = estimator._weighted_data(X, y, None)
    names = estimator._feature_names()
    standardize = bool(estimator.standardize)
    x, yv, magnitude = rescale(x, yv, standardize, names)
    problem = make_problem(x, yv, bool(estimator.fit_intercept), standardize, False)
    require_finite(problem, x, yv, names)
    path = information_criterion_path(
        problem,
        str(estimator.alpha),
        noise_variance=estimator.noise_variance,
        fit_intercept=bool(estimator.fit_intercept),
        positive=bool(estimator.positive),
        max_steps=int(estimator.max_iter),
        y_exp=magnitude.y_exp,
    )
    if not path.complete:
        warnings.warn(
            f"the Lasso path stopped after max_iter={estimator.max_iter} knots before "
            f"reaching alpha = 0 (at alpha = {path.alphas[-1]:.4g}); the criterion was "
            "minimised over the knots reached: increase max_iter",
            ConvergenceWarning,
            stacklevel=user_stacklevel(),
        )
    with np.errstate(under="ignore"):
        alphas = np.ldexp(path.alphas, -magnitude.l1_exp)
    coefs, intercepts = magnitude.coefficients(*problem.scaling.to_original(path.coefs))
    best = path.best
    estimator.alphas_ = alphas
    estimator.criterion_ = path.criterion
    estimator.noise_variance_ = path.noise_variance
    estimator.alpha_ = float(alphas[best])
    estimator.coef_ = np.ascontiguousarray(coefs[:, best])
    estimator.intercept_ = typed_intercept(np.atleast_1d(intercepts)[best], estimator.fit_intercept)
    gap = _duality_gap(problem, path.coefs[:, best], float(path.alphas[best]))
    estimator.dual_gap_ = float(magnitude.gap(np.array([gap]))[0])
    estimator.n_iter_ = max(1, path.n_steps)
    return estimator
