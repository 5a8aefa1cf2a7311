"""linmod.quantreg: exact solutions by hand, equivariance, the process, bad inputs."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset

matplotlib.use("Agg")


def test_lad_through_four_collinear_points_by_hand():
    # y = x on four points and an outlier: the LAD line ignores the outlier, which OLS
    # follows; the check loss is 0.5 * 45.
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    y = np.array([1.0, 2.0, 3.0, 4.0, 50.0])
    res = linmod.quantreg(x[:, None], y)
    assert_allclose(res.coef.to_numpy(), [0.0, 1.0], atol=1e-14)
    assert res.objective == pytest.approx(22.5, rel=1e-15)
    assert_allclose(res.residuals.to_numpy(), [0, 0, 0, 0, 45.0], atol=1e-13)
    assert not res.nonunique


def test_an_odd_sample_median_is_unique_and_an_even_one_is_not():
    odd = linmod.quantreg("y ~ 1", data=pd.DataFrame({"y": [3.0, 1.0, 4.0, 1.0, 5.0]}))
    assert odd.coef.iloc[0] == 3.0
    assert not odd.nonunique
    # Any value in [5, 6] minimises sum |y - m| for y = 1..10: 25 / 2 at q = 0.5.
    even = linmod.quantreg("y ~ 1", data=pd.DataFrame({"y": np.arange(1.0, 11.0)}))
    assert 5.0 <= even.coef.iloc[0] <= 6.0
    assert even.objective == pytest.approx(12.5, rel=1e-15)
    assert even.nonunique
    assert "may be nonunique" in even.summary()


def test_quantile_levels_of_an_intercept_only_model_are_sample_quantiles():
    y = np.array([7.0, 1.0, 9.0, 3.0, 5.0, 2.0, 8.0])  # sorted: 1 2 3 5 7 8 9
    for q, expected in [(0.1, 1.0), (0.3, 3.0), (0.6, 7.0), (0.9, 9.0)]:
        res = linmod.quantreg("y ~ 1", data=pd.DataFrame({"y": y}), q=q)
        assert res.coef.iloc[0] == expected  # the ceil(n q)-th order statistic, exactly


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    q=st.sampled_from([0.2, 0.5, 0.75]),
    scale=st.floats(0.01, 100.0),
    shift=st.floats(-1e3, 1e3),
)
def test_equivariance(seed, q, scale, shift):
    # Koenker (2005) Thm 2.2: b(q; c y + X g) = c b(q; y) + g for c > 0; row order is moot.
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((40, 2))
    y = x @ [1.0, -1.0] + rng.standard_normal(40)
    base = linmod.quantreg(x, y, q=q).coef.to_numpy()
    moved = linmod.quantreg(x, scale * y + shift, q=q).coef.to_numpy()
    assert_allclose(moved, scale * base + [shift, 0, 0], rtol=1e-9, atol=1e-9 * (1 + abs(shift)))
    order = rng.permutation(40)
    assert_allclose(linmod.quantreg(x[order], y[order], q=q).coef, base, rtol=1e-10, atol=1e-12)


def test_magnitudes_float64_holds():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((60, 1))
    y = 2 * x[:, 0] + rng.standard_normal(60)
    base = linmod.quantreg(x, y).coef.to_numpy()
    for factor in (1e-200, 1e200):
        assert_allclose(linmod.quantreg(x, y * factor).coef.to_numpy() / factor, base, rtol=1e-12)


def test_predict_and_weights_column():
    data = load_dataset("mtcars")
    res = linmod.quantreg("mpg ~ wt + C(cyl)", data=data, q=0.4)
    new = data.iloc[:4]
    assert_allclose(res.predict(new).to_numpy(), res.fitted.iloc[:4].to_numpy(), rtol=1e-14)
    weighted = linmod.quantreg("mpg ~ wt", data=data, weights="qsec")
    assert "weighted" in weighted.summary()
    zero = data.assign(w=np.r_[0.0, np.ones(31)])
    dropped = linmod.quantreg("mpg ~ wt", data=zero, weights="w")
    kept = linmod.quantreg("mpg ~ wt", data=data.iloc[1:])
    assert dropped.n_obs == 31
    assert_allclose(dropped.coef, kept.coef, rtol=1e-13)


def test_process_tables_and_plot():
    data = load_dataset("mtcars")
    process = linmod.quantreg("mpg ~ wt + hp", data=data, q=[0.25, 0.5, 0.75], se="iid")
    assert process.coef.shape == (3, 3)
    assert list(process.q) == [0.25, 0.5, 0.75]
    assert process[0.5].q == 0.5
    with pytest.raises(InputError, match=r"q=0\.9 was not fitted"):
        process[0.9]
    assert process.to_frame().shape == (9, 6)
    figure = process.plot()
    assert len([a for a in figure.axes if a.get_visible()]) == 3


def test_bootstrap_is_seeded_and_near_the_sandwich():
    data = load_dataset("engel")
    one = linmod.quantreg("foodexp ~ income", data=data, se="boot", seed=7, replications=100)
    two = linmod.quantreg("foodexp ~ income", data=data, se="boot", seed=7, replications=100)
    assert_allclose(one.std_err, two.std_err, rtol=0, atol=0)
    nid = linmod.quantreg("foodexp ~ income", data=data, se="nid").std_err
    ratio = (one.std_err / nid).to_numpy()
    assert np.all((ratio > 0.5) & (ratio < 2.0))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"q": 0.0}, r"q=0\.0 is outside \(0, 1\)"),
        ({"q": 1}, r"q=1 is outside \(0, 1\)"),
        ({"q": [0.5, 1.5]}, r"q=1\.5 is outside"),
        ({"q": "median"}, r"q='median' must be a number"),
        ({"q": []}, r"q=\[\] has no quantile level"),
        ({"se": "sandwich"}, r"se='sandwich' is not known"),
        ({"se": "boot", "replications": 1}, r"replications=1 must be an integer"),
        ({"weights": "nope"}, r"weights='nope' is not a column"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        linmod.quantreg("mpg ~ wt", data=load_dataset("mtcars"), **kwargs)


def test_bad_designs_and_data():
    with pytest.raises(InputError, match=r"2 rows but 3 parameters"):
        linmod.quantreg(np.eye(2), [1.0, 2.0])
    x = np.arange(10.0)
    with pytest.raises(InputError, match=r"rank deficient"):
        linmod.quantreg(np.column_stack([x, 2 * x]), x)
    with pytest.raises(InputError, match=r"needs the data in memory"):
        linmod.quantreg("y ~ x", data="big.csv")
    with pytest.raises(InputError, match=r"negative values in row 2"):
        linmod.quantreg(x[:, None], x, weights=[1.0, -1.0] + [1.0] * 8)


def test_prediction_intervals_are_refused():
    res = linmod.quantreg("mpg ~ wt", data=load_dataset("mtcars"))
    with pytest.raises(InputError, match=r"interval='prediction' is not available"):
        res.predict(load_dataset("mtcars"), interval="prediction")
    with pytest.raises(InputError, match=r"level=2 must lie strictly between 0 and 1"):
        res.predict(None, interval="confidence", level=2)


def test_summaries_count_rows_dropped_for_missing_values():
    data = load_dataset("mtcars")
    data.loc[[2, 7], "wt"] = np.nan  # two incomplete rows, dropped as R's na.omit
    q = linmod.quantreg("mpg ~ wt", data=data, missing="drop", se="nid")
    r = linmod.rlm("mpg ~ wt", data=data, missing="drop")
    assert q.n_obs == r.n_obs == 30
    for text in (q.summary(), r.summary()):
        assert "(2 observations deleted due to missingness)" in text
