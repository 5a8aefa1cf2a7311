"""Column dtypes in formulas: integers never wrap, nullable/decimal/Arrow columns are numbers,
pandas strings are text, dates and durations are refused, the response is not a predictor."""

from __future__ import annotations

import decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.data.column_types import category_only_variables, formula_columns
from linmod.exceptions import InputError

from ..exact import exact_least_squares

# --- integer columns: exact references ------------------------------------------------


@pytest.fixture(scope="module")
def big_integers() -> pd.DataFrame:
    # x around 4e11: x**2 is about 1.6e23, far past int64's 9.2e18 (it wrapped around).
    rng = np.random.default_rng(12)
    k = np.arange(40)
    x = (400_000_000_000 + 1_000_000_000 * k).astype(np.int64)
    y = 1.29 + 3e-24 * x.astype(float) ** 2 + np.round(rng.normal(0, 0.01, k.size), 6)
    return pd.DataFrame({"x": x, "y": y})


def _reference(frame: pd.DataFrame, powers: list[int]) -> list[float]:
    xs = [Fraction(int(v)) for v in frame["x"]]
    columns = [[xv**k for xv in xs] for k in powers]
    rows = zip(*columns, strict=True)
    return [float(c) for c in exact_least_squares(rows, [Fraction(v) for v in frame["y"]])]


SQUARES = ["I(x**2)", "np.power(x, 2)", "np.square(x)", "I(x*x)"]


@pytest.mark.parametrize("term", SQUARES)
def test_squares_of_big_integers_do_not_wrap(big_integers, term):
    exact = _reference(big_integers, [0, 2])
    fit = linmod.ols(f"y ~ {term}", data=big_integers)
    assert_allclose(fit.coef.to_numpy(), exact, rtol=1e-12)
    assert_allclose(fit.coef.iloc[0], 1.29, atol=0.05)  # it was -165 when x**2 wrapped
    new = big_integers.iloc[[0, 17, 39]]
    expected = exact[0] + exact[1] * new["x"].astype(float).to_numpy() ** 2
    assert_allclose(fit.predict(new)["fit"].to_numpy(), expected, rtol=1e-13)


def test_raw_polynomial_of_big_integers_is_exact(big_integers):
    exact = _reference(big_integers, [0, 1, 2])
    fit = linmod.ols("y ~ poly(x, 2, raw=True)", data=big_integers)
    # [1, x, x²] on x in [4.00e11, 4.39e11] has a condition number near 1e9
    assert_allclose(fit.coef.to_numpy(), exact, rtol=1e-7)
    x = big_integers["x"].astype(float).to_numpy()
    assert_allclose(fit.fitted.to_numpy(), exact[0] + exact[1] * x + exact[2] * x**2, rtol=1e-12)
    assert_allclose(
        fit.predict(big_integers.iloc[:3])["fit"].to_numpy(), fit.fitted.to_numpy()[:3], rtol=1e-13
    )


@pytest.mark.parametrize("term", [*SQUARES, "poly(x, 2, raw=True)"])
def test_streamed_and_saved_fits_evaluate_big_integers_alike(big_integers, term, tmp_path):
    powers = [0, 1, 2] if term.startswith("poly") else [0, 2]
    exact = _reference(big_integers, powers)
    path = tmp_path / "big.csv"
    big_integers.to_csv(path, index=False)
    parquet = tmp_path / "big.parquet"
    big_integers.to_parquet(parquet)  # int64 in the file
    tolerance = 1e-7 if term.startswith("poly") else 1e-12
    for data in (path, parquet, [big_integers.iloc[:15], big_integers.iloc[15:]]):
        streamed = linmod.ols(f"y ~ {term}", data=data, chunksize=7)
        assert_allclose(streamed.coef.to_numpy(), exact, rtol=tolerance)
    memory = linmod.ols(f"y ~ {term}", data=big_integers)
    new = big_integers.iloc[[2, 30]]
    expected = memory.predict(new)["fit"].to_numpy()
    assert_allclose(streamed.predict(new)["fit"].to_numpy(), expected, rtol=1e-9)
    memory.save(tmp_path / "model.json")
    loaded = linmod.load(tmp_path / "model.json")
    assert_allclose(loaded.predict(new)["fit"].to_numpy(), expected, rtol=1e-12)


