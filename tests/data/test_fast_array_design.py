"""The checked copy of a float64 array design measures what the fit needs in its pass."""

from __future__ import annotations

import numpy as np
import pytest

import linmod
from linmod.data.arrays import fast_array_design
from linmod.exceptions import InputError


def test_magnitudes_of_the_copy():
    x = np.array([[1.0, -8.0], [3.0, 2.0], [-5.0, 0.5]])
    y = np.array([0.25, -7.5, 3.0])
    design, magnitudes = fast_array_design(x, y, True)
    assert np.array_equal(design.x, np.column_stack([np.ones(3), x]))
    assert np.array_equal(magnitudes.columns, [1.0, 5.0, 8.0])
    assert magnitudes.column_range == (1.0, 8.0)  # what solve_scaled's range test reads
    assert magnitudes.response == 7.5
    assert magnitudes.constant_response is False
    assert magnitudes.of(design.x, design.y)


@pytest.mark.parametrize(
    ("y", "constant"),
    [([2.0, 2.0, 2.0], True), ([0.0, -0.0, 0.0], True), ([2.0, 2.0, 2.0 + 2**-51], False)],
)
def test_constant_response_is_measured_exactly(y, constant):
    x = np.arange(6.0).reshape(3, 2) ** 2
    _, magnitudes = fast_array_design(x, np.array(y), True)
    assert magnitudes.constant_response is constant


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_response_takes_the_general_path(bad):
    x = np.arange(6.0).reshape(3, 2)
    assert fast_array_design(x, np.array([1.0, bad, 2.0]), True) is None


def test_constant_response_is_refused_on_the_fast_path():
    x = np.random.default_rng(0).standard_normal((20, 2))
    with pytest.raises(InputError, match="constant"):
        linmod.ols(x, np.full(20, 3.5))
    # One differing value in the last row is variation.
    y = np.full(20, 3.5)
    y[-1] = 3.5 + 2**-50
    assert linmod.ols(x, y).df_resid == 17
