"""Formulas from model files that would exhaust time or memory are refused, fast."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest
from formulaic.parser.types import Term

import linmod
from linmod.cli.main import main
from linmod.data.formula_bounds import MAX_TERM_PRODUCTS
from linmod.data.safe_formula import check_formula_is_safe
from linmod.exceptions import InputError

COLUMNS = list("abcdefghijklmnopqrstuvwxz")


@pytest.fixture
def data():
    frame = pd.DataFrame({c: (np.arange(30.0) % (i + 3)) + i for i, c in enumerate(COLUMNS)})
    frame["s"] = ["p", "q", "r"] * 10
    frame["y"] = np.arange(30.0)
    return frame


@pytest.fixture
def model_file(tmp_path, data):
    """A saved fit whose formula a test replaces, as a hostile file would."""
    path = tmp_path / "m.json"
    linmod.ols("y ~ a + s", data=data).save(path)
    document = json.loads(path.read_text())
    document["spec"]["variables"] = sorted(set(data.columns) - {"y"})

    def write(formula):
        document["spec"]["formula"] = formula
        path.write_text(json.dumps(document))
        return path

    return write


@pytest.fixture
def products(monkeypatch):
    count = [0]
    multiply = Term.__mul__

    def counted(self, other):
        count[0] += 1
        return multiply(self, other)

    monkeypatch.setattr(Term, "__mul__", counted)
    return count


NESTED_SQUARES = "np.square(" * 12 + "9**64" + ")" * 12
HOSTILE = [
    # issue 12: > 60 s in load()
    ("y ~ (a+b+c+d+e+f+g+h)**8", "more than 20000 term products"),
    ("y ~ (a+b+c+d+e+f+g)**7", "more than 20000 term products"),
    # issue 12: > 60 s and 2.6 GB in load()
    ("y ~ " + "*".join("abcdefghijklmnopqrstuv"), "more than 20000 term products"),
    # issue 12: a multi-GB integer when predicting
    ("y ~ I((((9**64)**64)**64)**64)", r"beyond float64's range"),
    (f"y ~ {NESTED_SQUARES}", r"beyond float64's range"),
    ("y ~ " + "np.square(" * 12 + "a" + ")" * 12, "total degree above 64"),
    ("y ~ I(((a**8)**8)**2)", "total degree above 64"),
    ("y ~ np.power(np.power(a, 64), 64)", "total degree above 64"),
    ("y ~ np.power(a, 10**9)", "np.power whose exponent is not a number up to 64"),
    # issue 12: string repetition past the "no string arithmetic" rule
    ("y ~ I(I('a') * 2 * 10**9)", "the constant 'a' outside a level or contrast"),
    ("y ~ np.maximum('a', a)", "the constant 'a' outside"),
    ("y ~ I(s * 10**9)", "arithmetic on a text column"),
    ("y ~ I(Q('s') * 10**9)", "arithmetic on a text column"),
    ("y ~ I(C(s) * 10**9)", "arithmetic on a text column"),
    ("y ~ I(-s)", "arithmetic on a text column"),
    ("y ~ np.log(s)", r"a text column in np.log\(...\)"),
    ("y ~ I([1] * 10**9)", r"the expression '\[1\]'"),
    # issue 12: five chained poly factors, 3.2 million columns for 2 rows
    ("y ~ " + ":".join(f"poly({c}, 20, raw=True)" for c in "abcde"), "makes at least 3200001"),
    ("y ~ poly(a, 3, raw=True) + b", "makes at least 5 columns, but the file has 4"),
    ("y ~ poly(a, 21, raw=True)", "poly degree that is not a whole number from 1 to 20"),
    ("y ~ poly(a, 2)", "poly without raw=True"),
    ("y ~ poly(a, 2, raw=False)", "poly without raw=True"),
    ("y ~ C(np.round(a))", r"C\(...\) whose categories the model file does not hold"),
    ("y ~ I(" + "+".join(["a"] * 300) + ")", "nesting deeper than 50 levels"),
    ("y ~ I(" + "-" * 5000 + "a)", "nests deeper than Python can parse"),
    ("y ~ I(a * 1e999)", r"beyond float64's range"),
    ("y ~ I(a * " + "9" * 400 + ")", r"beyond float64's range"),
    ("y ~ " + " + ".join(["a"] * 3000), "longer than 10000"),
]


@pytest.mark.parametrize(("formula", "message"), HOSTILE)
def test_hostile_formulas_are_refused_at_load_before_any_expansion(
    model_file, formula, message, products
):
    path = model_file(formula)
    # CPU time, not wall clock: the bound is on this work, not on the machine's load.
    start = time.process_time()
    with pytest.raises(InputError, match=message):
        linmod.load(path)
    assert time.process_time() - start < 5.0
    assert products[0] <= MAX_TERM_PRODUCTS


@pytest.mark.parametrize(("formula", "message"), HOSTILE[:5])
def test_a_file_without_categories_is_bounded_too(model_file, formula, message, products):
    # Older files derive their categories from the formula's terms: bounded as well.
    path = model_file(formula)
    document = json.loads(path.read_text())
    del document["spec"]["categories"]
    path.write_text(json.dumps(document))
    start = time.process_time()
    with pytest.raises(InputError, match=message):
        linmod.load(path)
    assert time.process_time() - start < 5.0
    assert products[0] <= MAX_TERM_PRODUCTS


@pytest.mark.parametrize(("formula", "message"), HOSTILE[:5] + HOSTILE[9:10] + HOSTILE[17:18])
def test_cli_predict_refuses_them_in_one_line(model_file, data, tmp_path, capsys, formula, message):
    csv = tmp_path / "new.csv"
    data.head(2).to_csv(csv, index=False)
    start = time.process_time()
    assert main(["predict", str(model_file(formula)), str(csv)]) == 1
    assert time.process_time() - start < 5.0
    err = capsys.readouterr().err
    assert "refused" in err
    assert "Traceback" not in err


def test_text_in_a_column_the_model_used_as_a_number_is_refused(model_file, data):
    model = linmod.load(model_file("y ~ I(b * 10**9) + s"))
    # b held numbers when fitting; a frame where it holds text cannot repeat it
    new = data.head(2).assign(b=["x", "y"])
    with pytest.raises(InputError, match=r"column 'b' holds .* used it as a number"):
        model.predict(new)


def test_a_formula_that_fails_on_the_new_data_is_a_clear_error(model_file, data):
    model = linmod.load(model_file("y ~ I(1 // 0) + a + s"))
    with pytest.raises(
        InputError, match=r"cannot be evaluated on the new data: .*ZeroDivisionError"
    ):
        model.predict(data.head(2))


@pytest.mark.parametrize(
    "formula",
    [
        "y ~ I(a**64)",
        "y ~ np.power(a, 3) + np.square(b)",
        "y ~ I((a**8)**8)",
        "y ~ poly(a, 20, raw=True)",
        "y ~ I(a * 1e300) + I(2**60 * 2**60 * b) + I(a * 9**64)",
        "y ~ C(s, contr.treatment('q')) + ordinal(s, ['p', 'q', 'r'])",
        "y ~ C(s, levels=['r', 'q', 'p']) + Q('a')",
        "y ~ a*b*c*d*e*f*g*h",
    ],
)
def test_ordinary_formulas_pass_the_bounds(formula):
    variables = [*COLUMNS, "s"]
    levels = {"s": ["p", "q", "r"]}
    categories = {
        "C(s, contr.treatment('q'))": ["p", "q", "r"],
        "C(s, levels=['r', 'q', 'p'])": ["r", "q", "p"],
    }
    check_formula_is_safe(formula, variables, levels=levels, categories=categories)


def test_save_and_load_agree_on_a_fit_at_the_bounds(tmp_path, data):
    res = linmod.ols("y ~ poly(a, 3, raw=True) + I(b**2) + C(s) + c:d", data=data)
    res.save(tmp_path / "m.json")
    loaded = linmod.load(tmp_path / "m.json").predict(data)["fit"]
    np.testing.assert_allclose(loaded, res.predict(data)["fit"], rtol=1e-12, atol=1e-9)


def test_poly_of_a_power_makes_as_many_columns_as_its_degree():
    # poly(I(e**2), 2) has total degree 4 but 2 columns: Intercept + 2 columns fit in 3.
    check_formula_is_safe("y ~ poly(I(e**2), 2, raw=True)", ["e"], columns=3)
    with pytest.raises(InputError, match="makes at least 3 columns, but the file has 2"):
        check_formula_is_safe("y ~ poly(I(e**2), 2, raw=True)", ["e"], columns=2)