def test_dask_fits_do_not_wrap(big_integers):
    dd = pytest.importorskip("dask.dataframe")
    fit = linmod.ols("y ~ I(x**2)", data=dd.from_pandas(big_integers, npartitions=3))
    assert_allclose(fit.coef.to_numpy(), _reference(big_integers, [0, 2]), rtol=1e-12)


@pytest.mark.parametrize(
    "convert",
    [
        lambda f: pl.from_pandas(f),
        lambda f: f.astype({"x": "Int64"}),
        lambda f: f.astype({"x": "uint64"}),
        lambda f: f.astype({"x": "int64[pyarrow]"}),
    ],
    ids=["polars", "Int64", "uint64", "arrow"],
)
def test_other_integer_types_do_not_wrap(big_integers, convert):
    exact = _reference(big_integers, [0, 2])
    fit = linmod.ols("y ~ I(x**2)", data=convert(big_integers))
    assert_allclose(fit.coef.to_numpy(), exact, rtol=1e-12)


def test_missing_values_of_a_nullable_integer_square_are_dropped(big_integers):
    data = big_integers.astype({"x": "Int64"})
    data.loc[5, "x"] = pd.NA
    fit = linmod.ols("y ~ I(x**2)", data=data, missing="drop")
    complete = big_integers.drop(index=5)
    assert fit.n_obs == 39
    assert_allclose(fit.coef.to_numpy(), _reference(complete, [0, 2]), rtol=1e-12)


def test_integer_categories_keep_their_labels():
    data = pd.DataFrame({"g": [2020, 2021, 2022] * 4, "y": np.arange(12.0) ** 1.5})
    fit = linmod.ols("y ~ C(g)", data=data)
    assert list(fit.coef.index) == ["Intercept", "C(g)[T.2021]", "C(g)[T.2022]"]
    ranks = linmod.ols("y ~ ordinal(g, [2020, 2021, 2022])", data=data)
    reference = smf.ols("y ~ r", data=data.assign(r=data.g - 2019.0)).fit()
    assert_allclose(ranks.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-12)


def test_a_variable_used_as_a_category_and_a_number_is_a_number():
    formula = linmod.ols("y ~ C(g) + x", data=_numbers_frame()).design.spec.model_spec
    assert category_only_variables(formula) == {"g"}
    from formulaic import Formula

    assert category_only_variables(Formula("y ~ C(g) + I(g**2)")) == set()
    assert category_only_variables(Formula("y ~ C(`a b`) + `c d`")) == {"a b"}


# --- nullable, decimal, Arrow and polars columns -----------------------------------


def _numbers_frame() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    n = 40
    x = np.round(rng.normal(size=n), 3)
    return pd.DataFrame(
        {
            "x": x,
            "g": np.array([1, 2]).repeat(20),
            "flag": np.array([True, False] * 20),
            "y": 1 + 2 * x + rng.normal(size=n),
        }
    )


def _check_like_floats(data, reference: pd.DataFrame, formula: str = "y ~ x") -> None:
    fit = linmod.ols(formula, data=data, missing="drop")
    expected = smf.ols(formula, data=reference).fit()  # drops the NaN rows
    assert list(fit.coef.index) == list(expected.params.index)
    assert_allclose(fit.coef.to_numpy(), expected.params.to_numpy(), rtol=1e-12)
    predicted = fit.predict(data.head(3))["fit"].to_numpy()  # complete rows
    assert_allclose(predicted, expected.predict(reference.head(3)), rtol=1e-12)


