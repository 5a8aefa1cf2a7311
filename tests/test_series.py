"""``linmod._series.labelled_series``: the same Series as pandas' constructor, built directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import linmod
from linmod import _series


def _public(values: np.ndarray, index: pd.Index, name: object) -> pd.Series:
    return pd.Series(values, index=index, name=name, copy=False)


@given(
    arrays(np.float64, st.integers(0, 12), elements=st.floats(allow_nan=True)),
    st.sampled_from(["coef", "std_err", ("a", 1), 3, None]),
)
def test_same_series_as_the_constructor(values: np.ndarray, name: object) -> None:
    index = pd.Index([f"x{j}" for j in range(values.shape[0])], name="term")
    made = _series.labelled_series(values, index, name)
    pd.testing.assert_series_equal(made, _public(values, index, name))
    assert made.index is index
    assert made.name == name


def test_the_direct_path_is_taken_on_this_pandas() -> None:
    # The probe compares the two constructions; if pandas changed, the public one is used
    # (same results, slower) and this test says so.
    assert _series._probe() is _series._from_manager


def test_falls_back_when_the_internal_path_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> pd.Series:
        raise AttributeError("no such internal")

    monkeypatch.setattr(_series, "_from_manager", broken)
    assert _series._probe() is _series._public


def test_falls_back_when_the_internal_path_differs(monkeypatch: pytest.MonkeyPatch) -> None:
    def renamed(values: np.ndarray, index: pd.Index, name: object) -> pd.Series:
        return pd.Series(values, index=index, name="other")

    monkeypatch.setattr(_series, "_from_manager", renamed)
    assert _series._probe() is _series._public


def test_other_inputs_take_the_constructor() -> None:
    index = pd.Index(["a", "b"])
    ints = _series.labelled_series(np.array([1, 2]), index, "n")  # type: ignore[arg-type]
    assert ints.dtype == np.int64
    with pytest.raises(ValueError, match="Length"):
        _series.labelled_series(np.zeros(3), index, "n")


def test_writing_into_coef_leaves_the_fit_alone() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 2))
    y = x @ [1.0, 2.0] + rng.normal(size=50)
    res = linmod.ols(x, y)
    coef = res.coef
    before = coef.to_numpy().copy()
    coef.iloc[0] = 99.0
    np.testing.assert_array_equal(res.coef.to_numpy(), before)
    std_err = res.std_err
    std_err.iloc[:] = 0.0
    assert (res.std_err > 0).all()
