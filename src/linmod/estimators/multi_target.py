"""Several responses at once: a 2-D ``y`` in ``Ridge``, ``Lasso`` and ``ElasticNet``.

scikit-learn's shapes and semantics:

* ``y`` of shape ``(n, k)`` gives ``coef_`` of shape ``(k, p)``, ``intercept_`` of shape
  ``(k,)`` and predictions of shape ``(n, k)``; each response has its own intercept and
  coefficients, fitted with the estimator's objective as if alone.  A ``y`` of shape
  ``(n, 1)`` gives ``coef_`` of shape ``(p,)`` and ``intercept_`` of shape ``(1,)``, as
  scikit-learn (1.9) does.
* ``Ridge`` solves all the responses from one factorisation of the design
  (:mod:`linmod.solvers.ridge_targets`): one Cholesky factor with ``k`` right-hand sides,
  or one SVD.
* ``Lasso`` and ``ElasticNet`` fit each response independently (scikit-learn's
  ``ElasticNet`` with a 2-D ``y`` is exactly that; a shared sparsity pattern is
  ``MultiTaskLasso``'s different objective), each with its own ``n_iter_`` and
  ``dual_gap_`` (a list and an array of length ``k``).

The estimators call :func:`fit_ridge_targets` or :func:`fit_per_target` when ``y`` is 2-D
(:func:`is_multi_target`); the rest of their code sees one response at a time.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.utils.validation import check_is_fitted, validate_data

from linmod.data.frames import check_feature_frame, to_pandas, to_pandas_series
from linmod.data.validation import check_finite, validate_params
from linmod.estimators.intercept_type import typed_intercept
from linmod.exceptions import InputError
from linmod.solvers.penalized_magnitude import ldexp, rescale
from linmod.solvers.ridge_targets import center_scale_targets, solve_ridge_penalties
from linmod.solvers.weighted_problem import kept_rows, ridge_weights

__all__ = [
    "check_targets",
    "fit_per_target",
    "fit_ridge_targets",
    "is_multi_target",
    "refuse_multi_target",
    "savable",
    "selection_targets",
    "set_target_coefficients",
    "target_alphas",
    "target_shape",
]

Float = NDArray[np.float64]

#: Ridge's parameters that the shared factorisation honours; any other parameter (added
#: later) at a value other than its default sends the fit through :func:`fit_per_target`.
_RIDGE_PARAMETERS = frozenset({"alpha", "fit_intercept", "standardize", "solver"})


def target_shape(y: Any) -> tuple[int, ...]:
    """The shape of ``y`` (of an array, a data frame or nested lists; ``()`` if ragged)."""
    shape = getattr(y, "shape", None)
    if shape is not None:
        return tuple(int(d) for d in shape)
    try:
        return tuple(np.asarray(y).shape)
    except (TypeError, ValueError):  # ragged lists: the fit's own validation reports them
        return ()


def is_multi_target(y: Any) -> bool:
    """Whether ``y`` is 2-D (a matrix or a data frame): one response per column."""
    return len(target_shape(y)) == 2


def _target_frame(y: Any) -> tuple[Any, list[str] | None]:
    frame = to_pandas(y) if hasattr(y, "columns") else y
    if isinstance(frame, pd.DataFrame):
        return frame, [str(c) for c in frame.columns]
    return frame, None


def check_targets(y: Any) -> tuple[Float, list[str]]:
    """A 2-D ``y`` as a float64 ``(n, k)`` array, with the responses' names.

    Returns
    -------
    y : ndarray of shape (n, k), C order
    names : list of str
        The columns' names of a data frame, else ``"0", "1", …``.

    Raises
    ------
    InputError
        If ``y`` has no column, is not numeric, or holds NaN or infinity (naming the
        response and the first such row, 1-based).
    """
    frame, names = _target_frame(y)
    try:
        values = np.asarray(frame, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(
            f"y must hold numbers, one response per column ({error}); convert or drop the "
            "non-numeric responses"
        ) from None
    if values.ndim != 2:
        raise InputError(
            f"y must be 1-D or 2-D (one response per column), got shape {values.shape}"
        )
    if values.shape[1] == 0:
        raise InputError(
            f"y has {values.shape[0]} rows but no column: give at least one response "
            "(a 1-D y for one response, an (n, k) y for k)"
        )
    names = names if names is not None else [str(j) for j in range(values.shape[1])]
    bad = ~np.isfinite(values)
    if bad.any():
        column = int(np.flatnonzero(bad.any(axis=0))[0])
        row = int(np.flatnonzero(bad[:, column])[0])
        kind = "NaN" if np.isnan(values[row, column]) else "infinity"
        raise InputError(
            f"y contains NaN or infinity ({int(bad.sum())} values; e.g. {kind} in response "
            f"{names[column]!r}, row {row + 1}); remove or impute those rows before fitting"
        )
    return np.ascontiguousarray(values), names


def refuse_multi_target(estimator: Any, y: Any) -> None:
    """Refuse a ``y`` with several columns (or none) in a single-response estimator.

    A ``y`` of shape ``(n, 1)`` passes (scikit-learn ravels it, with a warning).
    """
    shape = target_shape(y)
    if len(shape) != 2 or shape[1] == 1:
        return
    name = type(estimator).__name__
    k = shape[1]
    if k == 0:
        raise InputError(f"y has no column: {name} needs one response (a 1-D y)")
    single = name.removesuffix("CV")
    raise InputError(
        f"{name} fits one response, but y has {k} columns: fit one {name} per column "
        f"(e.g. [{name}().fit(X, Y[:, j]) for j in range({k})]), or use {single} with a "
        f"fixed alpha, which takes a 2-D y (scikit-learn's {name} refuses it too; "
        f"MultiTask{name} is a different, joint objective)"
    )


def set_target_coefficients(estimator: Any, coef: Float, intercept: Float) -> None:
    """Store ``coef_`` (``(k, p)``, or ``(p,)`` when ``k = 1``) and ``intercept_`` (``(k,)``)."""
    estimator.coef_ = coef[0].copy() if coef.shape[0] == 1 else np.ascontiguousarray(coef)
    estimator.intercept_ = np.asarray(intercept, dtype=np.float64).reshape(-1)


def _copy_feature_names(estimator: Any, fitted: Any) -> None:
    estimator.n_features_in_ = fitted.n_features_in_
    if hasattr(fitted, "feature_names_in_"):
        estimator.feature_names_in_ = fitted.feature_names_in_
    elif hasattr(estimator, "feature_names_in_"):
        del estimator.feature_names_in_


def target_alphas(alpha: Any, k: int) -> Float:
    """Ridge's ``alpha`` as one penalty per response: a number, or an array of ``k`` (or 1).

    Raises
    ------
    InputError
        If the array is not 1-D, its length is neither 1 nor ``k``, or a penalty is not a
        finite number ≥ 0 (naming it).
    """
    try:
        values = np.asarray(alpha, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputError(f"alpha={alpha!r} must be a number ≥ 0 or one per response") from None
    if values.ndim > 1:
        raise InputError(
            f"alpha must be a number or a 1-D array (one per response), got shape {values.shape}"
        )
    if values.size not in (1, k):
        raise InputError(
            f"alpha has {values.size} penalties but y has {k} response(s): give one alpha, "
            f"or {k}, one per column of y"
        )
    values = values.reshape(-1)
    bad = np.flatnonzero(~(np.isfinite(values) & (values >= 0)))
    if bad.size:
        j = int(bad[0])
        raise InputError(
            f"alpha[{j}] = {float(values[j])} is not a penalty: give finite values ≥ 0"
        )
    return np.broadcast_to(values, (k,)).copy()


def _single(y: Any) -> Any:
    """A 1-D ``y`` as a column (a ridge fit with an array of penalties)."""
    return np.asarray(to_pandas_series(y)).reshape(-1, 1)


def fit_per_target(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit each column of a 2-D ``y`` with a clone of ``estimator``; store the stacked fit.

    Every response is fitted with the estimator's own ``fit`` (and so with every option
    it has), independently of the others, which is scikit-learn's ``ElasticNet`` with a
    2-D ``y``.  ``n_iter_`` becomes a list and ``dual_gap_`` an array, one per response
    (an int and a float for a single column).

    Returns
    -------
    estimator
    """
    validate_params(estimator)
    values, names = check_targets(y)
    k = values.shape[1]
    params: list[dict[str, Any]] = [{} for _ in range(k)]
    if np.ndim(getattr(estimator, "alpha", 0)) > 0:  # Ridge: one penalty per response
        params = [{"alpha": float(a)} for a in target_alphas(estimator.alpha, k)]
    fits = [
        clone(estimator).set_params(**params[j]).fit(X, values[:, j], sample_weight)
        for j in range(k)
    ]
    _copy_feature_names(estimator, fits[0])
    set_target_coefficients(
        estimator,
        np.array([f.coef_ for f in fits], dtype=np.float64).reshape(len(fits), -1),
        np.array([f.intercept_ for f in fits], dtype=np.float64),
    )
    if hasattr(fits[0], "n_iter_"):
        n_iter = [None if f.n_iter_ is None else int(np.ravel(f.n_iter_)[0]) for f in fits]
        estimator.n_iter_ = n_iter[0] if len(fits) == 1 else n_iter
    if hasattr(fits[0], "dual_gap_"):
        gaps = np.array([f.dual_gap_ for f in fits], dtype=np.float64)
        estimator.dual_gap_ = float(gaps[0]) if len(fits) == 1 else gaps
    estimator._target_names = names
    return estimator