def test_decimal_columns_are_numbers():
    base = _numbers_frame()
    data = base.assign(x=[decimal.Decimal(str(v)) for v in base.x])
    assert data.x.dtype == object
    _check_like_floats(data, base)


def test_parquet_decimal_round_trip_is_numeric(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    base = _numbers_frame()
    table = pa.table(
        {
            "x": pa.array([decimal.Decimal(str(v)) for v in base.x], type=pa.decimal128(10, 3)),
            "y": base.y,
        }
    )
    path = tmp_path / "decimals.parquet"
    pq.write_table(table, path)
    data = pd.read_parquet(path)
    fit = linmod.ols("y ~ x", data=data)
    assert list(fit.coef.index) == ["Intercept", "x"]  # not 35 dummies
    _check_like_floats(data, base)
    _check_like_floats(pd.read_parquet(path, dtype_backend="pyarrow"), base)
    streamed = linmod.ols("y ~ x", data=path, chunksize=9)
    assert_allclose(streamed.coef.to_numpy(), fit.coef.to_numpy(), rtol=1e-12)
    assert_allclose(
        streamed.predict(data.head(3))["fit"].to_numpy(),
        fit.predict(data.head(3))["fit"].to_numpy(),
        rtol=1e-12,
    )


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "int32[pyarrow]", "float32"])
def test_nullable_and_arrow_numbers_with_missing_values(dtype):
    base = _numbers_frame().assign(x=lambda f: f.x * 1000)
    data = base.astype({"x": dtype})
    data.loc[[4, 9], "x"] = pd.NA if dtype != "float32" else np.nan
    reference = base.assign(x=data.x.astype("float64"))
    with pytest.raises(InputError, match=r"column 'x' has 2 missing values in rows 5, 10"):
        linmod.ols("y ~ x", data=data)
    _check_like_floats(data, reference)


@pytest.mark.parametrize("dtype", ["boolean", "bool[pyarrow]", "object"])
def test_booleans_with_missing_values_are_zero_one(dtype):
    base = _numbers_frame()
    data = base.astype({"flag": dtype})
    data.loc[3, "flag"] = None
    reference = base.assign(flag=base.flag.astype(float))
    reference.loc[3, "flag"] = np.nan
    _check_like_floats(data, reference, "y ~ x + flag")
    plain = linmod.ols("y ~ x + flag", data=base)  # numpy bools: 0/1 as well
    assert list(plain.coef.index) == ["Intercept", "x", "flag"]


def test_polars_columns():
    base = _numbers_frame()
    data = pl.DataFrame(
        {
            "x": pl.Series([decimal.Decimal(str(v)) for v in base.x]),
            "g": pl.Series(base.g.to_numpy(), dtype=pl.UInt64),
            "flag": pl.Series([*base.flag.iloc[:-1], None], dtype=pl.Boolean),
            "y": base.y.to_numpy(),
        }
    )
    reference = base.assign(flag=[*base.flag.iloc[:-1].astype(float), np.nan])
    _check_like_floats(data, reference, "y ~ x + g + flag")
    text = pl.DataFrame({"g": ["a", "b"] * 20, "y": base.y.to_numpy()})
    fit = linmod.ols("y ~ g", data=text)
    assert list(fit.coef.index) == ["Intercept", "g[T.b]"]
    durations = pl.DataFrame({"d": pd.to_timedelta(base.x, unit="D"), "y": base.y})
    with pytest.raises(InputError, match=r"column 'd' holds durations \(timedelta64"):
        linmod.ols("y ~ d", data=durations)


