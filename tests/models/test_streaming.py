"""Out-of-core OLS equals the in-memory fit: files, lists, iterators, both passes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf
from numpy.testing import assert_allclose
from scipy import stats
from statsmodels.stats.diagnostic import het_breuschpagan
from statsmodels.stats.stattools import durbin_watson, jarque_bera

import linmod
from linmod.exceptions import InputError, LinmodError

FORMULA = "y ~ x1 + np.log(x2) + C(group) + x1:x3"
RTOL = 1e-10


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(7)
    n = 3000
    data = pd.DataFrame(
        {
            "x1": rng.normal(size=n),
            "x2": rng.uniform(1, 100, size=n),
            "x3": rng.normal(5, 2, size=n),
            "group": rng.choice(["north", "south", "east"], size=n),
        }
    )
    noise = rng.normal(size=n) * (1 + np.abs(data["x1"]))  # heteroskedastic
    data["y"] = 2 + data["x1"] - 0.5 * np.log(data["x2"]) + (data["group"] == "east") + noise
    return data


@pytest.fixture(scope="module")
def files(frame, tmp_path_factory):
    folder = tmp_path_factory.mktemp("stream")
    csv, parquet = folder / "data.csv", folder / "data.parquet"
    frame.to_csv(csv, index=False)
    frame.to_parquet(parquet, index=False)
    parts = [folder / f"part{i}.parquet" for i in range(3)]
    for i, part in enumerate(parts):
        frame.iloc[i * 1000 : (i + 1) * 1000].to_parquet(part, index=False)
    return {"csv": csv, "parquet": parquet, "parts": parts}


def _same_fit(streamed, memory):
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    assert_allclose(streamed.std_err, memory.std_err, rtol=RTOL)
    for name in (
        "r_squared",
        "adj_r_squared",
        "f_statistic",
        "sigma",
        "aic",
        "bic",
        "log_likelihood",
    ):
        assert_allclose(getattr(streamed, name), getattr(memory, name), rtol=RTOL, err_msg=name)
    assert streamed.n_obs == memory.n_obs
    assert list(streamed.coef.index) == list(memory.coef.index)


@pytest.mark.parametrize("source", ["csv", "parquet", "parts"])
def test_files_equal_the_in_memory_fit(frame, files, source):
    streamed = linmod.ols(FORMULA, data=files[source], chunksize=700)
    _same_fit(streamed, linmod.ols(FORMULA, data=frame))
    assert streamed.solution.method == "tsqr"
    assert "Fitted out of core: 3000 rows" in streamed.summary()


def test_iterator_of_frames_with_declared_levels(frame):
    chunks = (frame.iloc[i : i + 450] for i in range(0, len(frame), 450))
    streamed = linmod.ols(FORMULA, data=chunks, levels={"group": ["east", "north", "south"]})
    _same_fit(streamed, linmod.ols(FORMULA, data=frame))


def test_second_pass_statistics_equal_the_in_memory_ones(frame, files):
    streamed = linmod.ols(
        FORMULA, data=files["parquet"], chunksize=333, second_pass=True, hac_lags=3
    )
    memory = linmod.ols(FORMULA, data=frame)
    for kind in ("HC0", "HC1", "HC2", "HC3"):
        assert_allclose(streamed.robust(kind).std_err, memory.robust(kind).std_err, rtol=RTOL)
    assert_allclose(
        streamed.robust("HAC", lags=3).std_err, memory.robust("HAC", lags=3).std_err, rtol=RTOL
    )
    assert_allclose(streamed.mae, memory.mae, rtol=RTOL)
    ref = smf.ols(FORMULA, data=frame).fit()
    diag = streamed.diagnostics
    assert_allclose(diag.durbin_watson, durbin_watson(ref.resid), rtol=RTOL)
    lm, lm_p, _, _ = het_breuschpagan(ref.resid, ref.model.exog)
    assert_allclose(diag.breusch_pagan[0], lm, rtol=1e-9)
    assert_allclose(diag.breusch_pagan[2], lm_p, rtol=1e-8)
    jb, jb_p, skew, kurt = jarque_bera(ref.resid)
    assert_allclose(diag.jarque_bera[:3], [jb, jb_p, skew], rtol=1e-9)
    assert_allclose(diag.jarque_bera[3], kurt - 3, rtol=1e-9)
    influence = ref.get_influence()
    top = np.sort(influence.cooks_distance[0])[::-1][:10]
    assert_allclose(diag.largest_cooks["cooks_distance"], top, rtol=1e-9)
    assert diag.shapiro_wilk[2] == 3000  # every residual fits in the sample here
    assert_allclose(diag.shapiro_wilk[0], stats.shapiro(ref.resid).statistic, rtol=1e-9)


def test_missing_rows_are_dropped_per_chunk_and_counted(frame, tmp_path):
    holes = frame.copy()
    holes.loc[[5, 1200, 2999], "x1"] = np.nan
    path = tmp_path / "holes.csv"
    holes.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"holes.csv row 6: column 'x1' is missing"):
        linmod.ols(FORMULA, data=path, chunksize=1000)
    streamed = linmod.ols(FORMULA, data=path, chunksize=1000, missing="drop")
    assert streamed.design.n_dropped == 3
    _same_fit(streamed, linmod.ols(FORMULA, data=holes, missing="drop"))


def test_unseen_level_names_file_row_and_column(frame):
    chunks = [frame.iloc[:1000], frame.iloc[1000:].assign(group="west")]
    with pytest.raises(InputError, match=r"chunk 1 row 1001, column 'group': level 'west'"):
        linmod.ols(FORMULA, data=chunks, levels={"group": ["east", "north", "south"]})


def test_undeclared_levels_of_a_one_shot_iterator_are_refused(frame):
    with pytest.raises(InputError, match="'group' need their levels declared"):
        linmod.ols(FORMULA, data=iter([frame.iloc[:100], frame.iloc[100:]]))


def test_schema_drift_between_files(frame, tmp_path):
    first, second = tmp_path / "a.parquet", tmp_path / "b.parquet"
    frame.iloc[:100].to_parquet(first)
    frame.iloc[100:].drop(columns="x3").to_parquet(second)
    with pytest.raises(InputError, match=r"b.parquet: column\(s\) 'x3' .* missing"):
        linmod.ols(FORMULA, data=[first, second])


def test_malformed_csv_row_is_reported(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("y,x1\n1,2\n2,3\n3,oops\n4,5\n")
    message = r"bad.csv row 3: column 'x1' holds text where numbers are expected: .* 'oops'"
    with pytest.raises(InputError, match=message):
        linmod.ols("y ~ x1", data=path, chunksize=2)


def test_default_hac_lags_and_unknown_kinds_on_a_streamed_fit(frame, files):
    streamed = linmod.ols(FORMULA, data=files["parquet"], chunksize=500, second_pass=True)
    memory = linmod.ols(FORMULA, data=frame)
    assert_allclose(streamed.robust("HAC").std_err, memory.robust("HAC").std_err, rtol=RTOL)
    with pytest.raises(InputError, match="covariance kind 'HC9' is not known"):
        streamed.robust("HC9")


def test_residual_quantities_need_the_second_pass(files):
    streamed = linmod.ols(FORMULA, data=files["csv"])
    with pytest.raises(LinmodError, match="streamed or distributed fit"):
        _ = streamed.residuals
    with pytest.raises(LinmodError, match="needs a second pass"):
        streamed.robust("HC3")
    assert streamed.predict(pd.read_csv(files["csv"]).head(3))["fit"].notna().all()


def test_bad_streaming_arguments(files, frame):
    with pytest.raises(InputError, match="chunksize=0 must be a positive integer"):
        linmod.ols(FORMULA, data=files["csv"], chunksize=0)
    with pytest.raises(InputError, match="a one-shot iterator cannot do"):
        linmod.ols(FORMULA, data=iter([frame]), second_pass=True)
    with pytest.raises(InputError, match="no such file"):
        linmod.ols(FORMULA, data=files["csv"].with_name("absent.csv"))
    with pytest.raises(InputError, match="not available for streamed data"):
        linmod.ols(FORMULA, data=files["csv"], solver="qr")


def test_statsmodels_agrees_with_the_streamed_coefficients(frame, files):
    streamed = linmod.ols("y ~ x1 + x3", data=files["parquet"], chunksize=512)
    ref = sm.OLS(frame["y"], sm.add_constant(frame[["x1", "x3"]])).fit()
    assert_allclose(streamed.coef, ref.params, rtol=1e-12)
    assert_allclose(streamed.std_err, ref.bse, rtol=1e-12)


def test_plain_column_fast_path_with_dropped_rows(frame, tmp_path):
    holes = frame.copy()
    holes.loc[[3, 1500], "x3"] = np.nan
    path = tmp_path / "plain.parquet"
    holes.to_parquet(path)
    streamed = linmod.ols("y ~ x1 + x3", data=path, chunksize=400, missing="drop")
    assert streamed.design.n_dropped == 2
    _same_fit(streamed, linmod.ols("y ~ x1 + x3", data=holes, missing="drop"))


def test_ridge_on_a_stream_equals_in_memory_ridge_and_scikit_learn(frame, files):
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import KFold

    streamed = linmod.ridge("y ~ x1 + x3", data=files["parquet"], alpha=25.0)
    memory = linmod.ridge("y ~ x1 + x3", data=frame, alpha=25.0)
    assert_allclose(streamed.coef, memory.coef, rtol=RTOL)
    ref = Ridge(alpha=25.0).fit(frame[["x1", "x3"]], frame["y"])
    assert_allclose(streamed.coef.iloc[1:], ref.coef_, rtol=RTOL)
    assert_allclose(streamed.coef["Intercept"], ref.intercept_, rtol=RTOL)
    assert_allclose(
        streamed.predict(frame.head(3))["fit"], ref.predict(frame[["x1", "x3"]].head(3)), rtol=RTOL
    )
    with pytest.raises(InputError, match=r"cv=KFold.* give a number of folds"):
        linmod.ridge("y ~ x1", data=files["parquet"], alpha="cv", cv=KFold(3))


def test_second_pass_skips_a_chunk_whose_rows_are_all_dropped():
    # Found in review: the second pass indexed the first residual of an empty block.
    import statsmodels.api as sm

    frame = pd.DataFrame({"x": np.arange(12.0), "y": np.arange(12.0) ** 1.5})
    frame.loc[[3, 4, 5], "x"] = np.nan  # the second chunk of three rows is all incomplete
    chunks = [frame.iloc[:3], frame.iloc[3:6], frame.iloc[6:]]
    streamed = linmod.ols("y ~ x", data=chunks, missing="drop", second_pass=True)
    complete = frame.dropna()
    ref = sm.OLS(complete["y"], sm.add_constant(complete["x"])).fit()
    assert streamed.design.n_dropped == 3
    assert_allclose(streamed.mae, np.mean(np.abs(ref.resid)), rtol=1e-12)
    assert_allclose(streamed.diagnostics.durbin_watson, durbin_watson(ref.resid), rtol=1e-12)
