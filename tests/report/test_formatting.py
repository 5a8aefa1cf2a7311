"""Number formatting and HTML helpers of the report."""

from __future__ import annotations

import math

import pytest

from linmod.report.formatting import badge, esc, fmt_int, fmt_num, fmt_p, table

from ._page import header, parse, table_rows


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (142438.0313, 6, "142438"),
        (20405.97, 4, "20406"),  # integers keep their digits instead of "2.041e4"
        (-0.0231204, 4, "-0.02312"),
        (0.98046302, 5, "0.98046"),
        (1.0, 6, "1"),
        (-943.7594, 6, "-943.759"),
        (9.99996, 5, "10"),
        (0.00012345678, 3, "0.000123"),
        (3e-9, 6, "3e-9"),
        (-1.234567e-7, 3, "-1.23e-7"),
        (2.5e12, 6, "2.5e12"),
        (0.0, 6, "0"),
        (float("nan"), 6, "–"),
        (float("inf"), 6, "–"),
        (None, 6, "–"),
    ],
)
def test_fmt_num(value, digits, expected):
    assert fmt_num(value, digits) == expected


@pytest.mark.parametrize(
    "value", [142438.0313, -0.0231204, 3.14159265e-7, 6.02214076e23, 987.654321]
)
@pytest.mark.parametrize("digits", [3, 4, 6])
def test_fmt_num_keeps_the_significant_digits(value, digits):
    printed = float(fmt_num(value, digits))
    assert math.isclose(printed, value, rel_tol=0.5 * 10.0 ** (1 - digits))


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.5, "0.5"), (0.04321, "0.0432"), (1.2345e-7, "1.2e-7"), (1e-300, "&lt;2e-16"),
     (0.0, "&lt;2e-16"), (float("nan"), "–")],
)  # fmt: skip
def test_fmt_p(p, expected):
    assert fmt_p(p) == expected


def test_fmt_int_and_escape():
    assert fmt_int(1234567) == "1\u2009234\u2009567"
    assert esc('<a href="x">&') == "&lt;a href=&quot;x&quot;&gt;&amp;"


@pytest.mark.parametrize(
    ("verdict", "css"),
    [("ok", "pass"), ("warning", "warn"), ("violated", "fail"), ("not run", "skip")],
)
def test_badge(verdict, css):
    node = parse(badge(verdict)).find("span")
    assert node.attrs["class"] == f"badge {css}"
    assert node.text() == verdict


def test_table_structure_and_alignment():
    markup = table(
        ["name", "value"],
        [["a", "1"], ["b&amp;c", "2"]],
        numeric=[False, True],
        caption="x < y",
        css="demo",
        row_attrs=[' data-k="1"', ""],
    )
    dom = parse(markup)
    tab = dom.find("table", class_="demo")
    assert header(tab) == ["name", "value"]
    assert dom.find("caption").text() == "x < y"
    rows = table_rows(tab)
    assert rows == [({"data-k": "1"}, ["a", "1"]), ({}, ["b&c", "2"])]
    assert [td.attrs.get("class") for td in tab.find("tbody").find_all("td")] == ["num", "num"]
    assert tab.find("tbody").find("th").attrs["scope"] == "row"
