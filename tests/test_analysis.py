"""analyse(): every number behind the report, checked against statsmodels and scikit-learn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from sklearn.linear_model import lasso_path as sk_lasso_path
from statsmodels.stats.outliers_influence import OLSInfluence

import linmod
from linmod.analysis import TOP_INFLUENTIAL, Analysis, analyse
from linmod.model_selection import cross_validate_models

from .conftest import load_dataset

HOUSE = "price ~ square_feet + bedrooms + bathrooms + age + garage"
MTCARS = "mpg ~ wt + hp + C(cyl)"


@pytest.fixture(scope="module")
def house() -> pd.DataFrame:
    return linmod.datasets.house_prices()


@pytest.fixture(scope="module")
def house_analysis(house: pd.DataFrame) -> Analysis:
    return analyse(HOUSE, house)


@pytest.fixture(scope="module")
def mtcars_analysis() -> Analysis:
    return analyse(MTCARS, load_dataset("mtcars"), folds=4, seed=3, alpha=0.1)


def _statsmodels(formula: str, data: pd.DataFrame):
    return smf.ols(formula, data=data).fit()


@pytest.mark.parametrize("case", ["house", "mtcars"])
def test_coefficients_and_intervals_match_statsmodels(case, house, house_analysis, mtcars_analysis):
    if case == "house":
        analysis, ref, level_alpha = house_analysis, _statsmodels(HOUSE, house), 0.05
    else:
        analysis = mtcars_analysis
        ref, level_alpha = _statsmodels(MTCARS, load_dataset("mtcars")), 0.1
    table = analysis.coefficients
    terms = list(table.index)  # patsy puts categorical terms first; linmod keeps formula order
    assert sorted(terms) == sorted(ref.params.index)
    np.testing.assert_allclose(table["coef"], ref.params[terms], rtol=1e-10)
    np.testing.assert_allclose(table["std_err"], ref.bse[terms], rtol=1e-10)
    np.testing.assert_allclose(table["t_value"], ref.tvalues[terms], rtol=1e-10)
    np.testing.assert_allclose(table["p_value"], ref.pvalues[terms], rtol=1e-8, atol=1e-300)
    ci = ref.conf_int(alpha=level_alpha).loc[terms]
    np.testing.assert_allclose(table["lower"], ci[0], rtol=1e-10)
    np.testing.assert_allclose(table["upper"], ci[1], rtol=1e-10)
    assert not table["aliased"].any()
    assert analysis.confidence_level == pytest.approx(1 - level_alpha, rel=1e-15)


def test_fit_statistics_match_statsmodels(house, house_analysis):
    ref = _statsmodels(HOUSE, house)
    fit = house_analysis.fit
    assert (fit.n_obs, fit.n_params, fit.rank) == (500, 6, 6)
    assert (fit.df_model, fit.df_resid) == (5, 494)
    np.testing.assert_allclose(fit.r_squared, ref.rsquared, rtol=1e-10)
    np.testing.assert_allclose(fit.adj_r_squared, ref.rsquared_adj, rtol=1e-10)
    np.testing.assert_allclose(fit.sigma, np.sqrt(ref.scale), rtol=1e-10)
    np.testing.assert_allclose(fit.f_statistic, ref.fvalue, rtol=1e-9)
    np.testing.assert_allclose(fit.log_likelihood, ref.llf, rtol=1e-10)
    # R's AIC/BIC count sigma² as a parameter (k + 1 = 7); statsmodels' count k = 6.
    np.testing.assert_allclose(fit.aic, ref.aic + 2, rtol=1e-10)
    np.testing.assert_allclose(fit.bic, ref.bic + np.log(500), rtol=1e-10)
    np.testing.assert_allclose(fit.rmse, np.sqrt(np.mean(ref.resid**2)), rtol=1e-10)
    np.testing.assert_allclose(fit.mae, np.mean(np.abs(ref.resid)), rtol=1e-10)
    assert fit.intercept
    assert fit.cov_type == "nonrobust"


def test_assumption_report_uses_alpha(mtcars_analysis):
    report = mtcars_analysis.assumptions
    assert report.alpha == 0.1
    assert list(report.checks) == [
        "linearity",
        "independence",
        "homoscedasticity",
        "normality",
        "multicollinearity",
        "influence",
    ]


def test_influence_matches_statsmodels(house, house_analysis):
    ref = OLSInfluence(_statsmodels(HOUSE, house))
    cooks = ref.cooks_distance[0]
    order = np.argsort(-cooks)[:TOP_INFLUENTIAL]
    inf = house_analysis.influence
    assert list(inf.table.index) == list(house.index[order] + 1)  # rows numbered from 1
    np.testing.assert_allclose(inf.table["cooks_distance"], cooks[order], rtol=1e-9)
    np.testing.assert_allclose(inf.table["leverage"], ref.hat_matrix_diag[order], rtol=1e-9)
    np.testing.assert_allclose(
        inf.table["studentized_residual"], ref.resid_studentized_external[order], rtol=1e-9
    )
    np.testing.assert_allclose(inf.table["dffits"], ref.dffits[0][order], rtol=1e-9)
    np.testing.assert_allclose(inf.table["observed"], house["price"].to_numpy()[order], rtol=0)
    n, k = 500, 6
    assert inf.cooks_threshold == pytest.approx(4 / n, rel=1e-15)
    assert inf.leverage_threshold == pytest.approx(2 * k / n, rel=1e-15)
    assert inf.n_cooks_over == int(np.sum(cooks > 4 / n))
    assert inf.n_leverage_over == int(np.sum(ref.hat_matrix_diag > 2 * k / n))
    assert inf.n_outlying == int(np.sum(np.abs(ref.resid_studentized_external) > 3))


def test_overview_columns_and_correlations(house, house_analysis):
    ov = house_analysis.overview
    assert (ov.n_rows, ov.n_used, len(ov.dropped_rows)) == (500, 500, 0)
    assert list(ov.columns.index) == list(house.columns)
    assert ov.columns.loc["price", "role"] == "response"
    assert set(ov.columns.loc[ov.columns["role"] == "predictor"].index) == {
        "square_feet",
        "bedrooms",
        "bathrooms",
        "age",
        "garage",
    }
    sqft = house["square_feet"].to_numpy()
    row = ov.columns.loc["square_feet"]
    np.testing.assert_allclose(
        [row["min"], row["mean"], row["std"], row["max"]],
        [sqft.min(), sqft.mean(), sqft.std(ddof=1), sqft.max()],
        rtol=1e-12,
    )
    assert ov.columns.loc["bedrooms", "n_unique"] == len(set(house["bedrooms"]))
    assert next(iter(ov.correlations.columns)) == "price"
    order = list(ov.correlations.columns)
    expected = np.corrcoef(house[order].to_numpy(dtype=float), rowvar=False)
    np.testing.assert_allclose(ov.correlations.to_numpy(), expected, rtol=1e-12, atol=1e-14)


def test_overview_leaves_categorical_columns_out_of_correlations(mtcars_analysis):
    ov = mtcars_analysis.overview
    assert ov.columns.loc["cyl", "role"] == "predictor"
    assert ov.columns.loc["model", "role"] == "unused"
    assert np.isnan(ov.columns.loc["model", "mean"])
    assert ov.columns.loc["disp", "role"] == "unused"
    assert list(ov.correlations.columns) == ["mpg", "hp", "wt"]  # response, then data order


def test_missing_values_dropped_and_reported(house):
    data = house.copy()
    data["note"] = "x"
    data.loc[[3, 10, 42], "age"] = np.nan
    data.loc[[10, 77], "bedrooms"] = np.nan
    data.loc[[5], "note"] = None
    formula = "price ~ square_feet + bedrooms + age"
    with pytest.raises(linmod.InputError, match="missing"):
        analyse(formula, data)
    analysis = analyse(formula, data, missing="drop")
    ov = analysis.overview
    assert sorted(ov.dropped_rows) == [4, 11, 43, 78]  # 1-based rows
    assert (ov.n_rows, ov.n_used, ov.missing) == (500, 496, "drop")
    assert ov.columns.loc["age", "n_missing"] == 3
    assert ov.columns.loc["bedrooms", "n_missing"] == 2
    assert ov.columns.loc["note", "n_missing"] == 1
    assert ov.columns.loc["note", "role"] == "unused"
    complete = data.drop(index=[3, 10, 42, 77])
    ref = _statsmodels(formula, complete)
    np.testing.assert_allclose(analysis.coefficients["coef"], ref.params, rtol=1e-10)
    order = list(ov.correlations.columns)
    expected = np.corrcoef(complete[order].to_numpy(dtype=float), rowvar=False)
    np.testing.assert_allclose(ov.correlations.to_numpy(), expected, rtol=1e-12, atol=1e-14)
    assert analysis.comparison.n_obs == 496


def test_aliased_design():
    data = load_dataset("mtcars")
    data["wt2"] = 2.0 * data["wt"]
    analysis = analyse("mpg ~ wt + wt2 + hp", data)
    table = analysis.coefficients
    assert bool(table.loc["wt2", "aliased"])
    assert np.isnan(table.loc["wt2", "coef"])
    assert analysis.dependencies == ("wt2 = 2·wt",)
    ref = _statsmodels("mpg ~ wt + hp", data)
    np.testing.assert_allclose(table.drop(index="wt2")["coef"], ref.params, rtol=1e-10)
    assert analysis.fit.rank == 3
    assert analysis.fit.n_params == 4


def test_comparison_is_the_cross_validation_of_the_same_folds(house, house_analysis):
    direct = cross_validate_models(HOUSE, house, folds=5, seed=0)
    pd.testing.assert_frame_equal(house_analysis.comparison.to_frame(), direct.to_frame())
    assert house_analysis.comparison.n_folds == 5
    assert house_analysis.comparison.seed == 0


def test_lasso_path_on_standardized_matrix_matches_scikit_learn(house, house_analysis):
    summary = house_analysis.lasso
    names = ["square_feet", "bedrooms", "bathrooms", "age", "garage"]
    assert summary.path.feature_names == tuple(names)
    x = house[names].to_numpy(dtype=float)
    z = (x - x.mean(axis=0)) / x.std(axis=0)  # 1/n standard deviation, as glmnet
    y = house["price"].to_numpy()
    alphas, coefs, _ = sk_lasso_path(
        z, y - y.mean(), alphas=summary.path.alphas, tol=1e-12, max_iter=100_000
    )
    np.testing.assert_allclose(alphas, summary.path.alphas, rtol=0)
    scale = np.abs(coefs).max()
    np.testing.assert_allclose(summary.path.coefs, coefs, rtol=0, atol=1e-6 * scale)
    # The penalty the comparison reports for the Lasso is the one marked on the path.
    assert summary.alpha_min == house_analysis.comparison.alphas["lasso"]
    assert summary.alpha_min in set(summary.path.alphas)
    assert summary.alpha_1se in set(summary.path.alphas)
    assert summary.alpha_1se >= summary.alpha_min
    at_min = int(np.flatnonzero(alphas == summary.alpha_min)[0])
    np.testing.assert_allclose(
        summary.coefficients["alpha_min"], coefs[:, at_min], rtol=0, atol=1e-6 * scale
    )


def test_categorical_terms_are_penalised_columns(mtcars_analysis):
    summary = mtcars_analysis.lasso
    assert summary.path.feature_names == ("wt", "hp", "C(cyl)[T.6]", "C(cyl)[T.8]")
    assert list(summary.coefficients.index) == list(summary.path.feature_names)
    assert summary.alpha_min == mtcars_analysis.comparison.alphas["lasso"]


def test_model_without_intercept():
    data = linmod.datasets.house_prices()
    analysis = analyse("price ~ 0 + square_feet + age", data)
    ref = _statsmodels("price ~ 0 + square_feet + age", data)
    np.testing.assert_allclose(analysis.coefficients["coef"], ref.params, rtol=1e-10)
    assert not analysis.fit.intercept
    assert analysis.lasso.path.feature_names == ("square_feet", "age")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"folds": 1}, "folds=1"),
        ({"folds": 2.5}, "folds=2.5"),
        ({"alpha": 1.5}, "alpha=1.5"),
        ({"alpha": 0}, "alpha=0"),
        ({"seed": "x"}, "seed='x'"),
        ({"missing": "ignore"}, "ignore"),
    ],
)
def test_invalid_arguments(house, kwargs, message):
    with pytest.raises(linmod.InputError, match=message):
        analyse("price ~ square_feet", house, **kwargs)


def test_intercept_only_model_is_refused(house):
    with pytest.raises(linmod.InputError, match="no predictor"):
        analyse("price ~ 1", house)


def test_formula_must_be_a_string(house):
    with pytest.raises(linmod.InputError, match="formula must be a string"):
        analyse(None, house)  # type: ignore[arg-type]


def test_too_few_rows_for_the_folds(house):
    with pytest.raises(linmod.InputError, match="folds=5"):
        analyse("price ~ square_feet", house.iloc[:8])