# --- text -----------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["string", "string[pyarrow]"])
def test_pandas_strings_are_text(dtype):
    base = _numbers_frame()
    words = base.assign(g=np.where(base.g == 1, "low", "high"))
    as_text = words.astype({"g": dtype})
    fit = linmod.ols("y ~ x + g", data=as_text)
    objects = linmod.ols("y ~ x + g", data=words)
    assert list(fit.coef.index) == list(objects.coef.index) == ["Intercept", "x", "g[T.low]"]
    assert_allclose(fit.coef.to_numpy(), objects.coef.to_numpy(), rtol=1e-13)
    for new in (as_text.head(4), words.head(4)):  # string or object new data alike
        assert_allclose(
            fit.predict(new)["fit"].to_numpy(), objects.fitted.to_numpy()[:4], rtol=1e-13
        )
    missing = as_text.copy()
    missing.loc[2, "g"] = pd.NA
    assert np.isnan(fit.predict(missing.head(4))["fit"].to_numpy()[2])
    dropped = linmod.ols("y ~ x + g", data=missing, missing="drop")
    assert dropped.n_obs == 39


@pytest.mark.parametrize("dtype", ["string", "string[pyarrow]"])
def test_a_word_in_a_numeric_string_column_is_refused(dtype):
    base = _numbers_frame()
    values = base.x.astype(str).to_numpy().copy()
    values[7] = "unknown"
    data = base.assign(x=pd.Series(values, dtype=dtype))
    with pytest.raises(InputError, match=r"column 'x' holds text .* 'unknown' at row 8"):
        linmod.ols("y ~ x", data=data)
    fit = linmod.ols("y ~ x", data=base)
    with pytest.raises(InputError, match=r"column 'x' holds text .* 'unknown' at row 8"):
        fit.predict(data)
    as_text = base.assign(x=base.x.astype(str).astype(dtype))
    with pytest.raises(InputError, match=r"'x' holds text where the model was fitted on numbers"):
        fit.predict(as_text)


# --- dates, durations, periods ---------------------------------------------------------


TIMES = {
    "timedelta": (lambda n: pd.to_timedelta(np.arange(n), unit="D"), "durations"),
    "period": (lambda n: pd.period_range("2020-01", periods=n, freq="M"), "periods"),
    "datetime": (lambda n: pd.date_range("2020-01-01", periods=n), "dates or times"),
    "arrow duration": (
        lambda n: pd.Series(pd.to_timedelta(np.arange(n), unit="s")).astype("duration[s][pyarrow]"),
        "durations",
    ),
}


@pytest.mark.parametrize("kind", list(TIMES))
def test_dates_and_durations_are_refused_naming_the_column(kind):
    make, word = TIMES[kind]
    base = _numbers_frame()
    data = base.copy()
    data["when"] = pd.Series(make(len(base)), index=base.index)
    with pytest.raises(InputError, match=rf"column 'when' holds {word} .*make a number"):
        linmod.ols("y ~ x + when", data=data)
    with pytest.raises(InputError, match=rf"column 'when' holds {word}"):
        linmod.ols("y ~ x + when", data=[data.iloc[:20], data.iloc[20:]], chunksize=10)
    numeric = base.assign(when=np.arange(len(base), dtype=float))
    fit = linmod.ols("y ~ x + when", data=numeric)
    with pytest.raises(InputError, match=rf"column 'when' holds {word}"):
        fit.predict(data.head(3))
    with pytest.raises(InputError, match=rf"column 'when' holds {word}"):
        linmod.ols(data[["x", "when"]], data.y)


def test_unused_date_columns_are_ignored_and_durations_in_arrays_refused():
    base = _numbers_frame().assign(when=pd.to_timedelta(np.arange(40), unit="h"))
    fit = linmod.ols("y ~ x", data=base)
    assert list(fit.coef.index) == ["Intercept", "x"]
    decimals = base[["x"]].assign(x=[decimal.Decimal(str(v)) for v in base.x])
    arrays = linmod.ols(decimals, base.y)
    assert_allclose(arrays.coef.to_numpy(), fit.coef.to_numpy(), rtol=1e-12)


