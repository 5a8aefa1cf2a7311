"""``ols`` with several responses against R's ``lm(cbind(...) ~ ...)`` and statsmodels."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError
from linmod.inference.multi_results import MultiOLSResults

from ..conftest import DATA_DIR, ROOT, load_dataset

REFERENCE = json.loads((ROOT / "references" / "r" / "mlm_reference.json").read_text())
CASES = ["cyl", "three"]
TIGHT = 1e-11  # mtcars is well conditioned: R's QR and linmod's refined QR agree this far
P_VALUES = 1e-9


@pytest.fixture(scope="module")
def cars() -> pd.DataFrame:
    return load_dataset("mtcars")


def _fit(cars: pd.DataFrame, case: str) -> MultiOLSResults:
    res = linmod.ols(REFERENCE[case]["linmod_formula"], data=cars)
    assert isinstance(res, MultiOLSResults)
    assert isinstance(res, linmod.MultiOLSResults)  # exported at top level, as OLSResults
    return res


@pytest.mark.parametrize("case", CASES)
def test_coefficients_residuals_and_fitted_values_match_r(cars, case):
    ref = REFERENCE[case]
    res = _fit(cars, case)
    assert res.response_names == ref["responses"]
    assert res.coef.shape == (len(ref["coef_names"]), len(ref["responses"]))
    assert_allclose(res.coef.to_numpy(), np.array(ref["coef"]), rtol=TIGHT)
    residuals, expected = res.residuals.to_numpy(), np.array(ref["residuals"])
    for j, scale in enumerate(np.abs(np.array(ref["fitted"])).max(axis=0)):
        assert_allclose(residuals[:, j], expected[:, j], rtol=0, atol=1e-12 * scale)
    assert_allclose(res.fitted.to_numpy(), np.array(ref["fitted"]), rtol=TIGHT)
    assert res.df_resid == ref["df_residual"]


@pytest.mark.parametrize("case", CASES)
def test_residual_covariance_and_vcov_match_r_estvar_and_vcov_mlm(cars, case):
    ref = REFERENCE[case]
    res = _fit(cars, case)
    assert_allclose(res.resid_cov.to_numpy(), np.array(ref["est_var"]), rtol=TIGHT)
    assert_allclose(res.sigma.to_numpy(), np.sqrt(np.diag(ref["est_var"])), rtol=TIGHT)
    vcov = res.vcov()
    assert_allclose(vcov.to_numpy(), np.array(ref["vcov"]), rtol=TIGHT)
    # R's names, response-major, with linmod's term names.
    r_terms = [name.split(":", 1) for name in ref["vcov_names"]]
    names = [f"{response}:{term}" for response in res.response_names for term in res.names]
    assert list(vcov.index) == names == list(vcov.columns)
    assert [n.split(":", 1)[0] for n in names] == [r for r, _ in r_terms]


@pytest.mark.parametrize("case", CASES)
def test_each_response_has_the_summary_of_summary_mlm(cars, case):
    ref = REFERENCE[case]
    res = _fit(cars, case)
    for name in ref["responses"]:
        expected, single = ref["summary"][name], res[name]
        assert single is res.responses[name]
        assert_allclose(single.coef, expected["estimate"], rtol=TIGHT)
        assert_allclose(single.std_err, expected["std_error"], rtol=TIGHT)
        assert_allclose(single.t_values, expected["t_value"], rtol=TIGHT)
        assert_allclose(single.p_values, expected["p_value"], rtol=P_VALUES)
        assert_allclose(single.sigma, expected["sigma"], rtol=TIGHT)
        assert_allclose(single.r_squared, expected["r_squared"], rtol=TIGHT)
        assert_allclose(single.adj_r_squared, expected["adj_r_squared"], rtol=TIGHT)
        assert_allclose(single.f_statistic, expected["f_statistic"][0], rtol=TIGHT)
        assert_allclose(single.f_p_value, expected["f_p_value"], rtol=P_VALUES)
        assert_allclose(single.conf_int().to_numpy(), np.array(expected["conf_int"]), rtol=TIGHT)


@pytest.mark.parametrize("case", CASES)
def test_predictions_for_new_rows_match_r(cars, case):
    ref = REFERENCE[case]
    res = _fit(cars, case)
    predicted = res.predict(pd.DataFrame(REFERENCE["new_data"]))
    assert list(predicted.columns) == ref["responses"]
    assert_allclose(predicted.to_numpy(), np.array(ref["predict"]), rtol=TIGHT)
    assert_allclose(res.predict().to_numpy(), np.array(ref["fitted"]), rtol=TIGHT)


def test_summary_prints_one_block_per_response_as_summary_mlm(cars):
    res = _fit(cars, "cyl")
    text = res.summary()
    assert text.startswith("Response mpg :\n")
    assert text.count("Response ") == 2
    assert text.index("Response mpg :") < text.index("Response qsec :")
    assert text.split("Response qsec :", 1)[1].strip() == res["qsec"].summary().strip()
    assert str(res) == text
    assert "2 responses" in repr(res)


def test_three_spellings_give_the_same_fit(cars):
    plus = _fit(cars, "cyl")
    cbind = linmod.ols("cbind(mpg, qsec) ~ wt + C(cyl)", data=cars)
    pd.testing.assert_frame_equal(plus.coef, cbind.coef)
    x = pd.get_dummies(cars["cyl"].astype("category"), prefix="cyl", drop_first=True)
    arrays = linmod.ols(pd.concat([cars[["wt"]], x.astype(float)], axis=1), cars[["mpg", "qsec"]])
    assert arrays.response_names == ["mpg", "qsec"]
    assert_allclose(arrays.coef.to_numpy(), plus.coef.to_numpy(), rtol=1e-14)


def test_each_response_matches_its_statsmodels_fit(cars):
    sm = pytest.importorskip("statsmodels.formula.api")
    res = linmod.ols("mpg + qsec + hp ~ wt + disp + C(am)", data=cars)
    for name in ["mpg", "qsec", "hp"]:
        reference = sm.ols(f"{name} ~ wt + disp + C(am)", data=cars).fit()
        single = res[name]
        terms = list(single.names)
        assert_allclose(single.coef.to_numpy(), reference.params[terms].to_numpy(), rtol=1e-11)
        assert_allclose(single.std_err.to_numpy(), reference.bse[terms].to_numpy(), rtol=1e-11)
        assert_allclose(single.r_squared, reference.rsquared, rtol=1e-12)
        assert_allclose(single.f_statistic, reference.fvalue, rtol=1e-11)
    residuals = res.residuals.to_numpy()
    assert_allclose(res.resid_cov.to_numpy(), residuals.T @ residuals / res.df_resid, rtol=1e-12)


def test_a_two_dimensional_array_y_names_its_responses_y0_y1(cars):
    x = cars[["wt", "disp"]].to_numpy()
    y = cars[["mpg", "qsec"]].to_numpy()
    res = linmod.ols(x, y)
    assert res.response_names == ["y0", "y1"]
    assert list(res.coef.index) == ["Intercept", "x0", "x1"]
    single = linmod.ols(x, y[:, 1])
    assert_allclose(res["y1"].coef.to_numpy(), single.coef.to_numpy(), rtol=1e-15)
    assert res.predict(x[:3]).shape == (3, 2)
    no_intercept = linmod.ols(x, y, fit_intercept=False)
    assert list(no_intercept.coef.index) == ["x0", "x1"]


def test_a_single_column_y_stays_a_single_response_fit(cars):
    res = linmod.ols(cars[["wt"]].to_numpy(), cars[["mpg"]].to_numpy())
    assert not isinstance(res, MultiOLSResults)
    assert not isinstance(linmod.ols("mpg ~ wt", data=cars), MultiOLSResults)
    # I(a + b) is one response: the sum (R reads 'a + b ~ x' so; linmod needs I()).
    total = linmod.ols("I(mpg + qsec) ~ wt", data=cars)
    assert not isinstance(total, MultiOLSResults)


def test_dot_leaves_out_every_response(cars):
    data = cars[["mpg", "qsec", "wt", "hp"]]
    res = linmod.ols("mpg + qsec ~ .", data=data)
    assert list(res.names) == ["Intercept", "wt", "hp"]


def test_transformed_responses_are_named_by_their_expression(cars):
    res = linmod.ols("np.log(mpg) + qsec ~ wt", data=cars)
    assert res.response_names == ["np.log(mpg)", "qsec"]
    assert_allclose(
        res["np.log(mpg)"].coef.to_numpy(),
        linmod.ols("np.log(mpg) ~ wt", data=cars).coef.to_numpy(),
        rtol=1e-15,
    )


# ---------------------------------------------------------------------- missing values
def test_missing_response_value_is_named_with_its_column_and_1_based_row(cars):
    x = cars[["wt"]].to_numpy()
    y = cars[["mpg", "qsec"]].to_numpy().copy()
    y[4, 1] = np.nan
    with pytest.raises(
        InputError, match=r"response 'y1' has 1 missing values in row 5;.*missing='drop'"
    ):
        linmod.ols(x, y)
    frame = cars[["mpg", "qsec"]].copy()
    frame.iloc[6, 0] = np.nan
    with pytest.raises(InputError, match=r"response 'mpg' has 1 missing values in row 7"):
        linmod.ols(cars[["wt"]], frame)
    data = cars.copy()
    data.loc[2, "qsec"] = np.nan
    with pytest.raises(InputError, match=r"column 'qsec' has 1 missing values in row 3"):
        linmod.ols("mpg + qsec ~ wt", data=data)


def test_missing_drop_drops_the_same_rows_for_every_response(cars):
    data = cars.copy()
    data.loc[2, "qsec"] = np.nan  # only in the second response
    data.loc[5, "mpg"] = np.nan  # only in the first
    data.loc[9, "wt"] = np.nan  # a predictor
    res = linmod.ols("mpg + qsec ~ wt", data=data, missing="drop")
    assert res.n_obs == 29
    for name in ["mpg", "qsec"]:
        assert list(res[name].design.shown_dropped_labels) == [3, 6, 10]
        assert res[name].n_obs == 29
    complete = data.dropna(subset=["mpg", "qsec", "wt"])
    for name in ["mpg", "qsec"]:
        expected = linmod.ols(f"{name} ~ wt", data=complete).coef.to_numpy()
        assert_allclose(res[name].coef.to_numpy(), expected, rtol=1e-14)
    assert list(res.residuals.index) == list(complete.index)

    x = data[["wt"]].to_numpy()
    y = data[["mpg", "qsec"]].to_numpy()
    arrays = linmod.ols(x, y, missing="drop")
    assert arrays.n_obs == 29
    assert list(arrays["y1"].design.shown_dropped_labels) == [3, 6, 10]
    assert_allclose(arrays.coef.to_numpy(), res.coef.to_numpy(), rtol=1e-14)


def test_a_row_missing_in_every_response_leaves_no_row():
    data = pd.DataFrame({"a": [1.0, np.nan], "b": [np.nan, 2.0], "x": [1.0, 2.0]})
    with pytest.raises(InputError, match="no row has every response"):
        linmod.ols("a + b ~ x", data=data, missing="drop")


# ---------------------------------------------------------------------- refusals
def test_a_response_on_the_right_hand_side_is_refused(cars):
    with pytest.raises(InputError, match=r"'qsec' are the response and cannot also be"):
        linmod.ols("mpg + qsec ~ wt + qsec", data=cars)


def test_a_response_named_twice_or_empty_is_refused(cars):
    with pytest.raises(InputError, match=r"names the response\(s\) 'mpg' more than once"):
        linmod.ols("mpg + mpg ~ wt", data=cars)
    with pytest.raises(InputError, match="has an empty response"):
        linmod.ols("cbind(mpg, ) ~ wt", data=cars)


def test_a_constant_response_is_refused_by_name(cars):
    data = cars.assign(one=1.0)
    with pytest.raises(InputError, match=r"the response 'one' is constant"):
        linmod.ols("mpg + one ~ wt", data=data)


def test_weights_with_several_responses_are_refused(cars):
    with pytest.raises(InputError, match=r"weights= is not available with several responses"):
        linmod.ols("mpg + qsec ~ wt", data=cars, weights="hp")
    with pytest.raises(InputError, match=r"weights= is not available with several responses"):
        linmod.ols(cars[["wt"]], cars[["mpg", "qsec"]], weights=np.ones(32))


def test_streamed_and_dask_data_are_refused(cars, tmp_path):
    path = tmp_path / "cars.csv"
    cars.to_csv(path, index=False)
    with pytest.raises(InputError, match="several responses are fitted in memory only"):
        linmod.ols("mpg + qsec ~ wt", data=str(path))
    with pytest.raises(InputError, match="several responses are fitted in memory only"):
        linmod.ols("mpg + qsec ~ wt", data=cars, engine="dask")
    dd = pytest.importorskip("dask.dataframe")
    with pytest.raises(InputError, match="several responses are fitted in memory only"):
        linmod.ols("mpg + qsec ~ wt", data=dd.from_pandas(cars, npartitions=2))
    da = pytest.importorskip("dask.array")
    x = da.from_array(cars[["wt"]].to_numpy(), chunks=16)
    y = da.from_array(cars[["mpg", "qsec"]].to_numpy(), chunks=16)
    with pytest.raises(InputError, match="several responses are fitted in memory only"):
        linmod.ols(x, y)


def test_out_of_core_options_are_refused(cars):
    with pytest.raises(InputError, match=r"second_pass= is for streamed or Dask data"):
        linmod.ols("mpg + qsec ~ wt", data=cars, second_pass=True)
    with pytest.raises(InputError, match=r"refine, timeout= are for streamed"):
        linmod.ols("mpg + qsec ~ wt", data=cars, refine=True, timeout=3.0)


def test_formula_and_array_argument_mistakes_are_refused(cars):
    with pytest.raises(InputError, match="a formula needs data="):
        linmod.ols("mpg + qsec ~ wt")
    with pytest.raises(InputError, match="not as y"):
        linmod.ols("mpg + qsec ~ wt", cars, data=cars)
    with pytest.raises(InputError, match="data= is for formulas"):
        linmod.ols(cars[["wt"]], cars[["mpg", "qsec"]], data=cars)
    with pytest.raises(InputError, match=r"X has 32 rows but Y has 31"):
        linmod.ols(cars[["wt"]], cars[["mpg", "qsec"]].iloc[:31])
    with pytest.raises(InputError, match=r"response 'model' holds non-numeric values"):
        linmod.ols(cars[["wt"]], cars[["mpg", "model"]])
    y = cars[["mpg", "qsec"]].to_numpy().copy()
    y[0, 0] = np.inf
    with pytest.raises(InputError, match=r"response 'y0' is infinite in row 1"):
        linmod.ols(cars[["wt"]].to_numpy(), y)


def test_the_cli_refuses_several_responses(tmp_path, capsys):
    from linmod.cli.main import main

    path = DATA_DIR / "mtcars.csv"
    code = main(["fit", str(path), "-f", "mpg + qsec ~ wt"])
    assert code != 0
    assert "linmod fit takes one response, but the formula has 2" in capsys.readouterr().err
    code = main(["check", str(path), "-f", "cbind(mpg, qsec) ~ wt"])
    assert code != 0
    assert "linmod check takes one response" in capsys.readouterr().err


def test_analyse_refuses_several_responses(cars):
    with pytest.raises(InputError, match=r"analyse\(\) takes one response"):
        linmod.analyse("mpg + qsec ~ wt", data=cars)


# ---------------------------------------------------------------------- anova.mlm
@pytest.mark.parametrize("test", ["Pillai", "Wilks", "Hotelling-Lawley", "Roy"])
@pytest.mark.parametrize("case", CASES)
def test_multivariate_anova_matches_r(cars, case, test):
    ref = REFERENCE[case]
    expected = ref["anova"][test]
    large = _fit(cars, case)
    small = linmod.ols(ref["small_linmod_formula"], data=cars)
    table = large.anova(small, test=test)
    assert table["res_df"].tolist() == expected["res_df"]
    second = table.iloc[1]
    assert second["df"] == expected["df"]
    assert_allclose(second[test], expected["statistic"], rtol=1e-11)
    assert_allclose(second["approx_f"], expected["approx_f"], rtol=1e-11)
    assert (second["num_df"], second["den_df"]) == (expected["num_df"], expected["den_df"])
    assert_allclose(second["p_value"], expected["p_value"], rtol=1e-9)
    # either order, as R's anova(small, fit)
    reverse = small.anova(large, test=test)
    assert reverse["res_df"].tolist() == expected["res_df"][::-1]
    assert_allclose(reverse.iloc[1][test], expected["statistic"], rtol=1e-11)


def test_multivariate_anova_refuses_what_it_cannot_compare(cars):
    large = _fit(cars, "cyl")
    with pytest.raises(InputError, match="test='Lawley' is not known"):
        large.anova(large, test="Lawley")
    with pytest.raises(InputError, match="explain different responses"):
        large.anova(linmod.ols("mpg + hp ~ wt", data=cars))
    with pytest.raises(InputError, match="not nested"):
        large.anova(linmod.ols("mpg + qsec ~ hp", data=cars))
    with pytest.raises(InputError, match="same residual degrees of freedom"):
        large.anova(large)
    with pytest.raises(InputError, match=r"a MultiOLSResults.*got OLSResults"):
        large.anova(linmod.ols("mpg ~ wt", data=cars))
