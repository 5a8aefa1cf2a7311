"""The group Lasso's path: ``linmod.lasso_path(X, y, feature_groups=...)``.

:func:`group_path_fields` is what :func:`linmod.enet_path` and :func:`linmod.lasso_path`
run when given ``feature_groups``: the same checks, rescaling, centring, standardising
and weights as the plain path, the group penalty ``α·l1_ratio·Σ_g √|g|·‖β_g‖₂`` solved
by :func:`~linmod.solvers.group_lasso.solve_group_path` warm-started down the grid.  The
automatic grid is scikit-learn's recipe with the group Lasso's ``α_max`` (the smallest
penalty at which every group is zero, ``max_g ‖X_gᵀy‖/(n·√|g|·l1_ratio)``):
``geomspace(α_max, eps·α_max, n_alphas)``.  It returns the fields of a
:class:`~linmod.solvers.paths.RegularizationPath`, which the caller builds.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from linmod.data.validation import (
    as_arrays,
    check_alphas,
    check_eps,
    check_l1_ratio,
    check_max_iter,
    check_n_alphas,
    check_tol,
)
from linmod.exceptions import InputError
from linmod.solvers.feature_groups import feature_groups
from linmod.solvers.group_lasso import group_alpha_max, solve_group_path
from linmod.solvers.penalized_magnitude import rescale
from linmod.solvers.penalized_problem import make_problem, require_finite
from linmod.solvers.weighted_problem import kept_rows, weighted_problem

__all__ = ["group_path_fields"]

_RESOLUTION = float(np.finfo(np.float64).resolution)


def group_path_fields(
    X: Any,
    y: Any,
    groups: Any,
    *,
    l1_ratio: float = 1.0,
    alphas: Any = 100,
    eps: float = 1e-3,
    fit_intercept: bool = True,
    standardize: bool = False,
    positive: bool = False,
    tol: float = 1e-4,
    max_iter: int = 1000,
    sample_weight: Any = None,
) -> dict[str, Any]:
    """The group Lasso / group elastic net along a grid of penalties.

    Parameters
    ----------
    X, y, l1_ratio, alphas, eps, fit_intercept, standardize, tol, max_iter, sample_weight
        As for :func:`linmod.enet_path`.
    groups : array-like of shape (n_features,)
        One group id per feature (:func:`~linmod.solvers.feature_groups.feature_groups`).
    positive : bool
        Must be False (not available with groups).

    Returns
    -------
    dict
        ``alphas``, ``coefs``, ``intercepts``, ``dual_gaps``, ``n_iter``,
        ``feature_names``, ``penalty`` and ``l1_ratio``.

    Raises
    ------
    InputError
        ``positive=True``, ``l1_ratio=0`` (a pure ridge penalty has no groups to select),
        bad group ids, or any error of :func:`linmod.enet_path`.
    """
    l1_ratio = check_l1_ratio(l1_ratio)
    if l1_ratio == 0.0:
        raise InputError(
            "feature_groups needs a group penalty: l1_ratio=0 is a pure ridge penalty, "
            "which selects nothing; give l1_ratio > 0 or drop feature_groups"
        )
    if positive:
        raise InputError("positive=True is not available with feature_groups; drop one")
    if isinstance(alphas, Integral) and not isinstance(alphas, bool | np.bool_):
        n_alphas, grid = check_n_alphas(alphas), None
    else:
        n_alphas, grid = 0, np.sort(check_alphas(alphas))[::-1].copy()
    eps = check_eps(eps)
    tol = check_tol(tol)
    max_iter = check_max_iter(max_iter)
    x, yv, names = as_arrays(X, y, finite=False)
    layout = feature_groups(groups, x.shape[1], names)
    x, yv, w, _ = kept_rows(x, yv, sample_weight)
    x, yv, magnitude = rescale(x, yv, bool(standardize), names)
    if w is None:
        problem = make_problem(x, yv, bool(fit_intercept), bool(standardize), False)
    else:
        problem = weighted_problem(x, yv, w, bool(fit_intercept), bool(standardize), False)
    require_finite(problem, x, yv, names)
    if grid is None:
        top = group_alpha_max(problem, layout, l1_ratio)
        if top <= _RESOLUTION:
            grid = np.full(n_alphas, _RESOLUTION)
        else:
            grid = np.geomspace(top, top * eps, num=n_alphas)
        grid = magnitude.automatic_grid(grid, magnitude.l1_exp)
    solution = solve_group_path(
        problem, grid, l1_ratio, layout, tol=tol, max_iter=max_iter,
        l1_exp=magnitude.l1_exp, l2_exp=magnitude.l2_exp,
    )  # fmt: skip
    coefs, intercepts = magnitude.coefficients(*problem.scaling.to_original(solution.coefs))
    return {
        "alphas": grid,
        "coefs": coefs,
        "intercepts": np.atleast_1d(intercepts),
        "dual_gaps": magnitude.gap(solution.dual_gaps),
        "n_iter": solution.n_iter,
        "feature_names": names,
        "penalty": "lasso" if l1_ratio == 1.0 else "elastic_net",
        "l1_ratio": l1_ratio,
    }