def _shared_factorisation(estimator: Any, X: Any) -> bool:
    """Whether :func:`fit_ridge_targets` honours every setting of this ridge fit."""
    if sp.issparse(X):
        return False
    defaults = type(estimator)().get_params()
    params = estimator.get_params()
    return all(
        name in _RIDGE_PARAMETERS or _same(value, defaults.get(name))
        for name, value in params.items()
    )


def _same(value: Any, default: Any) -> bool:
    try:
        return bool(np.all(value == default)) and np.shape(value) == np.shape(default)
    except (TypeError, ValueError):  # pragma: no cover - incomparable values
        return False


def fit_ridge_targets(estimator: Any, X: Any, y: Any, sample_weight: Any = None) -> Any:
    """Fit ``Ridge`` to every column of a 2-D ``y`` from one factorisation of ``X``.

    The objective of each response is :class:`~linmod.Ridge`'s (with the same
    ``sample_weight``, rows of weight 0 dropped, and ``standardize``); the design is
    centred, scaled and factored once (:func:`~linmod.solvers.ridge_targets.
    solve_ridge_targets`).  Settings the shared factorisation does not cover (a sparse
    ``X``, options added to ``Ridge`` later) fall back to :func:`fit_per_target`.

    Returns
    -------
    estimator
    """
    single = not is_multi_target(y)  # a 1-D y with an array of penalties
    if not _shared_factorisation(estimator, X):
        fit_per_target(estimator, X, _single(y) if single else y, sample_weight)
    else:
        _fit_ridge_targets(estimator, X, _single(y) if single else y, sample_weight)
    if single:  # scikit-learn: coef_ of shape (p,), a scalar intercept_
        estimator.intercept_ = typed_intercept(estimator.intercept_[0], estimator.fit_intercept)
    return estimator


