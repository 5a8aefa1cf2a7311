"""ols(X, y) with a pandas X and y whose row labels differ is refused, not paired by position."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import InputError


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(51)
    x = rng.standard_normal(40)
    data = pd.DataFrame({"x1": x, "y": 1.0 + 2.0 * x + 0.1 * rng.standard_normal(40)})
    data.index = pd.Index([f"id{i:02d}" for i in range(40)], name="id")
    return data


def test_a_response_sorted_on_its_own_is_refused(frame):
    with pytest.raises(InputError, match=r"different row labels .* in another order"):
        linmod.ols(frame[["x1"]], frame["y"].sort_values())


def test_responses_of_other_rows_are_refused(frame):
    other = frame["y"].iloc[:40].set_axis(pd.RangeIndex(40))
    with pytest.raises(InputError, match=r"different row labels \(X: 'id00', 'id01'"):
        linmod.ols(frame[["x1"]], other)


def test_aligned_or_positional_responses_fit(frame):
    reference = sm.OLS(frame["y"], sm.add_constant(frame[["x1"]])).fit().params.to_numpy()
    shuffled = frame["y"].sample(frac=1.0, random_state=1)
    aligned = linmod.ols(frame[["x1"]], shuffled.loc[frame.index])  # the suggested fix
    assert_allclose(aligned.coef.to_numpy(), reference, rtol=1e-12)
    positional = linmod.ols(frame[["x1"]], frame["y"].to_numpy())
    assert_allclose(positional.coef.to_numpy(), reference, rtol=1e-12)
    assert list(positional.residuals.index[:2]) == ["id00", "id01"]


def test_a_one_column_frame_or_a_series_is_checked_too(frame):
    # Any pandas object on both sides carries row labels (review: a frame y or a Series X
    # slipped through and were paired by position).
    shuffled = frame["y"].sort_values()
    with pytest.raises(InputError, match="different row labels"):
        linmod.ols(frame[["x1"]], shuffled.to_frame("y"))
    with pytest.raises(InputError, match="different row labels"):
        linmod.ols(frame["x1"], shuffled)
