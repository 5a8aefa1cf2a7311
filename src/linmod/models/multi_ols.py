"""``linmod.ols`` with several responses: R's ``lm(cbind(y1, y2) ~ x)`` (an "mlm").

``ols("mpg + qsec ~ wt + C(cyl)", data=df)``, ``ols("cbind(mpg, qsec) ~ wt", data=df)``
and ``ols(X, Y)`` with a 2-D ``Y`` fit every response on one design, factored once
(:mod:`linmod.solvers.multi_response`), and return a
:class:`~linmod.inference.multi_results.MultiOLSResults`.  Data in memory only, without
weights.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from linmod.data.chunks import is_chunked_source
from linmod.data.design import Design
from linmod.data.frames import is_dask_collection
from linmod.data.multi_response import (
    designs_from_arrays,
    designs_from_formula,
    is_multi_response_y,
    split_responses,
)
from linmod.exceptions import InputError
from linmod.inference.multi_results import MultiOLSResults
from linmod.inference.results import OLSResults
from linmod.models.conditioning import check_fit_options, report_conditioning
from linmod.solvers.base import LeastSquaresProblem
from linmod.solvers.multi_response import solve_responses

__all__ = ["fit_multi", "fit_multi_designs", "is_multi_response", "single_response"]


def is_multi_response(formula_or_x: Any, y: Any) -> bool:
    """Whether an ``ols`` call has several responses (a formula's or a 2-D ``y``)."""
    if isinstance(formula_or_x, str):
        return split_responses(formula_or_x) is not None
    return is_multi_response_y(y)


def _validate(designs: list[Design]) -> None:
    first = designs[0]
    n, p = first.x.shape
    if n < p:
        raise InputError(
            f"{n} rows but {p} parameters: least squares needs at least as many rows as "
            "parameters; drop terms or use a regularised fit (Ridge or Lasso)"
        )
    for design in designs:
        y = design.y
        if n > 1 and np.all(y == y[0]):
            raise InputError(
                f"the response {design.response_name!r} is constant (every value is "
                f"{y[0]:g}); there is no variation to explain and R² is undefined: leave it "
                "out of the responses"
            )


def fit_multi_designs(
    designs: list[Design],
    solver: str = "auto",
    on_singular: str = "drop",
    progress: bool | None = False,
    formula: str | None = None,
) -> MultiOLSResults:
    """Fit the responses of ``designs`` (which share one design matrix) together.

    Parameters
    ----------
    designs : list of Design
        One per response, as :mod:`linmod.data.multi_response` builds them.
    solver, on_singular, progress
        As :func:`linmod.ols`.
    formula : str, optional
        The multi-response formula, for display.

    Returns
    -------
    MultiOLSResults
    """
    check_fit_options(solver, on_singular)
    _validate(designs)
    first = designs[0]
    problem = LeastSquaresProblem(
        x=first.x,
        y=first.y,
        names=first.column_names,
        x_lo=first.x_lo,
        intercept=first.intercept,
        progress=progress,
    )
    ys = np.empty((first.x.shape[0], len(designs)), order="F")  # columns contiguous
    for j, design in enumerate(designs):
        ys[:, j] = design.y
    solutions = solve_responses(problem, ys, solver)
    report_conditioning(first, solutions[0], on_singular)  # once: the design is shared
    results = tuple(
        OLSResults(design=d, solution=s, solver=solver)
        for d, s in zip(designs, solutions, strict=True)
    )
    return MultiOLSResults(results=results, formula=formula)


def _refuse_out_of_core(formula_or_x: Any, y: Any, data: Any, engine: str) -> None:
    if (
        engine == "dask"
        or is_dask_collection(data)
        or is_dask_collection(formula_or_x)
        or is_dask_collection(y)
        or is_chunked_source(data)
    ):
        raise InputError(
            "several responses are fitted in memory only; streamed and Dask fits take one "
            "response: fit each response with its own ols() call, or load the data "
            "(e.g. pandas.read_parquet) to fit them together"
        )


def fit_multi(
    formula_or_x: Any,
    y: Any,
    data: Any,
    *,
    fit_intercept: bool,
    missing: str,
    solver: str,
    on_singular: str,
    progress: bool | None,
    engine: str,
    weights: Any,
    out_of_core: Mapping[str, Any],
) -> MultiOLSResults:
    """The multi-response branch of :func:`linmod.ols` (its arguments, checked here).

    Parameters
    ----------
    out_of_core : mapping
        ``ols``'s options for streamed and Dask data (``levels``, ``second_pass``,
        ``hac_lags``, ``refine``, ``timeout``, ``read_options``): refused unless unset.
    """
    _refuse_out_of_core(formula_or_x, y, data, engine)
    if weights is not None:
        raise InputError(
            "weights= is not available with several responses yet; fit each response with "
            "its own ols(..., weights=) call"
        )
    given = [name for name, value in out_of_core.items() if value not in (None, False, {})]
    if given:
        raise InputError(
            f"{', '.join(given)}= {'is' if len(given) == 1 else 'are'} for streamed or Dask "
            "data; a fit of several responses is in memory: leave "
            f"{'it' if len(given) == 1 else 'them'} unset"
        )
    if isinstance(formula_or_x, str):
        if y is not None:
            raise InputError("with a formula, pass the data as data=..., not as y")
        if data is None:
            raise InputError("a formula needs data=: ols('y1 + y2 ~ x', data=df)")
        designs = designs_from_formula(formula_or_x, data, missing=missing)
        return fit_multi_designs(designs, solver, on_singular, progress, formula_or_x)
    if data is not None:
        raise InputError("data= is for formulas; with arrays call ols(X, Y)")
    designs = designs_from_arrays(formula_or_x, y, fit_intercept=fit_intercept, missing=missing)
    return fit_multi_designs(designs, solver, on_singular, progress)


def single_response(res: OLSResults | MultiOLSResults, what: str) -> OLSResults:
    """``res`` when it has one response; else an error saying ``what`` takes one.

    Parameters
    ----------
    res : OLSResults or MultiOLSResults
    what : str
        What needs one response, e.g. ``"linmod fit"``.
    """
    if isinstance(res, MultiOLSResults):
        raise InputError(
            f"{what} takes one response, but the formula has {len(res)} "
            f"({', '.join(res.response_names)}); fit them one at a time"
        )
    return res
