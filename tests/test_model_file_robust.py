"""Saving a robust fit keeps the classical covariance, and says so."""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

import linmod
from linmod.exceptions import LinmodWarning

from .conftest import DATA_DIR


@pytest.mark.parametrize(
    ("robust", "shown"),
    [
        ({"groups": "firm"}, r"cluster-robust \(CR1\), 11 clusters by firm"),
        ({"kind": "HC3"}, r"HC3-robust"),
    ],
)
def test_saving_a_robust_fit_warns_and_keeps_the_classical_table(tmp_path, robust, shown):
    data = pd.read_csv(DATA_DIR / "Grunfeld.csv")
    res = linmod.ols("invest ~ value + capital", data=data)
    path = tmp_path / "model.json"
    with pytest.warns(LinmodWarning, match=rf"keeps the classical covariance.*not these {shown}"):
        res.robust(**robust).save(path)
    loaded = linmod.load(path).to_frame()
    assert_allclose(loaded["std_err"], res.std_err, rtol=1e-12)  # the classical ones
