"""Identifier-like columns, high-cardinality text, numbers in another notation, the design's
size and case-variant levels: decided from cheap column statistics before any design is
built (issue 13)."""

from __future__ import annotations

import io
import re
import string
import time

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.data.column_screening import MAX_LEVELS, level_bound
from linmod.data.design_size import DEFAULT_DESIGN_BYTES, design_memory_limit
from linmod.data.formula import design_from_formula, expand_dot
from linmod.exceptions import InputError, LinmodWarning

from ..conftest import DATA_DIR


def _words(n: int, rng: np.random.Generator) -> list[str]:
    letters = np.array(list(string.ascii_lowercase))
    return ["".join(rng.choice(letters, 8)) for _ in range(n)]


def _frame(n: int = 200, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({"y": 1.0 + 2.0 * x + rng.normal(size=n), "x": x})


# ------------------------------------------------------------------- identifiers
def test_mtcars_dot_leaves_the_car_names_out_with_a_warning():
    mtcars = pd.read_csv(DATA_DIR / "mtcars.csv")
    with pytest.warns(LinmodWarning, match=r"'model' looks like an identifier.*C\(model\)"):
        design = design_from_formula("mpg ~ .", mtcars)
    assert design.column_names == (
        "Intercept", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am", "gear", "carb"
    )  # fmt: skip
    assert "model" not in design.formula


def test_identifier_named_as_a_plain_term_is_refused_and_c_accepts_it():
    mtcars = pd.read_csv(DATA_DIR / "mtcars.csv")
    with pytest.raises(InputError, match=r"column 'model' looks like an identifier.*C\(model\)"):
        design_from_formula("mpg ~ model + wt", mtcars)
    design = design_from_formula("mpg ~ C(model)", mtcars)
    assert design.x.shape == (32, 32)  # the intercept and 31 treatment dummies


def test_integer_row_id_is_left_out_of_dot_but_ordinary_integers_are_kept():
    frame = _frame(100)
    frame["id"] = np.arange(1, 101)[::-1]  # 1..n in some order
    frame["t"] = np.arange(1, 101)  # a time trend: a legitimate regressor
    frame["count"] = np.random.default_rng(1).permutation(100)  # distinct, not ID-named
    warned = r"'id' looks like a row identifier \(the integers 1\.\.100.*'\+ I\(id\)'"
    with pytest.warns(LinmodWarning, match=warned):
        assert expand_dot("y ~ .", frame.columns, frame) == "y ~ (x + t + count)"
    with pytest.raises(InputError, match=r"'id' looks like a row identifier.*I\(id\)"):
        design_from_formula("y ~ x + id", frame)
    design = design_from_formula("y ~ x + I(id)", frame)
    assert design.x.shape == (100, 3)


def test_an_id_named_integer_column_that_is_not_a_row_number_is_kept():
    frame = _frame(100)
    frame["store_id"] = np.repeat(np.arange(10), 10)  # repeated: a grouping, not a row id
    frame["row"] = np.arange(1, 101) * 7  # distinct but not 1..n
    assert expand_dot("y ~ .", frame.columns, frame) == "y ~ (x + store_id + row)"


# ----------------------------------------------------------------- many levels
@pytest.mark.parametrize(("n_levels", "refused"), [(MAX_LEVELS, False), (MAX_LEVELS + 1, True)])
def test_the_level_bound_is_fifty(n_levels, refused):
    frame = _frame(400)
    frame["g"] = [f"level{i % n_levels}" for i in range(400)]
    if refused:
        message = rf"'g' is text with {n_levels} distinct values.*C\(g\)"
        with pytest.raises(InputError, match=message):
            design_from_formula("y ~ x + g", frame)
    else:
        assert design_from_formula("y ~ x + g", frame).x.shape == (400, 1 + 1 + n_levels - 1)


def test_the_level_bound_is_half_the_rows_on_small_data():
    assert level_bound(30) == 15
    assert level_bound(1000) == MAX_LEVELS
    assert level_bound(3) == 2
    frame = _frame(30)
    frame["g"] = [f"g{i % 16}" for i in range(30)]  # 16 levels > 30 / 2
    with pytest.raises(InputError, match=r"'g' is text with 16 distinct values, more than the 15"):
        design_from_formula("y ~ g", frame)
    assert design_from_formula("y ~ C(g)", frame).x.shape == (30, 16)
    with pytest.warns(LinmodWarning, match=r"'g' is text with 16 distinct.*C\(g\)"):
        assert expand_dot("y ~ .", frame.columns, frame) == "y ~ (x)"


def test_dates_as_text_are_refused_with_their_own_message():
    rng = np.random.default_rng(2)
    frame = _frame(3000)
    days = pd.date_range("2020-01-01", periods=1500).strftime("%Y-%m-%d").to_numpy()
    frame["day"] = rng.choice(days, 3000)
    with pytest.raises(InputError, match=r"'day' holds dates as text.*days since the first"):
        design_from_formula("y ~ x + day", frame)


# --------------------------------------------------- numbers in another notation
def test_numbers_with_thousands_separators_suggest_the_read_option():
    frame = _frame(20)
    frame["income"] = [f"{v:,}" for v in range(40_000, 40_000 + 997 * 20, 997)]
    assert frame["income"].iloc[1] == "40,997"
    # in Python's words (the command line rewrites it as --thousands ,: tests/cli)
    message = r"'income' holds numbers written with thousands separators.*thousands=','$"
    with pytest.raises(InputError, match=message):
        design_from_formula("y ~ income", frame)
    with pytest.raises(InputError, match=message):  # even through '.'
        expand_dot("y ~ .", frame.columns, frame)


def test_numbers_with_a_decimal_comma_suggest_the_read_option():
    frame = _frame(20)
    frame["rate"] = [f"{i},{i % 7}5" for i in range(20)]
    message = r"'rate' holds numbers written with a decimal comma.*decimal=','$"
    with pytest.raises(InputError, match=message):
        design_from_formula("y ~ rate", frame)


def test_a_stray_word_keeps_its_own_message():
    frame = _frame(100)
    frame["z"] = [str(v) for v in range(99)] + ["unknown"]
    with pytest.raises(InputError, match=r"'z' holds text where numbers are expected.*'unknown'"):
        design_from_formula("y ~ z", frame)


def _age_with_codes(n: int, share_unknown: float, seed: int = 3) -> pd.DataFrame:
    """Ages 1-80 written as text with 'unknown' (and '?') for a missing age."""
    rng = np.random.default_rng(seed)
    frame = _frame(n, seed)
    ages = rng.integers(1, 81, n).astype(str).astype(object)
    unknown = rng.random(n) < share_unknown
    ages[unknown] = "unknown"
    ages[np.flatnonzero(unknown)[:3]] = "?"
    frame["age"] = ages
    return frame


def test_numbers_with_a_word_for_missing_suggest_na_values():
    frame = _age_with_codes(400, share_unknown=0.5)  # too many words for the stray-word rule
    message = (
        r"^column 'age' holds numbers and '\?', 'unknown', so it was read as text "
        r"\(\d+ distinct values\): if '\?', 'unknown' marks a missing value, read the file "
        r"with na_values=\['\?', 'unknown'\]; to fit one coefficient per value, write C\(age\)$"
    )
    with pytest.raises(InputError, match=message):
        design_from_formula("y ~ x + age", frame)
    with pytest.raises(InputError, match=message):  # refused through '.', not left out
        expand_dot("y ~ .", frame.columns, frame)
    read_again = frame.replace({"age": {"unknown": np.nan, "?": np.nan}})
    read_again["age"] = pd.to_numeric(read_again["age"])
    res = linmod.ols("y ~ x + age", data=read_again, missing="drop")  # the fix works
    assert res.coef.index.tolist() == ["Intercept", "x", "age"]


def test_a_factor_of_numbers_with_words_is_only_refused_past_the_level_bound():
    frame = _age_with_codes(400, share_unknown=0.5)
    frame["age"] = frame["age"].where(~frame["age"].str.isdigit(), (frame["age"] + "0").str[:1])
    assert frame["age"].nunique() <= 12  # digits 1-9, 'unknown', '?': a small factor
    res = linmod.ols("y ~ x + age", data=frame)  # as R's read.csv + lm would fit it
    assert any(name.startswith("age[T.") for name in res.coef.index)


def test_text_with_many_words_is_not_taken_for_numbers_with_codes():
    rng = np.random.default_rng(4)
    frame = _frame(400)
    frame["g"] = [str(v) for v in rng.integers(0, 60, 400)]
    frame.loc[::2, "g"] = _words(200, rng)  # half the values are distinct words: text
    with pytest.raises(InputError, match=r"'g' is text with \d+ distinct values, more than"):
        design_from_formula("y ~ g", frame)


# ------------------------------------------------------------------ design size
def test_design_size_is_refused_before_building_naming_the_term(monkeypatch):
    # 1000 rows; C(a):C(b) implies 30 * 40 = 1200 columns, C(a) 30, C(b) 40, the
    # intercept 1: 1271 columns, 1000 * 1271 * 8 = 10,168,000 bytes.
    rng = np.random.default_rng(3)
    frame = _frame(1000)
    frame["a"] = rng.integers(0, 30, 1000)
    frame["b"] = rng.integers(0, 40, 1000)
    formula = "y ~ C(a) + C(b) + C(a):C(b)"
    monkeypatch.setenv("LINMOD_MAX_DESIGN_BYTES", "10167999")
    message = (
        r"1000 rows x 1271 columns.*'C\(a\):C\(b\)' alone implies 1200 columns "
        r"\(one per level of a, b\)"
    )
    with pytest.raises(InputError, match=message):
        design_from_formula(formula, frame)
    monkeypatch.setenv("LINMOD_MAX_DESIGN_BYTES", "10168000")
    assert design_from_formula(formula, frame).x.shape[0] == 1000


def test_design_bound_default_and_bad_settings(monkeypatch):
    monkeypatch.delenv("LINMOD_MAX_DESIGN_BYTES", raising=False)
    assert design_memory_limit() == DEFAULT_DESIGN_BYTES == 2 * 1024**3
    monkeypatch.setenv("LINMOD_MAX_DESIGN_BYTES", "4e9")
    assert design_memory_limit() == 4_000_000_000
    for bad in ("lots", "-1"):
        monkeypatch.setenv("LINMOD_MAX_DESIGN_BYTES", bad)
        with pytest.raises(InputError, match="LINMOD_MAX_DESIGN_BYTES"):
            design_memory_limit()


def test_huge_factor_by_c_is_refused_fast_by_the_size_bound():
    # 200,000 rows of a 100,000-level factor would be 160 GB: refused in well under a second.
    n = 200_000
    frame = pd.DataFrame({"y": np.zeros(n), "g": np.arange(n) // 2})
    start = time.perf_counter()
    message = r"'C\(g\)' alone implies 100000 columns \(one per level of g\)"
    with pytest.raises(InputError, match=message):
        design_from_formula("y ~ C(g)", frame)
    assert time.perf_counter() - start < 5.0


# ---------------------------------------------------------------- case variants
def test_levels_differing_only_in_case_or_spaces_are_warned_about():
    frame = _frame(60)
    frame["region"] = ["North", "north", " north", "South"] * 15
    warned = r"'region' has levels that differ only in case.*' north' / 'North' / 'north'"
    with pytest.warns(LinmodWarning, match=warned):
        design = design_from_formula("y ~ x + region", frame)
    assert design.x.shape == (60, 5)  # they stay separate levels, as R keeps them


def test_streamed_fit_screens_levels_over_the_whole_file(tmp_path):
    rng = np.random.default_rng(4)
    n = 3000
    frame = _frame(n)
    frame["name"] = _words(n, rng)
    frame["region"] = rng.choice(["East", "east ", "West"], n)
    path = tmp_path / "stream.csv"
    frame.to_csv(path, index=False)
    message = r"'name' looks like an identifier \(3000 distinct values in 3000 rows\)"
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x + name", data=str(path), chunksize=500)
    warned = r"'region' has levels that differ only in case.*'East' / 'east '"
    with pytest.warns(LinmodWarning, match=warned):
        res = linmod.ols("y ~ x + region", data=str(path), chunksize=500)
    assert len(res.coef) == 4


def test_a_column_removed_from_dot_is_not_warned_about():
    mtcars = pd.read_csv(DATA_DIR / "mtcars.csv")
    design = design_from_formula("mpg ~ . - model", mtcars)  # warnings are errors here
    assert "model" not in " ".join(design.column_names)
    frame = _frame(30)
    frame["car name"] = [f"car {i}" for i in range(30)]
    expanded = expand_dot("y ~ . - `car name`", frame.columns, frame)
    assert expanded == "y ~ (x + `car name`) - `car name`"


def test_cross_validation_folds_keep_the_screened_formula():
    # A stateful transform rebuilds the design on each fold's training rows: from the
    # expanded formula, without screening again (a fold's fewer rows would move the
    # bounds), so the identifier is warned about once and stays out of every fold.
    import warnings

    from linmod.model_selection.comparison import cross_validate_models

    frame = _frame(100)
    frame["name"] = _words(100, np.random.default_rng(5))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = cross_validate_models("y ~ scale(x) + .", frame, folds=4, models=("ols",))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1
    assert messages[0].startswith("column 'name' looks like an identifier")
    assert np.isfinite(table.to_frame()["rmse_mean"].to_numpy()).all()


def test_a_text_response_is_refused_before_it_is_encoded():
    frame = _frame(50_000)
    frame["price"] = [f"{v:,}" for v in range(1000, 1000 + 50_000)]
    start = time.perf_counter()
    with pytest.raises(InputError, match=r"'price' holds numbers written with thousands"):
        design_from_formula("price ~ x", frame)
    assert time.perf_counter() - start < 5.0  # not a 50,000-column response matrix
    frame["label"] = [f"item {i % 7}" for i in range(50_000)]
    with pytest.raises(
        InputError,
        match=r"the response 'label' holds categories, not numbers \(7 values: 'item 0', 'item 1'",
    ):
        design_from_formula("label ~ x", frame)


def test_numbers_with_six_spreadsheet_codes_suggest_na_values_not_an_identifier():
    # Six codes for a missing value (a spreadsheet export's mix) made '.' call the column
    # "an identifier" and leave it out; it is numbers, and the read option is the fix.
    rng = np.random.default_rng(12)
    n = 300
    frame = _frame(n, 12)
    z = rng.normal(50, 10, n).round(3)
    codes = ["n/a", "-", "?", "—", "missing", "#N/A"]
    text = z.astype(str).astype(object)
    rows = rng.choice(n, 12, replace=False)
    text[rows] = codes * 2
    frame["z"] = text
    frame["y"] = frame["y"] + 0.3 * z
    listed = ", ".join(repr(c) for c in sorted(codes))
    with pytest.raises(InputError, match=re.escape(f"with na_values=[{listed}]")):
        expand_dot("y ~ .", frame.columns, frame)
    buffer = io.StringIO(frame.to_csv(index=False))
    read_again = pd.read_csv(buffer, na_values=codes, keep_default_na=False)
    res = linmod.ols("y ~ .", data=read_again, missing="drop")
    sm = pytest.importorskip("statsmodels.formula.api")
    ref = sm.ols("y ~ x + z", read_again.dropna()).fit()
    assert res.coef.index.tolist() == ["Intercept", "x", "z"]
    np.testing.assert_allclose(res.coef.to_numpy(), ref.params.to_numpy(), rtol=1e-10)


@pytest.mark.parametrize("layout", ["%d %b %Y", "%d-%b-%y", "%b %d, %Y", "%B %d %Y"])
def test_dates_with_month_names_are_dates_not_identifiers(layout):
    # '12 Mar 2026' (a spreadsheet's default) was called "an identifier"
    frame = _frame(300)
    frame["when"] = pd.date_range("2026-03-01", periods=300).strftime(layout)
    with pytest.warns(LinmodWarning, match=r"'when' holds dates as text \(300 distinct"):
        assert expand_dot("y ~ .", frame.columns, frame) == "y ~ (x)"
    with pytest.raises(InputError, match=r"'when' holds dates as text.*days since the first"):
        design_from_formula("y ~ x + when", frame)
    # the conversion the message asks for fits
    days = (pd.to_datetime(frame["when"], format=layout) - pd.Timestamp("2026-03-01")).dt.days
    assert days.tolist() == list(range(300))
