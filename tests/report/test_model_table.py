"""Rendering linmod.table and res.summary(format=...) as text, Markdown, LaTeX and HTML."""

from __future__ import annotations

import html.parser

import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.report.grid import escape
from linmod.report.model_table import number, stars_for

from ..conftest import load_dataset


@pytest.fixture(scope="module")
def mtcars() -> pd.DataFrame:
    return load_dataset("mtcars")


@pytest.fixture(scope="module")
def table(mtcars):
    m1 = linmod.ols("mpg ~ wt", data=mtcars)
    m2 = linmod.ols("mpg ~ wt + hp", data=mtcars).robust("HC3")
    return linmod.table({"base": m1, "hc3": m2})


def test_text_cells_are_statsmodels_numbers_with_r_stars(table, mtcars):
    ref = smf.ols("mpg ~ wt + hp", data=mtcars).fit(cov_type="HC3")
    text = str(table)
    lines = text.splitlines()
    hp = next(line for line in lines if line.startswith("hp"))
    assert hp.split() == ["hp", f"{ref.params['hp']:.3f}**"]  # p = 0.002: '**'
    under = lines[lines.index(hp) + 1].split()
    assert under == [f"({ref.bse['hp']:.3f})"]
    std = next(line for line in lines if line.startswith("Std. errors"))
    assert std.split() == ["Std.", "errors", "classical", "HC3"]
    assert "Signif. codes: 0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1" in text
    n_line = next(line for line in lines if line.startswith("N "))
    assert n_line.split() == ["N", "32", "32"]


def test_markdown_escapes_stars_and_has_one_column_per_model(table):
    text = table.render("markdown")
    lines = text.splitlines()
    assert lines[0] == "|  | base | hc3 |"
    assert lines[1] == "|:---|---:|---:|"
    assert all(line.count("|") == 4 for line in lines[:20] if line.startswith("|"))
    assert "\\*\\*\\*" in text
    assert "***" not in text.replace("\\*", "")


def test_latex_uses_superscript_stars_and_escapes_names(mtcars):
    res = linmod.ols("mpg ~ wt + I(wt ** 2)", data=mtcars)
    text = linmod.table([res]).render("latex")
    assert text.startswith("\\begin{table}[ht]")
    assert text.endswith("\\end{table}")
    assert "\\begin{tabular}{lr}" in text
    assert "I(wt \\textasciicircum{}\\textasciicircum{} 2)" not in text  # '**' stays text
    assert "$^{***}$" in text
    assert "wt & " in text


def test_html_is_well_formed_and_escaped(table):
    text = table.render("html")
    parser = html.parser.HTMLParser()
    parser.feed(text)
    assert text.count("<tr>") == 1 + 3 * 2 + 7 + 1  # header, 3 terms x 2 rows, stats, SEs
    assert "&#x27;***&#x27;" in text


def test_digits_and_bad_formats(table):
    assert "(1.878)" in str(table)
    assert "(1.87763)" in table.render("text", digits=5)  # R: 1.877627
    with pytest.raises(linmod.InputError, match="format='pdf' is not known"):
        table.render("pdf")
    with pytest.raises(linmod.InputError, match="digits=-1 must be a whole number"):
        table.render("text", digits=-1)


def test_helpers_by_hand():
    assert [stars_for(p) for p in (0.0005, 0.001, 0.005, 0.03, 0.07, 0.5, float("nan"))] == [
        "***", "***", "**", "*", ".", "", "",
    ]  # fmt: skip
    assert number(1.23456, 3) == "1.235"
    assert number(1.2e-6, 3) == "1.20e-06"
    assert number(3.4e9, 3) == "3.40e+09"
    assert number(float("nan"), 3) == "NA"
    assert escape("a_b & 50%", "latex") == "a\\_b \\& 50\\%"
    assert escape("a|b*", "markdown") == "a\\|b\\*"
    assert escape("<b>", "html") == "&lt;b&gt;"


def test_summary_exports(mtcars):
    res = linmod.ols("mpg ~ wt + hp", data=mtcars)
    ref = smf.ols("mpg ~ wt + hp", data=mtcars).fit()
    markdown = res.summary(format="markdown")
    assert markdown.startswith("**OLS fit: mpg ~ wt + hp**\n\n")
    assert "| Estimate | Std. Error | t value | Pr(>\\|t\\|) |" in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| wt |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert float(cells[1]) == pytest.approx(ref.params["wt"], rel=1e-6)
    assert float(cells[2]) == pytest.approx(ref.bse["wt"], rel=1e-4)
    assert cells[5] == "\\*\\*\\*"
    assert f"Residual standard error: {ref.scale**0.5:.4g} on 29 degrees of freedom" in markdown
    latex = res.summary(format="latex")
    assert "\\caption{OLS fit: mpg \\textasciitilde{} wt + hp}" in latex
    assert "Pr(\\textgreater{}\\textbar{}t\\textbar{})" in latex
    assert "$^{***}$" in latex
    assert res.summary(format="text") == res.summary() == str(res)
    assert "<table" in res.summary(format="html")
    with pytest.raises(linmod.InputError, match="format='docx' is not known"):
        res.summary(format="docx")
    robust = res.robust("HAC", lags=2).summary(format="markdown")
    assert "Standard errors: robust (HAC, lags=2)." in robust
