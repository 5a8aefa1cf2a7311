"""analyse() and ``linmod report`` with observation weights (issue 15)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.stats.outliers_influence import OLSInfluence

from linmod.analysis import Analysis, analyse
from linmod.cli.main import main
from linmod.exceptions import InputError
from linmod.model_selection import cross_validate_models, penalty_path

from .conftest import load_dataset

FORMULA = "mpg ~ wt + hp + qsec"


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    data = load_dataset("mtcars")[["model", "mpg", "wt", "hp", "qsec"]].copy()
    data["w"] = 1.0 / data["hp"] * 100.0
    data.loc[0, "mpg"] = 45.0  # an outlier, so the robust comparison is made
    data.loc[5, "w"] = 0.0
    return data


@pytest.fixture(scope="module")
def analysis(cars) -> Analysis:
    return analyse(FORMULA, cars, folds=4, seed=2, weights="w")


def _wls(cars):
    kept = cars[cars["w"] > 0]
    x = sm.add_constant(kept[["wt", "hp", "qsec"]].to_numpy())
    return sm.WLS(kept["mpg"].to_numpy(), x, weights=kept["w"].to_numpy()).fit(), kept


def test_fit_is_the_weighted_fit(cars, analysis):
    ref, kept = _wls(cars)
    np.testing.assert_allclose(analysis.coefficients["coef"], ref.params, rtol=1e-12)
    np.testing.assert_allclose(analysis.coefficients["std_err"], ref.bse, rtol=1e-11)
    np.testing.assert_allclose(analysis.fit.r_squared, ref.rsquared, rtol=1e-12)
    np.testing.assert_allclose(analysis.fit.log_likelihood, ref.llf, rtol=1e-12)
    assert analysis.fit.n_obs == len(kept) == 31
    assert analysis.fit.weights == (
        "precision (1/variance, as R's lm) from column 'w'; 1 zero-weight row dropped from the fit"
    )


def test_influence_table_shows_the_observed_response_and_weighted_measures(cars, analysis):
    # R's influence measures of a weighted fit are OLS's on the sqrt(w)-scaled rows
    # (statsmodels' OLSInfluence of a WLS fit is not weight-aware).
    _, kept = _wls(cars)
    root = np.sqrt(kept["w"].to_numpy())
    x = sm.add_constant(kept[["wt", "hp", "qsec"]].to_numpy()) * root[:, None]
    influence = OLSInfluence(sm.OLS(kept["mpg"].to_numpy() * root, x).fit())
    table = analysis.influence.table
    positions = [kept.index.get_loc(int(label) - 1) for label in table.index]  # 1-based labels
    np.testing.assert_allclose(table["observed"], kept["mpg"].to_numpy()[positions], rtol=0)
    np.testing.assert_allclose(
        table["cooks_distance"], influence.cooks_distance[0][positions], rtol=1e-9
    )
    np.testing.assert_allclose(table["leverage"], influence.hat_matrix_diag[positions], rtol=1e-9)


def test_every_part_follows_the_weights(cars, analysis):
    assert analysis.overview.columns.loc["w", "role"] == "weights"
    comparison = cross_validate_models(FORMULA, cars, folds=4, seed=2, weights="w")
    pd.testing.assert_frame_equal(analysis.comparison.folds, comparison.folds)
    assert analysis.comparison.weighted
    path = penalty_path(FORMULA, cars, folds=4, seed=2, weights="w", standardized=True)
    assert analysis.lasso.alpha_min == path.alpha_min
    unweighted = analyse(FORMULA, cars, folds=4, seed=2)
    assert analysis.lasso.alpha_min != unweighted.lasso.alpha_min
    assert analysis.robust is not None
    assert unweighted.robust is not None
    assert not np.allclose(analysis.robust.table["robust"], unweighted.robust.table["robust"])


def test_sampling_weights_report_robust_errors(cars):
    result = analyse(FORMULA, cars, folds=4, seed=2, weights="w", weights_type="sampling")
    ref, _ = _wls(cars)
    np.testing.assert_allclose(
        result.coefficients["std_err"], ref.get_robustcov_results("HC1").bse, rtol=1e-10
    )
    assert result.fit.cov_type == "HC1"


def test_bad_weights_name_the_problem(cars):
    with pytest.raises(InputError, match="not a column"):
        analyse(FORMULA, cars, weights="nope")
    with pytest.raises(InputError, match="weights_type"):
        analyse(FORMULA, cars, weights="w", weights_type="importance")


def test_report_command_with_weights(cars, tmp_path, capsys):
    path = tmp_path / "cars.csv"
    cars.to_csv(path, index=False)
    out = tmp_path / "r.html"
    args = ["report", str(path), "-f", "mpg ~ . - model", "--weights", "w", "-o", str(out)]
    assert main([*args, "--folds", "4", "--quiet"]) == 0
    page = out.read_text()
    assert "<dt>Weights</dt><dd>precision (1/variance, as R&#x27;s lm) from column" in page
    assert "held-out R², RMSE and MAE are weighted" in page
    assert "<dt>Observations</dt><dd>31</dd>" in page


@pytest.mark.parametrize("command", ["check", "cv", "path", "report"])
def test_commands_take_weights(cars, tmp_path, capsys, command):
    path = tmp_path / "cars.csv"
    cars.to_csv(path, index=False)
    extra = ["-o", str(tmp_path / "r.html"), "--quiet"] if command == "report" else []
    assert main([command, str(path), "-f", FORMULA, "--weights", "w", *extra]) == 0
    capsys.readouterr()
    code = main([command, str(path), "-f", FORMULA, "--weights-type", "frequency", *extra])
    assert code != 0
    assert "--weights-type frequency needs --weights COLUMN" in capsys.readouterr().err
