"""What a fit says about its design: aliasing (error on request) and near-singularity."""

from __future__ import annotations

import warnings

import numpy as np

from linmod._stack import user_stacklevel
from linmod.data.design import Design
from linmod.exceptions import InputError, NearSingularWarning, SingularDesignError
from linmod.solvers.auto import SOLVERS
from linmod.solvers.base import SolverResult
from linmod.solvers.deferred_conditioning import condition_above

__all__ = ["NEAR_SINGULAR_CONDITION", "check_fit_options", "report_conditioning"]

#: Above this condition number (of the column-scaled design) a fit warns that the design
#: is nearly singular: a relative change of 1e-8 in the data, typical of measured values,
#: could then change some coefficient by 100%.
NEAR_SINGULAR_CONDITION = 1e8
_WEAK_LOADING = 0.1


def report_conditioning(design: Design, result: SolverResult, on_singular: str) -> None:
    """Raise for aliasing when asked to, and warn about a nearly singular design.

    Parameters
    ----------
    design : Design
    result : SolverResult
    on_singular : {"drop", "raise"}
    """
    names = design.column_names
    if on_singular == "raise" and result.method != "svd" and result.aliased.any():
        described = "; ".join(d.describe(names) for d in result.dependencies)
        raise SingularDesignError(
            f"the design is rank deficient ({result.rank} of {len(names)} columns "
            f"estimable): {described}; remove the aliased column(s) or pass on_singular='drop'"
        )
    if condition_above(result, NEAR_SINGULAR_CONDITION):
        loadings = np.abs(result.weakest_direction)
        involved = [names[j] for j in np.flatnonzero(loadings >= _WEAK_LOADING * loadings.max())]
        warnings.warn(
            f"the design is nearly singular (condition number {result.condition_number:.3g} "
            f"with columns scaled to unit length); the near-dependency involves "
            f"{', '.join(involved)}. Small changes in the data can change the coefficients "
            "a lot: consider centring, orthogonal polynomials or Ridge",
            NearSingularWarning,
            stacklevel=user_stacklevel(),
        )


def check_fit_options(solver: str, on_singular: str) -> None:
    """Refuse an unknown ``solver`` or ``on_singular`` (naming the choices)."""
    if on_singular not in ("drop", "raise"):
        raise InputError(f"on_singular={on_singular!r} is not known; use 'drop' or 'raise'")
    if solver not in SOLVERS:
        raise InputError(
            f"solver={solver!r} is not known; choose one of {', '.join(map(repr, SOLVERS))}"
        )
