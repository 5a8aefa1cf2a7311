"""Weighted OLS on a Dask DataFrame equals the in-memory weighted fit (2-worker LocalCluster)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.diagnostics.independence import durbin_watson
from linmod.exceptions import InputError
from linmod.inference.weighted import expanded_rows

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")

FORMULA = "y ~ x1 + np.log(x2) + C(group)"
RTOL = 1e-12


def _frame(kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    n = 1500
    data = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.uniform(1, 50, size=n),
            "group": rng.choice(["a", "b", "c"], size=n),
        }
    )
    data["y"] = 1 + 2 * data["x1"] + np.log(data["x2"]) + rng.normal(size=n) * (1 + data["x1"] ** 2)
    if kind == "frequency":
        data["w"] = rng.integers(0, 4, size=n).astype(float)
    else:
        data["w"] = rng.uniform(0.1, 4.0, size=n)
        data.loc[[10, 700], "w"] = 0.0
    return data


@pytest.mark.parametrize("kind", ["precision", "frequency", "sampling"])
def test_dask_weighted_fit_equals_in_memory(client, kind):
    data = _frame(kind)
    memory = linmod.ols(FORMULA, data=data, weights="w", weights_type=kind)
    fit = linmod.ols(
        FORMULA, data=dd.from_pandas(data, npartitions=6), weights="w", weights_type=kind,
        second_pass=True,
    )  # fmt: skip
    assert fit.n_obs == memory.n_obs
    assert fit.cov_type == memory.cov_type
    for name in ("coef", "std_err", "t_values"):
        assert_allclose(getattr(fit, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    # p-values far in the tail amplify the rounding of t (by about t²)
    assert_allclose(fit.p_values, memory.p_values, rtol=1e-10)
    for name in ("sigma", "r_squared", "adj_r_squared", "f_statistic", "aic", "bic", "mae"):
        assert_allclose(getattr(fit, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    for robust in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(fit.robust(robust).std_err, memory.robust(robust).std_err, rtol=1e-11)
    target = expanded_rows(memory)[0] if kind == "frequency" else memory
    assert_allclose(fit.diagnostics.durbin_watson, durbin_watson(target).statistic, rtol=RTOL)
    assert "Dask: 6 partitions" in fit.summary()
    assert f"Weights: {kind}" in fit.summary()


def test_dask_weights_column_is_checked_on_the_workers(client):
    data = _frame("precision")
    data.loc[1200, "w"] = -3.0
    ddf = dd.from_pandas(data, npartitions=4)  # 375 rows a partition: row 75 of partition 3
    with pytest.raises(InputError, match=r"partition 3 row 76: weights column 'w' is negative"):
        linmod.ols(FORMULA, data=ddf, weights="w")
    with pytest.raises(InputError, match=r"weights column 'v' is not a column of the Dask"):
        linmod.ols(FORMULA, data=ddf, weights="v")
    with pytest.raises(InputError, match=r"weights column 'w' is zero .or missing. in every row"):
        linmod.ols(FORMULA, data=dd.from_pandas(data.assign(w=0.0), npartitions=3), weights="w")


def test_dask_dot_leaves_the_weights_out(client):
    data = _frame("precision").drop(columns="group")
    fit = linmod.ols("y ~ .", data=dd.from_pandas(data, npartitions=3), weights="w")
    memory = linmod.ols("y ~ .", data=data, weights="w")
    assert list(fit.coef.index) == ["Intercept", "x1", "x2"]
    assert_allclose(fit.coef, memory.coef, rtol=RTOL)


def test_dask_arrays_take_no_weights(client):
    x = da.from_array(np.ones((10, 2)), chunks=5)
    y = da.from_array(np.arange(10.0), chunks=5)
    with pytest.raises(InputError, match="weights= with Dask arrays is not available"):
        linmod.ols(x, y, weights=np.ones(10))


def test_cli_dask_fit_takes_the_weights_column(tmp_path, capsys):
    from linmod.cli.main import main

    data = _frame("frequency")
    path = tmp_path / "data.parquet"
    data.to_parquet(path)
    memory = linmod.ols("y ~ x1 + x2", data=data, weights="w", weights_type="frequency")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local:
        args = ["fit", str(path), "-f", "y ~ x1 + x2", "--dask", local.scheduler_address]
        code = main([*args, "--weights", "w", "--weights-type", "frequency", "--quiet", "--json"])
    assert code == 0
    found = json.loads(capsys.readouterr().out)
    assert_allclose(
        [found["coefficients"][k]["std_err"] for k in ("Intercept", "x1", "x2")],
        memory.std_err.to_numpy(),
        rtol=RTOL,
    )
    zeros = memory.weights.n_zero
    assert found["weights"] == {"type": "frequency", "column": "w", "zero_weight_rows": zeros}


@pytest.mark.parametrize("penalty", ["ridge", "lasso"])
def test_dask_penalised_fit_takes_the_weights_column(client, penalty):
    data = _frame("precision")
    fit = getattr(linmod, penalty)
    options = {"alpha": 0.5, "standardize": True} | ({"tol": 1e-12} if penalty == "lasso" else {})
    memory = fit("y ~ x1 + x2", data=data, weights="w", **options)
    distributed_fit = fit("y ~ x1 + x2", data=dd.from_pandas(data, npartitions=5), weights="w",
                          **options)  # fmt: skip
    assert_allclose(distributed_fit.coef, memory.coef, rtol=1e-10, atol=1e-12)
    assert_allclose(distributed_fit.r_squared, memory.r_squared, rtol=1e-12)
    assert distributed_fit.n_obs == memory.n_obs
