"""Added-variable (partial regression) data for each coefficient.

For coefficient ``j`` the added-variable plot shows the residuals of ``y`` and of ``x_j``
after regressing each on the other columns; its least-squares slope is ``beta_j`` and its
residuals are the model's.  Both come from one thin QR factorization ``X = QR``: the
``j``-th column of ``X (X'X)^-1 = Q R^-T`` is ``M_{-j} x_j / (x_j' M_{-j} x_j)``, so all
coefficients together cost O(n k^2), not one regression each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy import linalg

from linmod.diagnostics._model import fit_arrays

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["added_variable_columns", "added_variable_data"]

Float = NDArray[np.float64]


def added_variable_data(
    res: OLSResults, columns: list[str] | None = None
) -> dict[str, tuple[Float, Float, float]]:
    """Added-variable coordinates per coefficient.

    Parameters
    ----------
    res : OLSResults
    columns : list of str, optional
        Coefficient names (default: every estimable one except the intercept).

    Returns
    -------
    dict
        ``name -> (x_residual, y_residual, slope)`` with ``slope`` the coefficient.
    """
    fa = fit_arrays(res)
    names = list(fa.names)
    wanted = (
        [c for i, c in enumerate(names) if not (fa.intercept and i == 0)]
        if columns is None
        else list(columns)
    )
    unknown = [c for c in wanted if c not in names]
    if unknown:
        from linmod.exceptions import InputError

        raise InputError(
            f"columns {unknown!r} are not estimable coefficients; use some of {names!r}"
        )
    q, r = linalg.qr(fa.x, mode="economic", check_finite=False)
    r_inv = linalg.solve_triangular(r, np.eye(fa.k), check_finite=False)
    diag = np.einsum("ij,ij->i", r_inv, r_inv)  # diag (X'X)^-1
    coef = np.asarray(res.solution.coef)[fa.kept]
    residuals = np.asarray(res.solution.residuals, dtype=np.float64)  # the response's units
    out: dict[str, tuple[Float, Float, float]] = {}
    for name in wanted:
        j = names.index(name)
        x_resid = (q @ r_inv[j]) / diag[j]
        if fa.scales is None:
            y_resid = residuals + coef[j] * x_resid
        else:  # x_resid is of the scaled column: back to the column's own units
            y_resid = residuals + (coef[j] / fa.scales[j]) * x_resid
            x_resid = x_resid / fa.scales[j]
        out[name] = (x_resid, y_resid, float(coef[j]))
    return out


def added_variable_columns(res: OLSResults, limit: int | None = None) -> list[str]:
    """The coefficients most worth an added-variable plot: largest ``|t|`` first.

    An added-variable plot shows how one coefficient is estimated from the data; those
    with the largest ``|t| = |estimate| / std. error`` are the effects the data speak for
    most clearly, whatever the column's kind (numeric or a factor's dummy).  Ties keep
    the model's column order.

    Parameters
    ----------
    res : OLSResults
    limit : int, optional
        Most names to return (default: all).

    Returns
    -------
    list of str
        Estimable non-intercept coefficients, by decreasing ``|t|``; those whose ``t`` is
        not finite (a perfect fit) come last in column order.
    """
    fa = fit_arrays(res)
    names = [c for i, c in enumerate(fa.names) if not (fa.intercept and i == 0)]
    t = res.t_values.reindex(names).to_numpy(dtype=np.float64, na_value=np.nan)
    score = np.where(np.isfinite(t), np.abs(t), -np.inf)
    order = np.argsort(-score, kind="stable")
    chosen = [names[i] for i in order]
    return chosen if limit is None else chosen[: max(int(limit), 0)]
