"""Terminal tables (rich) for the command line: render, never compute.

Each function turns an object that linmod has already computed into a ``rich``
renderable: coefficient and fit-statistic tables for an OLS fit, the assumption report
with coloured verdicts, the cross-validated model comparison, a penalty path and any
small data frame. The command line prints them on a terminal; in pipes and files it
prints the plain-text renderings instead (R's summary layout and friends).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from linmod.inference.weighted import describe_weights
from linmod.report.coefmat import coefficient_cells, format_numbers
from linmod.report.fitted_table import FittedColumn, FittedTable
from linmod.report.fitted_table import unbroken as _unbroken
from linmod.report.summary import coefficient_lines, format_p_value, significance_stars

if TYPE_CHECKING:
    from linmod.diagnostics.report import AssumptionReport
    from linmod.inference.results import OLSResults
    from linmod.model_selection import ModelComparison, PenaltyPath

__all__ = [
    "assumption_table",
    "comparison_table",
    "frame_table",
    "path_table",
    "results_tables",
]

_VERDICT_STYLE = {"ok": "bold green", "warning": "bold yellow", "violated": "bold red"}


def _number(value: Any, digits: int = 6) -> str:
    if value is None:
        return "-"
    value = float(value)
    return "-" if not math.isfinite(value) else f"{value:.{digits}g}"


def _coefficient_table(res: OLSResults, level: float, intervals: bool) -> Table:
    """The rich coefficient table: R's cells (printCoefmat), optionally the intervals."""
    tail = 100 * (1 - level) / 2
    frame = res.to_frame()
    cells = coefficient_cells(frame["coef"], frame["std_err"], frame["t_value"], frame["p_value"])
    stars = [_stars_of(p) for p in frame["p_value"]]
    table = Table(
        title=Text(str(res.design.formula)),
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        pad_edge=False,
        padding=(0, 0, 0, 2),
    )
    table.add_column("term", style="bold", no_wrap=True)
    for header in ("estimate", "std. error", "t value", "Pr(>|t|)"):
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    if intervals:
        bounds = res.conf_int(level).to_numpy()
        low = format_numbers(list(bounds[:, 0]), 5)
        high = format_numbers(list(bounds[:, 1]), 5)
        table.add_column(f"{tail:g} %", justify="right", no_wrap=True)
        table.add_column(f"{100 - tail:g} %", justify="right", no_wrap=True)
    for i, name in enumerate(frame.index):
        row = [cells.estimate[i], cells.std_error[i], cells.t_value[i], cells.p_value[i]]
        if np.isnan(frame["coef"].iloc[i]):
            extra = ["aliased", *([""] * (4 if intervals else 3))]
            table.add_row(Text(str(name)), *extra, style="dim")
            continue
        row.append(stars[i])
        if intervals:
            row += [low[i].strip(), high[i].strip()]
        table.add_row(Text(str(name)), *(cell.strip() for cell in row))
    return table


def _stars_of(p: float) -> str:
    return significance_stars(p) if np.isfinite(p) else ""


class _Coefficients:
    """The coefficient table in the layout that fits the console, never cutting a cell.

    With the confidence intervals when they fit, without them otherwise, and as R's plain
    layout (columns in blocks, :func:`linmod.report.coefmat.layout_columns`) when even
    the table without intervals is wider than the console.
    """

    def __init__(self, res: OLSResults, level: float) -> None:
        self.res = res
        self.level = level

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for intervals in (True, False):
            table = _coefficient_table(self.res, self.level, intervals)
            if console.measure(table, options=options.update(width=10**4)).maximum <= width:
                yield table
                return
        yield Text(str(self.res.design.formula), style="italic")
        lines = coefficient_lines(self.res, width)
        yield _unbroken("\n".join(lines), width)


class _Fitted:
    """A table when its columns fit the console at their longest word, else plain text.

    Rich wraps cells at spaces but cuts a word longer than its column with "…"; this
    never lets it: below the table's minimum width the plain-text rendering (the one
    written to pipes) is printed instead, lines unbroken.
    """

    def __init__(self, table: RenderableType, plain: Callable[[int], str]) -> None:
        self.table = table
        self.plain = plain  # the text for a console width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        trial = Console(width=options.max_width, file=io.StringIO(), color_system=None)
        trial.print(self.table)
        if "…" not in trial.file.getvalue():  # type: ignore[attr-defined]
            yield self.table
        else:
            yield _unbroken(self.plain(options.max_width), options.max_width)


