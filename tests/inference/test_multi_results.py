"""The results object of a fit of several responses (R's mlm)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError, LinmodError
from linmod.inference.estimability import NonEstimableWarning
from linmod.inference.multi_results import MultiOLSResults


@pytest.fixture(scope="module")
def fit() -> MultiOLSResults:
    rng = np.random.default_rng(11)
    frame = pd.DataFrame({"a": rng.normal(size=40), "b": rng.normal(size=40)})
    frame["u"] = 1 + 2 * frame["a"] + rng.normal(size=40)
    frame["v"] = -1 + 0.5 * frame["b"] + rng.normal(size=40)
    frame["w"] = frame["u"] + frame["v"] + rng.normal(size=40)
    res = linmod.ols("u + v + w ~ a + b", data=frame)
    assert isinstance(res, MultiOLSResults)
    return res


def test_responses_by_name_and_position(fit):
    assert fit.response_names == ["u", "v", "w"]
    assert len(fit) == 3
    assert list(fit) == ["u", "v", "w"]
    assert fit["v"] is fit[1] is fit.responses["v"] is fit[-2]
    assert fit["u"].design.response_name == "u"
    with pytest.raises(
        InputError, match=r"'z' is not a response of this fit; its responses are 'u', 'v', 'w'"
    ):
        fit["z"]
    with pytest.raises(InputError, match="response 3 is out of range: the fit has 3 responses"):
        fit[3]


def test_tables_are_terms_by_responses(fit):
    for table in [fit.coef, fit.std_err, fit.t_values, fit.p_values]:
        assert list(table.index) == ["Intercept", "a", "b"]
        assert list(table.columns) == ["u", "v", "w"]
    assert_allclose(fit.std_err["w"], fit["w"].std_err, rtol=0)
    assert_allclose(fit.p_values["v"], fit["v"].p_values, rtol=0)
    assert fit.residuals.shape == fit.fitted.shape == (40, 3)
    assert_allclose(fit.r_squared.to_numpy(), [fit[n].r_squared for n in "uvw"], rtol=0)
    assert (fit.n_obs, fit.rank, fit.df_resid) == (40, 3, 37)
    assert not fit.aliased.any()


def test_vcov_blocks_are_each_responses_covariance(fit):
    # By hand: the diagonal blocks of kron(S, (X'X)^-1) are sigma_j^2 (X'X)^-1, which is
    # each single-response covariance; off-diagonal blocks scale by the residual covariance.
    vcov = fit.vcov()
    x = fit["u"].design.x
    inverse = np.linalg.inv(x.T @ x)
    residuals = fit.residuals.to_numpy()
    s = residuals.T @ residuals / 37
    for i, first in enumerate("uvw"):
        block = vcov.loc[[f"{first}:{t}" for t in fit.names], [f"{first}:{t}" for t in fit.names]]
        assert_allclose(block.to_numpy(), fit[first].cov_params().to_numpy(), rtol=1e-13)
        for j, second in enumerate("uvw"):
            cross = vcov.loc[
                [f"{first}:{t}" for t in fit.names], [f"{second}:{t}" for t in fit.names]
            ]
            assert_allclose(cross.to_numpy(), s[i, j] * inverse, rtol=1e-11)
    assert_allclose(fit.sigma.to_numpy(), np.sqrt(np.diag(s)), rtol=1e-13)


def test_predict_marks_incomplete_rows_missing(fit):
    new = pd.DataFrame({"a": [0.0, np.nan, 1.0], "b": [1.0, 2.0, np.nan]})
    predicted = fit.predict(new)
    assert predicted.shape == (3, 3)
    assert predicted.iloc[1:].isna().all().all()
    expected = fit.coef.loc["Intercept"] + fit.coef.loc["b"]
    assert_allclose(predicted.iloc[0].to_numpy(), expected.to_numpy(), rtol=1e-15)


def test_rank_deficient_fit_shares_its_aliasing_and_warns_once_per_prediction():
    rng = np.random.default_rng(12)
    frame = pd.DataFrame({"a": rng.normal(size=30), "b": rng.normal(size=30)})
    frame["c"] = frame["a"] + frame["b"]
    frame["y"] = rng.normal(size=30)
    frame["z"] = rng.normal(size=30)
    res = linmod.ols("y + z ~ a + b + c", data=frame)
    assert res.aliased.tolist() == [False, False, False, True]
    assert res.coef.loc["c"].isna().all()
    assert np.isnan(res.vcov().loc["y:c", "z:a"])
    new = pd.DataFrame({"a": [1.0, 1.0], "b": [1.0, 1.0], "c": [2.0, 5.0]})
    with pytest.warns(NonEstimableWarning) as caught:
        predicted = res.predict(new)
    assert len(caught) == 1
    assert predicted.iloc[1].isna().all()
    assert predicted.iloc[0].notna().all()


def test_weighted_results_refuse_the_residual_covariance():
    from linmod.estimators import LinearRegression

    rng = np.random.default_rng(13)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(30, 2))
    model = LinearRegression().fit(x, y, sample_weight=rng.uniform(0.5, 2, size=30))
    with pytest.raises(LinmodError, match=r"SSD.mlm refuses weights too"):
        model.results_.vcov()
    # each response's own inference is there
    assert model.results_["y0"].std_err.notna().all()


def test_weighted_results_predict_the_fitted_rows_unscaled():
    from linmod.estimators import LinearRegression

    rng = np.random.default_rng(14)
    x, y = rng.normal(size=(30, 2)), rng.normal(size=(30, 2))
    model = LinearRegression().fit(x, y, sample_weight=rng.uniform(0.5, 2, size=30))
    assert_allclose(model.results_.predict().to_numpy(), model.predict(x), rtol=1e-13)
    assert_allclose(model.results_.fitted.to_numpy(), model.predict(x), rtol=1e-13)


def test_tables_keep_repeated_row_labels_by_position():
    rng = np.random.default_rng(15)
    x = pd.DataFrame({"a": rng.normal(size=6)}, index=[7, 7, 8, 8, 9, 9])
    y = pd.DataFrame({"p": rng.normal(size=6), "q": rng.normal(size=6)})
    res = linmod.ols(x, y)
    assert list(res.residuals.index) == [7, 7, 8, 8, 9, 9]
    assert_allclose(res.residuals["q"].to_numpy(), res["q"].residuals.to_numpy(), rtol=0)
    assert_allclose(res.fitted["p"].to_numpy(), res["p"].fitted.to_numpy(), rtol=0)


def test_save_names_the_per_response_alternative(fit, tmp_path):
    path = tmp_path / "fit.json"
    with pytest.raises(InputError, match=r"save each response's fit, e.g. res\['u'\].save"):
        fit.save(path)
    fit["u"].save(path)
    assert path.exists()
