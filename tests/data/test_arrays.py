"""The array API: names, intercept, missing values and bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError


def test_arrays_match_statsmodels():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(120, 4))
    y = x @ [1.0, -2.0, 0.5, 3.0] + 2.0 + rng.normal(size=120)
    res = linmod.ols(x, y)
    ref = sm.OLS(y, sm.add_constant(x)).fit()
    assert list(res.coef.index) == ["Intercept", "x0", "x1", "x2", "x3"]
    assert_allclose(res.coef, ref.params, rtol=1e-12)
    assert_allclose(res.std_err, ref.bse, rtol=1e-12)
    assert_allclose(res.f_statistic, ref.fvalue, rtol=1e-11)


def test_dataframe_columns_become_names_and_text_columns_are_refused():
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "city": ["x", "y", "x", "y"]})
    with pytest.raises(InputError, match=r"column 'city' holds non-numeric .* C\(city\)"):
        linmod.ols(frame, [1.0, 2.0, 3.0, 5.0])


@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        (np.ones((3, 1)), np.ones(4), "X has 3 rows but y has 4"),
        (
            np.array([[1.0], [np.nan], [3.0]]),
            [1.0, 2.0, 3.0],
            r"column 'x0' has 1 missing values in row 2",
        ),
        (np.array([[1.0], [2.0], [3.0]]), [1.0, np.nan, 3.0], "y has 1 missing values in row 2"),
        (np.array([[1.0], [np.inf], [3.0]]), [1.0, 2.0, 3.0], "infinite values in x0"),
        (np.ones((2, 2, 2)), np.ones(2), "must be 2-dimensional"),
        (np.ones((0, 2)), np.ones(0), "no rows"),
    ],
)
def test_bad_array_input(x, y, message):
    with pytest.raises(InputError, match=message):
        linmod.ols(x, y)


def test_a_column_named_intercept_is_refused():
    frame = pd.DataFrame({"Intercept": [1.0, 2.0, 3.0], "a": [2.0, 1.0, 4.0]})
    with pytest.raises(InputError, match="column 'Intercept' clashes"):
        linmod.ols(frame, [1.0, 2.0, 4.0])


def test_array_missing_drop():
    x = np.array([[1.0], [np.nan], [3.0], [4.0], [5.0]])
    res = linmod.ols(x, [2.0, 9.0, 5.0, 4.0, 5.0], missing="drop")
    assert res.n_obs == 4
    assert res.design.n_dropped == 1
    assert list(res.residuals.index) == [0, 2, 3, 4]


def test_predict_from_arrays_checks_width():
    res = linmod.ols(np.arange(10.0)[:, None], np.arange(10.0) * 2 + 1 + np.sin(np.arange(10.0)))
    assert res.predict(np.array([[20.0]]))["fit"].shape == (1,)
    with pytest.raises(InputError, match="new data has 2 features but the model was fitted on 1"):
        res.predict(np.ones((1, 2)))