class _Statistics:
    """Fit statistics in two pairs of columns, or one pair on a narrow console."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def _table(self, per_row: int) -> Table:
        table = Table(box=box.SIMPLE, show_header=False, title="fit", title_justify="left")
        for _ in range(per_row):
            table.add_column("statistic", style="bold", no_wrap=True)
            table.add_column("value", justify="right", no_wrap=True)
        for start in range(0, len(self.pairs), per_row):
            table.add_row(*(cell for pair in self.pairs[start : start + per_row] for cell in pair))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        wide = self._table(2)
        fits = console.measure(wide, options=options.update(width=10**4)).maximum
        if fits <= options.max_width:
            yield wide
        else:
            yield _Fitted(
                self._table(1), lambda width: "\n".join(f"{k}: {v}" for k, v in self.pairs)
            )


def results_tables(res: OLSResults, level: float = 0.95) -> RenderableType:
    """The coefficient table (with confidence intervals) and the fit statistics.

    Numbers are never cut: the coefficient table is laid out for the console's width
    (with the intervals, without them, or as R's plain layout in column blocks), and its
    columns are formatted as R's ``printCoefmat``.

    Parameters
    ----------
    res : OLSResults
    level : float
        Confidence level of the intervals.

    Returns
    -------
    rich renderable
    """
    # A streamed fit knows its MAE only after a second pass (--second-pass).
    has_mae = res.totals is None or res.totals.abs_residual_sum is not None
    pairs = [
        ("observations", f"{res.n_obs:,}"),
        ("residual df", f"{res.df_resid:g}"),
        ("R²", _number(res.r_squared, 5)),
        ("adjusted R²", _number(res.adj_r_squared, 5)),
        ("residual std. error", _number(res.sigma, 5)),
        ("RMSE / MAE", f"{_number(res.rmse, 5)} / {_number(res.mae, 5) if has_mae else '-'}"),
        (
            "F statistic" if res.cov_type == "nonrobust" else f"Wald F ({res.cov_type})",
            _number(res.f_statistic, 5),
        ),
        ("F p-value", format_p_value(res.f_p_value)),
        ("AIC / BIC", f"{_number(res.aic, 6)} / {_number(res.bic, 6)}"),
        ("condition number", _number(res.condition_number, 3)),
        ("solver", res.solution.method),
        ("rows dropped", f"{res.design.n_dropped:,}"),
    ]
    parts: list[RenderableType] = [_Coefficients(res, level), _Statistics(pairs)]
    if res.cov_type != "nonrobust":
        lags = f", {res.hac_lags} lags" if res.cov_type == "HAC" and res.hac_lags else ""
        kind = f"robust ({res.cov_type}{lags})" if res.clusters is None else res.clusters.describe()
        parts.append(Text(f"Standard errors: {kind}", style="bold"))
    parts.extend(Text(line, style="bold") for line in describe_weights(res))
    if res.dependencies:
        parts.append(Text("Aliased: " + "; ".join(res.dependencies), style="yellow"))
    parts.append(Text("Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1", style="dim"))
    return Group(*parts)


def assumption_table(report: AssumptionReport) -> RenderableType:
    """The five assumption checks with coloured verdicts, key tests and remedies.

    The key-test and effect-size columns wrap at spaces to fit the console (an 80-column
    terminal shows each check on two to four lines); on a console too narrow for the
    table each check is one plain line, going on below.  The overall verdict and the
    remedies follow once, either way.
    """
    columns = [
        FittedColumn("assumption", wrap=True, first=True),
        FittedColumn("verdict"),
        FittedColumn("key test", wrap=True),
        FittedColumn("p-value", justify="right"),
        FittedColumn("effect size", wrap=True),
    ]
    rows = []
    for check in report:
        key = check.key_test
        rows.append(
            [
                Text(check.title),
                Text(check.verdict, style=_VERDICT_STYLE.get(check.verdict, "")),
                Text(f"{key.name}: {key.statistic_text}" if key else "-"),
                Text(format_p_value(key.p_value) if key else "-"),
                Text(f"{check.effect_text} ({check.effect_band})" if check.effect else "-"),
            ]
        )
    title = f"Assumption checks: {report.model} (n = {report.n_obs}, alpha = {report.alpha:g})"

    def plain(width: int) -> str:
        lines = [title, ""]
        for row in rows:
            title_, verdict, key, p_value, effect = (cell.plain for cell in row)
            test = "no key test" if key == "-" else f"{key}, p = {p_value}"
            lines.append(f"{title_}: {verdict}; {test}; effect size {effect}")
        return "\n".join(lines)

    remedies = [
        Text.assemble((f"{check.title}: ", "bold"), check.remedy)
        for check in report
        if check.remedy and check.verdict != "ok"
    ]
    overall = Text.assemble(
        ("Overall: ", "bold"), (report.verdict, _VERDICT_STYLE.get(report.verdict, ""))
    )
    fitted = FittedTable(Text(title), columns, rows, plain)
    if remedies:
        return Group(fitted, overall, Text("Remedies", style="bold underline"), *remedies)
    return Group(fitted, overall)


def comparison_table(comparison: ModelComparison) -> RenderableType:
    """Held-out R², RMSE and MAE (mean ± standard error) per model.

    The score columns wrap at spaces to fit the console; on a console too narrow even
    for that, each model is one plain line.  The best model is named once, below.
    """
    title = (
        f"{comparison.n_folds}-fold cross-validation (seed {comparison.seed}, "
        f"n = {comparison.n_obs}): {comparison.formula}"
    )
    columns = [
        FittedColumn("model"),
        FittedColumn("alpha", justify="right"),
        *(FittedColumn(score, justify="right", wrap=True) for score in ("R²", "RMSE", "MAE")),
    ]
    best = comparison.best
    rows = []
    for name, row in comparison.to_frame().iterrows():
        rows.append(
            [
                Text(str(name), style="bold green" if name == best else "bold"),
                Text(_number(row["alpha"], 4)),
                Text(f"{row['r2_mean']:.4f} ± {row['r2_se']:.4f}"),
                Text(f"{_number(row['rmse_mean'], 5)} ± {_number(row['rmse_se'], 3)}"),
                Text(f"{_number(row['mae_mean'], 5)} ± {_number(row['mae_se'], 3)}"),
            ]
        )

    def plain(width: int) -> str:
        lines = [title]
        for row in rows:
            name, alpha, r2, rmse, mae = (cell.plain for cell in row)
            penalty = "" if alpha == "-" else f" (alpha {alpha})"
            lines.append(f"{name}{penalty}: R² {r2}, RMSE {rmse}, MAE {mae}")
        return "\n".join(lines)

    return Group(
        FittedTable(Text(title), columns, rows, plain),
        Text(f"Lowest held-out RMSE: {best}", style="bold"),
    )


def path_table(result: PenaltyPath) -> RenderableType:
    """Coefficients at ``alpha_min`` and ``alpha_1se`` of a penalty path."""
    table = Table(
        title=Text(
            f"{result.penalty} path, {result.path.alphas.size} penalties "
            f"({'standardised' if result.standardized else 'original-scale'} coefficients): "
            f"{result.formula}"
        ),
        title_justify="left",
        box=box.SIMPLE_HEAVY,
    )
    table.add_column("term", style="bold")
    table.add_column(f"alpha_min = {result.alpha_min:.4g}", justify="right", no_wrap=True)
    table.add_column(f"alpha_1se = {result.alpha_1se:.4g}", justify="right", no_wrap=True)
    at_min, at_1se = result.coef_at(result.alpha_min), result.coef_at(result.alpha_1se)
    for name in result.path.feature_names:
        dropped = at_1se[name] == 0.0 and result.penalty != "ridge"
        table.add_row(
            Text(name),
            _number(at_min[name]),
            Text("0 (dropped)", style="dim") if dropped else Text(_number(at_1se[name])),
        )
    return _Fitted(table, lambda width: str(result))


def frame_table(frame: pd.DataFrame, title: str | None = None) -> RenderableType:
    """Any small data frame as a table (numbers right-aligned, 4 significant digits)."""
    table = Table(
        title=None if title is None else Text(title), title_justify="left", box=box.SIMPLE_HEAVY
    )
    index_name = frame.index.name or ""
    table.add_column(str(index_name), style="bold")
    for column in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[column])
        table.add_column(str(column), justify="right" if numeric else "left", no_wrap=numeric)
    for label, row in frame.iterrows():
        cells = [
            _number(value, 4) if isinstance(value, float | np.floating) else str(value)
            for value in row
        ]
        table.add_row(Text(str(label)), *(Text(cell) for cell in cells))
    return _Fitted(
        table, lambda width: frame.to_string(float_format=lambda v: f"{v:.4g}", line_width=width)
    )
