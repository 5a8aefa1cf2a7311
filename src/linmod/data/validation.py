"""Argument and data checks for the regularised models.

Every failure is an :class:`~linmod.exceptions.InputError` that names the parameter, the
value received and the valid range.  Estimator parameters are declared once in
``_parameter_constraints`` (scikit-learn's mechanism); :func:`validate_params` turns
scikit-learn's error into :class:`InvalidParameter`, which is both an ``InputError`` and
scikit-learn's ``InvalidParameterError``, so either ``except`` clause catches it.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from linmod._lazy import created_on_first_use
from linmod.data.frames import (
    check_numeric_response,
    check_numeric_text,
    check_unique_columns,
    is_frame,
    to_pandas,
    to_pandas_series,
)
from linmod.exceptions import InputError

if TYPE_CHECKING:
    from sklearn.base import BaseEstimator
    from sklearn.utils._param_validation import InvalidParameterError

    class InvalidParameter(InputError, InvalidParameterError):
        """A parameter outside its valid range (an ``InputError`` and sklearn's error)."""


__all__ = [
    "InvalidParameter",
    "as_arrays",
    "check_alpha",
    "check_alphas",
    "check_eps",
    "check_finite",
    "check_l1_ratio",
    "check_l1_ratios",
    "check_max_iter",
    "check_n_alphas",
    "check_target",
    "check_tol",
    "validate_params",
]

Float = NDArray[np.float64]

#: What to do about a word among the numbers of an estimator's target.
TARGET_TEXT_FIX = "the target must be numbers: fix them, or drop those rows before fitting"


def _invalid_parameter() -> type:
    # Created on first use (as ConvergenceWarning in linmod.exceptions): it subclasses
    # scikit-learn's error, and the checks below serve sklearn-free fits too.
    from sklearn.utils._param_validation import InvalidParameterError

    class InvalidParameter(InputError, InvalidParameterError):
        """A parameter outside its valid range (an ``InputError`` and sklearn's error)."""

    InvalidParameter.__module__ = __name__
    return InvalidParameter


__getattr__ = created_on_first_use(globals(), "InvalidParameter", _invalid_parameter)


def validate_params(estimator: BaseEstimator) -> None:
    """Check an estimator's parameters against its ``_parameter_constraints``.

    Raises
    ------
    InvalidParameter
        With scikit-learn's message, which names the parameter, the valid range and the
        value received.
    """
    from sklearn.utils._param_validation import InvalidParameterError

    try:
        estimator._validate_params()
    except InvalidParameterError as error:
        raise __getattr__("InvalidParameter")(str(error)) from None


def _show(value: Any) -> str:
    """``repr`` of a value, with numpy scalars shown as plain Python numbers."""
    return repr(value.item() if isinstance(value, np.generic) else value)


def _is_real(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool | np.bool_)


def check_alpha(value: Any, name: str = "alpha") -> float:
    """Return ``value`` as a float after checking it is a finite number ≥ 0."""
    if not _is_real(value) or not np.isfinite(value) or value < 0:
        raise InputError(
            f"{name}={_show(value)} is not valid: {name} must be a finite number in [0, inf)"
        )
    return float(value)


def check_l1_ratio(value: Any, name: str = "l1_ratio") -> float:
    """Return ``value`` as a float after checking it lies in [0, 1]."""
    if not _is_real(value) or not 0.0 <= float(value) <= 1.0:
        raise InputError(f"{name}={_show(value)} is not valid: {name} must be in [0, 1]")
    return float(value)


def check_l1_ratios(values: Any) -> Float:
    """Return a non-empty 1-D array of l1 ratios, each in [0, 1]."""
    array = np.atleast_1d(np.asarray(values, dtype=object))
    if array.ndim != 1 or array.size == 0:
        raise InputError(
            f"l1_ratio={values!r} is not valid: give a number in [0, 1] or a non-empty list of them"
        )
    return np.array([check_l1_ratio(v, "l1_ratio") for v in array], dtype=float)


def check_alphas(values: Any, name: str = "alphas") -> Float:
    """Return a user grid of penalties as a float array (order kept).

    Raises
    ------
    InputError
        If the grid is empty, not one-dimensional, or holds a value that is negative or
        not finite.
    """
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            f"{name}={values!r} is not valid: {name} must be numbers in [0, inf)"
        ) from None
    if array.ndim == 0:
        array = array[None]
    if array.ndim != 1 or array.size == 0:
        raise InputError(
            f"{name}={values!r} is not valid: {name} must be a non-empty 1-D list of "
            "numbers in [0, inf) (or an integer number of values for the automatic grid)"
        )
    bad = ~np.isfinite(array) | (array < 0)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"{name}[{k}]={_show(array[k])} is not valid: every value of {name} must be a finite "
            "number in [0, inf)"
        )
    return array


