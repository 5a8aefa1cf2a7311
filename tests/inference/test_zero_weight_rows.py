"""Columns named for cluster labels or a sort order on a weighted fit whose zero weights
drop rows: the labels are those of the rows fitted (before, the zero-weight rows were not
recorded in the design's data source, so every named column had the wrong length)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def weighted_data() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(19)
    n = 80
    df = pd.DataFrame(
        {"x": rng.standard_normal(n), "g": rng.integers(0, 9, n), "t": rng.permutation(n)}
    )
    df["y"] = 1 + 2 * df["x"] + rng.standard_normal(n)
    w = rng.uniform(0.5, 2.0, n)
    w[[0, 3, 11, 40]] = 0.0
    df.loc[7, "x"] = np.nan  # one row dropped as missing too
    return df, w


def _statsmodels_cluster_se(df: pd.DataFrame, w: np.ndarray) -> np.ndarray:
    used = (w > 0) & df["x"].notna().to_numpy()
    sub = df[used]
    fit = smf.wls("y ~ x", data=sub, weights=w[used]).fit(
        cov_type="cluster", cov_kwds={"groups": sub["g"].to_numpy()}
    )
    return fit.bse.to_numpy()


@pytest.mark.parametrize("groups", ["g", "array of every row"])
def test_cluster_labels_skip_zero_weight_rows(weighted_data, groups) -> None:
    df, w = weighted_data
    res = linmod.ols("y ~ x", data=df, weights=w, missing="drop")
    labels = "g" if groups == "g" else df["g"].to_numpy()
    se = res.robust("cluster", groups=labels).std_err.to_numpy()
    np.testing.assert_allclose(se, _statsmodels_cluster_se(df, w), rtol=1e-10)


def test_weights_column_and_cluster_column(weighted_data) -> None:
    df, w = weighted_data
    res = linmod.ols("y ~ x", data=df.assign(w=w), weights="w", missing="drop")
    se = res.robust("cluster", groups="g").std_err.to_numpy()
    np.testing.assert_allclose(se, _statsmodels_cluster_se(df, w), rtol=1e-10)


def test_order_by_data_column_skips_zero_weight_rows(weighted_data) -> None:
    df, w = weighted_data
    res = linmod.ols("y ~ x", data=df, weights=w, missing="drop")
    used = (w > 0) & df["x"].notna().to_numpy()
    by_name = res.check(order_by="t").independence.key_test
    by_values = res.check(order_by=df["t"].to_numpy()[used]).independence.key_test
    unordered = res.check().independence.key_test
    assert by_name.statistic == pytest.approx(by_values.statistic, rel=1e-15)
    assert by_name.statistic != pytest.approx(unordered.statistic, rel=1e-6)


def test_bootstrap_groups_column_skips_zero_weight_rows(weighted_data) -> None:
    df, w = weighted_data
    res = linmod.ols("y ~ x", data=df, weights=w, missing="drop")
    boot = res.bootstrap(n=50, groups="g", seed=1)
    assert boot.std_err.shape == (2,)
    assert np.all(np.isfinite(boot.std_err.to_numpy()))


def test_order_by_messages_name_order_by() -> None:
    df = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 7], "y": [1.0, 3, 2, 5, 4, 6], "t": range(6)})
    twice = pd.concat([df, df[["t"]]], axis=1)
    res = linmod.ols("y ~ x", data=twice)
    with pytest.raises(InputError, match=r"^order_by='t': the data has several columns"):
        res.check(order_by="t")
    with pytest.raises(InputError, match=r"groups='t': the data has several columns"):
        res.robust("cluster", groups="t")
