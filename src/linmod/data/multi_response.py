"""Designs of several responses on one design matrix (R's ``lm(cbind(y1, y2) ~ x)``).

A multi-response fit is written ``"mpg + qsec ~ wt"`` (formulaic's reading of a
left-hand side with several terms) or, as in R, ``"cbind(mpg, qsec) ~ wt"``; with arrays,
``Y`` is an ``(n, k)`` array or a data frame whose column names name the responses.
(R reads ``mpg + qsec ~ wt`` as the regression of the *sum*; write ``I(mpg + qsec)``
for that.)  Every response is fitted on the same rows: with ``missing="drop"`` a row
missing in any response or predictor is dropped for all of them.

The designs returned share one design matrix (the same array object), so ``k`` responses
cost one copy of ``X``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from linmod.data.arrays import design_from_arrays
from linmod.data.design import DataSource, Design
from linmod.data.formula import design_from_formula, expand_dot
from linmod.data.formula_responses import split_responses
from linmod.data.frames import check_unique_columns, is_frame, to_pandas
from linmod.data.missing import check_policy, describe_rows
from linmod.data.row_names import is_default_index
from linmod.data.term_names import right_side
from linmod.exceptions import InputError

__all__ = [
    "designs_from_arrays",
    "designs_from_formula",
    "is_multi_response_y",
    "split_responses",
]

Float = NDArray[np.float64]


def designs_from_formula(formula: str, data: Any, missing: str = "raise") -> list[Design]:
    """One design per response of a multi-response formula, on the same rows.

    Parameters
    ----------
    formula : str
        A formula that :func:`split_responses` reads as several responses.
    data : pandas or polars DataFrame, or dict of columns
    missing : {"raise", "drop"}
        ``"drop"`` drops a row missing in any response or predictor for every response.

    Returns
    -------
    list of Design
        Sharing one design matrix; ``response_name`` is each response's expression.
    """
    check_policy(missing)
    split = split_responses(formula)
    if split is None:  # pragma: no cover - callers check first
        raise InputError(f"formula {formula!r} has one response")
    responses, rhs = split
    frame = to_pandas(data)
    if frame.shape[0] == 0:
        raise InputError("data has no rows; a regression needs observations")
    # '.' means every column that is no response, of any of them.
    rhs = right_side(expand_dot(f"{' + '.join(responses)} ~ {rhs}", frame.columns, frame)).strip()
    designs = [design_from_formula(f"{r} ~ {rhs}", frame, missing=missing) for r in responses]
    n_rows = frame.shape[0]
    used = [
        np.arange(n_rows) if d.source is None or d.source.rows is None else d.source.rows
        for d in designs
    ]
    common = used[0]
    for rows in used[1:]:
        common = np.intersect1d(common, rows)
    if any(len(rows) != len(common) for rows in used):  # responses missing in other rows
        if len(common) == 0:
            raise InputError(
                f"no row has every response ({', '.join(responses)}) and predictor present"
            )
        subset = frame.iloc[common]
        rebuilt = [
            design_from_formula(f"{r} ~ {rhs}", subset, missing="raise", screen=False)
            for r in responses
        ]
        dropped = np.ones(n_rows, dtype=bool)
        dropped[common] = False
        designs = [
            replace(
                d,
                dropped_labels=frame.index[dropped],
                numbered_rows=is_default_index(frame.index),
                source=DataSource(data, common, n_rows),
            )
            for d in rebuilt
        ]
    first = designs[0]
    return [first] + [replace(d, x=first.x, x_lo=first.x_lo) for d in designs[1:]]


def is_multi_response_y(y: Any) -> bool:
    """Whether ``y`` holds several responses: a 2-D array or a frame of 2+ columns."""
    if y is None or isinstance(y, str):
        return False
    if is_frame(y):
        return int(y.shape[1]) > 1
    shape = getattr(y, "shape", None)
    if shape is None:
        try:
            shape = np.shape(y)
        except (TypeError, ValueError):  # ragged lists: the single-response path says so
            return False
    return len(shape) == 2 and shape[1] is not None and int(shape[1]) > 1


def _responses_matrix(y: Any, n: int) -> tuple[Float, list[str]]:
    if is_frame(y):
        frame = to_pandas(y)
        check_unique_columns(frame)
        names = [str(c) for c in frame.columns]
        for name, column in zip(names, frame.columns, strict=True):
            if not pd.api.types.is_numeric_dtype(frame[column]):
                raise InputError(
                    f"response {name!r} holds non-numeric values ({frame[column].dtype}); "
                    "a regression needs numbers: encode it first"
                )
        values = frame.to_numpy(dtype=float, na_value=np.nan)
    else:
        try:
            values = np.asarray(y, dtype=float)
        except (TypeError, ValueError):
            raise InputError("Y must be numeric; encode categorical targets first") from None
        if values.ndim != 2:
            raise InputError(
                f"Y must be 2-dimensional (n_samples, n_responses), got {values.shape}"
            )
        names = [f"y{j}" for j in range(values.shape[1])]
    if values.shape[0] != n:
        raise InputError(f"X has {n} rows but Y has {values.shape[0]}; they must match")
    if values.shape[1] == 0:
        raise InputError("Y has no columns; give at least one response")
    return np.ascontiguousarray(values), names


def designs_from_arrays(
    x: Any, y: Any, fit_intercept: bool = True, missing: str = "raise"
) -> list[Design]:
    """One design per column of ``y``, sharing the design matrix built from ``x``.

    Parameters
    ----------
    x : array-like of shape (n, p), or pandas/polars DataFrame
    y : array-like of shape (n, k), or pandas/polars DataFrame
        Frame column names name the responses; array columns are ``y0, y1, …``.
    fit_intercept : bool
    missing : {"raise", "drop"}
        ``"raise"`` names the response and the 1-based rows of a missing value;
        ``"drop"`` drops a row missing in any response or feature for every response.

    Returns
    -------
    list of Design
    """
    check_policy(missing)
    n = int(np.shape(x)[0]) if not is_frame(x) else int(x.shape[0])
    values, names = _responses_matrix(y, n)
    labels = x.index if isinstance(x, pd.DataFrame) else pd.RangeIndex(n)
    numbered = is_default_index(labels)
    infinite = np.isinf(values).any(axis=0)
    if infinite.any():
        j = int(np.flatnonzero(infinite)[0])
        rows = labels[np.isinf(values[:, j])]
        raise InputError(
            f"response {names[j]!r} is infinite in {describe_rows(rows, numbered)}; "
            "replace or remove those rows"
        )
    missing_rows = np.isnan(values)
    if missing_rows.any() and missing == "raise":
        parts = [
            f"response {name!r} has {int(missing_rows[:, j].sum())} missing values in "
            f"{describe_rows(labels[missing_rows[:, j]], numbered)}"
            for j, name in enumerate(names)
            if missing_rows[:, j].any()
        ]
        raise InputError("; ".join(parts) + "; pass missing='drop' to drop incomplete rows")
    first = values[:, 0].copy()
    first[missing_rows.any(axis=1)] = np.nan  # the same rows dropped for every response
    design = design_from_arrays(x, first, fit_intercept=fit_intercept, missing=missing)
    kept = None if design.source is None else design.source.rows
    # Column-major: each response is a contiguous view, with no copy per response.
    responses = np.asfortranarray(values if kept is None else values[kept])
    return [replace(design, y=responses[:, j], response_name=name) for j, name in enumerate(names)]
