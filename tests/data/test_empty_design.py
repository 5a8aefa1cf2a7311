"""A model with no column at all (``y ~ 0``, ``y ~ -1``) is refused clearly everywhere."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import linmod
from linmod.cli.main import main
from linmod.exceptions import InputError

from ..conftest import DATA_DIR

MTCARS = DATA_DIR / "mtcars.csv"
EMPTY = ["mpg ~ 0", "mpg ~ -1", "mpg ~ 1 - 1", "mpg ~ wt - wt - 1", "mpg ~ 0 + 1 - 1"]


@pytest.mark.parametrize("formula", EMPTY)
def test_in_memory_fits_refuse_an_empty_right_hand_side(formula):
    data = pd.read_csv(MTCARS)
    message = "has nothing on its right-hand side .* write e.g. 'mpg ~ 1'"
    with pytest.raises(InputError, match=message):
        linmod.ols(formula, data=data)
    with pytest.raises(InputError, match=message):
        linmod.ridge(formula, data=data, alpha=1.0)


@pytest.mark.parametrize("formula", ["mpg ~ 0", "mpg ~ wt - wt - 1"])
def test_streamed_and_dask_fits_refuse_it_before_a_pass(formula):
    dd = pytest.importorskip("dask.dataframe")
    with pytest.raises(InputError, match="has nothing on its right-hand side"):
        linmod.ols(formula, data=str(MTCARS), chunksize=10)
    frame = dd.from_pandas(pd.read_csv(MTCARS), npartitions=2)
    with pytest.raises(InputError, match="has nothing on its right-hand side"):
        linmod.ols(formula, data=frame)


def test_arrays_without_columns_or_intercept_are_refused():
    with pytest.raises(InputError, match="the design has no columns"):
        linmod.ols(np.zeros((5, 0)), np.arange(5.0), fit_intercept=False)
    # The intercept alone is a model: the mean 24/5, standard error s / sqrt(n) with
    # s² = sum((y - 4.8)²) / 4 = 50.8 / 4 (by hand).
    y = np.array([1.0, 2.0, 4.0, 8.0, 9.0])
    res = linmod.ols(np.zeros((5, 0)), y)
    np.testing.assert_allclose(res.coef["Intercept"], 24 / 5, rtol=1e-15)
    np.testing.assert_allclose(res.std_err["Intercept"], np.sqrt(50.8 / 4 / 5), rtol=1e-14)


def test_command_line_error_is_one_line(capsys):
    assert main(["fit", str(MTCARS), "-f", "mpg ~ 0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("linmod: error: formula 'mpg ~ 0' has nothing on its right-hand side")
