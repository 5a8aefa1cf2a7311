"""The HTML report: sections, numbers as printed, escaping, self-containment, atomic writes."""

from __future__ import annotations

import os
import re
import stat

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
import linmod.files
from linmod.analysis import Analysis, analyse
from linmod.report import html as report_html
from linmod.report import render_html, write_report

from ..conftest import load_dataset
from ._page import Node, header, parse, table_rows

HOUSE = "price ~ square_feet + bedrooms + bathrooms + age + garage"
SECTION_IDS = ["overview", "coefficients", "fit", "assumptions", "influence", "cv", "path"]
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def house_page() -> str:
    return render_html(analyse(HOUSE, linmod.datasets.house_prices()))


@pytest.fixture(scope="module")
def house_dom(house_page: str) -> Node:
    return parse(house_page)


@pytest.fixture(scope="module")
def mtcars_analysis() -> Analysis:
    data = load_dataset("mtcars")
    data["wt2"] = 2.0 * data["wt"]
    return analyse("mpg ~ wt + wt2 + hp + C(cyl)", data)


@pytest.fixture(scope="module")
def mtcars_page(mtcars_analysis: Analysis) -> str:
    return render_html(mtcars_analysis, title="Cars")


def _number(text: str) -> float:
    return float(text.replace("\u2009", "").replace("−", "-"))


def test_every_section_present_in_order(house_dom):
    sections = house_dom.find_all("section")
    assert [s.attrs["id"] for s in sections] == SECTION_IDS
    for section in sections:
        assert section.find("h2").text().strip()
    nav = [a.attrs["href"] for a in house_dom.find("nav").find_all("a")]
    assert nav == [f"#{key}" for key in SECTION_IDS]


def test_coefficient_table_as_printed_matches_statsmodels(house_dom):
    ref = smf.ols(HOUSE, data=linmod.datasets.house_prices()).fit()
    table = house_dom.find("section", id="coefficients").find("table")
    assert header(table)[:5] == ["term", "estimate", "std. error", "t value", "p-value"]
    assert header(table)[6:] == ["95% CI lower", "95% CI upper"]
    rows = table_rows(table)
    assert [attrs["data-term"] for attrs, _ in rows] == list(ref.params.index)
    ci = ref.conf_int(0.05)
    for attrs, cells in rows:
        term = attrs["data-term"]
        assert cells[0] == term
        # Printed to 6 significant digits (t to 4): half a unit in the last place.
        np.testing.assert_allclose(_number(cells[1]), ref.params[term], rtol=5e-6)
        np.testing.assert_allclose(_number(cells[2]), ref.bse[term], rtol=5e-6)
        np.testing.assert_allclose(_number(cells[3]), ref.tvalues[term], rtol=5e-4)
        assert ref.pvalues[term] < 2e-16
        assert cells[4] == "<2e-16"
        assert cells[5] == "***"
        np.testing.assert_allclose(_number(cells[6]), ci.loc[term, 0], rtol=5e-6)
        np.testing.assert_allclose(_number(cells[7]), ci.loc[term, 1], rtol=5e-6)


def test_fit_statistics_as_printed(house_dom):
    ref = smf.ols(HOUSE, data=linmod.datasets.house_prices()).fit()
    stats = {
        dt.text(): dd.text()
        for dt, dd in (
            (div.find("dt"), div.find("dd"))
            for div in house_dom.find("section", id="fit").find("dl").find_all("div")
        )
    }
    np.testing.assert_allclose(_number(stats["R²"]), ref.rsquared, rtol=5e-5)
    np.testing.assert_allclose(_number(stats["Adjusted R²"]), ref.rsquared_adj, rtol=5e-5)
    np.testing.assert_allclose(
        _number(stats["Residual standard error σ"]), np.sqrt(ref.scale), rtol=5e-5
    )
    assert stats["Observations"] == "500"
    assert stats["F statistic"].endswith("on 5 and 494 df")
    np.testing.assert_allclose(_number(stats["F statistic"].split()[0]), ref.fvalue, rtol=5e-5)


