"""Streamed weighted OLS (``ols(formula, data=file, chunksize=..., weights="w")``, issue 15).

Every statistic a streamed fit offers equals the in-memory weighted fit's (itself tested
against R and statsmodels in test_weighted_ols.py) for all three meanings; and directly:
statsmodels' WLS for precision weights, the repeated rows for integer frequency weights,
NIST Longley with weights against exact rational arithmetic.  Hostile weights columns are
refused naming the file and its row.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import linmod
from linmod.diagnostics.homoscedasticity import breusch_pagan
from linmod.diagnostics.independence import durbin_watson
from linmod.diagnostics.normality import jarque_bera
from linmod.exceptions import InputError, LinmodWarning, NearSingularWarning
from linmod.inference.weighted import expanded_rows

from ..conftest import NIST_DIR
from .nist import read_nist
from .test_weighted_ols import _exact_wls

FORMULA = "y ~ x1 + x2 + C(g)"
RTOL = 1e-12
SCALARS = (
    "sigma", "ssr", "tss", "ess", "r_squared", "adj_r_squared", "f_statistic", "f_p_value",
    "log_likelihood", "aic", "bic", "mse", "rmse",
)  # fmt: skip


def _frame(kind: str, n: int = 700, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.uniform(1, 5, size=n),
            "g": rng.choice(["a", "b", "c"], size=n),
        }
    )
    data["y"] = 1 + 2 * data["x1"] - data["x2"] + rng.normal(size=n) * (1 + np.abs(data["x1"]))
    if kind == "frequency":
        data["w"] = rng.integers(0, 4, size=n).astype(float)
    else:
        data["w"] = rng.uniform(0.2, 3.0, size=n)
        data.loc[[4, n // 3, n - n // 7], "w"] = 0.0
    return data


@pytest.fixture(scope="module", params=["precision", "frequency", "sampling"])
def fits(request, tmp_path_factory):
    kind = request.param
    data = _frame(kind)
    path = tmp_path_factory.mktemp("weighted") / "data.csv"
    data.to_csv(path, index=False)
    memory = linmod.ols(FORMULA, data=data, weights="w", weights_type=kind)
    streamed = linmod.ols(
        FORMULA, data=str(path), chunksize=64, weights="w", weights_type=kind, second_pass=True
    )
    return kind, data, memory, streamed


def test_streamed_weighted_fit_equals_in_memory_on_every_statistic(fits):
    kind, _, memory, streamed = fits
    assert streamed.n_obs == memory.n_obs
    assert streamed.df_resid == memory.df_resid
    assert streamed.cov_type == memory.cov_type == ("HC1" if kind == "sampling" else "nonrobust")
    for name in ("coef", "std_err", "t_values"):
        assert_allclose(getattr(streamed, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    # p-values far in the tail amplify the rounding of t (by about t²)
    assert_allclose(streamed.p_values, memory.p_values, rtol=1e-10)
    assert_allclose(streamed.conf_int(0.9), memory.conf_int(0.9), rtol=RTOL)
    for name in SCALARS:
        assert_allclose(getattr(streamed, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    assert_allclose(streamed.mae, memory.mae, rtol=RTOL)  # from the second pass
    assert np.isnan(streamed.log_likelihood) == (kind == "sampling")


def test_streamed_robust_covariances_equal_in_memory(fits):
    kind, _, memory, streamed = fits
    for robust in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(
            streamed.robust(robust).cov_params(), memory.robust(robust).cov_params(), rtol=1e-11
        )
    if kind == "frequency":
        with pytest.raises(InputError, match="HAC covariances need the rows in time order"):
            streamed.robust("HAC")
    else:
        hac = streamed.robust("HAC")  # the default lag, floor(4 (n/100)^(2/9)) = 6
        assert hac.hac_lags == 6
        assert_allclose(hac.cov_params(), memory.robust("HAC", lags=6).cov_params(), rtol=1e-11)


def test_second_pass_diagnostics_equal_in_memory(fits):
    kind, _, memory, streamed = fits
    # frequency weights: the in-memory check() looks at the repeated rows
    target = expanded_rows(memory)[0] if kind == "frequency" else memory
    found = streamed.diagnostics
    assert_allclose(found.durbin_watson, durbin_watson(target).statistic, rtol=RTOL)
    assert_allclose(found.breusch_pagan[0], breusch_pagan(target).statistic, rtol=1e-11)
    assert_allclose(found.jarque_bera[0], jarque_bera(target).statistic, rtol=1e-11)
    influence = memory.influence()["cooks_distance"].sort_values(ascending=False)
    assert_allclose(found.largest_cooks["cooks_distance"], influence.iloc[:10], rtol=1e-11)
    rows = [int(label.rsplit(" ", 1)[1]) - 1 for label in found.largest_cooks.index]
    assert rows == list(influence.index[:10])  # data rows are numbered from 1, no header


def test_summary_says_what_the_weights_mean(fits):
    _, data, memory, streamed = fits
    line = next(s for s in memory.summary().splitlines() if s.startswith("Weights:"))
    assert line in streamed.summary()
    positive = int((data["w"] > 0).sum())
    assert f"Fitted out of core: {positive} rows folded" in streamed.summary()


def test_predicting_new_rows_follows_the_weights(fits):
    kind, data, memory, streamed = fits
    new = data.head(5)
    if kind == "sampling":
        with pytest.raises(InputError, match="sampling weights do not give"):
            streamed.predict(new, interval="prediction")
        return
    assert_allclose(
        streamed.predict(new, interval="confidence"), memory.predict(new, interval="confidence"),
        rtol=RTOL,
    )  # fmt: skip
    if kind == "precision":
        w0 = np.linspace(0.5, 2.0, 5)
        assert_allclose(
            streamed.predict(new, interval="prediction", weights=w0),
            memory.predict(new, interval="prediction", weights=w0),
            rtol=RTOL,
        )
        with pytest.warns(LinmodWarning, match="assuming constant prediction variance"):
            streamed.predict(new, interval="prediction")


def test_saved_streamed_fit_keeps_the_meaning(fits, tmp_path):
    kind, _, memory, streamed = fits
    streamed.save(tmp_path / "streamed.json")
    memory.save(tmp_path / "memory.json")
    loaded = linmod.load(tmp_path / "streamed.json")
    reference = linmod.load(tmp_path / "memory.json")
    expected = {"type": kind, "column": "w", "zero_weight_rows": memory.weights.n_zero}
    for key, value in expected.items():
        assert loaded.weights[key] == reference.weights[key] == value
    if kind == "sampling":  # the robust covariance travels with the file
        assert_allclose(loaded.weights["cov_params"], reference.weights["cov_params"], rtol=1e-11)
    assert_allclose(loaded.to_frame(), reference.to_frame(), rtol=1e-11)


# --------------------------------------------------------------------- independent references
def test_precision_weights_equal_statsmodels_wls(tmp_path):
    data = _frame("precision")
    data.to_csv(tmp_path / "d.csv", index=False)
    res = linmod.ols(
        "y ~ x1 + x2", data=str(tmp_path / "d.csv"), chunksize=50, weights="w", second_pass=True
    )
    kept = data[data["w"] > 0]
    x = sm.add_constant(kept[["x1", "x2"]].to_numpy())
    ref = sm.WLS(kept["y"].to_numpy(), x, weights=kept["w"].to_numpy()).fit()
    assert_allclose(res.coef, ref.params, rtol=1e-13)
    assert_allclose(res.std_err, ref.bse, rtol=1e-12)
    for name, value in (
        ("r_squared", ref.rsquared), ("adj_r_squared", ref.rsquared_adj),
        ("f_statistic", ref.fvalue), ("ssr", ref.ssr), ("tss", ref.centered_tss),
        ("log_likelihood", ref.llf), ("aic", ref.aic + 2),  # R (and linmod) count σ²
        ("bic", ref.bic + np.log(ref.nobs)),
    ):  # fmt: skip
        assert_allclose(getattr(res, name), value, rtol=1e-11, err_msg=name)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        robust = ref.get_robustcov_results(cov_type=kind)
        assert_allclose(res.robust(kind).std_err, robust.bse, rtol=1e-11)


def test_integer_frequency_weights_equal_the_repeated_rows(tmp_path):
    data = _frame("frequency", n=400)
    data.to_csv(tmp_path / "d.csv", index=False)
    res = linmod.ols(
        FORMULA, data=str(tmp_path / "d.csv"), chunksize=37, weights="w",
        weights_type="frequency", second_pass=True,
    )  # fmt: skip
    repeated = data.loc[data.index.repeat(data["w"].astype(int))].drop(columns="w")
    ref = linmod.ols(FORMULA, data=repeated)
    x = pd.get_dummies(repeated[["x1", "x2", "g"]], drop_first=True, dtype=float)
    sm_ref = sm.OLS(repeated["y"].to_numpy(), sm.add_constant(x.to_numpy())).fit()
    assert res.n_obs == len(repeated) == ref.n_obs
    assert_allclose(res.coef.to_numpy(), sm_ref.params, rtol=1e-12)
    assert_allclose(res.std_err.to_numpy(), sm_ref.bse, rtol=1e-12)
    for name in SCALARS:
        assert_allclose(getattr(res, name), getattr(ref, name), rtol=RTOL, err_msg=name)
    assert_allclose(res.log_likelihood, sm_ref.llf, rtol=1e-12)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        robust = sm_ref.get_robustcov_results(cov_type=kind)
        assert_allclose(res.robust(kind).std_err.to_numpy(), robust.bse, rtol=1e-11)
    assert_allclose(res.mae, np.mean(np.abs(sm_ref.resid)), rtol=1e-12)
    assert_allclose(res.diagnostics.durbin_watson, sm.stats.durbin_watson(sm_ref.resid), rtol=1e-12)
    assert res.diagnostics.shapiro_wilk[2] == len(repeated)  # every copy in the sample


@pytest.mark.parametrize("seed", [0, 1])
def test_longley_with_weights_streamed_reaches_the_float64_limit(seed, tmp_path):
    problem = read_nist(NIST_DIR / "Longley.dat")
    rng = np.random.default_rng(seed)
    data = problem.data.assign(w=rng.uniform(0.1, 10.0, len(problem.data)).round(3))
    x, y = problem.design()
    exact = _exact_wls(np.column_stack([np.ones(len(y)), x]), y, data["w"].to_numpy())
    data.to_csv(tmp_path / "longley.csv", index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NearSingularWarning)
        res = linmod.ols(problem.formula, data=str(tmp_path / "longley.csv"), chunksize=5,
                         weights="w")  # fmt: skip
    assert_allclose(res.coef.to_numpy(), exact, rtol=3e-14)


# --------------------------------------------------------------------- sources and formulas
def test_parquet_and_frames_and_iterators_agree(tmp_path):
    data = _frame("precision", n=300)
    data.to_parquet(tmp_path / "d.parquet")
    memory = linmod.ols("y ~ x1 + x2", data=data, weights="w")
    pieces = [data.iloc[i : i + 70] for i in range(0, 300, 70)]
    for source in (str(tmp_path / "d.parquet"), pieces, iter(pieces)):
        res = linmod.ols("y ~ x1 + x2", data=source, chunksize=64, weights="w")
        assert_allclose(res.coef, memory.coef, rtol=1e-10)
        assert_allclose(res.std_err, memory.std_err, rtol=1e-10)
        assert_allclose(res.r_squared, memory.r_squared, rtol=1e-10)
        assert res.n_obs == memory.n_obs


def test_dot_leaves_the_weights_out_and_naming_them_keeps_them(tmp_path):
    data = _frame("precision", n=200).drop(columns="g")
    data.to_csv(tmp_path / "d.csv", index=False)
    res = linmod.ols("y ~ .", data=str(tmp_path / "d.csv"), chunksize=30, weights="w")
    assert list(res.coef.index) == ["Intercept", "x1", "x2"]
    named = linmod.ols("y ~ x1 + w", data=str(tmp_path / "d.csv"), chunksize=30, weights="w")
    memory = linmod.ols("y ~ x1 + w", data=data, weights="w")
    assert_allclose(named.coef, memory.coef, rtol=1e-12)


def test_missing_weights_drop_their_rows_as_in_memory(tmp_path):
    data = _frame("precision", n=200)
    data.loc[[3, 150], "w"] = np.nan
    data.loc[7, "x1"] = np.nan
    data.to_csv(tmp_path / "d.csv", index=False)
    memory = linmod.ols(FORMULA, data=data, weights="w", missing="drop")
    res = linmod.ols(FORMULA, data=str(tmp_path / "d.csv"), chunksize=40, weights="w",
                     missing="drop")  # fmt: skip
    assert_allclose(res.coef, memory.coef, rtol=1e-12)
    assert res.n_obs == memory.n_obs == 200 - 3 - 3  # 3 missing, 3 zero weights
    assert res.design.dropped_count == len(memory.design.dropped_labels) == 3
    assert res.stream_weights.n_zero == memory.weights.n_zero == 3


def test_sampling_weights_read_the_data_twice_and_refuse_one_shot_iterators():
    data = _frame("sampling", n=200)
    with pytest.raises(InputError, match=r"sampling weights have robust \(HC1\) standard errors"):
        linmod.ols("y ~ x1", data=iter([data]), weights="w", weights_type="sampling")
    res = linmod.ols("y ~ x1", data=[data], weights="w", weights_type="sampling")
    assert res.totals.meats  # the second pass ran without second_pass=True


# --------------------------------------------------------------------- hostile input
def _write(tmp_path, data: pd.DataFrame) -> str:
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1.0, r"d.csv row 130: weights column 'w' is negative \(-1\)"),
        (np.inf, r"d.csv row 130: weights column 'w' is infinite"),
        (np.nan, r"d.csv row 130: weights column 'w' is missing; .*missing='drop'"),
        ("heavy", r"d.csv row 130: (weights )?column 'w' holds .*'heavy'"),
    ],
)
def test_a_bad_weight_in_the_third_chunk_names_its_file_row(tmp_path, value, message):
    data = _frame("precision", n=200).astype({"w": object})
    data.loc[129, "w"] = value  # chunk 3 of 50 rows; file row 130 (header is row 1)
    path = _write(tmp_path, data)
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x1", data=path, chunksize=50, weights="w")


def test_fractional_frequency_weights_are_refused_naming_the_row(tmp_path):
    data = _frame("frequency", n=120)
    data.loc[100, "w"] = 2.5
    with pytest.raises(InputError, match=r"row 101: weights column 'w' is 2.5, but frequency"):
        linmod.ols("y ~ x1", data=_write(tmp_path, data), chunksize=50, weights="w",
                   weights_type="frequency")  # fmt: skip


def test_all_zero_weights_are_refused(tmp_path):
    data = _frame("precision", n=120).assign(w=0.0)
    with pytest.raises(InputError, match=r"weights column 'w' is zero .or missing. in every row"):
        linmod.ols("y ~ x1", data=_write(tmp_path, data), chunksize=50, weights="w")


def test_a_weights_column_that_is_not_in_the_file_is_named(tmp_path):
    path = _write(tmp_path, _frame("precision", n=60))
    with pytest.raises(InputError, match=r"weights column 'wt' is not a column of .*d.csv"):
        linmod.ols("y ~ x1", data=path, chunksize=50, weights="wt")


def test_weights_that_cannot_follow_the_chunks_are_refused(tmp_path):
    path = _write(tmp_path, _frame("precision", n=60))
    with pytest.raises(InputError, match="an array of weights cannot follow the chunks"):
        linmod.ols("y ~ x1", data=path, weights=np.ones(60))
    with pytest.raises(InputError, match="weights_type='counts' is not known"):
        linmod.ols("y ~ x1", data=path, weights="w", weights_type="counts")
    with pytest.raises(InputError, match="HAC covariances need the rows in time order"):
        linmod.ols("y ~ x1", data=path, weights="w", weights_type="frequency", hac_lags=2)
    with pytest.raises(InputError, match="solver='qr' is not available for streamed"):
        linmod.ols("y ~ x1", data=path, weights="w", solver="qr")


# --------------------------------------------------------------------- the Parquet fast path
@pytest.mark.parametrize("kind", ["precision", "frequency"])
def test_parquet_record_batches_equal_in_memory(tmp_path, kind):
    data = _frame(kind, n=3000).drop(columns="g")
    data.loc[2500, "w"] = np.nan  # a batch with a null goes through pandas and is dropped
    path = tmp_path / "d.parquet"
    data.to_parquet(path, row_group_size=700)
    memory = linmod.ols("y ~ x1 + x2", data=data, weights="w", weights_type=kind, missing="drop")
    res = linmod.ols(
        "y ~ x1 + x2", data=str(path), chunksize=500, weights="w", weights_type=kind,
        missing="drop", refine=False,
    )  # fmt: skip
    assert res.n_obs == memory.n_obs
    assert res.stream_weights.n_zero == memory.weights.n_zero
    assert res.design.dropped_count == 1
    for name in ("coef", "std_err"):
        assert_allclose(getattr(res, name), getattr(memory, name), rtol=1e-12)
    for name in ("r_squared", "log_likelihood", "aic"):
        assert_allclose(getattr(res, name), getattr(memory, name), rtol=1e-12)


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        (-2.0, "precision", r"d.parquet row 2102: weights column 'w' is negative"),
        (np.inf, "precision", r"d.parquet row 2102: weights column 'w' is infinite"),
        (np.nan, "precision", r"d.parquet row 2102: weights column 'w' is missing"),
        (1.5, "frequency", r"d.parquet row 2102: weights column 'w' is 1.5, but frequency"),
    ],
)
def test_parquet_bad_weights_in_a_later_batch_name_the_row(tmp_path, value, kind, message):
    data = _frame(kind, n=3000).drop(columns="g")
    data.loc[2101, "w"] = value
    data.to_parquet(tmp_path / "d.parquet", row_group_size=700)
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x1 + x2", data=str(tmp_path / "d.parquet"), chunksize=500, weights="w",
                   weights_type=kind)  # fmt: skip
