"""Multivariate comparison of nested multi-response fits: R's ``anova.mlm``.

For a smaller fit nested in a larger one, with the same responses on the same rows, the
hypothesis matrix is ``H = E_small'E_small - E_large'E_large`` and the error matrix
``E = E_large'E_large``; the statistics are functions of the eigenvalues ``λ`` of
``E⁻¹H``, referred to F distributions by R's approximations (``stats:::Pillai``,
``Wilks``, ``HL``, ``Roy``):

- Pillai's trace ``Σ λ/(1+λ)`` (R's default),
- Wilks' lambda ``Π 1/(1+λ)``,
- the Hotelling-Lawley trace ``Σ λ``,
- Roy's largest root ``max λ`` (its F is an upper bound: the p-value is a lower bound).

Each response's own nested F test is ``anova(small[name], large[name])``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import scipy.linalg as sla
from scipy import special

from linmod.exceptions import InputError
from linmod.inference.model_comparison import _check_models

if TYPE_CHECKING:
    from linmod.inference.multi_results import MultiOLSResults

__all__ = ["MULTIVARIATE_TESTS", "multivariate_anova"]

MULTIVARIATE_TESTS = ("Pillai", "Wilks", "Hotelling-Lawley", "Roy")


def _statistic(
    test: str, eig: np.ndarray, q: int, df_res: int
) -> tuple[float, float, float, float]:
    """The statistic, its approximate F and the F's degrees of freedom (as R's)."""
    p = eig.size
    if test == "Pillai":
        value = float(np.sum(eig / (1 + eig)))
        s, n, m = min(p, q), 0.5 * (df_res - p - 1), 0.5 * (abs(p - q) - 1)
        tmp1, tmp2 = 2 * m + s + 1, 2 * n + s + 1
        return value, (tmp2 / tmp1 * value) / (s - value), s * tmp1, s * tmp2
    if test == "Wilks":
        value = float(np.prod(1 / (1 + eig)))
        tmp1 = df_res - 0.5 * (p - q + 1)
        tmp2 = (p * q - 2) / 4
        squares = p**2 + q**2 - 5
        tmp3 = float(np.sqrt(((p * q) ** 2 - 4) / squares)) if squares > 0 else 1.0
        den = tmp1 * tmp3 - 2 * tmp2
        return value, float((value ** (-1 / tmp3) - 1) * den / p / q), p * q, float(den)
    if test == "Hotelling-Lawley":
        value = float(np.sum(eig))
        s, n, m = min(p, q), 0.5 * (df_res - p - 1), 0.5 * (abs(p - q) - 1)
        tmp1, tmp2 = 2 * m + s + 1, 2 * (s * n + 1)
        return value, (tmp2 * value) / s / s / tmp1, s * tmp1, tmp2
    value = float(np.max(eig))  # Roy
    tmp1 = max(p, q)
    tmp2 = df_res - tmp1 + q
    return value, (tmp2 * value) / tmp1, tmp1, tmp2


def multivariate_anova(
    first: MultiOLSResults, second: MultiOLSResults, test: str = "Pillai"
) -> pd.DataFrame:
    """Compare two nested multi-response fits, as R's ``anova(fit1, fit2, test=)``.

    Parameters
    ----------
    first, second : MultiOLSResults
        Fits of the same responses on the same rows, one nested in the other (either
        order).
    test : {"Pillai", "Wilks", "Hotelling-Lawley", "Roy"}

    Returns
    -------
    DataFrame
        One row per model, in the order given: ``res_df``, and on the second row ``df``
        (the difference in residual degrees of freedom), the statistic, ``approx_f``,
        ``num_df``, ``den_df`` and ``p_value``.

    Raises
    ------
    InputError
        For other responses, other rows, models that are not nested, or an unknown test.
    """
    if test not in MULTIVARIATE_TESTS:
        raise InputError(
            f"test={test!r} is not known; use one of {', '.join(map(repr, MULTIVARIATE_TESTS))}"
        )
    if first.response_names != second.response_names:
        raise InputError(
            f"the fits explain different responses ({', '.join(first.response_names)} and "
            f"{', '.join(second.response_names)}); nested fits share their responses"
        )
    for name in first.response_names:
        _check_models([first[name], second[name]], "anova")
    if first.df_resid == second.df_resid:
        raise InputError(
            "the two fits have the same residual degrees of freedom: neither is nested in "
            "the other with fewer parameters"
        )
    large, small = (first, second) if first.df_resid < second.df_resid else (second, first)
    error = large._resid_cov * large.df_resid
    hypothesis = small._resid_cov * small.df_resid - error
    eig = np.real(sla.eigvals(np.linalg.solve(error, hypothesis)))
    q = small.df_resid - large.df_resid
    value, f_value, num_df, den_df = _statistic(test, eig, q, large.df_resid)
    p_value = float(special.fdtrc(num_df, den_df, f_value))
    nan = float("nan")
    return pd.DataFrame(
        {
            "res_df": [first.df_resid, second.df_resid],
            "df": [nan, float(second.df_resid - first.df_resid)],
            test: [nan, value],
            "approx_f": [nan, f_value],
            "num_df": [nan, float(num_df)],
            "den_df": [nan, float(den_df)],
            "p_value": [nan, p_value],
        },
        index=pd.Index([1, 2], name="model"),
    )