def test_assumptions_section_has_verdicts_remedies_and_plots(house_dom, mtcars_page):
    section = house_dom.find("section", id="assumptions")
    verdicts = table_rows(section.find("table", class_="verdicts"))
    assert [cells[0] for _, cells in verdicts] == [
        "Linearity",
        "Independence",
        "Homoscedasticity",
        "Normality",
        "No multicollinearity",
        "Influential observations",
    ]
    assert len(section.find_all("article", class_="check")) == 6
    assert all(b.text() == "ok" for b in section.find_all("span", class_="badge"))
    assert len(section.find_all("svg")) == 1
    # mtcars: a violated assumption gets a red badge and its remedy is shown.
    cars = parse(mtcars_page).find("section", id="assumptions")
    failing = [a for a in cars.find_all("article", class_="check") if "fail" in a.attrs["class"]]
    assert failing
    for article in failing:
        assert article.find("span", class_="badge").text() == "violated"
        assert article.find("div", class_="remedy").text().startswith("Remedy.")


def test_influence_table_lists_top_rows(house_dom):
    table = house_dom.find("section", id="influence").find("table")
    rows = table_rows(table)
    assert len(rows) == 10
    cooks = [_number(cells[5]) for _, cells in rows]
    assert cooks == sorted(cooks, reverse=True)


def test_cv_and_path_sections(house_dom):
    cv = house_dom.find("section", id="cv")
    rows = table_rows(cv.find("table", class_="comparison"))
    assert [attrs["data-model"] for attrs, _ in rows] == ["ols", "ridge", "lasso"]
    assert sum("best" in (attrs.get("class") or "") for attrs, _ in rows) == 1
    folds = table_rows(cv.find("table", class_="folds"))
    assert [cells[0] for _, cells in folds] == ["1", "2", "3", "4", "5"]
    path = house_dom.find("section", id="path")
    assert len(path.find_all("svg")) == 1
    terms = [cells[0] for _, cells in table_rows(path.find("table"))]
    assert terms == ["square_feet", "bedrooms", "bathrooms", "age", "garage"]


def test_self_contained_no_external_references(house_page, house_dom):
    assert house_page.startswith("<!DOCTYPE html>")
    assert "http://" not in house_page
    assert "https://" not in house_page
    assert "<script" not in house_page.lower()
    assert "<link" not in house_page.lower()
    assert "@import" not in house_page
    assert re.search(r"url\(\s*(?!#)", house_page) is None  # only url(#clip-path) inside SVG
    for node in house_dom.iter():
        for key in ("src", "href", "xlink:href"):
            value = node.attrs.get(key)
            if value is not None:
                assert value.startswith(("#", "data:")), (node.tag, key, value)
    policy = house_dom.find("meta", **{"http-equiv": "Content-Security-Policy"})
    assert "default-src 'none'" in policy.attrs["content"]
    assert house_dom.find("meta", charset="utf-8")


def test_ids_are_unique_and_references_resolve(house_page):
    ids = re.findall(r'\bid="([^"]+)"', house_page)
    assert len(ids) == len(set(ids))
    references = re.findall(r'(?:href="#|url\(#)([^")]+)', house_page)
    assert references
    assert set(references) <= set(ids)


def test_hostile_names_are_escaped():
    rng = np.random.default_rng(1)
    data = pd.DataFrame(
        {
            "y": rng.normal(size=40),
            HOSTILE: rng.normal(size=40),
            "a&b<i>": rng.normal(size=40),
        }
    )
    formula = f'y ~ Q("{HOSTILE}") + Q("a&b<i>")'
    page = render_html(analyse(formula, data), title="<img src=x onerror=alert(1)>")
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "<i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    dom = parse(page)
    assert not dom.find_all("script")
    assert not dom.find_all("img")
    assert not dom.find_all("i")
    for node in dom.iter():
        assert not any(key.startswith("on") for key in node.attrs), node
    columns = [cells[0] for _, cells in table_rows(dom.find("table", class_="columns"))]
    assert columns == ["y", HOSTILE, "a&b<i>"]
    assert dom.find("title").text() == "<img src=x onerror=alert(1)>"


