"""The sections of the HTML report, each rendered from an :class:`~linmod.analysis.Analysis`.

Every function returns a ``<section>`` with a stable id (:data:`SECTIONS`), formats what
the analysis holds and escapes every string that comes from the user's data or formula.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from linmod.plots.sampling import ALWAYS_DRAWN, SAMPLE_SIZE
from linmod.report.figures import diagnostics_svg, lasso_svg
from linmod.report.flags import flags_table
from linmod.report.formatting import VERDICT_CLASS, badge, esc, fmt_int, fmt_num, fmt_p, table
from linmod.report.robust_comparison import robust_comparison_html
from linmod.report.summary import significance_stars
from linmod.report.wording import python_advice

if TYPE_CHECKING:
    from linmod.analysis import Analysis
    from linmod.diagnostics.report import AssumptionCheck

__all__ = ["MODEL_NAMES", "SECTIONS", "render_sections"]

#: Section ids and headings, in page order.
SECTIONS: dict[str, str] = {
    "overview": "Data overview",
    "coefficients": "Coefficients",
    "fit": "Fit statistics",
    "assumptions": "Assumptions",
    "influence": "Influential points",
    "cv": "Cross-validated comparison",
    "path": "Regularization path",
}

#: How the models of the comparison are named on the page.
MODEL_NAMES = {"ols": "OLS", "ridge": "Ridge", "lasso": "Lasso", "elastic_net": "Elastic net"}
_MAX_LISTED = 20


def _section(key: str, body: str, lead: str = "") -> str:
    intro = f'<p class="lead">{lead}</p>' if lead else ""
    return (
        f'<section class="report" id="{key}" aria-labelledby="{key}-title">'
        f'<h2 id="{key}-title">{esc(SECTIONS[key])}</h2>{intro}{body}</section>'
    )


def _labels(index: pd.Index) -> str:
    shown = ", ".join(esc(v) for v in list(index[:_MAX_LISTED]))
    more = len(index) - _MAX_LISTED
    return shown + (f" and {fmt_int(more)} more" if more > 0 else "")


def _sentence(text: str, names: Collection[str] = ()) -> str:
    """``text`` with a capital first letter, unless it starts with one of the ``names``
    (a term or column name keeps its case: ``x, w share ...``)."""
    first = re.match(r"[^\s,;:]*", text)
    if first is not None and first.group() in names:
        return text
    return text[:1].upper() + text[1:]


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="plot">{svg}<figcaption>{caption}</figcaption></figure>'


# ------------------------------------------------------------------------- overview
def _correlation_cell(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    strength = min(abs(float(value)), 1.0)
    hue = "11, 92, 173" if value >= 0 else "179, 38, 30"
    colour = "#fff" if strength > 0.65 else "inherit"
    return (
        f'<span style="display:block;margin:-5px -10px;padding:5px 10px;'
        f'background:rgba({hue},{strength * 0.85:.3f});color:{colour}">'
        f"{fmt_num(value, 3)}</span>"
    )


def overview_section(analysis: Analysis, advice: Callable[[str], str] = python_advice) -> str:
    """Rows used and dropped, a table of the columns, and the correlation matrix."""
    ov = analysis.overview
    columns = ov.columns
    lead = (
        f"{fmt_int(ov.n_rows)} rows and {fmt_int(len(columns))} columns; the model uses "
        f"{fmt_int(ov.n_used)} rows."
    )
    parts = []
    if len(ov.dropped_rows):
        parts.append(
            f'<p class="remedy">{fmt_int(len(ov.dropped_rows))} row(s) with missing values in '
            f"the model's columns were dropped (<code>{esc(advice(f'missing={ov.missing!r}'))}"
            f"</code>): rows {_labels(ov.dropped_rows)}.</p>"
        )
    rows = []
    for name, row in columns.iterrows():
        missing = int(row["n_missing"])
        share = missing / ov.n_rows if ov.n_rows else 0.0
        missing_cell = (
            f'<span class="flag">{fmt_int(missing)} ({share:.1%})</span>' if missing else "0"
        )
        role = str(row["role"])
        rows.append(
            [
                esc(name),
                f"<code>{esc(row['dtype'])}</code>",
                esc(role) if role != "unused" else '<span class="muted">not used</span>',
                missing_cell,
                fmt_int(row["n_unique"]),
                fmt_num(row["min"], 5),
                fmt_num(row["mean"], 5),
                fmt_num(row["std"], 5),
                fmt_num(row["max"], 5),
            ]
        )
    parts.append(
        table(
            ["column", "type", "role", "missing", "unique", "min", "mean", "std", "max"],
            rows,
            numeric=[False, False, False, True, True, True, True, True, True],
            css="columns",
        )
    )
    parts.append(flags_table(ov.flags, advice))
    corr = ov.correlations
    parts.append("<h3>Correlations</h3>")
    if corr.shape[0] >= 2:
        names = [str(c) for c in corr.columns]
        corr_rows = [
            [esc(name)] + [_correlation_cell(float(v)) for v in corr.loc[name].to_numpy()]
            for name in corr.index
        ]
        parts.append(
            table(
                ["", *names],
                corr_rows,
                numeric=[False] + [True] * len(names),
                caption="Pearson correlations of the numeric columns the model uses, over "
                "the rows it uses (blue positive, red negative).",
                css="corr",
            )
        )
    else:
        parts.append(
            '<p class="note">Fewer than two numeric columns in the model: no correlations '
            "to show (columns coded with C(...) are categorical).</p>"
        )
    return _section("overview", "".join(parts), lead)


# ------------------------------------------------------------------------- coefficients
def coefficients_section(analysis: Analysis) -> str:
    """The coefficient table with confidence intervals; aliased terms shown as such."""
    coef = analysis.coefficients
    level = f"{analysis.confidence_level:.0%}"
    rows = []
    attrs = []
    for term, row in coef.iterrows():
        attrs.append(f' data-term="{esc(term)}"')
        if bool(row["aliased"]):
            rows.append(
                [esc(term), '<span class="aliased">aliased</span>', "–", "–", "–", "", "–", "–"]
            )
            continue
        rows.append(
            [
                esc(term),
                fmt_num(row["coef"]),
                fmt_num(row["std_err"]),
                fmt_num(row["t_value"], 4),
                fmt_p(row["p_value"]),
                f'<span class="stars">{significance_stars(float(row["p_value"]))}</span>',
                fmt_num(row["lower"]),
                fmt_num(row["upper"]),
            ]
        )
    parts = [
        table(
            [
                "term",
                "estimate",
                "std. error",
                "t value",
                "p-value",
                "",
                f"{level} CI lower",
                f"{level} CI upper",
            ],
            rows,
            numeric=[False, True, True, True, True, False, True, True],
            css="coefficients",
            row_attrs=attrs,
        ),
        '<p class="note">Significance: <span class="stars">***</span> p &lt; 0.001, '
        '<span class="stars">**</span> p &lt; 0.01, <span class="stars">*</span> p &lt; 0.05, '
        '<span class="stars">.</span> p &lt; 0.1. Standard errors assume independent errors '
        "of constant variance; see the assumption checks below.</p>",
    ]
    if analysis.dependencies:
        listed = "".join(f"<li><code>{esc(d)}</code></li>" for d in analysis.dependencies)
        parts.append(
            '<div class="remedy"><b>Aliased terms.</b> These columns are exact linear '
            "combinations of others, so their coefficients are not estimable and are left out "
            f"of the fit (as R does):<ul>{listed}</ul></div>"
        )
    lead = (
        f"Ordinary least squares for <code>{esc(analysis.formula)}</code>, with {level} "
        "confidence intervals."
    )
    return _section("coefficients", "".join(parts), lead)


# ------------------------------------------------------------------------- fit
def fit_section(analysis: Analysis) -> str:
    """Goodness of fit, the overall F test, information criteria and the solver."""
    fit = analysis.fit
    f_text = (
        f"{fmt_num(fit.f_statistic, 5)} on {fit.df_model} and {fit.df_resid} df"
        if np.isfinite(fit.f_statistic)
        else "–"
    )
    items = [
        ("Observations", fmt_int(fit.n_obs)),
        ("Coefficients (estimable)", f"{fit.n_params} ({fit.rank})"),
        ("Residual degrees of freedom", fmt_int(fit.df_resid)),
        ("R²" + ("" if fit.intercept else " (uncentred)"), fmt_num(fit.r_squared, 5)),
        ("Adjusted R²", fmt_num(fit.adj_r_squared, 5)),
        ("Residual standard error σ", fmt_num(fit.sigma, 5)),
        ("F statistic" if fit.cov_type == "nonrobust" else f"Wald F ({fit.cov_type})", f_text),
        ("p-value of F", fmt_p(fit.f_p_value)),
        ("Log-likelihood", fmt_num(fit.log_likelihood, 6)),
        ("AIC", fmt_num(fit.aic, 6)),
        ("BIC", fmt_num(fit.bic, 6)),
        ("RMSE (in sample)", fmt_num(fit.rmse, 5)),
        ("MAE (in sample)", fmt_num(fit.mae, 5)),
        ("Condition number (scaled)", fmt_num(fit.condition_number, 4)),
        ("Solver", f"<code>{esc(fit.solver)}</code>"),
        ("Covariance", esc(fit.cov_type)),
    ]
    if fit.weights is not None:
        items.insert(1, ("Weights", esc(fit.weights)))
    cells = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    body = f'<dl class="stats">{cells}</dl>'
    lead = (
        "In-sample figures; the cross-validated comparison below shows how the model "
        "predicts rows it has not seen."
    )
    return _section("fit", body, lead)


# ------------------------------------------------------------------------- assumptions
def _check_card(
    check: AssumptionCheck, advice: Callable[[str], str], names: Collection[str]
) -> str:
    css = VERDICT_CLASS.get(check.verdict, "skip")
    tests = [
        [
            f'<span title="{esc(t.method)}">{esc(t.name)}</span>',
            f'<span class="nowrap">{esc(t.statistic_text)}</span>',
            fmt_p(t.p_value),
        ]
        for t in check.tests
    ]
    parts = [
        f'<article class="check {css}"><h3>{esc(check.title)} {badge(check.verdict)}</h3>',
        f"<p>{esc(_sentence(advice(check.reason), names))}</p>",
    ]
    if tests:
        parts.append(table(["test", "statistic", "p-value"], tests, numeric=[False, False, True]))
    if check.remedy:
        remedy = esc(_sentence(advice(check.remedy), names))
        parts.append(f'<div class="remedy"><b>Remedy.</b> {remedy}</div>')
    else:
        parts.append('<div class="remedy none">No remedy needed.</div>')
    notes = [esc(_sentence(advice(n), names)) for n in check.notes]
    if check.flagged:
        notes.append("Rows to look at: " + _labels(pd.Index(list(check.flagged))))
    if notes:
        parts.append('<ul class="notes">' + "".join(f"<li>{n}</li>" for n in notes) + "</ul>")
    parts.append("</article>")
    return "".join(parts)


def _plot_notes(analysis: Analysis) -> str:
    """Which added-variable plots are drawn and why; whether the scatters are sampled."""
    shown, total = analysis.added_variable, analysis.n_added_variable_candidates
    names = ", ".join(f"<code>{esc(name)}</code>" for name in shown)
    if not shown:
        notes = "No coefficient besides the intercept: no added-variable plot."
    elif len(shown) == total:
        notes = f"Added-variable plots of every coefficient, largest |t| first: {names}."
    else:
        notes = (
            f"Added-variable plots of the {len(shown)} of {total} coefficients with the "
            f"largest |t| (the effects the data show most clearly): {names}."
        )
    n = analysis.fit.n_obs
    if n > SAMPLE_SIZE:
        notes += (
            f" With {fmt_int(n)} rows, each scatter draws a seeded uniform sample of "
            f"{fmt_int(SAMPLE_SIZE)} points plus the {fmt_int(ALWAYS_DRAWN)} most extreme of "
            "each panel, and the Q-Q plot evenly spaced quantiles plus both tails; smoothers, "
            "labels, lines and contours use every row."
        )
    return notes


def assumptions_section(analysis: Analysis, advice: Callable[[str], str] = python_advice) -> str:
    """Verdicts with their key test and effect size, remedies, and the diagnostic plots."""
    report = analysis.assumptions
    names = {*analysis.coefficients.index.astype(str), *analysis.overview.columns.index.astype(str)}
    rows = []
    for check in report:
        key = check.key_test
        rows.append(
            [
                esc(check.title),
                badge(check.verdict),
                esc(f"{key.name}: {key.statistic_text}") if key else "–",
                fmt_p(key.p_value) if key else "–",
                esc(f"{check.effect_text} ({check.effect_band})") if check.effect else "–",
            ]
        )
    parts = [
        f"<p>Overall verdict: {badge(report.verdict)} at significance level "
        f"α = {fmt_num(report.alpha, 3)}. A verdict weighs an effect size that does not grow "
        "with n together with the p-value, so that a large sample does not fail negligible "
        "departures.</p>",
        table(
            ["assumption", "verdict", "key test", "p-value", "effect size"],
            rows,
            numeric=[False, False, False, True, False],
            css="verdicts",
        ),
        '<div class="checks">',
        *(_check_card(check, advice, names) for check in report),
        "</div>",
        "<h3>Diagnostic plots</h3>",
        _figure(
            diagnostics_svg(
                analysis.results, len(analysis.added_variable), order_by=analysis.order_by
            ),
            "Residuals against fitted values, normal Q-Q, scale-location, residuals against "
            "leverage with Cook's distance contours (R's plot.lm), variance inflation factors, "
            "the residual autocorrelation and added-variable plots. " + _plot_notes(analysis),
        ),
    ]
    return _section("assumptions", "".join(parts))


# ------------------------------------------------------------------------- influence
def influence_section(analysis: Analysis) -> str:
    """The rows with the largest Cook's distance, with leverage and studentized residuals."""
    inf = analysis.influence
    rows = []
    for label, row in inf.table.iterrows():
        cooks, lev, stud = row["cooks_distance"], row["leverage"], row["studentized_residual"]

        def mark(text: str, over: bool) -> str:
            return f'<span class="flag">{text}</span>' if over else text

        rows.append(
            [
                esc(label),
                fmt_num(row["observed"]),
                fmt_num(row["fitted"]),
                mark(fmt_num(lev, 4), bool(lev > inf.leverage_threshold)),
                mark(fmt_num(stud, 4), bool(abs(stud) > 3.0)),
                mark(fmt_num(cooks, 4), bool(cooks > inf.cooks_threshold)),
                fmt_num(row["dffits"], 4),
            ]
        )
    lead = (
        f"{fmt_int(inf.n_cooks_over)} row(s) have Cook's distance above 4/n = "
        f"{fmt_num(inf.cooks_threshold, 3)}, {fmt_int(inf.n_leverage_over)} have leverage "
        f"above 2k/n = {fmt_num(inf.leverage_threshold, 3)}, and {fmt_int(inf.n_outlying)} "
        "have a studentized residual beyond ±3. Values above these marks are shown in red; "
        "a Cook's distance near 1 means the row alone moves the fit substantially."
    )
    body = table(
        ["row", "observed", "fitted", "leverage", "studentized residual", "Cook's D", "DFFITS"],
        rows,
        numeric=[False, True, True, True, True, True, True],
        caption=f"The {len(inf.table)} rows with the largest Cook's distance.",
        css="influence",
    )
    if analysis.robust is not None:
        body += robust_comparison_html(analysis.robust)
    return _section("influence", body, lead)


