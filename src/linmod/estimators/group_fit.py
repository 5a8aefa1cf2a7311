"""``Lasso(feature_groups=...)`` and ``ElasticNet(feature_groups=...)``: the group Lasso.

:meth:`linmod.ElasticNet.fit` (and so :meth:`linmod.Lasso.fit`) hands a fit with
``feature_groups`` to :func:`fit_groups`, which solves

    (1/2n)‖y − b − Xβ‖² + α·l1_ratio·Σ_g √|g|·‖β_g‖₂ + α(1 − l1_ratio)/2·‖β‖²

by block coordinate descent (:mod:`linmod.solvers.group_lasso`): the features of a group
are selected or dropped together.  ``standardize=True`` standardises each column (as
glmnet) and penalises the standardised coefficients; ``sample_weight`` is scikit-learn's
(:mod:`linmod.solvers.weighted_problem`).  A group of one feature is an ordinary Lasso
term, so ``feature_groups=range(p)`` is the Lasso.  ``positive=True`` is not available
with groups.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from linmod.estimators.intercept_type import typed_intercept
from linmod.exceptions import InputError
from linmod.solvers.elastic_net import solve_path
from linmod.solvers.feature_groups import feature_groups
from linmod.solvers.group_lasso import group_kkt_violation, solve_group_path
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import make_problem, require_finite
from linmod.solvers.weighted_problem import weighted_problem

__all__ = ["fit_groups"]


def fit_groups(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit ``estimator`` (``Lasso`` or ``ElasticNet`` with ``feature_groups``).

    Returns
    -------
    estimator
        Fitted, with ``coef_``, ``intercept_``, ``dual_gap_``, ``n_iter_``, ``groups_``
        (the group id of each feature) and ``kkt_violation_`` (the largest violation of
        the optimality conditions relative to the group's penalty, see
        :func:`~linmod.solvers.group_lasso.group_kkt_violation`).

    Raises
    ------
    InputError
        With ``positive=True``, a string ``alpha``, or group ids that do not match the
        features (:func:`~linmod.solvers.feature_groups.feature_groups`).
    """
    if isinstance(estimator.alpha, str):
        raise InputError(
            f"alpha={estimator.alpha!r} is not available with feature_groups (the group "
            "Lasso's degrees of freedom are not its number of non-zero coefficients); give "
            "a numeric alpha"
        )
    if estimator.positive:
        raise InputError("positive=True is not available with feature_groups; drop one of them")
    x, yv, w = estimator._weighted_data(X, y, sample_weight)
    names = estimator._feature_names()
    groups = feature_groups(estimator.feature_groups, x.shape[1], names)
    standardize = bool(estimator.standardize)
    fit_intercept = bool(estimator.fit_intercept)
    x, yv, magnitude = rescale(x, yv, standardize, names)
    if w is None:
        problem = make_problem(x, yv, fit_intercept, standardize, False)
    else:
        problem = weighted_problem(x, yv, w, fit_intercept, standardize, False)
    require_finite(problem, x, yv, names)
    l1_ratio = estimator._l1_ratio()
    alphas = np.array([float(estimator.alpha)])
    tol, max_iter = float(estimator.tol), int(estimator.max_iter)
    l1_exp, l2_exp = magnitude.l1_exp, magnitude.l2_exp
    if l1_ratio == 0.0:  # a pure ridge penalty: the groups do not matter
        solution = solve_path(
            problem, alphas, 0.0, tol=tol, max_iter=max_iter, l1_exp=l1_exp, l2_exp=l2_exp
        )
    else:
        solution = solve_group_path(
            problem,
            alphas,
            l1_ratio,
            groups,
            tol=tol,
            max_iter=max_iter,
            l1_exp=l1_exp,
            l2_exp=l2_exp,
        )
    coef_std = solution.coefs[:, 0]
    coef, intercept = magnitude.coefficients(*problem.scaling.to_original(coef_std))
    estimator.coef_ = coef
    estimator.intercept_ = typed_intercept(intercept, estimator.fit_intercept)
    estimator.dual_gap_ = float(magnitude.gap(solution.dual_gaps[0]))
    estimator.n_iter_ = max(1, int(solution.n_iter[0]))
    estimator.groups_ = np.array([groups.labels[g] for g in groups.group_of], dtype=object)
    estimator.kkt_violation_ = group_kkt_violation(
        problem, coef_std, float(estimator.alpha), l1_ratio, groups, l1_exp=l1_exp, l2_exp=l2_exp
    )
    return estimator
