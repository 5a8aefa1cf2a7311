"""The Dask backend equals the in-memory fit, on a real 2-worker LocalCluster."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from statsmodels.stats.stattools import durbin_watson

import linmod
from linmod.exceptions import InputError

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("dask.distributed")

FORMULA = "y ~ x1 + np.log(x2) + C(group)"
RTOL = 1e-10


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(11)
    n = 2500
    data = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.uniform(1, 50, size=n),
            "group": rng.choice(["a", "b", "c", "d"], size=n),
        }
    )
    data["y"] = 1 + 2 * data["x1"] + np.log(data["x2"]) + rng.normal(size=n) * (1 + data["x1"] ** 2)
    return data


def _same(streamed, memory):
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    assert_allclose(streamed.std_err, memory.std_err, rtol=RTOL)
    for name in ("r_squared", "adj_r_squared", "f_statistic", "aic", "bic"):
        assert_allclose(getattr(streamed, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    assert streamed.n_obs == memory.n_obs


def test_dask_dataframe_equals_in_memory(client, frame):
    ddf = dd.from_pandas(frame, npartitions=7)
    fit = linmod.ols(FORMULA, data=ddf)
    _same(fit, linmod.ols(FORMULA, data=frame))
    assert "Dask: 7 partitions" in fit.summary()


def test_second_pass_on_dask_matches_in_memory(client, frame):
    ddf = dd.from_pandas(frame, npartitions=5)
    fit = linmod.ols(FORMULA, data=ddf, second_pass=True, hac_lags=4)
    memory = linmod.ols(FORMULA, data=frame)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(fit.robust(kind).std_err, memory.robust(kind).std_err, rtol=RTOL)
    assert_allclose(
        fit.robust("HAC", lags=4).std_err, memory.robust("HAC", lags=4).std_err, rtol=RTOL
    )
    ref = smf.ols(FORMULA, data=frame).fit()
    assert_allclose(fit.diagnostics.durbin_watson, durbin_watson(ref.resid), rtol=RTOL)


def test_dask_arrays_equal_in_memory(client, frame):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 6))
    y = x @ rng.normal(size=6) + 3 + rng.normal(size=4000)
    fit = linmod.ols(da.from_array(x, chunks=(900, 3)), da.from_array(y, chunks=700))
    _same(fit, linmod.ols(x, y))
    assert fit.predict(x[:3])["fit"].shape == (3,)


def test_parquet_with_engine_dask(client, frame, tmp_path):
    path = tmp_path / "parts"
    dd.from_pandas(frame, npartitions=3).to_parquet(path)
    fit = linmod.ols(FORMULA, data=str(path), engine="dask")
    _same(fit, linmod.ols(FORMULA, data=frame))


def test_missing_rows_and_bad_values(client, frame):
    holes = frame.copy()
    holes.loc[[10, 2000], "x1"] = np.nan
    ddf = dd.from_pandas(holes, npartitions=4)
    with pytest.raises(InputError, match="column 'x1' is missing"):
        linmod.ols(FORMULA, data=ddf)
    fit = linmod.ols(FORMULA, data=ddf, missing="drop")
    assert fit.design.n_dropped == 2
    _same(fit, linmod.ols(FORMULA, data=holes, missing="drop"))
    with pytest.raises(InputError, match="NaN or infinite"):
        linmod.ols(
            da.from_array(np.array([[1.0], [np.nan], [3.0]]), chunks=2),
            da.from_array(np.array([1.0, 2.0, 3.0]), chunks=2),
        )
    with pytest.raises(InputError, match="engine='spark' is not known"):
        linmod.ols(FORMULA, data=frame, engine="spark")


def test_gd_regressor_learns_from_partitions(client, frame):
    from linmod.models.dask_fit import partial_fit_partitions

    ddf = dd.from_pandas(frame, npartitions=5)
    model = linmod.GDRegressor(
        method="minibatch", batch_size=64, schedule="invscaling", random_state=0
    )
    partial_fit_partitions(model, ddf[["x1", "x2"]], ddf["y"], epochs=20)
    assert model.n_iter_ == 100
    ref = linmod.ols(frame[["x1", "x2"]], frame["y"])
    mse = np.mean((frame["y"] - model.predict(frame[["x1", "x2"]])) ** 2)
    assert mse <= 1.05 * ref.mse
    with pytest.raises(InputError, match="epochs=0 must be a positive integer"):
        partial_fit_partitions(model, ddf[["x1"]], ddf["y"], epochs=0)


def test_missing_dask_gives_the_install_hint(monkeypatch, frame):
    import sys

    from linmod.exceptions import LinmodError
    from linmod.outofcore import dask_sources

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(LinmodError, match=r"pip install 'linmod\[dask\]'"):
        dask_sources.read_parquet("anything.parquet")


def test_ridge_on_dask_equals_in_memory(client, frame):
    ddf = dd.from_pandas(frame, npartitions=6)
    on_dask = linmod.ridge(FORMULA, data=ddf, alpha=3.0)
    assert_allclose(on_dask.coef, linmod.ridge(FORMULA, data=frame, alpha=3.0).coef, rtol=RTOL)


def test_dask_fits_are_refined_to_the_certified_digits(client):
    # NIST's Wampler5 (large residual): one pass keeps about 6 digits; the refinement
    # steps reduce double-double residual products over the partitions.
    from ..conftest import NIST_DIR
    from ..models.nist import lre, read_nist

    problem = read_nist(NIST_DIR / "Wampler5.dat")
    x, y = problem.design()
    names = [f"c{j}" for j in range(x.shape[1])]
    frame = pd.DataFrame(np.column_stack([x, y]), columns=[*names, "y"])
    formula = "y ~ " + " + ".join(names)
    ddf = dd.from_pandas(frame, npartitions=3)
    one_pass = linmod.ols(formula, data=ddf, refine=False)
    assert lre(one_pass.coef.to_numpy(), problem.coef).min() < 9
    refined = linmod.ols(formula, data=ddf)
    assert lre(refined.coef.to_numpy(), problem.coef).min() >= 14
    assert lre(refined.sigma, problem.residual_sd).min() >= 13
    xa = da.from_array(x, chunks=(7, x.shape[1]))
    ya = da.from_array(y, chunks=7)
    arrays = linmod.ols(xa, ya)
    assert lre(arrays.coef.to_numpy(), problem.coef).min() >= 14
    with pytest.raises(InputError, match="refine='no' must be True, False or None"):
        linmod.ols(xa, ya, refine="no")


def test_penalised_fits_on_dask_equal_scikit_learn(client, frame):
    # A fixed penalty from the merged factor; cross-validation from one factor per fold,
    # each row's fold a seeded hash of its partition and its position there.
    from sklearn.linear_model import Lasso, LassoCV
    from sklearn.model_selection import PredefinedSplit

    from linmod.data.row_folds import fold_of_rows

    formula = "y ~ x1 + x2"
    x, y = frame[["x1", "x2"]].to_numpy(), frame["y"].to_numpy()
    ddf = dd.from_pandas(frame[["x1", "x2", "y"]], npartitions=3)
    fixed = linmod.lasso(formula, data=ddf, alpha=0.05, tol=1e-12, max_iter=100_000)
    ref = Lasso(alpha=0.05, tol=1e-12, max_iter=100_000).fit(x, y)
    assert_allclose(fixed.coef.to_numpy(), [ref.intercept_, *ref.coef_], rtol=1e-9)
    searched = linmod.lasso(
        formula, data=ddf, alpha="cv", standardize=False, tol=1e-12, max_iter=100_000
    )
    sizes = ddf.map_partitions(len).compute().tolist()
    folds = np.concatenate(
        [fold_of_rows(np.arange(m), 5, 0, stream=i + 1) for i, m in enumerate(sizes)]
    )
    sk = LassoCV(
        alphas=searched.cv.alphas_, cv=PredefinedSplit(folds), tol=1e-12, max_iter=100_000
    ).fit(x, y)
    assert_allclose(searched.cv.mse_path_, sk.mse_path_, rtol=1e-8)
    assert searched.alpha == sk.alpha_
