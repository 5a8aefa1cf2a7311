"""Ridge, Lasso and elastic net on streamed data with a weights column (issue 15).

Equal to the in-memory weighted fits (scikit-learn's and glmnet's objectives with
weights, tested against glmnet elsewhere); integer frequency weights equal the repeated
rows; constant weights change nothing, cross-validation included.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError

FORMULA = "y ~ x1 + x2 + x3"
FITS = [
    ("ridge", {"alpha": 3.0}),
    ("lasso", {"alpha": 0.05, "tol": 1e-12}),  # converged far below the tolerance compared
    ("elastic_net", {"alpha": 0.05, "l1_ratio": 0.5, "tol": 1e-12}),
]


def _frame(n: int = 500, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {"x1": rng.normal(size=n), "x2": rng.normal(size=n) + 50, "x3": rng.normal(size=n)}
    )
    data["y"] = 1 + 2 * data["x1"] - 0.5 * data["x2"] + rng.normal(size=n)
    data["w"] = rng.uniform(0.2, 3.0, size=n)
    data.loc[[3, 99], "w"] = 0.0
    return data


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize(("penalty", "options"), FITS)
def test_streamed_weighted_penalised_fit_equals_in_memory(tmp_path, penalty, options, standardize):
    data = _frame()
    data.to_csv(tmp_path / "d.csv", index=False)
    fit = getattr(linmod, penalty)
    memory = fit(FORMULA, data=data, weights="w", standardize=standardize, **options)
    streamed = fit(
        FORMULA, data=str(tmp_path / "d.csv"), chunksize=60, weights="w",
        standardize=standardize, **options,
    )  # fmt: skip
    assert_allclose(streamed.coef, memory.coef, rtol=1e-10, atol=1e-12)
    assert_allclose(streamed.r_squared, memory.r_squared, rtol=1e-12)
    assert streamed.n_obs == memory.n_obs == 498
    line = next(s for s in streamed.summary().splitlines() if s.startswith("Weights:"))
    assert line.startswith("Weights: precision weights (1/variance) from column 'w'")
    assert line.endswith("2 rows of weight 0 left out of the fit")


@pytest.mark.parametrize(("penalty", "options"), FITS)
def test_integer_frequency_weights_equal_the_repeated_rows(tmp_path, penalty, options):
    data = _frame(300).assign(w=lambda d: np.tile([0, 1, 2, 3, 1], 60).astype(float))
    data.to_csv(tmp_path / "d.csv", index=False)
    repeated = data.loc[data.index.repeat(data["w"].astype(int))].drop(columns="w")
    fit = getattr(linmod, penalty)
    weighted = fit(FORMULA, data=str(tmp_path / "d.csv"), chunksize=50, weights="w",
                   weights_type="frequency", standardize=True, **options)  # fmt: skip
    reference = fit(FORMULA, data=repeated, standardize=True, **options)
    # the intercept is ybar - xbar·b with xbar_2 ≈ 50: rounding of those terms, 1e-12 of 25
    assert_allclose(weighted.coef, reference.coef, rtol=1e-10, atol=1e-10)
    assert_allclose(weighted.r_squared, reference.r_squared, rtol=1e-12)
    assert "standing for 420 rows" in weighted.summary()


def test_constant_weights_change_nothing_cross_validation_included(tmp_path):
    data = _frame().assign(w=2.5)
    data.to_csv(tmp_path / "d.csv", index=False)
    path = str(tmp_path / "d.csv")
    weighted = linmod.lasso(FORMULA, data=path, chunksize=70, weights="w", alpha="cv", cv=4)
    plain = linmod.lasso(FORMULA, data=path, chunksize=70, alpha="cv", cv=4)
    assert weighted.alpha == plain.alpha
    assert_allclose(weighted.cv.cv_curve_["mean_mse"], plain.cv.cv_curve_["mean_mse"], rtol=1e-10)
    assert_allclose(weighted.coef, plain.coef, rtol=1e-10, atol=1e-12)


def test_bad_weights_columns_are_refused_naming_the_row(tmp_path):
    data = _frame(200)
    data.loc[150, "w"] = -1.0
    data.to_csv(tmp_path / "d.csv", index=False)
    with pytest.raises(InputError, match=r"d.csv row 151: weights column 'w' is negative"):
        linmod.ridge(FORMULA, data=str(tmp_path / "d.csv"), chunksize=50, weights="w", alpha=1)
    data.assign(w=0.0).to_csv(tmp_path / "z.csv", index=False)
    with pytest.raises(InputError, match=r"weights column 'w' is zero .or missing. in every"):
        linmod.lasso(FORMULA, data=str(tmp_path / "z.csv"), weights="w", alpha=0.1)
    with pytest.raises(InputError, match=r"weights column 'v' is not a column of"):
        linmod.lasso(FORMULA, data=str(tmp_path / "d.csv"), weights="v", alpha=0.1)
    with pytest.raises(InputError, match="an array of weights cannot follow the chunks"):
        linmod.lasso(FORMULA, data=str(tmp_path / "d.csv"), weights=np.ones(200), alpha=0.1)