def test_aliased_and_categorical_design(mtcars_page, mtcars_analysis):
    dom = parse(mtcars_page)
    assert dom.find("title").text() == "Cars"
    rows = {
        attrs["data-term"]: cells
        for attrs, cells in table_rows(dom.find("section", id="coefficients").find("table"))
    }
    assert list(rows) == ["Intercept", "wt", "wt2", "hp", "C(cyl)[T.6]", "C(cyl)[T.8]"]
    assert rows["wt2"][1] == "aliased"
    assert rows["wt2"][2:] == ["–", "–", "–", "", "–", "–"]
    ref = smf.ols("mpg ~ wt + hp + C(cyl)", data=load_dataset("mtcars")).fit()
    for term in ["Intercept", "wt", "hp", "C(cyl)[T.6]", "C(cyl)[T.8]"]:
        np.testing.assert_allclose(_number(rows[term][1]), ref.params[term], rtol=5e-6)
    assert "wt2 = 2·wt" in dom.find("section", id="coefficients").text()
    corr = dom.find("section", id="overview").find("table", class_="corr")
    assert header(corr) == ["", "mpg", "hp", "wt", "wt2"]  # cyl is categorical here


def test_missing_values_reported_in_overview():
    data = linmod.datasets.house_prices()
    data.loc[[3, 10, 42], "age"] = np.nan
    page = render_html(analyse("price ~ square_feet + age", data, missing="drop"))
    overview = parse(page).find("section", id="overview")
    assert "the model uses 497 rows" in overview.text()
    note = overview.find("p", class_="remedy").text()
    assert note.startswith("3 row(s) with missing values")
    assert "rows 4, 11, 43." in note
    rows = {cells[0]: cells for _, cells in table_rows(overview.find("table", class_="columns"))}
    assert rows["age"][3] == "3 (0.6%)"
    assert rows["square_feet"][3] == "0"


def test_write_report_writes_the_rendered_page(tmp_path, mtcars_analysis, mtcars_page):
    target = tmp_path / "report.html"
    written = write_report(mtcars_analysis, target, title="Cars")
    assert written == target
    assert target.read_text(encoding="utf-8") == mtcars_page  # rendering is reproducible
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(tmp_path) == ["report.html"]


def test_write_report_replaces_atomically(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(report_html, "render_html", lambda analysis, **_: "new page")
    write_report(None, str(target))  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "new page"
    assert os.listdir(tmp_path) == ["report.html"]


def test_failed_render_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")

    def broken(analysis, **_):
        raise RuntimeError("boom")

    monkeypatch.setattr(report_html, "render_html", broken)
    with pytest.raises(RuntimeError, match="boom"):
        write_report(None, target)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.html"]


def test_failed_replace_removes_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(report_html, "render_html", lambda analysis, **_: "new page")

    def refuse(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(linmod.files.os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_report(None, target)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.html"]


def test_write_report_needs_an_existing_folder(tmp_path):
    with pytest.raises(linmod.InputError, match="does not exist"):
        write_report(None, tmp_path / "nope" / "report.html")  # type: ignore[arg-type]
    with pytest.raises(linmod.InputError, match="is a folder"):
        write_report(None, tmp_path)  # type: ignore[arg-type]


def test_p_values_below_the_floor_are_escaped_markup(house_page):
    # R's "<2e-16" inside a cell is markup, not a tag: written as &lt; (QA: it was raw).
    assert "&lt;2e-16" in house_page
    assert "<2e-16" not in house_page
