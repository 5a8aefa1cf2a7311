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


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("column", [0, 2])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_the_float_array_fast_path_refuses_bad_values_as_the_general_path(
    bad, column, fit_intercept
):
    # A float64 ndarray takes a one-pass checked copy; a bad value must still reach the
    # general path's message (column and rows named), the same as for a frame.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((20, 3))
    y = rng.standard_normal(20)
    x[4, column] = bad
    frame = pd.DataFrame(x, columns=["x0", "x1", "x2"])
    with pytest.raises(InputError) as from_frame:
        linmod.ols(frame, y, fit_intercept=fit_intercept)
    with pytest.raises(InputError) as from_array:
        linmod.ols(x, y, fit_intercept=fit_intercept)
    assert str(from_array.value) == str(from_frame.value)
    assert f"x{column}" in str(from_array.value)
    y_bad = y.copy()
    y_bad[7] = bad
    with pytest.raises(InputError, match="y"):
        linmod.ols(np.nan_to_num(x, posinf=0, neginf=0), y_bad, fit_intercept=fit_intercept)


def test_the_fast_path_gives_the_general_paths_fit_for_any_layout():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((50, 3))
    y = x @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(50)
    reference = linmod.ols(pd.DataFrame(x, columns=["x0", "x1", "x2"]), y)
    readonly = x.copy()
    readonly.flags.writeable = False
    # C order, Fortran order, a non-contiguous view of the same values, read-only.
    for layout in (x, np.asfortranarray(x), np.hstack([x, x])[:, :3], readonly):
        res = linmod.ols(layout, y)
        assert_allclose(res.coef.to_numpy(), reference.coef.to_numpy(), rtol=0, atol=0)
        assert_allclose(res.std_err.to_numpy(), reference.std_err.to_numpy(), rtol=0, atol=0)
        assert res.design.x[:, 0].tolist() == [1.0] * 50
    # Without an intercept a C-ordered X is used as it is (no copy), and checked.
    assert linmod.ols(x, y, fit_intercept=False).design.x is x
