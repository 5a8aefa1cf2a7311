"""Ridge for streamed and Dask data: the same R factor as OLS, then a small ridge solve.

The merged factor of ``[1, X | y]`` holds everything ridge needs (see
:func:`linmod.solvers.factor.solve_ridge_factor`), so ``linmod.ridge(formula, data=<file,
list of files, iterator or Dask DataFrame>, alpha=...)`` gives the in-memory coefficients
to rounding with one pass over the data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.design import Design
from linmod.data.frames import is_dask_collection
from linmod.exceptions import InputError
from linmod.solvers.factor import solve_ridge_factor

__all__ = ["ridge_out_of_core"]


def ridge_out_of_core(
    formula: str,
    data: Any,
    *,
    alpha: float,
    missing: str = "raise",
    chunksize: int = 100_000,
    levels: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[pd.Series, Design]:
    """Ridge coefficients (intercept first, unpenalised) and the data-free design.

    Parameters
    ----------
    formula : str
    data : path, list of paths, iterator of DataFrames, or Dask DataFrame
    alpha : float
        Penalty, at least 0 (scikit-learn's ``Ridge`` objective).
    missing, chunksize, levels
        As for :func:`linmod.models.streaming.fit_streaming`.
    """
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha >= 0:
        raise InputError(f"alpha={alpha!r} must be a number >= 0 (a fixed penalty)")
    if is_dask_collection(data):
        from linmod.models.dask_fit import fold_dask_frame

        factor, _, design, _ = fold_dask_frame(formula, data, missing=missing, levels=levels)
    else:
        from linmod.models.streaming import fold_stream

        factor, _, design = fold_stream(
            formula, data, chunksize=chunksize, missing=missing, levels=levels
        )
    slopes, intercept = solve_ridge_factor(factor, float(alpha), design.intercept)
    values = np.concatenate([[intercept], slopes]) if design.intercept else slopes
    coef = pd.Series(values, index=pd.Index(design.column_names, name="term"), name="coef")
    return coef, design
