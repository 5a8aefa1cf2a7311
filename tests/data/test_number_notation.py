"""Numbers written with symbols or another notation are named, never a silent factor (QA 5).

``"$1,200"``, ``"10%"``, ``"1.381,90"``, ``"−1.3"`` (U+2212), ``"3 455.8"`` (no-break
space), ``"3'455.8"``, ``"(1.23)"``: a named term is refused with the column, an example
value and the fix; ``y ~ .`` leaves the column out with that message as a warning (or
refuses it when a read option is the fix).  The pandas line a message suggests is run
as written, and the fit on the converted column is checked against statsmodels on the
numbers the text was made from.
"""

from __future__ import annotations

import ast
import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose, assert_array_equal

import linmod
from linmod.data.number_notation import notation_problem
from linmod.exceptions import InputError, LinmodWarning

N = 200


def _numbers(seed: int = 0, scale: float = 1.0, decimals: int = 2) -> pd.DataFrame:
    """y = 1 + 2 x1 - x2 + 0.5 v / scale + noise, with v rounded as it will be written."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=N), rng.normal(size=N)
    v = np.round(rng.normal(0.0, scale, N), decimals)
    y = 1 + 2 * x1 - x2 + 0.5 * v / scale + rng.normal(0, 0.3, N)
    return pd.DataFrame({"y": y, "x1": x1, "x2": x2, "v": v})


def _money(value: float) -> str:
    return ("-" if value < 0 else "") + f"${abs(value):,.2f}"


def _euro(value: float) -> str:  # 1.234,50
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


#: (name, scale, decimals, how the numbers are written)
NOTATIONS = [
    ("currency", 3000.0, 2, _money),
    ("percent", 30.0, 1, lambda v: f"{v:.1f}%"),
    ("unicode minus", 1.0, 4, lambda v: f"{v:.4f}".replace("-", "\u2212")),
    ("no-break space", 3000.0, 1, lambda v: f"{v:,.1f}".replace(",", "\u00a0")),
    ("thin space", 3000.0, 1, lambda v: f"{v:,.1f}".replace(",", "\u2009")),
    ("parentheses", 1.0, 2, lambda v: f"({abs(v):.2f})" if v < 0 else f"{v:.2f}"),
    ("euro after", 3000.0, 2, lambda v: _euro(v) + "\u00a0€"),
    ("pound before", 3000.0, 2, lambda v: "£ " + f"{v:,.2f}"),
]


def _written(notation) -> tuple[pd.DataFrame, pd.DataFrame]:
    _, scale, decimals, write = notation
    clean = _numbers(scale=scale, decimals=decimals)
    return clean.assign(v=[write(v) for v in clean["v"]]), clean


def _suggested_line(message: str) -> str:
    """The shortest piece of ``message`` from "df[" on that is a Python statement."""
    start = message.index("e.g. df[") + len("e.g. ")
    for end in (i + 1 for i, c in enumerate(message) if c == ")" and i > start):
        try:
            compile(message[start:end], "<message>", "exec")
        except SyntaxError:
            continue
        return message[start:end]
    raise AssertionError(f"no Python statement in {message!r}")


@pytest.mark.parametrize("notation", NOTATIONS, ids=[n[0] for n in NOTATIONS])
def test_a_named_column_is_refused_with_a_conversion_that_works(notation):
    frame, clean = _written(notation)
    with pytest.raises(InputError) as caught:
        linmod.ols("y ~ x1 + x2 + v", data=frame)
    message = str(caught.value)
    assert message.startswith("column 'v' holds numbers written with ")
    example = re.search(r"\(e\.g\. ((['\"]).*?\2)\)", message)
    assert example is not None  # a value of the column, as Python writes it
    assert ast.literal_eval(example.group(1)) in {s.strip() for s in frame["v"]}
    assert "linmod does not strip symbols" in message
    assert message.endswith("or write C(v) to fit one coefficient per value")
    df = frame.copy()
    exec(_suggested_line(message), {"pd": pd, "df": df})  # the line as a user pastes it
    assert_array_equal(df["v"].to_numpy(dtype=float), clean["v"].to_numpy())
    res = linmod.ols("y ~ x1 + x2 + v", data=df)
    reference = smf.ols("y ~ x1 + x2 + v", data=clean).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("notation", NOTATIONS, ids=[n[0] for n in NOTATIONS])
def test_dot_leaves_the_column_out_with_the_conversion(notation):
    frame, clean = _written(notation)
    with pytest.warns(LinmodWarning, match=r"^column 'v' holds numbers written with ") as caught:
        res = linmod.ols("y ~ .", data=frame)
    message = str(caught[0].message)
    assert "until then '.' leaves it out (write '+ C(v)' to include its values" in message
    assert res.design.formula == "y ~ (x1 + x2)"
    reference = smf.ols("y ~ x1 + x2", data=clean).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_few_distinct_amounts_are_not_a_silent_factor():
    """QA: "$950", "$1,200", "$1,500" and "20%", "35%", "50%" were fitted as factors."""
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "y": rng.normal(size=N),
            "x1": rng.normal(size=N),
            "price": rng.choice(["$950", "$1,200", "$1,500"], N),
            "pct": rng.choice(["20%", "35%", "50%"], N),
        }
    )
    with pytest.raises(InputError, match=r"'price' holds numbers written with the currency "):
        linmod.ols("y ~ x1 + price", data=frame)
    with pytest.raises(InputError, match=r"'pct' holds numbers written with percent signs.*"):
        linmod.ols("y ~ x1 + pct", data=frame)
    with pytest.raises(InputError, match=r"divide by 100 for fractions"):
        linmod.ols("y ~ x1 + pct", data=frame)
    with pytest.warns(LinmodWarning) as caught:
        res = linmod.ols("y ~ .", data=frame)
    assert sorted(str(w.message).split()[1] for w in caught) == ["'pct'", "'price'"]
    assert res.design.formula == "y ~ (x1)"
    coded = linmod.ols("y ~ x1 + C(price)", data=frame)  # categories, when asked for
    assert "C(price)[T.$1,500]" in coded.coef.index


def test_a_word_among_amounts_is_named_and_coerced_explicitly():
    frame, clean = _written(NOTATIONS[0])
    frame.loc[[3, 50], "v"] = "n/a"
    with pytest.raises(InputError) as caught:
        linmod.ols("y ~ x1 + x2 + v", data=frame)
    message = str(caught.value)
    assert "errors='coerce'), which also makes 'n/a' missing" in message
    df = frame.copy()
    exec(_suggested_line(message), {"pd": pd, "df": df})
    expected = clean["v"].copy()
    expected[[3, 50]] = np.nan
    assert_array_equal(df["v"].to_numpy(dtype=float), expected.to_numpy())


def _euro_csv(path, clean: pd.DataFrame) -> None:
    text = clean.assign(v=[_euro(v) for v in clean["v"]], y=[_euro(v) for v in clean["y"]])
    text[["y", "x1", "v"]].assign(x1=[_euro(v) for v in clean["x1"]]).to_csv(
        path, sep=";", index=False
    )


def test_euro_thousands_name_both_read_options(tmp_path, capsys):
    """QA: "1.381,90" with --sep ';' --decimal , was called an identifier."""
    from linmod.cli.main import main

    clean = _numbers(scale=3000.0)
    path = tmp_path / "euro.csv"
    _euro_csv(path, clean)
    assert main(["fit", str(path), "-f", "y ~ v", "--sep", ";", "--decimal", ","]) == 1
    err = capsys.readouterr().err
    assert "column 'v' holds numbers written with '.' between thousands and a decimal comma" in err
    assert "read the file with --thousands . and --decimal ," in err
    args = ["fit", str(path), "-f", "y ~ v", "--sep", ";", "--decimal", ",", "--thousands", "."]
    assert main([*args, "--json"]) == 0
    import json

    coef = json.loads(capsys.readouterr().out)["coefficients"]
    reference = smf.ols("y ~ v", data=clean.round(2)).fit()
    assert_allclose(coef["v"]["coef"], reference.params["v"], rtol=1e-9)


def test_apostrophe_thousands_name_the_read_option(tmp_path, capsys):
    from linmod.cli.main import main

    clean = _numbers(scale=3000.0, decimals=1)
    path = tmp_path / "swiss.csv"
    clean.assign(v=[f"{v:,.1f}".replace(",", "'") for v in clean["v"]]).to_csv(path, index=False)
    with pytest.raises(InputError, match=r"apostrophes between thousands .*thousands=\"'\"$"):
        linmod.ols("y ~ x1 + v", data=pd.read_csv(path))
    assert main(["fit", str(path), "-f", "y ~ x1 + v"]) == 1
    assert 'read the file with --thousands "\'"' in capsys.readouterr().err
    assert main(["fit", str(path), "-f", "y ~ x1 + v", "--thousands", "'", "--json"]) == 0
    capsys.readouterr()
    read = pd.read_csv(path, thousands="'")
    assert_array_equal(read["v"].to_numpy(), clean["v"].to_numpy())


def test_a_text_response_of_amounts_is_named():
    frame, _ = _written(NOTATIONS[0])
    with pytest.raises(InputError, match=r"^column 'v' holds numbers written with the currency"):
        linmod.ols("v ~ x1", data=frame)


def test_the_plain_notations_keep_their_messages():
    assert notation_problem("price", ["43,609", "1,200", "980"]) == (
        "numbers",
        "column 'price' holds numbers written with thousands separators (e.g. '43,609'), "
        "read as text: read the file with thousands=','",
    )
    assert notation_problem("rate", ["0,05", "1,15", "2"]) == (
        "numbers",
        "column 'rate' holds numbers written with a decimal comma (e.g. '0,05'), read as "
        "text: read the file with decimal=','",
    )


@pytest.mark.parametrize(
    "levels",
    [
        ["1.5", "2", "-3.25"],  # plain numbers stored as text
        ["A-100", "B-200", "C-300"],  # codes
        ["2020-01-02", "2021-03-04", "2022-05-06"],  # dates
        ["1.2.3", "2.0.1", "3.1.4"],  # versions
        ["12:30", "13:45", "09:00"],  # times
        ["North", "South", "East"],  # words
        ["10-20", "20-30", "30-40"],  # ranges
        ["1.5k", "2k", "3k"],  # suffixes linmod does not read
    ],
)
def test_labels_are_not_taken_for_numbers(levels):
    assert notation_problem("g", levels) is None


def test_plain_columns_fit_as_before():
    frame = _numbers()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = linmod.ols("y ~ .", data=frame)
    reference = smf.ols("y ~ x1 + x2 + v", data=frame).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def _some_in_parentheses(path=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Plain numbers, but for the negative ones in rows 0, 10, 20, ... written "(1.23)"."""
    clean = _numbers()
    written = [
        f"({abs(v):.2f})" if v < 0 and i % 10 == 0 else f"{v:.2f}" for i, v in enumerate(clean["v"])
    ]
    frame = clean.assign(v=written)
    if path is not None:
        frame.to_csv(path, index=False)
    return frame, clean


