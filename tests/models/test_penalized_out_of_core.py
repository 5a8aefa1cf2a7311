"""Ridge, the Lasso and the elastic net on streamed data equal scikit-learn's in-memory fits.

References are scikit-learn's ``Ridge``, ``Lasso``, ``ElasticNet`` and ``LassoCV`` /
``ElasticNetCV`` on the whole data in memory, with the same folds given through
``PredefinedSplit`` (each row's fold recomputed here from its position with the
documented seeded hash), at a duality-gap tolerance tight enough for the comparisons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from sklearn.linear_model import ElasticNet, ElasticNetCV, Lasso, LassoCV, Ridge
from sklearn.model_selection import PredefinedSplit

import linmod
from linmod.data.row_folds import fold_of_rows
from linmod.exceptions import InputError, LinmodError

FEATURES = ["a", "b", "c", "d"]
FORMULA = "y ~ a + b + c + d"
TIGHT = 1e-12


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(8)
    n = 1500
    x = rng.normal(size=(n, 4)) * [1.0, 10.0, 0.1, 3.0] + [5.0, -20.0, 0.0, 100.0]
    x[:, 3] += 2.0 * x[:, 0]  # correlated columns
    y = 3.0 + x @ [1.5, 0.0, 8.0, -0.2] + rng.normal(size=n) * 2.0
    data = pd.DataFrame(x, columns=FEATURES)
    data["y"] = y
    return data


@pytest.fixture(scope="module")
def parquet(frame, tmp_path_factory):
    path = tmp_path_factory.mktemp("ooc") / "data.parquet"
    frame.to_parquet(path, row_group_size=400)
    return path


def _xy(frame):
    return frame[FEATURES].to_numpy(), frame["y"].to_numpy()


def _sklearn_coef(model):
    return np.concatenate([[model.intercept_], model.coef_])


@pytest.mark.parametrize(
    ("penalty", "alpha", "reference"),
    [
        ("lasso", 0.3, lambda a: Lasso(alpha=a, tol=TIGHT, max_iter=100_000)),
        (
            "elastic_net",
            0.2,
            lambda a: ElasticNet(alpha=a, l1_ratio=0.4, tol=TIGHT, max_iter=100_000),
        ),
        ("ridge", 50.0, lambda a: Ridge(alpha=a)),
    ],
)
def test_a_fixed_penalty_equals_scikit_learn_in_memory(frame, parquet, penalty, alpha, reference):
    x, y = _xy(frame)
    expected = _sklearn_coef(reference(alpha).fit(x, y))
    fit = getattr(linmod, penalty)
    options = {} if penalty == "ridge" else {"tol": TIGHT, "max_iter": 100_000}
    if penalty == "elastic_net":
        options["l1_ratio"] = 0.4
    for data in (parquet, [frame.iloc[:700], frame.iloc[700:]]):
        streamed = fit(FORMULA, data=data, alpha=alpha, **options)
        assert_allclose(streamed.coef.to_numpy(), expected, rtol=1e-9, atol=1e-10)
        assert streamed.n_obs == len(frame)
        residual = y - x @ expected[1:] - expected[0]
        r2 = 1 - residual @ residual / np.sum((y - y.mean()) ** 2)
        assert_allclose(streamed.r_squared, r2, rtol=1e-10)


@pytest.mark.parametrize("penalty", ["lasso", "elastic_net", "ridge"])
def test_standardized_fits_equal_the_in_memory_fits(frame, parquet, penalty):
    fit = getattr(linmod, penalty)
    options = {"alpha": 0.1} if penalty != "ridge" else {"alpha": 30.0}
    if penalty != "ridge":
        options.update(tol=TIGHT, max_iter=100_000)
    memory = fit(FORMULA, data=frame, standardize=True, **options)
    streamed = fit(FORMULA, data=parquet, standardize=True, **options)
    assert_allclose(streamed.coef, memory.coef, rtol=1e-9, atol=1e-10)
    assert streamed.dropped == memory.dropped


def _folds(n: int, k: int = 5, seed: int = 0) -> np.ndarray:
    return fold_of_rows(np.arange(n), k, seed)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_cross_validation_equals_scikit_learn_with_the_same_folds(frame, parquet, l1_ratio):
    x, y = _xy(frame)
    if l1_ratio == 1.0:
        streamed = linmod.lasso(
            FORMULA, data=parquet, alpha="cv", standardize=False, tol=TIGHT, max_iter=100_000
        )
    else:
        streamed = linmod.elastic_net(
            FORMULA, data=parquet, alpha="cv", l1_ratio=l1_ratio, standardize=False, tol=TIGHT,
            max_iter=100_000,
        )  # fmt: skip
    search = streamed.cv
    reference = ElasticNetCV if l1_ratio < 1 else LassoCV
    options = {"l1_ratio": l1_ratio} if l1_ratio < 1 else {}
    sk = reference(
        alphas=search.alphas_, cv=PredefinedSplit(_folds(len(y))), tol=TIGHT, max_iter=100_000,
        **options,
    ).fit(x, y)  # fmt: skip
    assert_allclose(search.alphas_, sk.alphas_, rtol=1e-14)
    assert_allclose(search.mse_path_, sk.mse_path_, rtol=1e-8)
    assert search.alpha_ == sk.alpha_
    assert streamed.alpha == sk.alpha_
    assert search.fold_sizes == tuple(np.bincount(_folds(len(y)), minlength=5))
    mse = sk.mse_path_
    se = mse.std(axis=1, ddof=1) / np.sqrt(mse.shape[1])
    i_min = int(np.argmin(mse.mean(axis=1)))
    within = mse.mean(axis=1) <= mse.mean(axis=1)[i_min] + se[i_min]
    assert search.alpha_1se_ == sk.alphas_[within].max()
    assert_allclose(streamed.coef.to_numpy(), _sklearn_coef(sk), rtol=1e-9, atol=1e-10)


def test_ridge_cross_validation_is_brute_force_refitting(frame, parquet):
    x, y = _xy(frame)
    streamed = linmod.ridge(FORMULA, data=parquet, alpha="1se", standardize=False)
    folds = _folds(len(y))
    alphas = streamed.cv.alphas_[::20]
    for i, alpha in enumerate(alphas):
        for j in range(5):
            train, test = folds != j, folds == j
            model = Ridge(alpha=alpha).fit(x[train], y[train])
            mse = np.mean((y[test] - model.predict(x[test])) ** 2)
            assert_allclose(streamed.cv.mse_path_[20 * i, j], mse, rtol=1e-10)
    assert streamed.alpha == streamed.cv.alpha_1se_


def test_the_folds_do_not_depend_on_the_chunk_size(frame, tmp_path):
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    small = linmod.lasso(FORMULA, data=path, alpha="cv", cv=4, chunksize=97)
    large = linmod.lasso(FORMULA, data=path, alpha="cv", cv=4, chunksize=50_000)
    assert_allclose(small.cv.mse_path_, large.cv.mse_path_, rtol=1e-10)
    assert (
        small.cv.fold_sizes
        == large.cv.fold_sizes
        == tuple(np.bincount(_folds(len(frame), k=4), minlength=4))
    )


def test_incomplete_rows_are_dropped_and_counted(frame):
    holes = frame.copy()
    holes.loc[[3, 50, 999], "b"] = np.nan
    streamed = linmod.lasso(
        FORMULA, data=[holes.iloc[:600], holes.iloc[600:]], alpha=0.3, missing="drop", tol=TIGHT
    )
    memory = linmod.lasso(FORMULA, data=holes, alpha=0.3, missing="drop", tol=TIGHT)
    assert streamed.design.n_dropped == 3
    assert streamed.n_obs == len(frame) - 3
    assert_allclose(streamed.coef, memory.coef, rtol=1e-9, atol=1e-10)


def test_prediction_works_and_row_statistics_say_why_they_cannot(frame, parquet):
    streamed = linmod.lasso(FORMULA, data=parquet, alpha=0.3)
    memory = linmod.lasso(FORMULA, data=frame, alpha=0.3)
    assert_allclose(streamed.predict(frame.head(20)), memory.predict(frame.head(20)), rtol=1e-9)
    for attribute in ("fitted", "residuals"):
        with pytest.raises(LinmodError, match=f"{attribute} needs the individual rows"):
            getattr(streamed, attribute)
    with pytest.raises(LinmodError, match="predict\\(\\) without new data needs"):
        streamed.predict()
    assert "Observations: 1500" in streamed.summary()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d: linmod.lasso(FORMULA, data=d, alpha=-1.0), r"alpha=-1\.0 is not valid"),
        (lambda d: linmod.lasso(FORMULA, data=d, alpha="best"), r"alpha='best' is not valid"),
        (
            lambda d: linmod.elastic_net(FORMULA, data=d, alpha=1.0, l1_ratio=2.0),
            r"l1_ratio=2\.0 is not valid",
        ),
        (lambda d: linmod.lasso(FORMULA, data=d, alpha="cv", cv=1), r"cv=1 is not valid"),
        (
            lambda d: linmod.lasso(FORMULA, data=d, alpha="cv", cv=PredefinedSplit([0, 1])),
            r"cv=PredefinedSplit.* give a number of folds",
        ),
        (lambda d: linmod.lasso(FORMULA, data=d, alpha=1.0, tol=-1.0), r"tol=-1\.0 is not valid"),
    ],
)
def test_bad_arguments_are_named(frame, call, message):
    with pytest.raises(InputError, match=message):
        call([frame])


def test_cross_validation_needs_rows_in_every_fold(frame):
    # Found in review: ten folds of four rows used the three folds the hash filled.
    with pytest.raises(InputError, match=r"cv=10 folds, but the folds hold .* use fewer folds"):
        linmod.lasso(FORMULA, data=[frame.head(4)], alpha="cv", cv=10)


def test_a_constant_column_stays_at_zero_when_standardizing(frame):
    # Found in review: the centred constant column read from the factor was rounding
    # noise, which standardising blew up to a unit column (intercept ~1e14).
    data = frame.assign(k=7.0)
    formula = FORMULA + " + k"
    memory = linmod.lasso(formula, data=data, alpha=0.3, standardize=True, tol=TIGHT)
    streamed = linmod.lasso(formula, data=[data], alpha=0.3, standardize=True, tol=TIGHT)
    assert streamed.coef["k"] == 0.0
    assert_allclose(streamed.coef, memory.coef, rtol=1e-9, atol=1e-10)
    # With the same folds, the constant column changes nothing in the cross-validation.
    with_k = linmod.lasso(formula, data=[data], alpha="cv", standardize=True, tol=TIGHT)
    without = linmod.lasso(FORMULA, data=[frame], alpha="cv", standardize=True, tol=TIGHT)
    assert with_k.coef["k"] == 0.0
    assert_allclose(with_k.cv.mse_path_, without.cv.mse_path_, rtol=1e-9)
    assert_allclose(with_k.coef.drop("k"), without.coef, rtol=1e-9, atol=1e-10)


def test_ridge_without_penalty_on_a_rank_deficient_design_is_the_minimum_norm_fit(frame):
    # Found in review: singular values at rounding level were inverted (coefficients
    # ~1e14 with a duplicated column, NaN with fewer rows than columns).
    data = frame.assign(dup=frame["a"])
    formula = FORMULA + " + dup"
    for rows in (data, data.head(4)):
        streamed = linmod.ridge(formula, data=[rows], alpha=0.0)
        x = rows[[*FEATURES, "dup"]].to_numpy()
        y = rows["y"].to_numpy()
        xc = x - x.mean(axis=0)
        slopes = np.linalg.lstsq(xc, y - y.mean(), rcond=None)[0]  # minimum norm
        assert_allclose(streamed.coef.to_numpy()[1:], slopes, rtol=1e-8, atol=1e-10)
        assert streamed.coef["a"] == pytest.approx(streamed.coef["dup"], rel=1e-12)


def test_cv_none_means_five_folds_as_in_memory(frame):
    streamed = linmod.lasso(FORMULA, data=[frame], alpha="cv", cv=None)
    assert len(streamed.cv.fold_sizes) == 5


def test_a_constant_response_is_fitted_perfectly():
    data = pd.DataFrame({"a": np.arange(20.0), "y": np.full(20, 3.5)})
    for fit in (linmod.lasso, linmod.ridge, linmod.elastic_net):
        assert fit("y ~ a", data=[data], alpha=0.1).r_squared == 1.0


def test_the_module_imports_on_its_own():
    # Found in review: a circular import when this module was imported first.
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", "import linmod.models.penalized_folded"], check=True)


def test_a_large_column_offset_does_not_cost_digits(frame):
    # Found in review: folding x + 1e10 (unit spread) gave slopes with 7 digits; the
    # columns are now shifted by their means over the first rows before folding.
    data = frame.assign(a=frame["a"] + 1e10, y=frame["y"] + 1e9)
    x, y = _xy(data)
    ridge = Ridge(alpha=50.0).fit(x, y)
    streamed = linmod.ridge(FORMULA, data=[data.iloc[:500], data.iloc[500:]], alpha=50.0)
    assert_allclose(streamed.coef.to_numpy()[1:], ridge.coef_, rtol=1e-9)
    # The intercept is a difference of terms near 1.5e10: float64 fixes it to about 1e-5.
    assert_allclose(streamed.coef["Intercept"], ridge.intercept_, atol=1e-5)
    lasso = Lasso(alpha=0.3, tol=TIGHT, max_iter=100_000).fit(x, y)
    streamed = linmod.lasso(FORMULA, data=[data], alpha=0.3, tol=TIGHT, max_iter=100_000)
    assert_allclose(streamed.coef.to_numpy()[1:], lasso.coef_, rtol=1e-8, atol=1e-10)
    yc, xc = y - y.mean(), x - x.mean(axis=0)  # centred first: no cancellation
    residual = yc - xc @ lasso.coef_
    assert_allclose(streamed.r_squared, 1 - residual @ residual / (yc @ yc), rtol=1e-10)