# ------------------------------------------------------------------------- cv
def cv_section(analysis: Analysis) -> str:
    """Held-out R², RMSE and MAE of OLS, Ridge and Lasso on the same folds."""
    comparison = analysis.comparison
    frame = comparison.to_frame()
    best = comparison.best
    rows, attrs = [], []
    for model, row in frame.iterrows():
        name = MODEL_NAMES.get(str(model), str(model))
        rows.append(
            [
                esc(name) + (' <span class="badge pass">best</span>' if model == best else ""),
                fmt_num(row["alpha"], 4),
                f"{fmt_num(row['r2_mean'], 4)} ± {fmt_num(row['r2_se'], 2)}",
                f"{fmt_num(row['rmse_mean'], 5)} ± {fmt_num(row['rmse_se'], 3)}",
                f"{fmt_num(row['mae_mean'], 5)} ± {fmt_num(row['mae_se'], 3)}",
            ]
        )
        attrs.append((' class="best"' if model == best else "") + f' data-model="{esc(model)}"')
    lead = (
        f"{comparison.n_folds}-fold cross-validation on {fmt_int(comparison.n_obs)} rows "
        f"(folds shuffled with seed {comparison.seed}). Ridge and Lasso standardise the "
        "columns and choose their penalty inside each training fold, so the held-out fold "
        "never influences the choice; the alpha shown is the one chosen on all the data."
        + (
            " Every model is fitted with the observation weights, and the held-out R², RMSE "
            "and MAE are weighted by them."
            if comparison.weighted
            else ""
        )
    )
    parts = [
        table(
            ["model", "alpha", "R² (mean ± SE)", "RMSE (mean ± SE)", "MAE (mean ± SE)"],
            rows,
            numeric=[False, True, True, True, True],
            css="comparison",
            row_attrs=attrs,
        ),
        f'<p class="note">Best: the lowest mean held-out RMSE '
        f"({esc(MODEL_NAMES.get(best, best))}). Differences smaller than the standard "
        "errors are not meaningful.</p>",
    ]
    folds = comparison.folds
    models = list(frame.index)
    pivot = folds.pivot(index="fold", columns="model", values="rmse")[models]
    fold_rows = [
        [str(int(fold) + 1)] + [fmt_num(v, 5) for v in pivot.loc[fold].to_numpy()]
        for fold in pivot.index
    ]
    parts.append("<h3>RMSE on each held-out fold</h3>")
    parts.append(
        table(
            ["fold", *(MODEL_NAMES.get(str(m), str(m)) for m in models)],
            fold_rows,
            numeric=[False] + [True] * len(models),
            css="folds",
        )
    )
    return _section("cv", "".join(parts), lead)