def _fit_ridge_targets(estimator: Any, X: Any, y: Any, sample_weight: Any) -> None:
    validate_params(estimator)
    values, names = check_targets(y)
    alphas = target_alphas(estimator.alpha, values.shape[1])
    check_feature_frame(X)
    x, yv = validate_data(
        estimator, X, values, multi_output=True, y_numeric=True, dtype=np.float64,
        ensure_all_finite=False,
    )  # fmt: skip
    check_finite(x, None, getattr(estimator, "feature_names_in_", None))
    x, yv, w, _ = kept_rows(np.ascontiguousarray(x), np.ascontiguousarray(yv), sample_weight)
    x, yv, magnitude = rescale(x, yv, estimator.standardize, estimator._feature_names())
    w, w_exp = ridge_weights(w)  # exact powers of two: Σ w r² stays in range
    xc, yc, scaling = center_scale_targets(x, yv, w, estimator.fit_intercept, estimator.standardize)
    # penalties beyond float64 on the rescaled data are infinite: zero coefficients
    scaled = np.array([ldexp(float(a), magnitude.l2_exp - w_exp) for a in alphas])
    coef_std = solve_ridge_penalties(xc, yc, scaled, estimator.solver)
    coef, intercept = magnitude.coefficients(*scaling.to_original(coef_std))
    set_target_coefficients(estimator, coef.T, intercept)
    estimator._target_names = names


def selection_targets(estimator: Any, table: Any) -> pd.DataFrame:
    """The selection listing of a multi-response fit: one block of rows per response,
    with a leading ``target`` column (the response's column name, or its position)."""
    check_is_fitted(estimator)
    coef = np.atleast_2d(estimator.coef_)
    names = estimator._feature_names()
    targets = getattr(estimator, "_target_names", None) or [str(j) for j in range(len(coef))]
    frames = [table(names, coef[j]).assign(target=targets[j]) for j in range(coef.shape[0])]
    out = pd.concat(frames, ignore_index=True)
    return out[["target", *[c for c in out.columns if c != "target"]]]


def savable(estimator: Any) -> Any:
    """The estimator as a model file stores it: one response.

    A fit of a ``y`` of shape ``(n, 1)`` (``intercept_`` of shape ``(1,)``) is saved as the
    single-response fit it is; a fit of several responses is refused (the model file
    holds one coefficient vector).

    Raises
    ------
    InputError
        If ``estimator`` was fitted to several responses.
    """
    coef = getattr(estimator, "coef_", None)
    if coef is None:
        return estimator
    if np.ndim(coef) == 2:
        raise InputError(
            f"this {type(estimator).__name__} was fitted to {np.shape(coef)[0]} responses and "
            "a model file holds one: fit and save one estimator per column of y"
        )
    if np.ndim(estimator.intercept_) == 1:
        single = copy.copy(estimator)
        single.intercept_ = float(np.asarray(estimator.intercept_)[0])
        return single
    return estimator
