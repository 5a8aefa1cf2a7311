"""The influential-observations entry of :func:`linmod.diagnostics.check.check`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from linmod.diagnostics.influence import influence_measures, outlier_test
from linmod.diagnostics.report import AssumptionCheck
from linmod.diagnostics.verdicts import COOK_BANDS, attempt, effect_band, plain_label

if TYPE_CHECKING:
    from linmod.inference.results import OLSResults

__all__ = ["influence_check"]

#: A hat value within this of 1 is a row the fit reproduces exactly (rounding keeps the
#: computed value a few units below 1).
_EXACT_LEVERAGE = 1e-10


def influence_check(res: OLSResults, alpha: float) -> AssumptionCheck:
    """``check()``'s influential-observations entry: Cook's distances judged by
    :data:`~linmod.diagnostics.verdicts.COOK_BANDS`, the Bonferroni outlier test, and the
    rows a fit reproduces exactly (leverage 1), which no residual-based check can see.

    Parameters
    ----------
    res : OLSResults
    alpha : float
        Significance level of the outlier test.

    Returns
    -------
    AssumptionCheck
    """
    measures = influence_measures(res)
    outliers, note = attempt(outlier_test, res, cutoff=alpha)
    cooks = measures.cooks_distance
    labels = np.asarray(res.design.shown_row_labels)
    max_cook = float(np.nanmax(cooks)) if np.isfinite(cooks).any() else 0.0
    band = effect_band(max_cook, COOK_BANDS)
    order = np.argsort(-np.nan_to_num(cooks, nan=-1.0), kind="stable")
    threshold = 4.0 / res.n_obs
    flagged = [plain_label(labels[i]) for i in order[:5] if cooks[i] > threshold]
    outlier_rows = list(outliers["flagged"]) if outliers is not None else []
    for row in outlier_rows:
        if row["observation"] not in flagged:
            flagged.append(row["observation"])
    if max_cook >= COOK_BANDS[1]:
        verdict = "violated"
    elif max_cook >= COOK_BANDS[0] or outlier_rows:
        verdict = "warning"
    else:
        verdict = "ok"
    top = plain_label(labels[order[0]])
    reason = f"largest Cook's distance {max_cook:.3g} (row {top!r})"
    if outliers is not None:
        reason += (
            f"; largest |studentized residual| {outliers.statistic:.3g} (row "
            f"{outliers['observation']!r}, Bonferroni p = {outliers.p_value:.2g})"
        )
    reason += f"; {int(np.sum(cooks > threshold))} rows have Cook's distance > 4/n"
    remedy = ""
    if verdict != "ok":
        remedy = (
            f"look at rows {', '.join(map(repr, flagged))}: check them for data errors, "
            "refit without them to see whether the conclusions change (report both if "
            "they do)"
        )
    notes: tuple[str, ...] = (note,) if note else ()
    exact = np.flatnonzero(measures.leverage >= 1.0 - _EXACT_LEVERAGE)
    if exact.size:
        shown = ", ".join(repr(plain_label(labels[i])) for i in exact[:5])
        more = f" and {exact.size - 5} more" if exact.size > 5 else ""
        notes += (
            f"{exact.size} row(s) have leverage 1 ({shown}{more}): the fit reproduces them "
            "exactly (e.g. the only row of a factor level), so their residual is 0 whatever "
            "their response: no check can see them and their Cook's distance is undefined; "
            "merge rare levels or drop those rows to test them",
        )
    return AssumptionCheck(
        "influence",
        "Influential observations",
        verdict,
        {"max_cooks_distance": max_cook, "max_leverage": float(np.max(measures.leverage))},
        band,
        outliers,
        (outliers,) if outliers is not None else (),
        reason,
        remedy,
        None,
        notes,
        tuple(flagged),
    )
