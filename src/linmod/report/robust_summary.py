"""The text summary of a robust regression, after MASS's ``summary(rlm(...))``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from linmod.report.coefmat import coefficient_cells, layout_columns
from linmod.report.summary import missingness_lines

if TYPE_CHECKING:
    from linmod.inference.robust_results import RobustResults

__all__ = ["render_robust_summary"]

_NORMS = {"huber": "Huber", "bisquare": "Tukey's bisquare", "hampel": "Hampel"}
_SHOWN = 8
_STARTS = {"ls": "least squares", "lad": "least absolute deviations", "given": "given coefficients"}


def render_robust_summary(res: RobustResults) -> str:
    """Return the text summary of a robust fit, with the rows it down-weighted."""
    design = res.design
    formula = design.formula or f"{design.response_name} ~ {' + '.join(design.column_names)}"
    constants = ", ".join(f"{c:g}" for c in res.tuning)
    scale = "MAD" if res.scale_method == "mad" else "Huber's proposal 2"
    lines = [
        f"Robust regression (M-estimation, {_NORMS[res.norm]} norm, tuning {constants}): {formula}",
        f"  IRLS from {_STARTS[res.start]}: "
        + (
            f"converged in {res.iterations} steps"
            if res.converged
            else f"NOT converged after {res.iterations} steps (raise max_iter)"
        ),
        f"  scale ({scale}): {res.scale:.6g}"
        + (
            " (more than half the rows lie exactly on the fit: IRLS stopped, and the "
            "standard errors are undefined)"
            if res.scale == 0.0
            else ""
        ),
        "",
        "Coefficients:",
    ]
    table = res.to_frame()
    cells = coefficient_cells(table["coef"], table["std_err"], table["t_value"], table["p_value"])
    rows = cells.rows([str(name) for name in table.index])
    header = ["", "Value", "Std. Error", "t value", "Pr(>|z|)", ""][: len(rows[0])]
    lines += layout_columns(header, rows)
    lines.append("---")
    lines.append("Standard errors as MASS's summary.rlm (Huber's H1); p-values from the normal")
    low = res.downweighted()
    if len(low):
        shown = ", ".join(
            f"{label} ({weight:.2f})"
            for label, weight in zip(
                design.shown_row_labels[design.row_labels.get_indexer(low.index[:_SHOWN])],
                low.to_numpy()[:_SHOWN],
                strict=True,
            )
        )
        more = f" and {len(low) - _SHOWN} more" if len(low) > _SHOWN else ""
        ignored = int((low == 0).sum())
        lines.append(
            f"Down-weighted rows (weight < 1): {len(low)} of {res.n_obs}"
            + (f", {ignored} ignored (weight 0)" if ignored else "")
            + f"; lowest: {shown}{more}"
        )
    else:
        lines.append(f"No row was down-weighted (all {res.n_obs} weights are 1)")
    lines.extend(missingness_lines(design))
    return "\n".join(lines)