# ------------------------------------------------------------------------- path
def path_section(analysis: Analysis) -> str:
    """The Lasso path on standardised columns with the CV-chosen penalties marked."""
    summary = analysis.lasso
    lead = (
        "The Lasso on the standardised model matrix: each coefficient is the change in the "
        "response per standard deviation of its column, so the paths are comparable. The "
        f"penalty is chosen by {analysis.folds}-fold cross-validation: alpha_min = "
        f"{fmt_num(summary.alpha_min, 4)} gives the smallest mean CV error, alpha_1se = "
        f"{fmt_num(summary.alpha_1se, 4)} the simplest model within one standard error of it."
    )
    rows = []
    for term, row in summary.coefficients.iterrows():
        cells = [esc(term)]
        for label in ("alpha_min", "alpha_1se"):
            value = float(row[label])
            cells.append(
                fmt_num(value, 5) if value != 0 else '<span class="aliased">0 (dropped)</span>'
            )
        rows.append(cells)
    parts = [
        _figure(
            lasso_svg(summary),
            "Left: standardised Lasso coefficients against the penalty (log scale), with the "
            "two cross-validated choices marked. Right: mean cross-validated MSE with ±1 "
            "standard error.",
        ),
        table(
            ["term", "at alpha_min", "at alpha_1se"],
            rows,
            numeric=[False, True, True],
            caption="Standardised Lasso coefficients at the two cross-validated penalties.",
            css="lasso",
        ),
    ]
    return _section("path", "".join(parts), lead)


def render_sections(analysis: Analysis, advice: Callable[[str], str] = python_advice) -> list[str]:
    """Every section of the report, in :data:`SECTIONS` order; ``advice`` words the
    remedies for the interface in use (:mod:`linmod.report.wording`)."""
    return [
        overview_section(analysis, advice),
        coefficients_section(analysis),
        fit_section(analysis),
        assumptions_section(analysis, advice),
        influence_section(analysis),
        cv_section(analysis),
        path_section(analysis),
    ]
