"""linmod.rlm: robustness by hand, the weights it reports, bad inputs."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

from ..conftest import load_dataset


def test_one_gross_outlier_gets_weight_zero_with_bisquare():
    x = np.arange(20.0)
    y = 2.0 + 0.5 * x + np.tile([0.1, -0.1], 10)
    y[5] = 100.0
    res = linmod.rlm(x[:, None], y, norm="bisquare")
    assert res.weights.iloc[5] == 0.0  # beyond c * scale: ignored
    # converged IRLS is a fixed point: weighted least squares with its own final weights
    root = np.sqrt(res.weights.to_numpy())
    design = np.column_stack([np.ones(20), x])
    wls = np.linalg.lstsq(design * root[:, None], y * root, rcond=None)[0]
    assert_allclose(res.coef.to_numpy(), wls, rtol=1e-9)
    assert_allclose(res.coef.to_numpy(), [2.0, 0.5], atol=0.05)  # the outlier is ignored
    assert res.downweighted().index[0] == 5
    assert "1 ignored (weight 0)" in res.summary()
    assert res.predict(np.array([[10.0]])).iloc[0] == pytest.approx(7.0, abs=0.05)


def test_without_outliers_huber_is_least_squares():
    # every scaled residual inside k: all weights 1, so IRLS stops at least squares
    x = np.arange(10.0)
    y = 1.0 + 2.0 * x + np.array([0.1, -0.1, 0.05, -0.05, 0.1, -0.1, 0.05, -0.05, 0.1, -0.1])
    res = linmod.rlm(x[:, None], y, tuning=100.0)
    ols = linmod.ols(x[:, None], y)
    assert_allclose(res.coef.to_numpy(), ols.coef.to_numpy(), rtol=1e-13)
    assert (res.weights == 1.0).all()
    assert "No row was down-weighted" in res.summary()


def test_zero_weight_drops_a_row_and_labels_follow_the_frame():
    frame = load_dataset("mtcars")
    zero = frame.assign(w=np.r_[0.0, np.ones(31)])
    dropped = linmod.rlm("mpg ~ wt", data=zero, weights="w")
    kept = linmod.rlm("mpg ~ wt", data=frame.iloc[1:])
    assert dropped.n_obs == 31
    assert_allclose(dropped.coef, kept.coef, rtol=1e-13)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"norm": "cauchy"}, r"norm='cauchy' is not known"),
        ({"scale": "iqr"}, r"scale='iqr' is not known"),
        ({"start": "lts"}, r"start='lts' is not known"),
        ({"start": [1.0]}, r"start has shape \(1,\): give 2 finite coefficients"),
        ({"tuning": -1.0}, r"tuning=-1\.0 does not fit norm='huber'"),
        ({"norm": "hampel", "tuning": (4.0, 2.0, 8.0)}, r"a <= b < c"),
        ({"max_iter": 0}, r"max_iter=0 must be a positive integer"),
        ({"tol": 0.0}, r"tol=0\.0 must be a positive number"),
        ({"weights": [1.0] * 31 + [-1.0]}, r"negative values in row 32"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(InputError, match=message):
        linmod.rlm("mpg ~ wt", data=load_dataset("mtcars"), **kwargs)


def test_bad_designs():
    x = np.arange(10.0)
    with pytest.raises(InputError, match=r"rank deficient"):
        linmod.rlm(np.column_stack([x, 2 * x]), x)
    with pytest.raises(InputError, match=r"2 rows but 2 parameters"):
        linmod.rlm(np.array([[1.0], [2.0]]), [1.0, 2.0])
    with pytest.raises(InputError, match=r"rlm needs the data in memory"):
        linmod.rlm("y ~ x", data="big.parquet")


def test_not_converging_is_reported():
    frame = load_dataset("stackloss")
    frame.columns = [c.replace(".", "_") for c in frame.columns]
    res = linmod.rlm("stack_loss ~ Air_Flow", data=frame, max_iter=1)
    assert not res.converged
    assert "NOT converged after 1 steps" in res.summary()


def test_constant_response_and_exact_fits():
    data = load_dataset("mtcars")
    with pytest.raises(InputError, match=r"the response 'qsec' is constant"):
        linmod.rlm("qsec ~ hp", data=data.assign(qsec=1.0))
    # more than half the rows exactly on a line: the MAD scale is 0, IRLS stops there
    x = np.arange(10.0)
    y = 1.0 + 2.0 * x
    y[:3] += [5.0, -4.0, 7.0]
    res = linmod.rlm(x[:, None], y, start=[1.0, 2.0])  # from the exact line
    assert res.scale == 0.0
    assert res.std_err.isna().all()
    assert "more than half the rows lie exactly on the fit" in res.summary()
