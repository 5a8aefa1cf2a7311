"""Plain formulas encoded without formulaic give formulaic's design, names and terms.

Every design here is built twice: by the plain-formula path and by formulaic (the plain
parser switched off), and every part of the two is compared exactly.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

from linmod.data import formula as formula_module
from linmod.data.formula import design_from_formula
from linmod.data.simple_formula import SimpleModelSpec, parse_simple, simple_matrices
from linmod.exceptions import InputError


def _frame(n: int = 40, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "y": rng.standard_normal(n) * 3.0 + 10.0,
            "a": rng.standard_normal(n),
            "b": rng.integers(0, 100, n),  # integers: floats to formulas
            "k": rng.choice([4, 6, 8], n),  # integer factor levels
            "g": rng.choice(["north", "south", "east"], n),  # text levels
            "h": rng.choice([0.5, 1.5, 2.5, 10.0], n),  # float levels
            "name_2": rng.standard_normal(n),
        }
    )


def _formulaic_design(formula: str, frame, monkeypatch, **kwargs):
    with monkeypatch.context() as patch:
        patch.setattr(formula_module, "parse_simple", lambda text: None)
        return design_from_formula(formula, frame, **kwargs)


def _assert_same_design(fast, slow) -> None:
    np.testing.assert_array_equal(fast.x, slow.x, strict=True)
    np.testing.assert_array_equal(fast.y, slow.y, strict=True)
    assert fast.column_names == slow.column_names
    assert fast.terms == slow.terms
    assert fast.response_name == slow.response_name
    assert fast.intercept == slow.intercept
    assert fast.formula == slow.formula
    assert fast.x_lo is None
    assert slow.x_lo is None
    assert fast.row_labels.equals(slow.row_labels)
    assert fast.dropped_labels.equals(slow.dropped_labels)
    assert fast.spec.variables == slow.spec.variables
    assert fast.spec.levels == slow.spec.levels


PLAIN = [
    "y ~ a",
    "y ~ a + b",
    "y ~ a + b + name_2",
    "y ~ `a` + b",
    "y ~ C(k)",
    "y ~ a + C(g)",
    "y ~ a + g",  # a text column: a factor, named g[T.level]
    "y ~ g + C(k) + h",
    "y ~ C(g) + a + C(k) + C(h)",
    "y ~ 0 + a + b",
    "y ~ a + b - 1",
    "y ~ -1 + a",
    "y ~ a + 0",
    "y ~ 1",
    "y ~ a + 1 + b",
    "y ~ b + a + b",
    "y ~ a + b - a",
    "y ~ (a + b + C(g)) - b",
    "y ~ name_2 - (a + b)",
    "y~a+C(k)",
    "  y ~   a  +  b  ",
]


@pytest.mark.parametrize("formula", PLAIN)
def test_plain_formulas_give_formulaics_design(formula, monkeypatch):
    frame = _frame()
    assert parse_simple(formula) is not None
    fast = design_from_formula(formula, frame)
    assert isinstance(fast.spec.model_spec, SimpleModelSpec)
    slow = _formulaic_design(formula, frame, monkeypatch)
    assert not isinstance(slow.spec.model_spec, SimpleModelSpec)
    _assert_same_design(fast, slow)


@pytest.mark.parametrize("formula", ["y ~ .", "y ~ . - b", "y ~ . - C(g)"])
def test_dot_formulas_give_formulaics_design(formula, monkeypatch):
    frame = _frame()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the same screening warnings either way
        fast = design_from_formula(formula, frame)
        slow = _formulaic_design(formula, frame, monkeypatch)
    _assert_same_design(fast, slow)


def test_missing_rows_dropped_the_same_way(monkeypatch):
    frame = _frame()
    frame.loc[[3, 17], "a"] = np.nan
    frame.loc[5, "g"] = None
    frame.loc[9, "k"] = 6  # still an integer column
    for formula in ["y ~ a + C(g)", "y ~ C(g) + C(k) + b"]:
        fast = design_from_formula(formula, frame, missing="drop")
        slow = _formulaic_design(formula, frame, monkeypatch, missing="drop")
        _assert_same_design(fast, slow)
        assert fast.n_dropped == slow.n_dropped > 0


def test_new_rows_pickling_and_saved_state_match_formulaic(monkeypatch):
    frame = _frame()
    new = _frame(n=12, seed=9)
    new.loc[2, "a"] = np.nan
    new = new[new["g"] != "east"]  # fewer levels than when fitting: same columns
    formula = "y ~ a + C(g) + C(k) + C(h) + b"
    fast = design_from_formula(formula, frame)
    slow = _formulaic_design(formula, frame, monkeypatch)
    for got, want in zip(fast.spec.new_rows(new), slow.spec.new_rows(new), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    again = pickle.loads(pickle.dumps(fast.spec))
    np.testing.assert_array_equal(again.new_rows(new)[0], slow.spec.new_rows(new)[0])
    assert fast.spec.model_spec.encoder_state == slow.spec.model_spec.encoder_state
    assert fast.spec.model_spec.column_names == slow.spec.model_spec.column_names


NOT_PLAIN = [
    "y ~ a * b",
    "y ~ a:b",
    "y ~ log(a)",
    "y ~ I(a**2)",
    "y ~ C(g, contr.sum)",
    "y ~ a + -b",
    "y ~ (a + 1)",
    "y ~ a + 2",
    "y ~ a - 0",
    "y ~ a + (b - a)",
    "log(y) ~ a",
    "y ~ a + np.log(b)",
    "y ~ a + ",
    "y ~ (a + b",
    "y ~ a + `my col`",
    "y ~ a + None",
    "y ~ a ~ b",
    "y + a ~ b",
    "C(y) ~ a",
]


@pytest.mark.parametrize("formula", NOT_PLAIN)
def test_other_formulas_are_left_to_formulaic(formula):
    assert parse_simple(formula) is None


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("flag", [True, False] * 20),  # numpy bools: formulaic's own 0/1 and names
        ("cat", pd.Categorical(["x", "y"] * 20, categories=["y", "x"])),  # own level order
        ("mixed", ["x", 1] * 20),  # text and a number: not plain levels
    ],
)
def test_columns_of_other_kinds_are_encoded_by_formulaic(column, values, monkeypatch):
    frame = _frame().assign(**{column: values})
    for formula in (f"y ~ a + {column}", f"y ~ a + C({column})"):
        parsed = parse_simple(formula)
        assert parsed is not None
        prepared = formula_module.formula_frame(frame, parsed)
        assert simple_matrices(parsed, prepared) is None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fast = design_from_formula(formula, frame)
            slow = _formulaic_design(formula, frame, monkeypatch)
        assert not isinstance(fast.spec.model_spec, SimpleModelSpec)
        _assert_same_design(fast, slow)


@pytest.mark.parametrize("formula", ["y ~ 0 + C(g) + a", "y ~ g - 1"])
def test_factor_without_intercept_is_left_to_formulaic(formula, monkeypatch):
    frame = _frame()
    parsed = parse_simple(formula)
    assert simple_matrices(parsed, formula_module.formula_frame(frame, parsed)) is None
    fast = design_from_formula(formula, frame)
    assert fast.column_names[0].endswith("[east]")  # every level: full rank
    _assert_same_design(fast, _formulaic_design(formula, frame, monkeypatch))


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("y ~ a + nope", "formula variable 'nope' is not a column"),
        ("y ~ 0", "has nothing on its right-hand side"),
        ("y ~ -1", "has nothing on its right-hand side"),
        ("y ~ g", "looks like an identifier"),
    ],
)
def test_errors_are_formulaics_errors(formula, message, monkeypatch):
    frame = _frame().assign(g=[f"w{i}" for i in range(40)])  # "y ~ g": an identifier column
    with pytest.raises(InputError) as fast:
        design_from_formula(formula, frame)
    with pytest.raises(InputError) as slow:
        _formulaic_design(formula, frame, monkeypatch)
    assert type(fast.value) is type(slow.value)
    assert str(fast.value) == str(slow.value)
    assert message in str(fast.value)
