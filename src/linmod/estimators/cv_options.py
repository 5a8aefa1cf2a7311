"""scikit-learn's fitting options of ``LassoCV`` and ``ElasticNetCV``.

``precompute``
    The layout of every fit, the folds' paths and the final refit, as for ``Lasso``
    (:mod:`linmod.estimators.enet_options`): ``False`` the design, ``True`` the Gram
    matrix ``XᵀX``, ``"auto"`` what suits the shape.  A Gram matrix given as an array is
    handled as scikit-learn's ``LassoCV`` handles it: it is not the Gram matrix of a
    training fold, so with ``fit_intercept`` (a fold's columns are not centred) every fold
    computes its own, with scikit-learn's ``UserWarning``, and without an intercept the
    first fold whose ``XᵀX`` it is not refuses it; the final refit on all the data uses it
    as ``Lasso`` does (checked, or recomputed with the warning when ``X`` is not centred).
``selection``, ``random_state``
    The folds' paths visit the features in order (each penalty warm-starts from the
    previous one; the solutions agree with those of a random order to ``tol``); the final
    refit on all the data visits them in an order drawn from ``random_state`` once per
    fit, as ``Lasso`` does.
``copy_X``
    Accepted for scikit-learn's API: linmod never writes into ``X`` (scikit-learn's
    ``copy_X=False`` allows it to, and it does centre a Fortran-ordered ``X`` in place).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.utils._param_validation import StrOptions

from linmod._stack import user_stacklevel
from linmod.estimators.enet_options import (
    GRAM_RTOL,
    PRECOMPUTE_OPTIONS,
    check_gram,
    scaled_user_gram,
)
from linmod.exceptions import InputError
from linmod.solvers.penalized_magnitude import Magnitude
from linmod.solvers.weighted_problem import unit_mean

__all__ = ["CV_OPTION_CONSTRAINTS", "fold_layout"]

Float = NDArray[np.float64]
Index = NDArray[np.intp]

#: scikit-learn's constraints of the options (the keys are the parameters' names).
CV_OPTION_CONSTRAINTS: dict[str, list[Any]] = {
    "precompute": ["boolean", StrOptions(set(PRECOMPUTE_OPTIONS)), "array-like"],
    "copy_X": ["boolean"],
    "random_state": ["random_state"],
    "selection": [StrOptions({"cyclic", "random"})],
}


def fold_layout(
    estimator: Any,
    x: Float,
    w: Float | None,
    folds: list[tuple[Index, Index]],
    magnitude: Magnitude,
) -> bool | None:
    """The ``gram=`` layout of the training folds for ``estimator.precompute``.

    Parameters
    ----------
    estimator
        ``LassoCV`` or ``ElasticNetCV`` (``precompute``, ``fit_intercept``).
    x : ndarray
        Data rescaled by :func:`~linmod.solvers.penalized_magnitude.rescale`.
    w : ndarray or None
        Positive weights of the rows.
    folds : list of (train, test) index arrays
    magnitude : Magnitude
        How ``x`` was rescaled (a user Gram matrix is rescaled the same way).

    Returns
    -------
    bool or None
        None for ``"auto"``; for a Gram matrix True (each fold's own).

    Raises
    ------
    InputError
        If a Gram matrix has the wrong shape, is not finite, or (without an intercept) is
        not ``XᵀX`` of a training fold.
    """
    precompute, fit_intercept = estimator.precompute, estimator.fit_intercept
    if isinstance(precompute, str):
        return None
    if not (hasattr(precompute, "__array__") or hasattr(precompute, "shape")):
        return bool(precompute)
    p = x.shape[1]
    gram = scaled_user_gram(precompute, p, magnitude)
    rtol = GRAM_RTOL.get(np.asarray(precompute).dtype, 1e-7)
    warned = False
    for k, (train, _) in enumerate(folds, start=1):
        xt = x[train]
        wt = None if w is None else w[train]
        means = np.zeros(p)
        if fit_intercept:
            means = xt.mean(axis=0) if wt is None else (wt @ xt) / wt.sum()
        if fit_intercept and not np.allclose(means, 0.0):
            if not warned:
                warnings.warn(
                    "Gram matrix was provided but X was centered to fit intercept: "
                    "recomputing Gram matrix.",
                    UserWarning,
                    stacklevel=user_stacklevel(),
                )
            warned = True
            continue
        xs = xt - means if wt is None else (xt - means) * np.sqrt(unit_mean(wt))[:, None]
        try:
            check_gram(gram, xs, rtol)
        except InputError:
            raise InputError(
                f"precompute: the Gram matrix is not XᵀX of cross-validation training fold "
                f"{k} (each fold is fitted on its own rows, so one Gram matrix cannot serve "
                "them all, as in scikit-learn's LassoCV): pass precompute=True"
            ) from None
    return True
