"""res.bootstrap(): each method against refits done by hand, reproducibility, bad inputs.

Expected replicates come from refitting each resample separately (numpy's ``lstsq`` or
statsmodels), never from linmod's batched refits; the wild cluster bootstrap-t p-values
and intervals from statsmodels' cluster-robust t statistics (CR1) on each bootstrap
sample.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

import linmod
from linmod.exceptions import InputError, LinmodError, LinmodWarning
from linmod.inference.bootstrap import BLOCK
from linmod.inference.bootstrap_intervals import norm_inter

ROOT = Path(__file__).resolve().parents[2]
MTCARS = pd.read_csv(ROOT / "tests" / "data" / "mtcars.csv")


@pytest.fixture(scope="module")
def fit() -> linmod.inference.results.OLSResults:
    return linmod.ols("mpg ~ wt + hp", data=MTCARS)


def _x_y(res):
    return res.design.x.copy(), res.design.y.copy()


def _lstsq(x, y):
    return np.linalg.lstsq(x, y, rcond=None)[0]


# ----------------------------------------------------------------------- by hand
def test_pairs_replicates_are_refits_of_the_resampled_rows(fit):
    x, y = _x_y(fit)
    draws = np.random.default_rng(5).integers(0, 32, size=(40, 32))
    boot = fit.bootstrap(method="pairs", draws=draws)
    expected = np.array([sm.OLS(y[i], x[i]).fit().params for i in draws])
    np.testing.assert_allclose(boot.replicates.to_numpy(), expected, rtol=1e-10)
    assert list(boot.replicates.columns) == ["Intercept", "wt", "hp"]


def test_residual_bootstrap_with_fixed_draws_by_hand(fit):
    x, y = _x_y(fit)
    beta = _lstsq(x, y)
    fitted, e = x @ beta, y - x @ beta
    h = np.diag(x @ np.linalg.inv(x.T @ x) @ x.T)
    modified = e / np.sqrt(1 - h)
    modified -= modified.mean()
    draws = np.random.default_rng(6).integers(0, 32, size=(30, 32))
    boot = fit.bootstrap(method="residual", draws=draws)
    expected = np.array([_lstsq(x, fitted + modified[i]) for i in draws])
    np.testing.assert_allclose(boot.replicates.to_numpy(), expected, rtol=1e-10)


@pytest.mark.parametrize("kind", ["rademacher", "mammen", "webb"])
def test_wild_bootstrap_with_fixed_weights_by_hand(fit, kind):
    x, y = _x_y(fit)
    beta = _lstsq(x, y)
    fitted, e = x @ beta, y - x @ beta
    h = np.diag(x @ np.linalg.inv(x.T @ x) @ x.T)
    weights = np.random.default_rng(7).choice([-1.0, 0.5, 2.0], size=(25, 32))
    boot = fit.bootstrap(method="wild", draws=weights, weights=kind)
    expected = np.array([_lstsq(x, fitted + e / np.sqrt(1 - h) * v) for v in weights])
    np.testing.assert_allclose(boot.replicates.to_numpy(), expected, rtol=1e-10)
    assert boot.weights == kind


def test_pairs_cluster_bootstrap_resamples_whole_clusters(fit):
    x, y = _x_y(fit)
    groups = MTCARS["carb"].to_numpy()
    labels = np.unique(groups)  # clusters are numbered in sorted order
    draws = np.random.default_rng(8).integers(0, labels.size, size=(20, labels.size))
    with np.errstate(all="ignore"):
        boot = fit.bootstrap(method="pairs", groups=groups, draws=draws)
    for b, picked in enumerate(draws):
        rows = np.concatenate([np.flatnonzero(groups == labels[g]) for g in picked])
        if np.linalg.matrix_rank(x[rows]) < 3:
            assert np.isnan(boot.replicates.iloc[b]).all()
        else:
            np.testing.assert_allclose(boot.replicates.iloc[b], _lstsq(x[rows], y[rows]), rtol=1e-9)


def test_jackknife_values_are_delete_one_refits(fit):
    x, y = _x_y(fit)
    boot = fit.bootstrap(10, seed=1)
    expected = np.array([_lstsq(np.delete(x, i, 0), np.delete(y, i)) for i in range(32)])
    np.testing.assert_allclose(boot.jackknife.to_numpy(), expected, rtol=1e-10)


def test_cluster_jackknife_leaves_out_whole_clusters(fit):
    x, y = _x_y(fit)
    groups = MTCARS["gear"].to_numpy()
    boot = fit.bootstrap(50, method="wild", groups=groups, seed=2, weights="webb")
    for g, label in enumerate(np.unique(groups)):
        keep = groups != label
        np.testing.assert_allclose(boot.jackknife.iloc[g], _lstsq(x[keep], y[keep]), rtol=1e-9)


def _cluster_t(x, y, codes, j):
    fitted = sm.OLS(y, x).fit(cov_type="cluster", cov_kwds={"groups": codes})
    return fitted.params[j], fitted.bse[j]


def test_wild_cluster_restricted_p_value_equals_brute_force(fit):
    """WCR: impose beta_j = 0, y* = X~b~ + e~ v_g, refit with CR1 errors, compare |t*|."""
    x, y = _x_y(fit)
    groups = MTCARS["carb"].to_numpy()
    codes = np.unique(groups, return_inverse=True)[1]
    weights = np.random.default_rng(9).choice([-1.0, 1.0], size=(60, 6))
    boot = fit.bootstrap(method="wild", groups=groups, draws=weights)
    for j, name in enumerate(["Intercept", "wt", "hp"]):
        b, se = _cluster_t(x, y, codes, j)
        others = np.delete(x, j, 1)
        restricted = others @ _lstsq(others, y)
        e_tilde = y - restricted
        t_star = []
        for v in weights:
            b_star, se_star = _cluster_t(x, restricted + e_tilde * v[codes], codes, j)
            t_star.append(b_star / se_star)
        # ties (the all-ones and all-minus-ones weights give back |t|) count as extreme
        expected = np.mean(np.abs(t_star) >= abs(b / se) * (1 - 1e-9))
        assert boot.p_values[name] == pytest.approx(expected, abs=1e-12)


def test_wild_cluster_percentile_t_interval_equals_brute_force(fit):
    x, y = _x_y(fit)
    groups = MTCARS["carb"].to_numpy()
    codes = np.unique(groups, return_inverse=True)[1]
    weights = np.random.default_rng(10).choice([-1.0, 1.0], size=(99, 6))
    boot = fit.bootstrap(method="wild", groups=groups, draws=weights, level=0.9)
    beta = _lstsq(x, y)
    e = y - x @ beta
    for j, name in enumerate(["Intercept", "wt", "hp"]):
        b, se = _cluster_t(x, y, codes, j)
        t_star = []
        for v in weights:
            b_star, se_star = _cluster_t(x, x @ beta + e * v[codes], codes, j)
            t_star.append((b_star - b) / se_star)
        t_star = np.sort(t_star)  # 100 * 0.05 = 5 (up to rounding): the 5th and 95th
        quantiles = norm_inter(np.asarray(t_star), np.array([0.95, 0.05]))[0]
        np.testing.assert_allclose(t_star[[94, 4]], quantiles, rtol=1e-9)
        expected = b - se * quantiles
        np.testing.assert_allclose(boot.conf_int("studentized").loc[name], expected, rtol=1e-9)
    # the replicates are the unrestricted wild cluster refits
    expected = np.array([_lstsq(x, x @ beta + e * v[codes]) for v in weights])
    np.testing.assert_allclose(boot.replicates.to_numpy(), expected, rtol=1e-10)


def test_few_clusters_enumerate_every_sign_pattern(fit):
    groups = MTCARS["cyl"].to_numpy()
    boot = fit.bootstrap(999, method="wild", groups=groups, seed=3)
    assert boot.enumerated
    assert boot.n_boot == 8
    assert boot.clusters == 3
    assert "enumerated" in boot.summary()
    mammen = fit.bootstrap(99, method="wild", groups=groups, seed=3, weights="mammen")
    assert not mammen.enumerated
    assert mammen.n_boot == 99


# --------------------------------------------------------------------- functions
def test_func_of_the_coefficients(fit):
    boot = fit.bootstrap(200, seed=4, func=lambda b: b["wt"] / b["hp"])
    whole = fit.bootstrap(200, seed=4)
    ratio = whole.replicates["wt"] / whole.replicates["hp"]
    np.testing.assert_allclose(boot.replicates["func"], ratio, rtol=1e-14)
    assert boot.estimate["func"] == pytest.approx(fit.coef["wt"] / fit.coef["hp"], rel=1e-14)
    jack = whole.jackknife["wt"] / whole.jackknife["hp"]
    np.testing.assert_allclose(boot.jackknife["func"], jack, rtol=1e-14)


def test_func_returning_an_array_names_its_values(fit):
    def both(b):
        return np.array([b["wt"], b["hp"] * 100])

    boot = fit.bootstrap(20, seed=4, func=both)
    assert list(boot.estimate.index) == ["both[0]", "both[1]"]
    assert boot.replicates.shape == (20, 2)


# ------------------------------------------------------------------ reproducible
def test_same_seed_same_replicates_and_the_draws_are_documented(fit):
    x, y = _x_y(fit)
    first = fit.bootstrap(300, seed=123)
    again = fit.bootstrap(300, seed=123)
    assert np.array_equal(first.replicates.to_numpy(), again.replicates.to_numpy())
    other = fit.bootstrap(300, seed=124)
    assert not np.array_equal(first.replicates.to_numpy(), other.replicates.to_numpy())
    # the documented protocol: default_rng(seed), one integers(0, n, size=n) per replicate
    rng = np.random.default_rng(123)
    rows = [rng.integers(0, 32, size=32) for _ in range(BLOCK + 1)]
    expected = [_lstsq(x[i], y[i]) for i in (rows[0], rows[BLOCK - 1], rows[BLOCK])]
    got = first.replicates.to_numpy()[[0, BLOCK - 1, BLOCK]]
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_wild_weights_follow_the_documented_draws(fit):
    x, y = _x_y(fit)
    beta = _lstsq(x, y)
    e = y - x @ beta
    h = np.diag(x @ np.linalg.inv(x.T @ x) @ x.T)
    rng = np.random.default_rng(77)
    signs = [rng.integers(0, 2, size=32) * 2.0 - 1.0 for _ in range(3)]
    boot = fit.bootstrap(3, method="wild", seed=77)
    expected = [_lstsq(x, x @ beta + e / np.sqrt(1 - h) * v) for v in signs]
    np.testing.assert_allclose(boot.replicates.to_numpy(), expected, rtol=1e-10)


def test_wide_data_uses_smaller_blocks_with_the_same_draws(fit, monkeypatch):
    first = fit.bootstrap(300, seed=5)
    monkeypatch.setattr("linmod.inference.bootstrap._BLOCK_BYTES", 8 * 32 * 7)  # 7 per block
    again = fit.bootstrap(300, seed=5)
    # the same draws; a block of another size may round sums in another order
    np.testing.assert_allclose(first.replicates.to_numpy(), again.replicates.to_numpy(), rtol=1e-12)


def test_seed_none_records_the_seed_it_drew(fit):
    boot = fit.bootstrap(50)
    assert isinstance(boot.seed, int)
    again = fit.bootstrap(50, seed=boot.seed)
    assert np.array_equal(boot.replicates.to_numpy(), again.replicates.to_numpy())
    generator = fit.bootstrap(50, seed=np.random.default_rng(1))
    assert generator.seed is None


# ------------------------------------------------------------------ intervals
def test_norm_inter_by_hand():
    t = np.arange(1.0, 20.0)  # 19 values: (19 + 1) * 0.25 = 5 exactly
    assert norm_inter(t, np.array([0.25]))[0][0] == 5.0
    from scipy.stats import norm

    alpha = 0.1  # rank 2: exact; 0.12 -> rank 2.4, interpolated on the normal scale
    assert norm_inter(t, np.array([alpha]))[0][0] == 2.0
    z, z2, z3 = norm.ppf(0.12), norm.ppf(2 / 20), norm.ppf(3 / 20)
    expected = 2 + (z - z2) / (z3 - z2) * (3 - 2)
    assert norm_inter(t, np.array([0.12]))[0][0] == pytest.approx(expected, rel=1e-14)
    values, extreme = norm_inter(t, np.array([0.01, 0.99]))
    assert extreme
    assert list(values) == [1.0, 19.0]


def test_intervals_at_another_level_and_summary(fit):
    boot = fit.bootstrap(499, seed=11)
    wide, narrow = boot.conf_int("percentile", 0.95), boot.conf_int("percentile", 0.5)
    assert (wide["lower"] < narrow["lower"]).all()
    assert (wide["upper"] > narrow["upper"]).all()
    table = boot.to_frame()
    assert list(table.columns) == [
        "estimate",
        "bias",
        "std_err",
        "perc_lower",
        "perc_upper",
        "bca_lower",
        "bca_upper",
    ]
    np.testing.assert_allclose(table["std_err"], boot.replicates.std(ddof=1), rtol=1e-12)
    text = boot.summary()
    assert "Bootstrap: pairs" in text
    assert "499 replicates, seed 11" in text
    assert "wt" in text
    assert str(boot) == text
    assert "BootstrapResults pairs" in repr(boot)


def test_bca_is_nan_when_every_replicate_is_on_one_side():
    from linmod.inference.bootstrap_intervals import bca_interval

    bounds, _ = bca_interval(np.arange(10.0), -1.0, np.arange(5.0), 0.9)
    assert np.isnan(bounds).all()


# ----------------------------------------------------------- rank deficiency
def test_rank_deficient_resamples_are_nan_counted_and_reported():
    data = pd.DataFrame(
        {"y": np.linspace(0, 3, 30) ** 2, "g": ["a"] * 28 + ["b"] * 2, "x": np.arange(30.0)}
    )
    res = linmod.ols("y ~ x + C(g)", data=data)
    with pytest.warns(LinmodWarning, match=r"of 400 resamples had a rank-deficient design"):
        boot = res.bootstrap(400, seed=1)
    missing = boot.replicates.isna().all(axis=1)
    assert boot.n_failed == int(missing.sum()) > 0
    assert np.isfinite(boot.conf_int("percentile").to_numpy()).all()
    assert "rank-deficient" in boot.summary()


def test_aliased_coefficients_stay_nan():
    data = MTCARS.assign(wt2=2 * MTCARS["wt"])
    res = linmod.ols("mpg ~ wt + wt2 + hp", data=data)
    assert res.aliased["wt2"]
    boot = res.bootstrap(50, seed=1)
    assert boot.replicates["wt2"].isna().all()
    assert boot.replicates["wt"].notna().all()


# ------------------------------------------------------------------- progress
def test_progress_bar_is_drawn_when_asked(fit, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    fit.bootstrap(300, seed=1, progress=True)
    assert "bootstrap replicates" in stream.getvalue()
    assert "300/300" in stream.getvalue()


# ------------------------------------------------------------------ bad inputs
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 1}, r"n=1 replicates: the bootstrap needs a whole number of at least 2"),
        ({"n": 2.5}, r"n=2.5 replicates"),
        ({"n": True}, r"n=True replicates"),
        ({"method": "jackknife"}, r"method='jackknife' is not known"),
        ({"level": 1.0}, r"level=1.0 must lie strictly between 0 and 1"),
        ({"level": 0}, r"level=0 must lie strictly between 0 and 1"),
        ({"seed": -1}, r"seed=-1 must be a non-negative whole number"),
        ({"weights": "webb"}, r"weights='webb' is for method='wild'"),
        ({"method": "wild", "weights": "normal"}, r"weights='normal' is not known"),
        ({"groups": np.ones(32)}, r"groups has a single cluster \(1.0\)"),
        ({"groups": np.arange(5)}, r"groups has shape \(5,\); it needs one cluster label"),
        ({"groups": "firm"}, r"groups='firm': no such column in the data; its columns are"),
        ({"method": "residual", "groups": np.arange(32) % 4}, r"method='residual' takes no"),
        ({"func": lambda b: np.ones((2, 2))}, r"func returned an array of shape \(2, 2\)"),
        ({"func": 3}, r"func=3 is not callable"),
        ({"draws": np.zeros((3, 5), dtype=int)}, r"draws has shape \(3, 5\)"),
        ({"draws": np.full((3, 32), 32)}, r"draws must hold whole-number row positions"),
    ],
)
def test_bad_inputs_are_refused_with_a_clear_message(fit, kwargs, message):
    with pytest.raises(InputError, match=message):
        fit.bootstrap(**{"n": 20, "seed": 1, **kwargs})


def test_func_changing_shape_names_the_replicate(fit):
    calls = {"count": 0}

    def unstable(b):
        calls["count"] += 1
        return b["wt"] if calls["count"] < 3 else np.array([1.0, 2.0])

    with pytest.raises(InputError, match=r"func returned shape \(2,\) for replicate 2"):
        fit.bootstrap(20, seed=1, func=unstable)


def test_groups_series_is_aligned_on_the_rows_used():
    data = MTCARS.copy()
    data.loc[3, "hp"] = np.nan
    res = linmod.ols("mpg ~ wt + hp", data=data, missing="drop")
    series = data["gear"]  # 32 labels for the 31 rows used: aligned on the index
    boot = res.bootstrap(50, method="wild", groups=series, seed=1, weights="webb")
    assert boot.clusters == 3
    with pytest.raises(InputError, match="lacks the fit's row"):
        res.bootstrap(50, method="wild", groups=series.iloc[5:], seed=1)
    with pytest.raises(InputError, match="groups is missing at row 2"):
        res.bootstrap(50, method="wild", groups=np.r_[1.0, np.nan, np.ones(29)], seed=1)


def test_streamed_fit_refuses_with_the_reason(tmp_path):
    path = tmp_path / "mtcars.csv"
    MTCARS.to_csv(path, index=False)
    res = linmod.ols("mpg ~ wt + hp", data=str(path), chunksize=10)
    with pytest.raises(
        LinmodError, match=r"bootstrap\(\) refits the model on resampled rows, which a streamed"
    ):
        res.bootstrap(20, seed=1)
