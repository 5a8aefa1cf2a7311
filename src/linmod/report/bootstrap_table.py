"""The text summary of a bootstrap: what was resampled, then the table of intervals.

Numbers are formatted a column at a time as R prints them (``format(x, digits = 4)``,
p-values by ``format.pval``), and the table is laid out in blocks that fit the width
rather than cutting a cell.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linmod.report.coefmat import format_numbers, format_pval, layout_columns

if TYPE_CHECKING:
    from linmod.inference.bootstrap_results import BootstrapResults

__all__ = ["render_bootstrap"]

_METHOD_WORDS = {
    "pairs": "pairs (rows resampled with replacement)",
    "residual": "residual (centred modified residuals resampled, design fixed)",
    "wild": "wild (HC2-transformed residuals times random weights, design fixed)",
}


def _headline(boot: BootstrapResults) -> list[str]:
    method = _METHOD_WORDS[boot.method]
    if boot.clusters is not None and boot.method == "pairs":
        method = f"pairs cluster (whole clusters resampled; {boot.clusters} clusters)"
    elif boot.clusters is not None:
        method = f"wild cluster (one weight per cluster; {boot.clusters} clusters)"
    if boot.weights is not None:
        method += f", {boot.weights.capitalize()} weights"
    seed = "" if boot.seed is None else f", seed {boot.seed}"
    lines = [
        f"Bootstrap: {method}",
        f"{boot.n_boot} replicates{seed}; intervals at {boot.level:.4g}",
    ]
    return lines


def render_bootstrap(boot: BootstrapResults, width: int = 100) -> str:
    """The summary text of :class:`~linmod.inference.bootstrap_results.BootstrapResults`."""
    table = boot.to_frame()
    header = ["", "estimate", "bias", "std.err", "perc.lower", "perc.upper", "bca.lower"]
    header.append("bca.upper")
    columns = ["estimate", "bias", "std_err", "perc_lower", "perc_upper", "bca_lower"]
    columns.append("bca_upper")
    if "p_value" in table:
        header += ["t.lower", "t.upper", "WCR p"]
        columns += ["t_lower", "t_upper"]
    cells = [format_numbers(table[column].to_numpy(), 4) for column in columns]
    if "p_value" in table:
        cells.append(format_pval(table["p_value"].to_numpy(), 3))
    rows = [[str(name), *(column[i] for column in cells)] for i, name in enumerate(table.index)]
    lines = [*_headline(boot), "", *layout_columns(header, rows, width)]
    notes = list(boot.notes)
    if boot.extreme:
        notes.append(
            "an interval used the smallest or largest replicate: too few replicates for "
            "this level (use more)"
        )
    if "p_value" in table:
        notes.append(
            "t.lower/t.upper: WCU percentile-t interval; WCR p: restricted wild cluster "
            "bootstrap-t p-value of coefficient = 0 (CR1 standard errors)"
        )
    if notes:
        lines += [""] + [f"Note: {note}" for note in notes]
    return "\n".join(lines)
