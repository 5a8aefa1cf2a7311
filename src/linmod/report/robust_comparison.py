"""The report's robust fit beside OLS, shown in the influence section when rows are
outlying (see :class:`linmod.analysis.RobustComparison`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linmod.report.formatting import esc, fmt_int, fmt_num, table

if TYPE_CHECKING:
    from linmod.analysis import RobustComparison

__all__ = ["robust_comparison_html"]


def robust_comparison_html(robust: RobustComparison) -> str:
    """OLS beside Huber's M-estimator, shown when rows are flagged as outlying."""
    rows = [
        [esc(str(term)), fmt_num(row["ols"]), fmt_num(row["robust"]), fmt_num(row["shift"], 3)]
        for term, row in robust.table.iterrows()
    ]
    listed = ", ".join(
        f"{esc(str(label))} ({fmt_num(weight, 2)})" for label, weight in robust.downweighted.items()
    )
    lead = (
        "Rows are flagged as outlying, so the model was also fitted by robust regression "
        "(Huber's M-estimator, as R's MASS::rlm), which down-weights rows far from the fit: "
        f"{fmt_int(robust.n_downweighted)} row(s) got weight below 1"
        + (f"; the lowest: {listed}" if listed else "")
        + ". A coefficient that moves by more than about one OLS standard error is driven "
        "by those rows."
    )
    return f'<h3 id="robust-title">Robust fit beside OLS</h3><p class="lead">{lead}</p>' + table(
        ["term", "OLS", "robust (Huber)", "shift (OLS SEs)"],
        rows,
        numeric=[False, True, True, True],
        caption="Coefficients of OLS and of the robust fit; shift = (robust - OLS) / OLS "
        "standard error.",
        css="robust",
    )
