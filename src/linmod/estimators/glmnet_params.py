"""glmnet's options on the penalised estimators: ``penalty_factor``, ``lower``/``upper``,
``relax``/``gamma``.

The estimators (:class:`~linmod.ElasticNet`, :class:`~linmod.Lasso` and their CV
variants) declare the parameters; this module holds their constraints and turns them
into the solvers' objects:

* :func:`fit_options` validates ``penalty_factor``, ``lower``, ``upper`` (and
  ``positive``) against the data (:func:`linmod.solvers.glmnet_options.check_options`)
  and returns None when they change nothing, so the plain elastic net keeps its
  accelerated kernels and bit-identical results;
* :func:`reported_coefs` applies ``relax=True`` to the penalised coefficients
  (:mod:`linmod.solvers.relaxed`).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils._param_validation import Interval

from linmod.exceptions import InputError
from linmod.solvers.glmnet_options import GlmnetOptions, check_options
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.penalized_problem import EnetProblem
from linmod.solvers.relaxed import relaxed_coefs

__all__ = ["BOUND_CONSTRAINTS", "RELAX_CONSTRAINTS", "fit_options", "reported_coefs"]

Float = NDArray[np.float64]

#: Constraints of ``penalty_factor``, ``lower`` and ``upper`` (checked in full, with the
#: data, by :func:`fit_options`).
BOUND_CONSTRAINTS: dict[str, list[Any]] = {
    "penalty_factor": ["array-like", None],
    "lower": [Real, "array-like", None],
    "upper": [Real, "array-like", None],
}
#: Constraints of ``relax`` and ``gamma``.
RELAX_CONSTRAINTS: dict[str, list[Any]] = {
    "relax": ["boolean"],
    "gamma": [Interval(Real, 0, 1, closed="both")],
}


def refuse_glmnet_options(estimator: Any, what: str, instead: str = "") -> None:
    """Raise when ``penalty_factor``, ``lower``, ``upper`` or ``relax`` are set on a fit
    (``what``: the group Lasso, a criterion's choice) that does not take them.

    Raises
    ------
    InputError
        Naming the options set and what to do instead.
    """
    given = [
        name
        for name in ("penalty_factor", "lower", "upper")
        if getattr(estimator, name, None) is not None
    ]
    if getattr(estimator, "relax", False):
        given.append("relax")
    if given:
        raise InputError(
            f"{what} does not take {', '.join(given)} yet; fit without "
            f"{'it' if len(given) == 1 else 'them'}{instead}"
        )


def fit_options(estimator: Any, p: int, magnitude: Magnitude) -> GlmnetOptions | None:
    """The estimator's penalty factors and bounds for ``p`` features, or None.

    Parameters
    ----------
    estimator : ElasticNet, Lasso, ElasticNetCV or LassoCV
        Read for ``penalty_factor``, ``lower``, ``upper`` and ``positive``.
    p : int
        Number of features.
    magnitude : Magnitude
        How the data were rescaled.

    Raises
    ------
    InputError
        For a factor or bound that glmnet would not accept (the message names the
        feature).
    """
    names = getattr(estimator, "feature_names_in_", None)
    options = check_options(
        getattr(estimator, "penalty_factor", None),
        getattr(estimator, "lower", None),
        getattr(estimator, "upper", None),
        bool(getattr(estimator, "positive", False)),
        p,
        None if names is None else [str(v) for v in names],
    )
    return None if options is None else options.with_magnitude(magnitude)


def reported_coefs(
    estimator: Any, problem: EnetProblem, coefs: Float, options: GlmnetOptions | None
) -> Float:
    """The coefficients the estimator reports: relaxed when ``relax=True``.

    Parameters
    ----------
    estimator : ElasticNet or Lasso
        Read for ``relax``, ``gamma`` and ``positive``.
    problem : EnetProblem
    coefs : ndarray of shape (p, k)
        Penalised coefficients of the scaled problem.
    options : GlmnetOptions or None
    """
    if not getattr(estimator, "relax", False):
        return coefs
    return relaxed_coefs(
        problem, coefs, float(estimator.gamma), options, bool(getattr(estimator, "positive", False))
    )
