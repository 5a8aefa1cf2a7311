"""Decimal columns are numbers wherever columns are typed (QA 3).

A Parquet decimal column reaches pandas as an object column of ``decimal.Decimal`` (or as
an Arrow ``decimal128`` column); ``y ~ .`` called it "an identifier" and left it out (R²
0.0005 instead of 0.9996), though ``y ~ price + x`` used it as a number.  Expected values
are statsmodels' fits on the same numbers as float64.
"""

from __future__ import annotations

import decimal
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose

import linmod
from linmod.cli.main import main
from linmod.exceptions import LinmodWarning

N = 100


@pytest.fixture(scope="module")
def prices() -> pd.DataFrame:
    """The QA file's data: price in cents as Decimal, y = 2 price + x + noise."""
    rng = np.random.default_rng(0)
    price = rng.uniform(10, 100, N).round(2)
    frame = pd.DataFrame(
        {"price": [decimal.Decimal(f"{p:.2f}") for p in price], "x": rng.normal(size=N)}
    )
    frame["y"] = 2 * price + frame["x"] + rng.normal(size=N)
    return frame


def _floats(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(price=frame["price"].map(lambda v: np.nan if v is None else float(v)))


def _quiet_fit(formula: str, data, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "identifier" warning
        return linmod.ols(formula, data=data, **options)


def _check(res, reference) -> None:
    assert res.coef.index.tolist() == ["Intercept", "price", "x"]
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)
    assert_allclose(res.r_squared, reference.rsquared, rtol=1e-12)


def test_dot_keeps_a_decimal_column(prices):
    res = _quiet_fit("y ~ .", prices)
    assert res.design.formula == "y ~ (price + x)"
    reference = smf.ols("y ~ price + x", data=_floats(prices)).fit()
    assert reference.rsquared > 0.999
    _check(res, reference)


def test_dot_keeps_a_decimal_column_with_missing_values(prices):
    data = prices.copy()
    data.loc[[4, 40], "price"] = None
    res = _quiet_fit("y ~ .", data, missing="drop")
    reference = smf.ols("y ~ price + x", data=_floats(data).dropna()).fit()
    _check(res, reference)
    assert res.design.n_dropped == 2


def test_dot_keeps_an_arrow_decimal_column(prices):
    pa = pytest.importorskip("pyarrow")
    data = prices.astype({"price": pd.ArrowDtype(pa.decimal128(6, 2))})
    res = _quiet_fit("y ~ .", data)
    _check(res, smf.ols("y ~ price + x", data=_floats(prices)).fit())


def test_dot_keeps_a_polars_decimal_column(prices):
    pl = pytest.importorskip("polars")
    data = pl.from_pandas(_floats(prices)).with_columns(pl.col("price").cast(pl.Decimal(6, 2)))
    res = _quiet_fit("y ~ .", data)
    _check(res, smf.ols("y ~ price + x", data=_floats(prices)).fit())


def test_array_fits_take_decimal_columns(prices):
    res = linmod.ols(prices[["price", "x"]], prices["y"])
    reference = smf.ols("y ~ price + x", data=_floats(prices)).fit()
    assert_allclose(res.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-10, atol=1e-12)


def test_a_decimal_row_number_is_still_an_identifier(prices):
    data = prices.assign(id=[decimal.Decimal(i) for i in range(1, N + 1)])
    with pytest.warns(LinmodWarning, match=r"'id' looks like a row identifier.*'\+ I\(id\)'"):
        res = linmod.ols("y ~ .", data=data)
    assert res.design.formula == "y ~ (price + x)"


def test_parquet_decimals_on_the_command_line(prices, tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "decimal_price.parquet"
    table = pa.Table.from_pandas(prices, preserve_index=False)
    assert pa.types.is_decimal(table.schema.field("price").type)
    pq.write_table(table, path)
    reference = smf.ols("y ~ price + x", data=_floats(prices)).fit()
    for args in (["-f", "y ~ ."], ["--target", "y"]):
        assert main(["fit", str(path), *args, "--json"]) == 0
        captured = capsys.readouterr()
        assert "identifier" not in captured.err
        out = json.loads(captured.out)
        assert out["formula"] == "y ~ (price + x)"
        assert_allclose(out["r_squared"], reference.rsquared, rtol=1e-12)
        coef = [out["coefficients"][name]["coef"] for name in ("Intercept", "price", "x")]
        assert_allclose(coef, reference.params.to_numpy(), rtol=1e-10, atol=1e-12)
    streamed = _quiet_fit("y ~ .", str(path), chunksize=30)
    assert_allclose(streamed.coef.to_numpy(), reference.params.to_numpy(), rtol=1e-9)
