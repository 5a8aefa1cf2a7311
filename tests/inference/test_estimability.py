"""Prediction from rank-deficient fits: NaN and a warning for non-estimable rows.

Expected values come from tests/references/r/generate_presentation.R: which rows R 4.3's
``predict.lm(..., rankdeficient = "NA")`` makes NA (this machine's R 4.2.2 lacks the
argument, so the script applies R 4.3's rule by hand: an orthonormal null-space basis from
the fit's QR and ``||x'N|| >= 1e-6 ||x||``; the JSON records which), and R's prediction
of the full-rank fit for the estimable rows.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.inference.estimability import (
    NonEstimableWarning,
    non_estimable_rows,
    null_basis,
)
from linmod.linalg.rank import Dependency

from ..conftest import load_dataset

REFERENCE = Path(__file__).resolve().parents[1] / "references" / "r" / "presentation_reference.json"


@pytest.fixture(scope="module")
def reference() -> dict:
    return json.loads(REFERENCE.read_text())


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    frame = load_dataset("mtcars")
    frame["wt2"] = 2 * frame["wt"]
    frame["v8"] = (frame["cyl"] == 8).astype(float)
    return frame


def _case(reference: dict, case_id: str) -> dict:
    return next(c for c in reference["estimability"] if c["id"] == case_id)


@pytest.mark.parametrize("case_id", ["wt2_twice_wt", "factor_dummy"])
def test_non_estimable_rows_are_nan_as_r(reference, data, case_id):
    case = _case(reference, case_id)
    res = linmod.ols(case["formula"], data=data)
    assert res.rank == case["rank"]
    new = pd.DataFrame(case["newdata"])
    with pytest.warns(NonEstimableWarning) as caught:
        table = res.predict(new, interval="prediction")
    flagged = [i + 1 for i in np.flatnonzero(table["fit"].isna().to_numpy())]
    assert flagged == case["non_estimable_rows"]
    rows = ", ".join(str(r) for r in case["non_estimable_rows"])
    assert f"new rows {rows} are not estimable" in str(caught[0].message)
    assert caught[0].filename == __file__  # points at the caller's line
    # Estimable rows predict what the full-rank fit predicts (R's numbers), intervals too.
    keep = ~table["fit"].isna().to_numpy()
    assert_allclose(table["fit"][keep], np.array(case["full_rank_fit"])[keep], rtol=1e-12)
    assert_allclose(table["lower"][keep], np.array(case["full_rank_lower"])[keep], rtol=1e-12)
    assert_allclose(table["upper"][keep], np.array(case["full_rank_upper"])[keep], rtol=1e-12)
    assert table[~keep].isna().all().all()


def test_a_row_respecting_the_dependency_gives_the_full_rank_value(data):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    full = linmod.ols("mpg ~ wt + hp", data=data)
    new = pd.DataFrame({"wt": [3.0], "hp": [120.0], "wt2": [6.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning for an estimable row
        got = res.predict(new)
    assert_allclose(got["fit"], full.predict(new)["fit"], rtol=1e-13)


def test_the_message_names_labelled_rows_and_the_dependency(data):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    new = pd.DataFrame(
        {"wt": [3.0, 3.0], "hp": [120.0, 120.0], "wt2": [6.0, 0.0]}, index=["ok", "bad"]
    )
    expected = r"new row 2 \('bad'\) is not estimable.*wt2 = 2·wt"
    with pytest.warns(NonEstimableWarning, match=expected):
        table = res.predict(new)
    assert math.isnan(table.loc["bad", "fit"])
    assert not math.isnan(table.loc["ok", "fit"])


def test_missing_rows_stay_missing_without_a_warning(data):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    new = pd.DataFrame({"wt": [3.0, np.nan], "hp": [120.0, 100.0], "wt2": [6.0, 1.0]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = res.predict(new)
    assert table["fit"].isna().tolist() == [False, True]


def test_predicting_the_fitted_rows_warns_about_none(data):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = res.predict()
    assert table["fit"].notna().all()


def test_the_svd_solver_minimum_norm_fit_is_checked_too(data):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data, solver="svd")
    new = pd.DataFrame({"wt": [3.0, 3.0], "hp": [120.0, 120.0], "wt2": [6.0, 0.0]})
    with pytest.warns(NonEstimableWarning):
        table = res.predict(new)
    full = linmod.ols("mpg ~ wt + hp", data=data).predict(new.head(1))
    assert_allclose(table["fit"].iloc[0], full["fit"].iloc[0], rtol=1e-10)
    assert math.isnan(table["fit"].iloc[1])


def test_saved_models_keep_the_null_basis(reference, data, tmp_path):
    case = _case(reference, "wt2_twice_wt")
    res = linmod.ols(case["formula"], data=data)
    res.save(tmp_path / "m.json")
    model = linmod.load(tmp_path / "m.json")
    new = pd.DataFrame(case["newdata"])
    with pytest.warns(NonEstimableWarning, match="wt2 = 2·wt"):
        table = model.predict(new, interval="confidence")
    flagged = [i + 1 for i in np.flatnonzero(table["fit"].isna().to_numpy())]
    assert flagged == case["non_estimable_rows"]
    keep = table["fit"].notna().to_numpy()
    assert_allclose(table["fit"][keep], np.array(case["full_rank_fit"])[keep], rtol=1e-12)


def test_old_model_files_without_a_basis_warn_that_rows_are_unchecked(data, tmp_path):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    res.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    del document["null_basis"]
    (tmp_path / "m.json").write_text(json.dumps(document))
    model = linmod.load(tmp_path / "m.json")
    with pytest.warns(NonEstimableWarning, match="cannot be detected"):
        model.predict(data.head(2))


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        ("x", "not a list of 4 rows"),
        ([[1.0], [0.0], [0.0]], "not a list of 4 rows"),
        ([[1.0], [1.0], [0.0], [0.0]], "not orthonormal"),
        ([[1.0], ["a"], [0.0], [0.0]], "where a number belongs"),
    ],
)
def test_a_corrupted_basis_is_refused_naming_the_field(data, tmp_path, basis, message):
    res = linmod.ols("mpg ~ wt + hp + wt2", data=data)
    res.save(tmp_path / "m.json")
    document = json.loads((tmp_path / "m.json").read_text())
    document["null_basis"] = basis
    (tmp_path / "m.json").write_text(json.dumps(document))
    with pytest.raises(linmod.InputError, match=f"null_basis.*{message}"):
        linmod.load(tmp_path / "m.json")


def test_linear_regression_predicts_nan_for_non_estimable_rows(reference, data, tmp_path):
    case = _case(reference, "wt2_twice_wt")
    X = data[["wt", "hp", "wt2"]]
    est = linmod.LinearRegression().fit(X, data["mpg"])
    new = pd.DataFrame(case["newdata"])[["wt", "hp", "wt2"]]
    with pytest.warns(NonEstimableWarning, match="new rows 2, 3, 5 are not estimable"):
        got = est.predict(new)
    flagged = [i + 1 for i in np.flatnonzero(np.isnan(got))]
    assert flagged == case["non_estimable_rows"]
    keep = ~np.isnan(got)
    assert_allclose(got[keep], np.array(case["full_rank_fit"])[keep], rtol=1e-12)
    est.save(tmp_path / "e.json")
    with pytest.warns(NonEstimableWarning):
        loaded = linmod.load(tmp_path / "e.json").predict(new)
    assert loaded["fit"].isna().tolist() == list(~keep)


def test_full_rank_estimator_prediction_is_unchanged(data):
    est = linmod.LinearRegression().fit(data[["wt", "hp"]].to_numpy(), data["mpg"].to_numpy())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = est.predict(np.array([[3.0, 120.0]]))
    assert np.isfinite(got).all()


def test_the_rule_by_hand():
    # x = (1, wt, hp, wt2) with wt2 = 2 wt: N = (0, 2, 0, -1) / sqrt(5).
    basis = null_basis([Dependency(3, {1: 2.0})], 4)
    assert_allclose(np.abs(basis[:, 0]), np.array([0, 2, 0, 1]) / math.sqrt(5), rtol=1e-15)
    row = np.array([1.0, 3.0, 120.0, 6.0])
    norm = float(np.linalg.norm(row))
    # ||x'N|| = |2 wt - wt2| / sqrt(5): flagged from 1e-6 ||x|| on (R's `tol * ||x|| <= ...`).
    over = row.copy()
    over[3] -= 1.01e-6 * norm * math.sqrt(5)
    under = row.copy()
    under[3] -= 0.99e-6 * norm * math.sqrt(5)
    flagged = non_estimable_rows(np.vstack([row, over, under]), basis)
    assert flagged.tolist() == [False, True, False]
    assert not non_estimable_rows(np.zeros((1, 4)), basis).any()  # an all-zero row
    huge = np.vstack([row * 1e300, over * 1e300])
    assert non_estimable_rows(huge, basis).tolist() == [False, True]  # no overflow


def test_streamed_fits_check_rows_from_their_dependencies(reference, data):
    case = _case(reference, "wt2_twice_wt")
    streamed = linmod.ols(case["formula"], data=[data.iloc[:16], data.iloc[16:]])
    assert not streamed.has_data
    with pytest.warns(NonEstimableWarning):
        table = streamed.predict(pd.DataFrame(case["newdata"]))
    flagged = [i + 1 for i in np.flatnonzero(table["fit"].isna().to_numpy())]
    assert flagged == case["non_estimable_rows"]