def test_formula_columns_leaves_plain_frames_alone():
    frame = _numbers_frame()
    assert formula_columns(frame, ["x", "y", "flag"]) is frame
    huge = pd.DataFrame({"x": pd.Series([10**400, 1], dtype=object)})
    with pytest.raises(InputError, match=r"column 'x' holds a number too large for float64"):
        formula_columns(huge, ["x"])


# --- the response as a predictor ------------------------------------------------------


@pytest.mark.parametrize("formula", ["y ~ x + y", "np.log(y + 10) ~ x + y", "y ~ x + I(2 * y)"])
def test_the_response_cannot_be_a_predictor(formula):
    data = _numbers_frame()
    with pytest.raises(InputError, match=r"column\(s\) 'y' are the response and cannot also"):
        linmod.ols(formula, data=data)
    with pytest.raises(InputError, match=r"'y' are the response"):
        linmod.ols(formula, data=[data.iloc[:20], data.iloc[20:]], chunksize=10)


def test_the_response_cannot_be_a_predictor_with_dask():
    dd = pytest.importorskip("dask.dataframe")
    frame = dd.from_pandas(_numbers_frame(), npartitions=2)
    with pytest.raises(InputError, match=r"'y' are the response"):
        linmod.ols("y ~ x + y", data=frame)


def test_dot_leaves_the_response_out():
    data = _numbers_frame()[["x", "y"]]
    fit = linmod.ols("y ~ .", data=data)
    assert list(fit.coef.index) == ["Intercept", "x"]
    assert fit.r_squared < 0.9


# ------------------------------------------------------- unused categories (R drops them)
def _factor_data(seed: int = 2, n: int = 60) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    g = rng.choice(["a", "b", "c"], n)
    y = 1.0 + 0.5 * x + np.select([g == "b", g == "c"], [2.0, -1.0], 0.0) + rng.normal(size=n)
    return pd.DataFrame({"y": y, "x": x, "g": g})


def _by_hand(frame: pd.DataFrame, levels: list[str]) -> np.ndarray:
    """Least squares on an explicitly built design: intercept, x, treatment dummies."""
    dummies = [(frame["g"] == level).to_numpy(float) for level in levels[1:]]
    design = np.column_stack([np.ones(len(frame)), frame["x"], *dummies])
    return np.linalg.lstsq(design, frame["y"].to_numpy(), rcond=None)[0]


@pytest.mark.parametrize(
    "categories",
    [["a", "b", "c", "zz"], ["zz", "a", "b", "c"], ["a", "zz", "b", "c"]],
)
def test_unused_categories_are_dropped_as_r_lm_does(categories):
    frame = _factor_data()
    frame["g"] = pd.Categorical(frame["g"], categories=categories)
    res = linmod.ols("y ~ x + g", data=frame)
    # R: lm(y ~ x + g) with drop.unused.levels = TRUE; reference level "a", never "zz"
    assert res.coef.index.tolist() == ["Intercept", "x", "g[T.b]", "g[T.c]"]
    assert_allclose(res.coef.to_numpy(), _by_hand(frame, ["a", "b", "c"]), rtol=1e-12)
    assert res.rank == 4
    assert not res.dependencies


def test_a_level_left_unused_by_dropped_rows_is_dropped_too():
    frame = _factor_data()
    frame["g"] = pd.Categorical(frame["g"], categories=["c", "a", "b"])
    frame.loc[frame["g"] == "c", "x"] = np.nan  # every "c" row is incomplete
    res = linmod.ols("y ~ x + g", data=frame, missing="drop")
    assert res.coef.index.tolist() == ["Intercept", "x", "g[T.b]"]  # reference "a"
    kept = frame.dropna()
    assert_allclose(res.coef.to_numpy(), _by_hand(kept, ["a", "b"]), rtol=1e-12)
    with pytest.raises(InputError, match=r"level\(s\) 'c' not seen when fitting"):
        res.predict(frame.fillna({"x": 0.0}))