def test_a_few_accounting_negatives_among_plain_numbers_are_named(tmp_path):
    path = tmp_path / "paren.csv"
    frame, clean = _some_in_parentheses(path)
    assert frame["v"].str.startswith("(").mean() < 0.2  # the stray-word rule's case
    message = r"^column 'v' holds numbers written with parentheses for negative numbers"
    with pytest.raises(InputError, match=message) as caught:
        linmod.ols("y ~ x1 + x2 + v", data=frame)
    with pytest.raises(InputError, match=message):  # streamed: the same message
        linmod.ols("y ~ x1 + x2 + v", data=str(path), chunksize=50)
    with pytest.raises(InputError, match=message):  # estimators need numbers too
        linmod.LinearRegression().fit(frame[["x1", "x2", "v"]], frame["y"])
    df = frame.copy()
    exec(_suggested_line(str(caught.value)), {"pd": pd, "df": df})
    assert_array_equal(df["v"].to_numpy(dtype=float), clean["v"].to_numpy())


def test_streamed_amounts_are_refused_by_name(tmp_path):
    frame, _ = _written(NOTATIONS[0])
    path = tmp_path / "money.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"^column 'v' holds numbers written with the currency"):
        linmod.ols("y ~ x1 + v", data=str(path), chunksize=50)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("−1.3", ("1.3", "\u2212", False, "", False, "")),
        ("+$12", ("12", None, False, "$", False, "")),
        ("€ 12 %", ("12", None, False, "€", True, "")),
        ("(1.23)", ("1.23", None, True, "", False, "")),
        ("$\u00a012\u202f%", ("12", None, False, "$", True, "\u00a0\u202f")),
        ("12-", None),  # a sign after the number
        ("%12", None),  # a percent sign before it
        ("12%%", None),  # two percent signs
        ("+-12", None),  # two signs
        ("(-12)", None),  # parentheses and a sign
        ("12 kg", None),  # a word
    ],
)
def test_the_symbols_on_both_sides_of_a_numeral(text, expected):
    # The symbols before and after a numeral are read by one helper (the rules of the
    # two sides differ only in where signs and the percent sign may stand).
    from linmod.data.number_notation import _read

    reading = _read(text)
    if expected is None:
        assert reading is None
    else:
        assert reading is not None
        got = (
            reading.numeral,
            reading.minus,
            reading.parentheses,
            reading.currency,
            reading.percent,
            reading.spaces,
        )
        assert got == expected
