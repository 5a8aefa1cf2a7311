"""Multicollinearity: variance inflation factors per term and the condition number.

The variance inflation factor of a one-column term is ``1 / (1 - R_j^2)``, with ``R_j^2``
from regressing that column on the others.  A term that owns several columns (a factor
``C(x)`` with its dummies, a polynomial) gets Fox and Monette's (1992) generalized VIF,
``det(R_11) det(R_22) / det(R)`` over the correlation matrix ``R`` of the coefficient
estimates, as ``car::vif``; ``GVIF^(1/(2 df))`` squared is comparable with the usual VIF
bands:

======= ===========================
VIF     reading
======= ===========================
< 2.5   negligible (R_j^2 < 0.6)
2.5-5   moderate
5-10    high
> 10    severe multicollinearity
======= ===========================

A VIF of exactly 1 means no correlation at all; up to 2.5 (Allison 2012, *When can you
safely ignore multicollinearity?*) the standard error grows by at most 58% and nothing
needs doing, so a VIF of 1.006 reads as negligible, not moderate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from linmod.diagnostics._model import fit_arrays

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["BAND_TEXT", "VIF_BANDS", "condition_number", "gvif", "vif", "vif_band"]

#: Upper edges of the VIF bands (exclusive) and their names.
VIF_BANDS: tuple[tuple[float, str], ...] = (
    (2.5, "negligible"),
    (5.0, "moderate"),
    (10.0, "high"),
    (float("inf"), "severe"),
)


#: The bands in words, for messages.
BAND_TEXT = "< 2.5 negligible, 2.5-5 moderate, 5-10 high, > 10 severe"


def vif_band(value: float) -> str:
    """Name of the band a VIF (or squared ``GVIF^(1/(2 df))``) falls in."""
    if not np.isfinite(value):
        return "severe" if value == np.inf else "unknown"
    for edge, name in VIF_BANDS:
        if value < edge:
            return name
    return "severe"  # pragma: no cover - the last edge is infinite


def _logdet(matrix: np.ndarray) -> float:
    if matrix.size == 0:
        return 0.0
    sign, value = np.linalg.slogdet(matrix)
    return float(value) if sign > 0 else -np.inf


def gvif(res: OLSResults) -> pd.DataFrame:
    """Generalized variance inflation factors per model term (``car::vif``).

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    DataFrame
        Indexed by term (intercept excluded): ``gvif``, ``df`` (estimable columns of the
        term), ``gvif_1_2df`` (``GVIF^(1/(2 df))``), ``vif_equivalent``
        (``GVIF^(1/df)``, on the VIF scale) and ``band``.  Without an intercept the values
        are computed as R does but are hard to interpret.  A term whose columns are all
        aliased gets NaN; an aliased model is not refused (R's ``car::vif`` refuses it).
    """
    fa = fit_arrays(res)
    design = res.design
    full_to_kept = np.cumsum(fa.kept) - 1
    columns = np.arange(fa.k)
    if fa.intercept:
        columns = columns[1:]
    cov = fa.cov_unscaled[np.ix_(columns, columns)]
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    position = {int(c): i for i, c in enumerate(columns)}
    log_det_all = _logdet(corr)
    rows = []
    for term in design.terms:
        if fa.intercept and tuple(term.columns) == (0,):
            continue
        own = [position[int(full_to_kept[c])] for c in term.columns if fa.kept[c]]
        if not own:
            rows.append((term.name, np.nan, 0, np.nan))
            continue
        rest = [i for i in range(len(columns)) if i not in own]
        log_value = (
            _logdet(corr[np.ix_(own, own)]) + _logdet(corr[np.ix_(rest, rest)]) - log_det_all
        )
        value = float(np.exp(log_value))
        rows.append((term.name, value, len(own), value ** (1.0 / (2 * len(own)))))
    table = pd.DataFrame(rows, columns=["term", "gvif", "df", "gvif_1_2df"]).set_index("term")
    table["vif_equivalent"] = table["gvif_1_2df"] ** 2
    table["band"] = [vif_band(v) for v in table["vif_equivalent"]]
    return table


def vif(res: OLSResults) -> pd.Series:
    """Variance inflation factor per model term (generalized for multi-column terms).

    Parameters
    ----------
    res : OLSResults

    Returns
    -------
    Series
        Indexed by term name (intercept excluded), named ``"vif"``: the VIF of one-column
        terms and the GVIF of multi-column ones, equal to ``car::vif``'s (first column).
        See :func:`gvif` for the df-adjusted values.
    """
    return gvif(res)["gvif"].rename("vif")


def condition_number(res: OLSResults) -> float:
    """Condition number of the design with columns scaled to unit length.

    Belsley, Kuh and Welsch read values above 30 as strong near-dependencies (the
    intercept column included, so it also sees collinearity with the constant, which VIFs
    do not).
    """
    return float(res.condition_number)