def check_n_alphas(value: Any, name: str = "n_alphas") -> int:
    """Return the size of an automatic grid, an integer ≥ 1."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral) or value < 1:
        raise InputError(f"{name}={_show(value)} is not valid: {name} must be an integer ≥ 1")
    return int(value)


def check_eps(value: Any) -> float:
    """Return the grid length ``alpha_min / alpha_max``, a number in (0, 1]."""
    if not _is_real(value) or not 0.0 < float(value) <= 1.0:
        raise InputError(f"eps={_show(value)} is not valid: eps must be in (0, 1]")
    return float(value)


def check_tol(value: Any) -> float:
    """Return a solver tolerance, a finite number ≥ 0."""
    if not _is_real(value) or not np.isfinite(value) or value < 0:
        raise InputError(
            f"tol={_show(value)} is not valid: tol must be a finite number in [0, inf)"
        )
    return float(value)


def check_max_iter(value: Any) -> int:
    """Return an iteration limit, an integer ≥ 1."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, Integral) or value < 1:
        raise InputError(f"max_iter={_show(value)} is not valid: max_iter must be an integer ≥ 1")
    return int(value)


def check_target(y: Any) -> None:
    """Raise :class:`InputError` if a numeric ``y`` holds NaN or infinity.

    Text in a one-column ``y`` (a stray word such as ``"12a"`` among numbers, or words) is
    refused naming the values and their rows; other non-numeric targets are left to the
    caller's own conversion, which reports them, and so are several responses (their
    check names the response: estimators/multi_target.py).
    """
    name = getattr(y, "name", None)
    check_numeric_response(y, "y" if name is None else str(name), TARGET_TEXT_FIX)
    values = np.asarray(to_pandas_series(y))
    if values.dtype.kind == "f" and (values.ndim == 1 or values.shape[1:] == (1,)):
        check_finite(None, values.ravel())


def check_finite(x: Float | None, y: Float | None = None, names: Any = None) -> None:
    """Raise :class:`InputError` if ``x`` (or ``y``) holds NaN or infinity.

    The message says how many values, in which column (by name: ``x0, x1, …`` for an
    array, as the fits name them) and rows (1-based, as every message), and what to do.
    """
    if x is not None and x.size and not np.isfinite(x).all():
        bad = ~np.isfinite(x)
        column = int(np.flatnonzero(bad.any(axis=0))[0])
        rows = np.flatnonzero(bad[:, column])
        label = repr(str(names[column]) if names is not None else f"x{column}")
        kind = "NaN" if np.isnan(x[rows[0], column]) else "infinity"
        raise InputError(
            f"X contains NaN or infinity ({int(bad.sum())} values; e.g. {kind} in column "
            f"{label}, row(s) {', '.join(map(str, rows[:5] + 1))}); remove or impute them "
            "(formulas accept missing='drop')"
        )
    if y is not None and not np.isfinite(y).all():
        rows = np.flatnonzero(~np.isfinite(y)) + 1
        raise InputError(
            f"y contains NaN or infinity ({rows.size} values, row(s) "
            f"{', '.join(map(str, rows[:5]))}); remove them before fitting"
        )


def as_arrays(x: Any, y: Any, *, finite: bool = True) -> tuple[Float, Float, tuple[str, ...]]:
    """Feature matrix and response as float64 arrays, with the feature names.

    Parameters
    ----------
    x : array-like of shape (n, p), or pandas/polars DataFrame
    y : array-like of shape (n,)
    finite : bool
        Check that the data are finite (callers that check it from sufficient
        statistics instead pass False).

    Returns
    -------
    x : ndarray of shape (n, p), C-contiguous
    y : ndarray of shape (n,)
    names : tuple of str
        Frame column names, or ``x0, x1, …``.

    Raises
    ------
    InputError
        For non-numeric, mis-shaped, empty or non-finite data.
    """
    if is_frame(x):
        frame = to_pandas(x)
        names = tuple(str(c) for c in frame.columns)
        check_unique_columns(frame)
        check_numeric_text(frame, list(frame.columns))
        try:
            matrix = frame.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise InputError(
                "X has non-numeric columns; encode them first (or use a formula with C(x))"
            ) from None
    else:
        try:
            matrix = np.asarray(x, dtype=float)
        except (TypeError, ValueError):
            raise InputError("X must be numeric (an array or a DataFrame of numbers)") from None
        if matrix.ndim == 1:
            matrix = matrix[:, None]
        names = tuple(f"x{j}" for j in range(matrix.shape[1])) if matrix.ndim == 2 else ()
    if matrix.ndim != 2:
        raise InputError(f"X must be 2-dimensional (n_samples, n_features), got {matrix.shape}")
    try:
        target = np.asarray(to_pandas_series(y), dtype=float)
    except (TypeError, ValueError):
        raise InputError("y must be numeric") from None
    if target.ndim == 2 and target.shape[1] == 1:
        target = target[:, 0]
    if target.ndim != 1:
        raise InputError(f"y must be 1-dimensional, got shape {target.shape}")
    if target.shape[0] != matrix.shape[0]:
        raise InputError(
            f"X has {matrix.shape[0]} rows but y has {target.shape[0]}; they must match"
        )
    if matrix.shape[0] == 0:
        raise InputError("X has no rows (n_samples=0); a regression needs observations")
    if finite:
        check_finite(matrix, target, names)
    return np.ascontiguousarray(matrix), np.ascontiguousarray(target), names
