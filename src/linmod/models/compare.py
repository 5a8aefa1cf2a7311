"""``linmod.compare_solvers``: one model, every solver, side by side."""

from __future__ import annotations

import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

from linmod.data.arrays import design_from_arrays
from linmod.data.formula import design_from_formula
from linmod.exceptions import ConvergenceWarning, NearSingularWarning
from linmod.models.ols import fit_design

__all__ = ["compare_solvers"]

#: The lessons' explicit inverse, the fast and the accurate direct solvers, and GD.
COMPARED = ("normal", "cholesky", "qr", "svd", "gd")
_REFERENCE = "qr"


def _warm_up() -> None:
    """Compile the numba kernels once so that the timings show the algorithms, not the JIT."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 2))
    design = design_from_arrays(x, x @ [1.0, -1.0] + rng.normal(size=8))
    for solver in COMPARED:
        fit_design(design, solver=solver)


def compare_solvers(
    formula_or_x: Any,
    y: Any = None,
    *,
    data: Any = None,
    fit_intercept: bool = True,
    missing: str = "raise",
) -> pd.DataFrame:
    """Fit the same model with every solver and tabulate accuracy and cost.

    Parameters
    ----------
    formula_or_x, y, data, fit_intercept, missing
        As for :func:`linmod.ols`.

    Returns
    -------
    DataFrame
        One row per solver: ``max_rel_diff`` (largest relative coefficient difference from
        the refined QR solution, the most accurate), ``seconds``, ``condition_number``
        (of the column-scaled design), ``iterations`` (refinement steps or GD iterations),
        and ``warning`` (what the solver warned about, if anything).
    """
    if isinstance(formula_or_x, str):
        design = design_from_formula(formula_or_x, data, missing=missing)
    else:
        design = design_from_arrays(formula_or_x, y, fit_intercept=fit_intercept, missing=missing)
    _warm_up()
    rows: list[dict[str, object]] = []
    fits = {}
    for solver in COMPARED:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", NearSingularWarning)
            warnings.simplefilter("always", ConvergenceWarning)
            start = time.perf_counter()
            try:
                res = fit_design(design, solver=solver)
            except (np.linalg.LinAlgError, ValueError) as error:
                rows.append({"solver": solver, "warning": f"failed: {error}"})
                continue
            seconds = time.perf_counter() - start
        fits[solver] = res
        rows.append(
            {
                "solver": solver,
                "seconds": seconds,
                "condition_number": res.condition_number,
                "iterations": res.solution.n_iter,
                "warning": "; ".join(str(w.message).split(":")[0] for w in caught),
            }
        )
    reference = fits[_REFERENCE].coef.to_numpy()
    for row in rows:
        if row["solver"] in fits:
            coef = fits[row["solver"]].coef.to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                diff = np.abs(coef - reference) / np.abs(reference)
            row["max_rel_diff"] = float(np.nanmax(diff)) if np.isfinite(diff).any() else np.nan
    columns = ["max_rel_diff", "seconds", "condition_number", "iterations", "warning"]
    return pd.DataFrame(rows).set_index("solver").reindex(columns=columns)
